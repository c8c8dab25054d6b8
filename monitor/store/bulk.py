"""Bulk triage for the dashboard: one state for every event in a view, and reading order.

A bulk change is one `triage_log` row holding each event's state before it (status and the seen
size), so `u` undoes the whole change as one step, as it undoes a single toggle.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

from sqlite_utils import Database

from monitor.store.db import IN_LIST, as_list, write_transaction
from monitor.store.triage import BULK_ACTION, log_action
from monitor.store.views import PROPOSING
from monitor.text.plural import counted

BulkStatus = Literal["read", "dismissed"]


@dataclass(frozen=True)
class BulkResult:
    status: BulkStatus
    changed: int
    message: str


def set_events_status(db: Database, ids: Sequence[int], status: BulkStatus) -> BulkResult:
    """Give every listed event `status` (read also clears its growth mark); logged as one step."""
    if status not in ("read", "dismissed"):
        raise ValueError(f"unknown bulk status {status!r}")
    with write_transaction(db):
        before = db.conn.execute(
            f"SELECT id, status, seen_size FROM clusters WHERE id IN {IN_LIST} "
            "AND (status != ? OR (? = 'read' AND seen_size != size))", [as_list(ids), status, status]).fetchall()
        changed = [r[0] for r in before]
        if changed:
            seen = "size" if status == "read" else "seen_size"
            db.conn.execute(f"UPDATE clusters SET status = ?, seen_size = {seen} "
                            f"WHERE id IN {IN_LIST}", [status, as_list(changed)])
            log_action(db, BULK_ACTION, "cluster", changed[0],
                       {"status": status, "rows": [[r[0], r[1], r[2]] for r in before]})
    verb = "Marked read" if status == "read" else "Dismissed"
    return BulkResult(status, len(changed), f"{verb}: {counted(len(changed), 'event')}")


def older_than(db: Database, ids: Sequence[int], cluster_id: int) -> list[int]:
    """The events of `ids` whose last activity is before that of `cluster_id` (in `ids`' order)."""
    rows = db.conn.execute(
        f"SELECT c.id FROM clusters c, clusters x WHERE x.id = ? AND c.id IN {IN_LIST} "
        "AND coalesce(c.last_seen, c.updated_at) < coalesce(x.last_seen, x.updated_at)",
        [cluster_id, as_list(ids)]).fetchall()
    older = {r[0] for r in rows}
    return [i for i in ids if i in older]


def unread_events(db: Database, ids: Sequence[int]) -> set[int]:
    """Which of `ids` are unread: never marked read, grown since the analyst last opened them, or
    locked with an article proposed to them waiting."""
    rows = db.conn.execute(
        f"SELECT id FROM clusters c WHERE id IN {IN_LIST} AND status != 'dismissed' "
        f"AND (status = 'new' OR size > seen_size OR {PROPOSING})", [as_list(ids)]).fetchall()
    return {r[0] for r in rows}


def next_unread(db: Database, ids: Sequence[int], start: int, step: Literal[1, -1], chunk: int = 200) -> int | None:
    """The index in `ids` of the first unread event from `start` (inclusive) in direction `step`.

    Looked up a chunk at a time: the next unread event is usually near, and one query over a view of
    10k events would cost more than a keypress may take."""
    index = start
    while 0 <= index < len(ids):
        window = ids[index:index + chunk] if step > 0 else ids[max(0, index - chunk + 1):index + 1][::-1]
        unread = unread_events(db, window)
        for offset, cluster_id in enumerate(window):
            if cluster_id in unread:
                return index + offset * step
        index += len(window) * step
    return None
