"""`monitor poll --json` prints one JSON object with the same keys whatever the exit code (but a
usage error's 2): a script reading it met an empty stdout when another poll held the lock (exit 3)
or the database was corrupt (exit 1)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from monitor.ingest.lock import poll_lock
from tests.conftest import REPO
from tests.ingest.conftest import LEXICAL_TOML
from tests.support.newsroom import newsroom  # noqa: F401  (the fixture)


def _poll_json(tmp_path: Path, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", "--db", str(db), "--config", str(tmp_path / "feeds.toml"),
                           "poll", "--all", "--json"], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_poll_json_is_one_object_with_the_same_keys_on_every_exit_code(newsroom, tmp_path):  # noqa: F811
    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + '[poll]\nfetch_pages = false\n\n'
        f'[[feeds]]\nname = "fine"\nurl = "{newsroom.url("/synth/1.xml?items=2")}"\n', encoding="utf-8")
    db = tmp_path / "monitor.db"
    done = _poll_json(tmp_path, db)
    assert done.returncode == 0, done.stderr
    keys = list(json.loads(done.stdout))

    with poll_lock(db):  # another poll runs
        locked = _poll_json(tmp_path, db)
    assert locked.returncode == 3
    report = json.loads(locked.stdout)
    assert list(report) == keys
    assert (report["status"], report["feeds_polled"]) == ("locked", 0)
    assert "another poll is running" in report["errors"][0]
    assert locked.stderr.startswith("monitor: another poll is running")

    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"not a database, " * 1000)
    failed = _poll_json(tmp_path, corrupt)
    assert failed.returncode == 1
    report = json.loads(failed.stdout)
    assert list(report) == keys
    assert report["status"] == "failed" and report["errors"][0].startswith("database error: ")
    assert failed.stderr.startswith("monitor: database error: ") and "Traceback" not in failed.stderr


def test_a_configuration_without_feeds_is_said_so(tmp_path):
    """`monitor poll` on a feeds.toml with no feed said "no feeds are due (use --all to poll every
    feed)", and --all "no enabled feed, or every one waits for its server's Retry-After"."""
    from click.testing import CliRunner

    from monitor.cli import cli

    (tmp_path / "feeds.toml").write_text('[poll]\ninterval = "15m"\n', encoding="utf-8")
    for args in (["poll"], ["poll", "--all"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0
        assert result.stderr == ("nothing to poll: the configuration has no feeds "
                                 "(add one with `monitor feeds add NAME URL`)\n")
