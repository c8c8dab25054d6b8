"""The real CLI as subprocesses: overlapping runs, and a run killed with SIGKILL mid-poll."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from monitor.store import open_db
from monitor.store.articles import content_hash
from tests.conftest import REPO
from tests.ingest.conftest import LEXICAL_TOML
from tests.support.newsroom import fixture_pages


def _monitor(tmp_path: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "MONITOR_DB": str(tmp_path / "monitor.db"), "MONITOR_CONFIG": str(tmp_path / "feeds.toml")}
    return subprocess.Popen([sys.executable, "-m", "monitor", *args], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def test_overlapping_runs_one_works_other_exits_3(newsroom, tmp_path):
    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + f'[poll]\nread_timeout = 90.0\nfetch_pages = false\n\n'
        f'[[feeds]]\nname = "slow"\nurl = "{newsroom.url("/fault/slow?seconds=60")}"\n\n'
        f'[[feeds]]\nname = "fine"\nurl = "{newsroom.url("/synth/1.xml?items=3")}"\n', encoding="utf-8")
    first = _monitor(tmp_path, "poll")
    _wait_for(lambda: newsroom.hits("/fault/slow"))  # the first run is inside its cycle

    second = _monitor(tmp_path, "poll", "--all")
    try:  # the slow feed answers only once the second run has finished, however slow its start
        out, err = second.communicate(timeout=60)
    finally:
        newsroom.stop_stalling.set()

    assert second.returncode == 3
    assert err.strip().count("\n") == 0 and "another poll is running" in err
    first_out, first_err = first.communicate(timeout=60)
    assert first.returncode == 0, first_err
    assert "new articles: 4" in first_out


def test_sigkill_mid_poll_leaves_whole_articles_and_next_run_completes(newsroom, tmp_path):
    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + f'[[feeds]]\nname = "fixtures"\nurl = "{newsroom.extraction_feed_url()}"\n', encoding="utf-8")
    db_path = tmp_path / "monitor.db"
    run = _monitor(tmp_path, "poll")

    def some_stored() -> bool:
        if not db_path.exists():
            return False
        db = open_db(db_path)
        try:
            return db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] >= 5
        finally:
            db.close()

    _wait_for(some_stored, timeout=60)
    os.killpg(run.pid, signal.SIGKILL)  # the run and its extraction workers, as cron's timeout would
    run.wait(timeout=10)

    db = open_db(db_path)
    try:
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        assert 5 <= partial < 80
        feed = db.conn.execute("SELECT etag, last_success_at FROM feeds").fetchone()
        assert feed == (None, None)  # the killed feed is polled afresh, not answered by a 304
    finally:
        db.close()

    again = _monitor(tmp_path, "poll", "--json")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err

    db = open_db(db_path)
    try:
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.conn.execute("SELECT id, title, text, content_hash, extraction_status FROM articles").fetchall()
        assert len(rows) == len(fixture_pages()) == 80
        for article_id, title, text, digest, status in rows:
            assert status == "page" and len(text) > 100 and digest == content_hash(title, text)
            indexed = db.conn.execute("SELECT COUNT(*) FROM articles_fts WHERE rowid = ?", [article_id]).fetchone()[0]
            assert indexed == 1
        runs = [r[0] for r in db.conn.execute("SELECT status FROM poll_runs ORDER BY id")]
        assert runs == ["killed", "ok"]
    finally:
        db.close()
