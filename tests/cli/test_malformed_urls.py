"""A feed URL that is not a URL at all: "http://[::1/x" was a traceback (feeds.toml, `feeds test`,
`feeds import-opml`), port 99999 was refused as "a loopback address, not the feed's own site", and
"http://host/a b" was polled into a 404 every time."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def _monitor(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", "--db", str(tmp_path / "monitor.db"),
                           "--config", str(tmp_path / "feeds.toml"), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("url, why", [
    ("http://[::1/x", "not a valid URL (Invalid IPv6 URL): 'http://[::1/x'"),
    ("http://127.0.0.1:99999/x", "not a valid URL (Port out of range 0-65535): 'http://127.0.0.1:99999/x'"),
    ("http://127.0.0.1:9/a b", "holds a space: 'http://127.0.0.1:9/a b'"),
])
def test_a_url_that_is_not_one_is_a_one_line_error_naming_it(tmp_path, url, why):
    (tmp_path / "feeds.toml").write_text(f'[[feeds]]\nname = "Bad"\nurl = "{url}"\n', encoding="utf-8")
    polled = _monitor(tmp_path, "poll", "--all")
    assert (polled.returncode, polled.stderr) == (2, f"monitor: configuration error: {tmp_path / 'feeds.toml'}:3: "
                                                     f"feeds[0].url: {why}\n")
    (tmp_path / "feeds.toml").write_text("", encoding="utf-8")
    tested = _monitor(tmp_path, "feeds", "test", url, "--json")
    assert tested.returncode == 2 and tested.stdout == "" and "Traceback" not in tested.stderr
    assert tested.stderr.endswith(f"Error: Invalid value for URL: {why}\n")


def test_an_opml_outline_with_a_broken_url_is_skipped_with_a_reason(tmp_path):
    (tmp_path / "feeds.toml").write_text("", encoding="utf-8")
    opml = tmp_path / "feeds.opml"
    opml.write_text('<?xml version="1.0"?><opml version="1.0"><head/><body>'
                    '<outline text="V6" xmlUrl="http://[::1/x"/>'
                    '<outline text="Fine" xmlUrl="http://127.0.0.1:9/feed.xml"/></body></opml>', encoding="utf-8")
    done = _monitor(tmp_path, "feeds", "import-opml", str(opml))
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines()[1:] == ["  V6: only http(s) feeds are supported"]
    assert 'name = "Fine"' in (tmp_path / "feeds.toml").read_text(encoding="utf-8")
