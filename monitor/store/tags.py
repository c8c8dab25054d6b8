"""Deleting a tag everywhere (a junk tag saved by mistake), undoable like every triage action."""
from __future__ import annotations

from sqlite_utils import Database

from monitor.store.db import write_transaction
from monitor.store.triage import TriageError, TriageResult, log_action
from monitor.text.plural import counted


def delete_tag(db: Database, name: str) -> TriageResult:
    """Remove the tag and every link to it; undo restores the tag with the same links."""
    name = " ".join(name.split())
    with write_transaction(db):
        row = db.conn.execute("SELECT id, name FROM tags WHERE name = ?", [name]).fetchone()
        if row is None:
            raise TriageError(f"no tag '{name}'")
        tag_id = row[0]
        links = {link: [r[0] for r in db.conn.execute(f"SELECT {link}_id FROM {link}_tags WHERE tag_id = ?",
                                                        [tag_id])] for link in ("article", "cluster")}
        db.conn.execute("DELETE FROM article_tags WHERE tag_id = ?", [tag_id])
        db.conn.execute("DELETE FROM cluster_tags WHERE tag_id = ?", [tag_id])
        db.conn.execute("DELETE FROM tags WHERE id = ?", [tag_id])
        log_action(db, "tag_delete", "tag", tag_id, {"name": row[1], **links})
    where = " and ".join(counted(len(links[link]), noun) for link, noun in (("cluster", "event"), ("article", "article"))
                         if links[link]) or "no event or article"
    return TriageResult("tag_delete", "tag", tag_id, f"Deleted tag '{row[1]}' from {where}")
