"""A feed's name is printed as it is stored, on one line: `feeds add/remove/enable/disable` and a
poll's lines showed "ev\\x1b[31mil\\nname" as "evil", then "name" on a line of its own (click strips
colour sequences when stdout is not a terminal, and the newline went through), so the name shown
was not the one to type and a poll's line about the feed was split in two under cron."""
from __future__ import annotations

import subprocess
import sys

from tests.support.newsroom import newsroom  # noqa: F401  (the fixture)

NAME = "ev\x1b[31mil\nname"
SHOWN = "ev␛[31mil name"


def _monitor(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", "--db", str(tmp_path / "m.db"), "--config",
                           str(tmp_path / "feeds.toml"), *args], capture_output=True, text=True, timeout=120)


def test_a_feed_name_with_controls_is_shown_as_stored_on_one_line(newsroom, tmp_path):  # noqa: F811
    (tmp_path / "feeds.toml").write_text('[poll]\nfetch_pages = false\n\n[cluster]\nembedding = "off"\n',
                                         encoding="utf-8")
    added = _monitor(tmp_path, "feeds", "add", NAME, newsroom.url("/fault/500"))
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith(f"added {SHOWN} (") and added.stdout.count("\n") == 1
    for verb in ("disable", "enable"):
        done = _monitor(tmp_path, "feeds", verb, NAME)
        assert done.stdout == f"{verb}d {SHOWN}\n"
    polled = _monitor(tmp_path, "poll", "--all")
    assert polled.returncode == 1
    lines = [line for line in polled.stdout.splitlines() + polled.stderr.splitlines() if "ev" in line or "name" in line]
    assert lines and all(SHOWN in line for line in lines), lines  # every line naming the feed: the whole name
    assert any(line.startswith(f"  failed: {SHOWN}: ") for line in lines), lines
    removed = _monitor(tmp_path, "feeds", "remove", NAME)
    assert removed.stdout == f"removed {SHOWN}\n"
