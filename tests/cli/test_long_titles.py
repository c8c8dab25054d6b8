"""A feed's 10,000-character title is cut in the text briefs (`monitor brief`, `export --format md`):
it was the heading, the paragraph to paste and the article's line, whole (lines of 10,465 characters);
JSON keeps it whole."""
from __future__ import annotations

import json

from click.testing import CliRunner

from monitor.cli import cli
from monitor.store import open_db
from tests.support.brief_events import build_brief_events

LONG = "Kharkiv " * 1250


def _run(db_path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_huge_title_is_cut_in_the_text_briefs_and_whole_in_json(db_path):
    db = open_db(db_path)
    try:
        events = build_brief_events(db)
        member = db.conn.execute("SELECT article_id FROM assignments WHERE cluster_id = ?", [events.kursk]).fetchone()[0]
        db.conn.execute("UPDATE clusters SET label = ? WHERE id = ?", [LONG, events.kursk])
        db.conn.execute("UPDATE articles SET title = ? WHERE id = ?", [LONG, member])
        db.conn.commit()
    finally:
        db.close()
    for text in (_run(db_path, "brief", str(events.kursk)),
                 _run(db_path, "export", "--format", "md", "--cluster", str(events.kursk))):
        assert max(len(line) for line in text.splitlines()) < 2000  # (the paragraph: headline, counts, figures)
        assert "Kharkiv Kharkiv" in text and "…" in text
    assert json.loads(_run(db_path, "brief", str(events.kursk), "--json"))["headline"] == LONG
