"""Identities for articles clustered before they were stored: a slice at a time, newest first.

Opening an old database computes nothing (the migration only sets a mark); each poll, and the
dashboard's start, computes one slice after clustering, so the events an analyst is looking
at get their who and where first and no run pays for the whole history at once.
"""
from __future__ import annotations

from sqlite_utils import Database

from monitor.cluster.identity import IDENTITY_RULE, identify
from monitor.store.db import write_transaction
from monitor.store.identity import backfill_mark, backfill_sources, lower_backfill_mark, save_identities

SLICE = 1000  # about a second of work on one core


def backfill_identities(db: Database, limit: int = SLICE) -> int:
    """Compute and store one slice of missing identities; how many were stored (0 once done)."""
    below = backfill_mark(db)
    if below <= 0:
        return 0
    sources = backfill_sources(db, below, limit)
    found = {s.article_id: identify(s.title, s.text, s.language) for s in sources}
    with write_transaction(db):
        save_identities(db, found, rule=IDENTITY_RULE.version)
        lower_backfill_mark(db, sources[-1].article_id if len(sources) == limit else 0)
    return len(found)
