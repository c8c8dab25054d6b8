"""A reader that leaves early (`monitor feeds | head -1`) is not an error: every command that prints
ends as it would have, with its own exit code, and says nothing on stderr (it exited 1 silently,
click's handling of EPIPE, or printed "Exception ignored ... BrokenPipeError" at exit)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.ingest.conftest import LEXICAL_TOML
from tests.support.newsroom import newsroom  # noqa: F401  (the fixture)


def _run_into_closed_pipe(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """The command with a stdout nobody reads: its first write meets EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, "-m", "monitor", "--db", str(tmp_path / "monitor.db"),
                               "--config", str(tmp_path / "feeds.toml"), *args],
                              cwd=REPO, stdout=write_end, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(write_end)


def test_commands_printing_into_a_closed_pipe_end_quietly_with_their_own_exit_code(newsroom, tmp_path):  # noqa: F811
    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + '[poll]\nfetch_pages = false\nconnect_timeout = 2.0\nread_timeout = 2.0\n\n'
        f'[[feeds]]\nname = "fine"\nurl = "{newsroom.url("/synth/1.xml?items=3")}"\n\n'
        f'[[feeds]]\nname = "broken"\nurl = "{newsroom.url("/fault/500")}"\n', encoding="utf-8")
    # The poll's feed failed: exit 1 stays the poll's answer, the closed pipe adds nothing.
    for args, code in [(("poll", "--all", "--json"), 1), (("feeds", "list"), 0), (("feeds", "--json"), 0),
                       (("stats", "--json"), 0), (("search", "synthetic"), 0), (("export", "--format", "jsonl"), 0),
                       (("feeds", "export-opml"), 0), (("--help",), 0)]:
        done = _run_into_closed_pipe(tmp_path, *args)
        stderr = done.stderr.decode(errors="replace")
        if args[0] == "poll":  # its progress lines (stderr is read): nothing else
            stderr = "\n".join(line for line in stderr.splitlines() if not line.startswith(("[", "WARNING")))
        assert (done.returncode, stderr) == (code, ""), args
