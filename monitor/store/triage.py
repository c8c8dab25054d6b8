"""Triage writes: read/unread, star, dismiss, tags, notes, lock, merge, move out, and undo.

Each action commits at once in its own short transaction together with a `triage_log` row that
holds what undo needs, so quitting or a crash loses nothing and the last action can be reversed.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from sqlite_utils import Database

from monitor.errors import MonitorError
from monitor.store import clusters as cluster_store, corrections
from monitor.store.db import write_transaction
from monitor.text.plural import counted
from monitor.timeutil import now_iso
from monitor.vocab import TRIAGE_STATUSES, TargetKind

KINDS: dict[TargetKind, str] = {"article": "articles", "cluster": "clusters"}  # kind -> its table
STATUSES = TRIAGE_STATUSES
BULK_ACTION = "bulk"  # store/bulk.py: one status for many events, undone as one step
GROUP_ACTION = "group"  # one_step(): several logged actions (on marked rows), undone as one step


class TriageError(MonitorError):
    """An action that cannot be done (unknown target, nothing to undo, missing correction API)."""


@dataclass(frozen=True)
class TriageResult:
    action: str
    kind: str
    target_id: int
    message: str
    undone: str = ""  # undo_last: the action it reversed, in words ("starred", "marked 3 events read")


def _table(kind: str) -> str:
    if kind not in KINDS:
        raise TriageError(f"unknown target kind {kind!r}")
    return KINDS[kind]


def _get(db: Database, kind: str, target_id: int, column: str) -> Any:
    row = db.conn.execute(f"SELECT {column} FROM {_table(kind)} WHERE id = ?", [target_id]).fetchone()
    if row is None:
        raise TriageError(f"no {kind} {target_id}")
    return row[0]


def target_column(kind: str) -> str:
    """The column naming a target in link tables and notes: article_id or cluster_id."""
    _table(kind)
    return f"{kind}_id"


def _log(db: Database, action: str, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    db.conn.execute("INSERT INTO triage_log (at, action, target_kind, target_id, payload) VALUES (?, ?, ?, ?, ?)",
                    [now_iso(), action, kind, target_id, json.dumps(payload, ensure_ascii=False)])


def _set_column(db: Database, action: str, kind: str, target_id: int, column: str, value: Any) -> Any:
    with write_transaction(db):
        before = _get(db, kind, target_id, column)
        db.conn.execute(f"UPDATE {_table(kind)} SET {column} = ? WHERE id = ?", [value, target_id])
        _log(db, action, kind, target_id, {"column": column, "before": before, "after": value})
    return before


def set_status(db: Database, kind: str, target_id: int, status: str) -> TriageResult:
    if status not in STATUSES:
        raise TriageError(f"unknown status {status!r}")
    _set_column(db, f"status:{status}", kind, target_id, "status", status)
    return TriageResult(f"status:{status}", kind, target_id, f"{kind} {target_id} marked {status}")


# Toggles read the current value inside the transaction that writes the new one: two writers
# toggling at once (dashboard and CLI) then serialise instead of both writing the same value.

def toggle_read(db: Database, kind: str, target_id: int) -> TriageResult:
    with write_transaction(db):
        current = _get(db, kind, target_id, "status")
        return set_status(db, kind, target_id, "new" if current == "read" else "read")


def toggle_dismiss(db: Database, kind: str, target_id: int) -> TriageResult:
    with write_transaction(db):
        current = _get(db, kind, target_id, "status")
        return set_status(db, kind, target_id, "new" if current == "dismissed" else "dismissed")


def toggle_star(db: Database, kind: str, target_id: int) -> TriageResult:
    with write_transaction(db):
        value = 0 if _get(db, kind, target_id, "starred") else 1
        _set_column(db, "star", kind, target_id, "starred", value)
    return TriageResult("star", kind, target_id, f"{kind} {target_id} {'starred' if value else 'unstarred'}")


def mark_seen(db: Database, cluster_id: int) -> None:
    """The analyst looked at the cluster: its current size is no longer 'new growth' (not undoable)."""
    with write_transaction(db):
        db.conn.execute("UPDATE clusters SET seen_size = size WHERE id = ? AND seen_size != size", [cluster_id])


def _tag_id(db: Database, name: str) -> int:
    db.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", [name])
    return db.conn.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()[0]


def add_tag(db: Database, kind: str, target_id: int, name: str) -> TriageResult:
    name = " ".join(name.split())
    if not name:
        raise TriageError("empty tag")
    link = f"{kind}_tags"
    with write_transaction(db):
        _get(db, kind, target_id, "id")
        tag_id = _tag_id(db, name)
        cursor = db.conn.execute(f"INSERT OR IGNORE INTO {link} ({kind}_id, tag_id) VALUES (?, ?)", [target_id, tag_id])
        if cursor.rowcount:
            _log(db, "tag", kind, target_id, {"tag_id": tag_id, "name": name})
    return TriageResult("tag", kind, target_id, f"tagged {kind} {target_id} '{name}'")


def remove_tag(db: Database, kind: str, target_id: int, name: str) -> TriageResult:
    with write_transaction(db):
        row = db.conn.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()
        if row and db.conn.execute(f"DELETE FROM {kind}_tags WHERE {kind}_id = ? AND tag_id = ?",
                                   [target_id, row[0]]).rowcount:
            _log(db, "untag", kind, target_id, {"tag_id": row[0], "name": name})
    return TriageResult("untag", kind, target_id, f"removed tag '{name}' from {kind} {target_id}")


def add_note(db: Database, kind: str, target_id: int, body: str) -> TriageResult:
    body = body.strip()
    if not body:
        raise TriageError("empty note")
    now = now_iso()
    with write_transaction(db):
        _get(db, kind, target_id, "id")
        cursor = db.conn.execute(f"INSERT INTO notes ({kind}_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
                                 [target_id, body, now, now])
        _log(db, "note", kind, target_id, {"note_id": cursor.lastrowid})
    return TriageResult("note", kind, target_id, f"note added to {kind} {target_id}")


log_action = _log  # the other triage modules (bulk, notes, tags) log through the same rule


@dataclass
class Step:
    words: str = "several changes"  # the step as the analyst was told it ("starred 3 events")


@contextmanager
def one_step(db: Database) -> Iterator[Step]:
    """The actions logged inside are one step for undo: their log rows become one `group` row that
    `undo_last` reverses last first, named by the words the caller sets on the step. One action
    alone keeps its own row."""
    step = Step()
    with write_transaction(db):
        last = db.conn.execute("SELECT coalesce(max(id), 0) FROM triage_log").fetchone()[0]
        yield step
        rows = db.conn.execute("SELECT id, action, target_kind, target_id, payload FROM triage_log "
                               "WHERE id > ? ORDER BY id", [last]).fetchall()
        if len(rows) > 1:
            db.conn.execute("DELETE FROM triage_log WHERE id > ?", [last])
            steps = [[action, kind, target_id, json.loads(payload)] for _, action, kind, target_id, payload in rows]
            _log(db, GROUP_ACTION, rows[0][2], rows[0][3], {"words": step.words, "steps": steps})


def toggle_lock(db: Database, cluster_id: int) -> TriageResult:
    with write_transaction(db):
        before = bool(_get(db, "cluster", cluster_id, "locked"))
        corrections.set_locked(db, cluster_id, not before)
        _log(db, "lock", "cluster", cluster_id, {"before": before})
    return TriageResult("lock", "cluster", cluster_id, f"cluster {cluster_id} {'unlocked' if before else 'locked'}")


def merge(db: Database, target_id: int, source_id: int) -> TriageResult:
    if target_id == source_id:
        raise TriageError("pick two different clusters to merge")
    with write_transaction(db):
        undo = {"source_id": source_id, "members": cluster_store.assignment_states(db, cluster_id=source_id),
                "source_links": cluster_store.corpus_links_of(db, source_id),
                "target_links": cluster_store.corpus_links_of(db, target_id)}
        corrections.merge_clusters(db, target_id, source_id)
        _log(db, "merge", "cluster", target_id, undo)
    return TriageResult("merge", "cluster", target_id, f"merged cluster {source_id} into {target_id}")


def move_out(db: Database, article_id: int) -> TriageResult:
    with write_transaction(db):
        before = cluster_store.assignment_states(db, article_id=article_id)
        new_cluster = corrections.move_out(db, article_id)
        _log(db, "move_out", "article", article_id, {"from_cluster": before[0]["cluster_id"] if before else None,
                                                      "to_cluster": new_cluster, "before": before[0] if before else None})
    return TriageResult("move_out", "article", article_id, f"article {article_id} moved into its own cluster")


def decide_proposal(db: Database, article_id: int, accept: bool) -> TriageResult:
    """Accept or reject an article the clusterer proposed to a locked event (undoable)."""
    with write_transaction(db):
        before = cluster_store.assignment_states(db, article_id=article_id)
        if not before or not before[0]["proposed"]:
            raise TriageError(f"article {article_id} is not proposed to an event")
        where = corrections.accept_proposal(db, article_id) if accept else corrections.reject_proposal(db, article_id)
        _log(db, "proposal", "article", article_id, {"before": before[0], "to_cluster": where})
    verb = f"accepted into cluster {where}" if accept else f"rejected: moved into its own cluster {where}"
    return TriageResult("proposal", "article", article_id, f"article {article_id} {verb}")


def _undo_column(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    column = payload["column"]
    if column not in ("status", "starred"):
        raise TriageError(f"cannot undo a change of {column}")
    db.conn.execute(f"UPDATE {_table(kind)} SET {column} = ? WHERE id = ?", [payload["before"], target_id])


def _undo_tag(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    db.conn.execute(f"DELETE FROM {kind}_tags WHERE {kind}_id = ? AND tag_id = ?", [target_id, payload["tag_id"]])


def _undo_untag(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    db.conn.execute(f"INSERT OR IGNORE INTO {kind}_tags ({kind}_id, tag_id) VALUES (?, ?)", [target_id, payload["tag_id"]])


def _undo_note(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    db.conn.execute("DELETE FROM notes WHERE id = ?", [payload["note_id"]])


def _undo_lock(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    corrections.set_locked(db, target_id, bool(payload["before"]))


def _undo_merge(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    if "members" not in payload:
        raise TriageError("this merge was recorded before merges could be undone; split it by hand")
    try:
        corrections.undo_merge(db, target_id, payload["source_id"], payload["members"],
                                  payload["source_links"], payload["target_links"])
    except corrections.CorrectionError as exc:  # the clusters changed since
        raise TriageError(str(exc)) from None


def _undo_move_out(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    if not payload.get("before"):
        raise TriageError("this move was recorded before moves could be undone; merge it back by hand")
    try:
        corrections.undo_move_out(db, target_id, payload["before"])
    except corrections.CorrectionError as exc:
        raise TriageError(str(exc)) from None


def _undo_bulk(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    db.conn.executemany("UPDATE clusters SET status = ?, seen_size = ? WHERE id = ?",
                        [(status, seen, cluster_id) for cluster_id, status, seen in payload["rows"]])


def _undo_group(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    for action, step_kind, step_target, step_payload in reversed(payload["steps"]):
        _UNDO[action](db, step_kind, step_target, step_payload)


def _undo_note_edit(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    db.conn.execute("UPDATE notes SET body = ?, updated_at = ? WHERE id = ?",
                    [payload["before"], payload["updated_at"], payload["note_id"]])


def _undo_note_delete(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    db.conn.execute("INSERT INTO notes (id, article_id, cluster_id, body, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", payload["row"])


def _undo_tag_delete(db: Database, kind: str, target_id: int, payload: dict[str, Any]) -> None:
    db.conn.execute("INSERT INTO tags (id, name) VALUES (?, ?)", [target_id, payload["name"]])
    for link in ("article", "cluster"):
        db.conn.executemany(f"INSERT OR IGNORE INTO {link}_tags ({link}_id, tag_id) VALUES (?, ?)",
                            [(i, target_id) for i in payload[link]])


_UNDO: dict[str, Callable[[Database, str, int, dict[str, Any]], None]] = {
    BULK_ACTION: _undo_bulk, GROUP_ACTION: _undo_group, "note_edit": _undo_note_edit, "note_delete": _undo_note_delete,
    "tag_delete": _undo_tag_delete,
    "star": _undo_column, "tag": _undo_tag, "untag": _undo_untag, "note": _undo_note, "lock": _undo_lock,
    "merge": _undo_merge, "move_out": _undo_move_out, "proposal": _undo_move_out,
    **{f"status:{s}": _undo_column for s in STATUSES},
}


_STATUS_WORDS = {"read": "marked read", "new": "marked unread", "dismissed": "dismissed"}


def _undone_words(action: str, payload: dict[str, Any]) -> str:
    """A logged action in words, as the analyst was told it ("starred", "tagged 'kharkiv'")."""
    if action == "star":
        return "starred" if payload.get("after") else "unstarred"
    if action == "lock":
        return "unlocked" if payload.get("before") else "locked"
    if action.startswith("status:"):
        return _STATUS_WORDS.get(action.partition(":")[2], action)
    if action == GROUP_ACTION:
        return str(payload.get("words", "several changes"))
    if action == BULK_ACTION:
        rows, status = payload.get("rows", []), payload.get("status", "")
        events = counted(len(rows), "event")
        return f"marked {events} read" if status == "read" else f"dismissed {events}"
    named = {"tag": "tagged '{name}'", "untag": "removed the tag '{name}'", "tag_delete": "deleted the tag '{name}' everywhere",
             "merge": "merged event {source_id} into it", "note": "added a note", "note_edit": "edited the note",
             "note_delete": "deleted the note", "move_out": "moved out into its own event",
             "proposal": "decided on the proposed article"}
    words = named.get(action, action)
    return words.format(name=payload.get("name", ""), source_id=payload.get("source_id", "?"))


def undo_last(db: Database) -> TriageResult:
    """Reverse the most recent triage action not yet undone (merges and move-outs included)."""
    with write_transaction(db):
        row = db.conn.execute("SELECT id, action, target_kind, target_id, payload FROM triage_log "
                              "WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            raise TriageError("nothing to undo")
        log_id, action, kind, target_id, payload = row
        undo = _UNDO.get(action)
        if undo is None:
            raise TriageError(f"'{action}' cannot be undone; correct it by hand")
        logged = json.loads(payload)
        undo(db, kind, target_id, logged)
        db.conn.execute("UPDATE triage_log SET undone = 1 WHERE id = ?", [log_id])
    many = action in (BULK_ACTION, GROUP_ACTION)  # many targets: not the one its log row names
    return TriageResult("undo", BULK_ACTION if many else kind, target_id, f"undid {action} on {kind} {target_id}",
                        undone=_undone_words(action, logged))
