"""Bulk triage, note edits and tag deletion in the store: each is one step for `undo_last`."""
from __future__ import annotations

import pytest

from monitor.models import Article
from monitor.store import write_transaction
from monitor.store.articles import content_hash, insert_article
from monitor.store.bulk import next_unread, older_than, set_events_status
from monitor.store.clusters import create_cluster, refresh_aggregates, save_assignments
from monitor.store.notes import edit_note, latest_note
from monitor.store.tags import delete_tag
from monitor.store.triage import TriageError, add_note, add_tag, undo_last


def events(db, count: int) -> list[int]:
    """`count` one-article events, the first the newest (last seen hours apart)."""
    ids = []
    with write_transaction(db):
        for i in range(count):
            title = f"Event {i}"
            article = insert_article(db, Article(origin="feed", title=title, text=f"text {i}",
                                                 content_hash=content_hash(title, str(i)),
                                                 published_at=f"2026-11-21T{20 - i:02d}:00:00Z"))
            cluster = create_cluster(db, None, "event")
            save_assignments(db, [(article, cluster, None, 0.5, None, "[]", "test")])
            ids.append(cluster)
        refresh_aggregates(db, ids)
    return ids


def state(db, ids):
    return [tuple(r) for r in db.conn.execute(
        "SELECT status, seen_size = size FROM clusters WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
        [str(ids)])]


def test_a_bulk_change_is_one_undo_step(db):
    ids = events(db, 6)
    db.conn.execute("UPDATE clusters SET status = 'dismissed' WHERE id = ?", [ids[5]])
    db.conn.commit()
    before = state(db, ids)
    result = set_events_status(db, ids[:5], "read")
    assert result.changed == 5 and result.message == "Marked read: 5 events"
    assert state(db, ids[:5]) == [("read", 1)] * 5
    assert set_events_status(db, ids[:5], "read").changed == 0  # nothing left to change, nothing logged
    assert db.conn.execute("SELECT count(*) FROM triage_log").fetchone()[0] == 1
    undo_last(db)
    assert state(db, ids) == before
    set_events_status(db, ids, "dismissed")
    assert state(db, ids)[0][0] == "dismissed"
    undo_last(db)
    assert state(db, ids) == before


def test_older_than_and_next_unread_follow_the_view(db):
    ids = events(db, 8)  # newest first
    assert older_than(db, ids, ids[2]) == ids[3:]
    db.conn.execute("UPDATE clusters SET status = 'read', seen_size = size WHERE id != ?", [ids[6]])
    db.conn.commit()
    assert next_unread(db, ids, 0, 1, chunk=3) == 6  # found in the third chunk
    assert next_unread(db, ids, 7, -1, chunk=2) == 6
    assert next_unread(db, ids, 5, -1) is None
    db.conn.execute("UPDATE clusters SET size = size + 1 WHERE id = ?", [ids[1]])  # grown since opened
    db.conn.commit()
    assert next_unread(db, ids, 0, 1) == 1


def test_a_note_is_edited_in_place_deleted_when_emptied_and_both_undone(db):
    cluster = events(db, 1)[0]
    add_note(db, "cluster", cluster, "check the source")
    note = latest_note(db, "cluster", cluster)
    edit_note(db, "cluster", cluster, note.id, "check the source twice")
    assert [r[0] for r in db.conn.execute("SELECT body FROM notes")] == ["check the source twice"]
    undo_last(db)
    assert latest_note(db, "cluster", cluster).body == "check the source"
    assert edit_note(db, "cluster", cluster, note.id, "  ").action == "note_delete"
    assert latest_note(db, "cluster", cluster) is None
    undo_last(db)
    assert latest_note(db, "cluster", cluster) == note
    with pytest.raises(TriageError):
        edit_note(db, "article", cluster, note.id, "not this target's note")


def test_a_tag_deleted_everywhere_comes_back_with_its_links(db):
    ids = events(db, 3)
    article = db.conn.execute("SELECT article_id FROM assignments WHERE cluster_id = ?", [ids[0]]).fetchone()[0]
    for cluster in ids[:2]:
        add_tag(db, "cluster", cluster, "kh")
    add_tag(db, "article", article, "kh")
    assert delete_tag(db, "kh").message == "Deleted tag 'kh' from 2 events and 1 article"  # "from 3 targets"
    assert db.conn.execute("SELECT count(*) FROM tags").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(*) FROM cluster_tags").fetchone()[0] == 0
    undo_last(db)
    assert sorted(r[0] for r in db.conn.execute("SELECT cluster_id FROM cluster_tags")) == sorted(ids[:2])
    assert db.conn.execute("SELECT article_id FROM article_tags").fetchall() == [(article,)]
    with pytest.raises(TriageError):
        delete_tag(db, "no such tag")
    add_tag(db, "cluster", ids[2], "once")
    assert delete_tag(db, "once").message == "Deleted tag 'once' from 1 event"  # "from 1 targets"
