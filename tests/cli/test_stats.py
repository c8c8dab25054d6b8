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


def test_a_feed_removed_from_feeds_toml_is_counted_apart(tmp_path):
    """After `feeds remove`, `monitor stats` said "Feeds: 2 (1 enabled, 0 failing)" where `monitor
    feeds` listed one, and `feeds --removed` called the removed feed "disabled"."""
    (tmp_path / "feeds.toml").write_text("", encoding="utf-8")
    runner = CliRunner()
    for name in ("War EN", "War UK"):
        assert runner.invoke(cli, ["feeds", "add", name, f"http://127.0.0.1:9/{name[-2:]}.xml"]).exit_code == 0
    assert runner.invoke(cli, ["feeds", "remove", "War UK"]).exit_code == 0
    stats = json.loads(runner.invoke(cli, ["stats", "--json"]).stdout)
    assert (stats["feeds"], stats["feeds_enabled"], stats["feeds_removed"]) == (1, 1, 1)
    assert "Feeds:             1 (1 enabled, 0 failing; 1 removed, their articles kept)" in runner.invoke(
        cli, ["stats"]).stdout
    assert len(json.loads(runner.invoke(cli, ["feeds", "--json"]).stdout)) == stats["feeds"]
    assert "War UK  [removed; " in runner.invoke(cli, ["feeds", "--removed"]).stdout
