"""A database another program keeps locked past the busy timeout (the dashboard's long write) when a
cron poll starts: one line in words and exit 1 at once, `--json` status "failed"; before, "database
is locked" (SQLite's words), and once a poll had started, a traceback per feed."""
from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from monitor.cli import cli
from monitor.store import open_db

LOCKED = "another program kept the database locked past the busy timeout (database is locked)"


def test_a_poll_on_a_database_locked_elsewhere_is_one_line_and_exit_1(tmp_path, monkeypatch):
    db_path, config = tmp_path / "m.db", tmp_path / "feeds.toml"
    config.write_text('[poll]\nfetch_pages = false\n\n[[feeds]]\nname = "a"\nurl = "http://127.0.0.1:9/a.xml"\n',
                      encoding="utf-8")
    open_db(db_path).close()
    monkeypatch.setattr("monitor.store.opening.BUSY_TIMEOUT_MS", 100)  # (30 s in use)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(cli, ["--db", str(db_path), "--config", str(config), "poll", "--json"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["status"] == "failed" and summary["errors"] == [f"database error: {LOCKED}"]
