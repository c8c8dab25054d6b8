"""The split pass's memory on file (store.clusters.split_pairs): pairs follow merges, and the analyst's
merge of the two sides voids a pair (undoing it brings the pair back)."""
from __future__ import annotations

from monitor.store import clusters as store
from monitor.store import write_transaction
from monitor.store.corrections import merge_clusters, undo_merge


def events(db, n: int) -> list[int]:
    with write_transaction(db):
        return [store.create_cluster(db, None, "event") for _ in range(n)]


def test_a_split_pair_follows_its_sides_through_merges(db):
    kept, moved, third, fourth = events(db, 4)
    with write_transaction(db):
        store.split_off(db, kept, moved, [], "split: test")
        store.split_off(db, kept, moved, [], "split: test")  # written twice: one pair
    assert store.split_pairs(db) == {frozenset((kept, moved))}
    with write_transaction(db):
        store.merge_into(db, moved, third)  # the clusterer merged a side away: the pair goes with it
    assert store.split_pairs(db) == {frozenset((kept, third))}
    merge_clusters(db, fourth, kept)  # so does the analyst's merge of a side into a third event
    assert store.split_pairs(db) == {frozenset((fourth, third))}


def test_the_analysts_merge_of_the_two_sides_voids_the_pair_until_undone(db):
    kept, moved = events(db, 2)
    with write_transaction(db):
        store.split_off(db, kept, moved, [], "split: test")
    merge_clusters(db, kept, moved)
    assert store.split_pairs(db) == set()
    undo_merge(db, kept, moved, [], [], [])
    assert store.split_pairs(db) == {frozenset((kept, moved))}
    with write_transaction(db):
        store.forget_automatic(db)  # a full re-clustering makes its splits again
    assert store.split_pairs(db) == set()
