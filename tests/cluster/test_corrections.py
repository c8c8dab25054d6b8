"""Merge, move out, lock: corrections keep aggregates right and survive later clustering."""
from __future__ import annotations

import pytest

from monitor.cluster.assign import recluster
from monitor.store.corrections import CorrectionError, merge_clusters, move_out, set_locked

from .conftest import LEXICAL, add_article, assignment, cluster_of, cluster_row

QUAKE = ("A magnitude 7.1 earthquake struck off the coast of Hokkaido early on Monday, the Japan "
         "Meteorological Agency said, triggering a tsunami advisory for the northern island.")
FLOOD = ("Heavy rain flooded the centre of Valencia on Tuesday, closing schools and roads as emergency "
         "services rescued drivers trapped in their cars, regional authorities in Spain said.")


def _two_events(db, assign):
    quake = [add_article(db, "Strong earthquake hits off Hokkaido, tsunami advisory issued", QUAKE, host="a.example"),
             add_article(db, "Hokkaido earthquake: tsunami advisory for northern Japan", QUAKE, host="b.example"),
             add_article(db, "Japan issues tsunami advisory after Hokkaido quake",
                         "The Japan Meteorological Agency issued a tsunami advisory after a strong earthquake off "
                         "Hokkaido on Monday.", host="c.example")]
    flood = [add_article(db, "Floods hit Valencia, schools closed", FLOOD, host="a.example"),
             add_article(db, "Valencia floods: drivers rescued from cars", FLOOD, host="d.example")]
    assign()
    assert len({cluster_of(db, a) for a in quake}) == 1 and len({cluster_of(db, a) for a in flood}) == 1
    return quake, flood


def test_merge_move_out_and_lock_survive_reclustering(db, assign):
    quake, flood = _two_events(db, assign)
    q, f = cluster_of(db, quake[0]), cluster_of(db, flood[0])

    merge_clusters(db, q, f)
    assert cluster_row(db, q)["size"] == 5 and cluster_row(db, q)["source_count"] == 4
    assert cluster_row(db, f)["size"] == 0 and cluster_row(db, f)["merged_into"] == q
    assert assignment(db, flood[1])["method"] == "analyst"

    alone = move_out(db, quake[2])
    assert cluster_of(db, quake[2]) == alone != q
    assert cluster_row(db, alone)["size"] == 1 and cluster_row(db, q)["size"] == 4
    assert assignment(db, quake[2])["method"] == "analyst"

    set_locked(db, q, True)
    newcomer = add_article(db, "Second Hokkaido earthquake shakes northern Japan", QUAKE, host="e.example")
    assign()
    assert cluster_of(db, newcomer) == q and assignment(db, newcomer)["proposed"] == 1  # proposed, not filed
    assert cluster_row(db, q)["size"] == 4  # a locked cluster takes no automatic member until accepted

    recluster(db, LEXICAL)  # everything automatic is redone; corrections stay
    assert {cluster_of(db, a) for a in quake[:2] + flood} == {q}
    assert cluster_of(db, quake[2]) == alone
    assert cluster_row(db, q)["locked"] == 1 and cluster_row(db, q)["size"] == 4
    assert assignment(db, newcomer)["proposed"] == 1  # proposed again, never filed elsewhere


def test_moved_out_article_is_not_pulled_back(db, assign):
    quake, _ = _two_events(db, assign)
    home = cluster_of(db, quake[0])
    alone = move_out(db, quake[1])
    add_article(db, "Another report on the Hokkaido earthquake", QUAKE, host="f.example")
    assign()
    recluster(db, LEXICAL)
    assert cluster_of(db, quake[1]) == alone
    assert assignment(db, quake[1])["method"] == "analyst"
    assert cluster_of(db, quake[0]) != alone or home == alone
    sizes = db.conn.execute("SELECT sum(size) FROM clusters WHERE merged_into IS NULL").fetchone()[0]
    assert sizes == db.conn.execute("SELECT count(*) FROM assignments").fetchone()[0] == 6


def test_corrections_refuse_bad_targets(db, assign):
    quake, _ = _two_events(db, assign)
    with pytest.raises(CorrectionError):
        merge_clusters(db, cluster_of(db, quake[0]), cluster_of(db, quake[0]))
    with pytest.raises(CorrectionError):
        set_locked(db, 9999, True)


def test_undo_merge_keeps_later_arrivals_and_undo_move_out_follows_merges(db, assign):
    from monitor.store import triage

    quake, flood = _two_events(db, assign)
    q, f = cluster_of(db, quake[0]), cluster_of(db, flood[0])
    before = {a: assignment(db, a) for a in flood}
    triage.merge(db, q, f)
    later = add_article(db, "Valencia floods: schools stay closed", FLOOD, host="e.example")
    assign()
    assert cluster_of(db, later) == q  # joined the merged cluster automatically
    triage.undo_last(db)
    def kept(row):
        return {k: v for k, v in row.items() if k != "assigned_at"}

    assert {a: kept(assignment(db, a)) for a in flood} == {a: kept(row) for a, row in before.items()}
    assert cluster_row(db, f)["merged_into"] is None and cluster_row(db, f)["size"] == 2
    assert cluster_of(db, later) == q and cluster_row(db, q)["size"] == 4  # the later article stays
    with pytest.raises(triage.TriageError):
        triage.undo_last(db)  # nothing left: the merge was the only action

    triage.move_out(db, quake[1])
    triage.merge(db, f, q)  # the article's home is merged away before the move is undone
    triage.undo_last(db)  # undoes the merge
    triage.undo_last(db)  # undoes the move: home is q again
    assert cluster_of(db, quake[1]) == q and assignment(db, quake[1])["method"] == "auto"
    merged_home = cluster_of(db, quake[0])
    triage.move_out(db, quake[2])
    merge_clusters(db, f, merged_home)  # a correction outside the log: the home is now f
    triage.undo_last(db)
    assert cluster_of(db, quake[2]) == f


def test_new_text_releases_an_automatic_placement_but_not_the_analysts(db, assign):
    from monitor.store.clusters import release_for_reclustering
    from monitor.store.db import write_transaction

    quake, flood = _two_events(db, assign)
    q, f = cluster_of(db, quake[0]), cluster_of(db, flood[0])
    alone = move_out(db, quake[2])  # the analyst's placement
    with write_transaction(db):  # as update_extraction does when a page arrives on a retry
        db.conn.execute("UPDATE articles SET text = ? WHERE id IN (?, ?)", [FLOOD, quake[1], quake[2]])
        assert release_for_reclustering(db, quake[1]) == "moved"
        assert release_for_reclustering(db, quake[2]) == "kept"
    placed = db.conn.execute("SELECT count(*) FROM assignments WHERE article_id = ?", [quake[1]]).fetchone()[0]
    assert placed == 0 and cluster_row(db, q)["size"] == 1

    assign()
    assert cluster_of(db, quake[1]) == f  # its new text is the flood story
    assert cluster_of(db, quake[2]) == alone and assignment(db, quake[2])["method"] == "analyst"
    stored = db.conn.execute("SELECT count(*) FROM cluster_vectors WHERE article_id IN (?, ?)",
                             [quake[1], quake[2]]).fetchone()[0]
    assert stored == 2  # both vectors recomputed from the new text
