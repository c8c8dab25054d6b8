"""`monitor import` of pages with no text says so once per file, in its own words: trafilatura's own
WARNING/ERROR lines ("discarding data: None", "empty HTML tree", five for two files) came beside them
(48 lines for the 16 such files of ../shared/fixtures/extraction); with -vv they are shown."""
from __future__ import annotations

import subprocess
import sys


def _import(tmp_path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", "--db", str(tmp_path / "m.db"), "--config",
                           str(tmp_path / "feeds.toml"), *flags, "import", str(tmp_path / "pages")],
                          capture_output=True, text=True, timeout=120)


def test_pages_without_text_are_one_line_each(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "pages" / "b.html").write_bytes(b"\x00\x01")
    done = _import(tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"cannot import {tmp_path / 'pages' / name}: no article text found in the HTML"
                                        for name in ("a.html", "b.html")]
    assert "trafilatura" in _import(tmp_path, "-vv").stderr
