"""Triage on the rows the analyst marked (the dashboard's `space`): read, star, dismiss, tag, untag
and merge applied to every marked event or article at once, each change one step for `u`.

Read, star and dismiss go one way for the whole set, as a mail client's do: on when any marked row
is off (mark read, star, dismiss), off when all are on. Marked rows that no longer exist (merged
away by the clusterer since they were marked) are left out and named in the result.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

from sqlite_utils import Database

from monitor.store import bulk, triage
from monitor.store.clusters import live_cluster
from monitor.store.db import IN_LIST, as_list, write_transaction
from monitor.text.plural import counted
from monitor.vocab import TargetKind

Toggle = Literal["read", "star", "dismiss"]
_NOUN = {"cluster": "event", "article": "article"}


@dataclass(frozen=True)
class MarkedResult:
    changed: int
    message: str  # the toast: "Starred 3 marked events"
    gone: tuple[int, ...] = ()  # marked ids that no longer exist: the caller unmarks them


def _live(db: Database, kind: TargetKind, ids: Sequence[int]) -> tuple[list[int], tuple[int, ...]]:
    """(the ids that still exist, in order; those that do not)."""
    if kind == "cluster":
        live = [i for i in ids if live_cluster(db, i)]
    else:
        found = {r[0] for r in db.conn.execute(f"SELECT id FROM articles WHERE id IN {IN_LIST}", [as_list(ids)])}
        live = [i for i in ids if i in found]
    kept = set(live)
    return live, tuple(i for i in ids if i not in kept)


def _values(db: Database, kind: TargetKind, ids: Sequence[int], column: str) -> dict[int, object]:
    table = triage.KINDS[kind]
    return {r[0]: r[1] for r in db.conn.execute(f"SELECT id, {column} FROM {table} WHERE id IN {IN_LIST}",
                                                 [as_list(ids)])}


def _message(verb: str, count: int, kind: TargetKind, gone: tuple[int, ...], detail: str = "") -> str:
    text = f"{verb} {counted(count, 'marked ' + _NOUN[kind])}{detail}"
    if gone:
        text += f" (left out, merged away since marked: {counted(len(gone), _NOUN[kind])})"
    return text


def toggle_marked(db: Database, kind: TargetKind, ids: Sequence[int], what: Toggle) -> MarkedResult:
    """Read / star / dismiss every marked row, or undo that for all when every one has it already."""
    with triage.one_step(db) as step:
        live, gone = _live(db, kind, ids)
        if what == "star":
            values = _values(db, kind, live, "starred")
            on = not all(values.get(i) for i in live)
            changing = [i for i in live if bool(values.get(i)) != on]
            for target in changing:
                triage.toggle_star(db, kind, target)
            changed = len(changing)
            verb = "Starred" if on else "Unstarred"
        else:
            status: bulk.BulkStatus = "read" if what == "read" else "dismissed"
            values = _values(db, kind, live, "status")
            on = not all(values.get(i) == status for i in live)
            if on and kind == "cluster":  # as A does: read also clears an event's growth mark
                changed = bulk.set_events_status(db, live, status).changed
            else:
                changing = [i for i in live if (values.get(i) == status) != on]
                for target in changing:
                    triage.set_status(db, kind, target, status if on else "new")
                changed = len(changing)
            verb = {("read", True): "Marked read", ("read", False): "Marked unread",
                    ("dismiss", True): "Dismissed", ("dismiss", False): "Restored"}[(what, on)]
        step.words = f"{verb.lower()} {counted(len(live), 'marked ' + _NOUN[kind])}"
    return MarkedResult(changed, _message(verb, len(live), kind, gone), gone)


def tag_marked(db: Database, kind: TargetKind, ids: Sequence[int], name: str, *, remove: bool = False) -> MarkedResult:
    """Give every marked row the tag (or take it from each that has it)."""
    with triage.one_step(db) as step:
        live, gone = _live(db, kind, ids)
        for target in live:
            if remove:
                triage.remove_tag(db, kind, target, name.strip())
            else:
                triage.add_tag(db, kind, target, name)
        verb = "Removed the tag from" if remove else "Tagged"
        detail = f" ('{' '.join(name.split())}')"
        step.words = f"{verb.lower()} {counted(len(live), 'marked ' + _NOUN[kind])}{detail}"
    return MarkedResult(len(live), _message(verb, len(live), kind, gone, detail), gone)


def set_articles_read(db: Database, ids: Sequence[int]) -> MarkedResult:
    """Every listed article read (`A` in the Articles pane: the event's whole list), one step."""
    with triage.one_step(db) as step:
        live, _ = _live(db, "article", ids)
        statuses = _values(db, "article", live, "status")
        changing = [i for i in live if statuses.get(i) != "read"]
        for target in changing:
            triage.set_status(db, "article", target, "read")
        step.words = f"marked {counted(len(changing), 'article')} read"
    return MarkedResult(len(changing), f"Marked read: {counted(len(changing), 'article')}")


def merge_marked(db: Database, target_id: int, ids: Sequence[int]) -> MarkedResult:
    """Merge every marked event into `target_id` (the one under the cursor), one step."""
    sources = [i for i in dict.fromkeys(ids) if i != target_id]
    with write_transaction(db):
        if not live_cluster(db, target_id):
            raise triage.TriageError(f"event {target_id} no longer exists: merged since")
        with triage.one_step(db) as step:
            live, gone = _live(db, "cluster", sources)
            for source in live:
                triage.merge(db, target_id, source)
            step.words = f"merged {counted(len(live), 'marked event')} into one"
    return MarkedResult(len(live), _message("Merged", len(live), "cluster", gone, " into this one"), gone)
