"""`monitor stats` and the dashboard count event clusters by one rule."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from click.testing import CliRunner

from monitor.cli import cli
from monitor.store import open_db, views


def test_corpus_alone_makes_no_event_clusters_in_stats_or_the_dashboard(tmp_path, corpus_dir):
    db_path = str(tmp_path / "stats.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db_path, "import", str(corpus_dir)]).exit_code == 0
    stats = json.loads(runner.invoke(cli, ["--db", db_path, "stats", "--json"]).output)
    db = open_db(db_path)
    try:
        kinds = dict(db.conn.execute("SELECT kind, count(*) FROM clusters WHERE size > 0 GROUP BY kind").fetchall())
        summary = views.status_summary(db, datetime(2026, 1, 1, tzinfo=timezone.utc))
    finally:
        db.close()
    assert kinds.get("corpus", 0) > 0  # the corpus was clustered: there is something to leave out
    assert stats["corpus_documents"] == 5
    assert stats["clusters"] == summary.clusters == 0
    text = runner.invoke(cli, ["--db", db_path, "stats"]).output
    assert "Event clusters:    0" in text
