"""Notes on events and articles: read the latest, edit it in place, delete it (each undoable).

`n` on a target that already has a note edits that note rather than adding a second one; an
edit to empty text deletes it. Adding a note stays in `triage.add_note`.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from monitor.store.db import write_transaction
from monitor.store.triage import TriageError, TriageResult, log_action, target_column
from monitor.timeutil import now_iso


@dataclass(frozen=True)
class Note:
    id: int
    body: str
    updated_at: str


def notes_of(db: Database, kind: str, target_id: int) -> list[Note]:
    """A target's notes, oldest first."""
    column = target_column(kind)
    return [Note(*r) for r in db.conn.execute(
        f"SELECT id, body, updated_at FROM notes WHERE {column} = ? ORDER BY id", [target_id])]


def latest_note(db: Database, kind: str, target_id: int) -> Note | None:
    notes = notes_of(db, kind, target_id)
    return notes[-1] if notes else None


def edit_note(db: Database, kind: str, target_id: int, note_id: int, body: str) -> TriageResult:
    """Replace a note's text; empty text deletes the note."""
    body = body.strip()
    column = target_column(kind)
    with write_transaction(db):
        row = db.conn.execute(f"SELECT id, article_id, cluster_id, body, created_at, updated_at FROM notes "
                              f"WHERE id = ? AND {column} = ?", [note_id, target_id]).fetchone()
        if row is None:
            raise TriageError(f"no note {note_id} on {kind} {target_id}")
        if not body:
            db.conn.execute("DELETE FROM notes WHERE id = ?", [note_id])
            log_action(db, "note_delete", kind, target_id, {"row": list(row)})
            return TriageResult("note_delete", kind, target_id, "Deleted note")
        if body != row[3]:
            db.conn.execute("UPDATE notes SET body = ?, updated_at = ? WHERE id = ?", [body, now_iso(), note_id])
            log_action(db, "note_edit", kind, target_id, {"note_id": note_id, "before": row[3],
                                                            "updated_at": row[5]})
    return TriageResult("note_edit", kind, target_id, "Edited note")


def delete_note(db: Database, kind: str, target_id: int, note_id: int) -> TriageResult:
    return edit_note(db, kind, target_id, note_id, "")
