"""Triage on marked rows (store/marked.py): one way for the whole set, one step for `undo_last`."""
from __future__ import annotations

from monitor.store.marked import merge_marked, set_articles_read, tag_marked, toggle_marked
from monitor.store.triage import undo_last
from tests.store.test_bulk_notes_tags import events


def column(db, table, ids, name):
    return [db.conn.execute(f"SELECT {name} FROM {table} WHERE id = ?", [i]).fetchone()[0] for i in ids]


def members(db, cluster_id):
    return [r[0] for r in db.conn.execute("SELECT article_id FROM assignments WHERE cluster_id = ? ORDER BY article_id",
                                          [cluster_id])]


def test_star_read_dismiss_go_one_way_for_the_set_and_undo_in_one_step(db):
    ids = events(db, 4)
    marked = ids[:3]
    db.conn.execute("UPDATE clusters SET starred = 1 WHERE id = ?", [ids[0]])
    db.conn.commit()
    result = toggle_marked(db, "cluster", marked, "star")  # one is starred: all get starred
    assert result.changed == 2 and result.message == "Starred 3 marked events"
    assert column(db, "clusters", ids, "starred") == [1, 1, 1, 0]
    assert undo_last(db).undone == "starred 3 marked events"
    assert column(db, "clusters", ids, "starred") == [1, 0, 0, 0]  # the whole step undone, not one row
    toggle_marked(db, "cluster", marked, "star")
    assert toggle_marked(db, "cluster", marked, "star").message == "Unstarred 3 marked events"  # all were: off
    assert column(db, "clusters", ids, "starred") == [0, 0, 0, 0]
    toggle_marked(db, "cluster", marked, "read")
    assert column(db, "clusters", ids, "status") == ["read", "read", "read", "new"]
    assert toggle_marked(db, "cluster", marked, "read").message == "Marked unread 3 marked events"
    assert column(db, "clusters", ids, "status") == ["new"] * 4
    toggle_marked(db, "cluster", marked, "dismiss")
    undo_last(db)
    assert column(db, "clusters", ids, "status") == ["new"] * 4


def test_articles_tagged_and_read_as_a_set(db):
    ids = events(db, 3)
    articles = [members(db, c)[0] for c in ids]
    result = tag_marked(db, "article", articles[:2], "  glide  bomb ")
    assert result.message == "Tagged 2 marked articles ('glide bomb')"
    tagged = db.conn.execute("SELECT count(*) FROM article_tags").fetchone()[0]
    assert tagged == 2
    undo_last(db)
    assert db.conn.execute("SELECT count(*) FROM article_tags").fetchone()[0] == 0
    assert set_articles_read(db, articles).message == "Marked read: 3 articles"
    assert column(db, "articles", articles, "status") == ["read"] * 3
    assert undo_last(db).undone == "marked 3 articles read"
    assert column(db, "articles", articles, "status") == ["new"] * 3


def test_marked_events_merge_into_the_one_under_the_cursor_and_split_again_in_one_step(db):
    ids = events(db, 4)
    before = {c: members(db, c) for c in ids}
    result = merge_marked(db, ids[0], [ids[1], ids[2], ids[0]])
    assert result.changed == 2 and result.message == "Merged 2 marked events into this one"
    assert members(db, ids[0]) == sorted(before[ids[0]] + before[ids[1]] + before[ids[2]])
    assert undo_last(db).undone == "merged 2 marked events into one"
    assert {c: members(db, c) for c in ids} == before


def test_a_marked_event_merged_away_since_is_left_out_and_named(db):
    ids = events(db, 3)
    merge_marked(db, ids[2], [ids[1]])  # the clusterer (or another desk) merged it meanwhile
    result = toggle_marked(db, "cluster", [ids[0], ids[1]], "star")
    assert result.gone == (ids[1],) and result.message == "Starred 1 marked event (left out, merged away since marked: 1 event)"
    assert column(db, "clusters", ids, "starred") == [1, 0, 0]
