"""poll_runs rows: one per `monitor poll` cycle, so a killed run is visible afterwards."""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from monitor.store.clusters import release_for_reclustering
from monitor.store.db import dict_rows, write_transaction
from monitor.store.figures import insert_figures
from monitor.text.figures import Figure
from monitor.timeutil import now_iso
from monitor.vocab import ExtractionStatus, RunStatus


def start_run(db: Database) -> int:
    """Record a run as started; runs left 'running' by a killed process are marked 'killed'.

    Called with the poll lock held, so no other run can be live.
    """
    with write_transaction(db):
        db.conn.execute("UPDATE poll_runs SET status = 'killed' WHERE status = 'running'")
        cursor = db.conn.execute("INSERT INTO poll_runs (started_at, pid, status) VALUES (?, ?, 'running')",
                                 [now_iso(), os.getpid()])
    assert cursor.lastrowid is not None  # an INSERT sets it
    return cursor.lastrowid


def finish_run(db: Database, run_id: int, status: RunStatus, summary: dict[str, Any]) -> None:
    with write_transaction(db):
        db.conn.execute("UPDATE poll_runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                        [now_iso(), status, json.dumps(summary, ensure_ascii=False), run_id])


def articles_to_retry(db: Database, max_attempts: int, limit: int = 200) -> list[dict[str, Any]]:
    """Feed articles whose page extraction failed and may be tried again (oldest first)."""
    cursor = db.conn.execute(
        "SELECT id, url, feed_id, title, text, summary, extraction_status, extraction_attempts, language, "
        "(SELECT url FROM feeds WHERE feeds.id = articles.feed_id) AS feed_url FROM articles "
        "WHERE origin = 'feed' AND url IS NOT NULL AND extraction_error IS NOT NULL "
        "AND extraction_status IN ('failed', 'feed_content', 'summary') AND extraction_attempts < ? "
        "ORDER BY id LIMIT ?", [max_attempts, limit])
    return dict_rows(cursor)


def update_extraction(db: Database, article_id: int, *, text: str | None, status: ExtractionStatus, error: str | None,
                      content_hash: str | None = None, author: str | None = None, language: str | None = None,
                      figures: Sequence[Figure] | None = None) -> None:
    """Store a retried extraction: the new text when there is one (with the figures read from it),
    else only the attempt.

    New text also releases the article to the clusterer (its placement was decided on the
    feed's summary): the next clustering run places it again by its page text."""
    with write_transaction(db):
        if text is None:
            db.conn.execute("UPDATE articles SET extraction_attempts = extraction_attempts + 1, extraction_error = ? "
                            "WHERE id = ?", [error, article_id])
        else:
            db.conn.execute(
                "UPDATE articles SET text = ?, extraction_status = ?, extraction_error = ?, content_hash = ?, "
                "author = COALESCE(author, ?), language = COALESCE(language, ?), "
                "extraction_attempts = extraction_attempts + 1 WHERE id = ?",
                [text, status, error, content_hash, author, language, article_id])
            if figures is not None and content_hash is not None:
                insert_figures(db, article_id, content_hash, figures)
            release_for_reclustering(db, article_id)
