"""The analyst's corrections: merge two clusters, move an article out, lock a cluster.

Corrected assignments carry method='analyst' and their clusters are pinned: automatic
assignment never moves such an article and never merges such a cluster away; a locked
cluster takes no automatic member at all. Each correction bumps the cluster generation,
so any in-memory engine (this process or another) rebuilds before its next decision.
"""
from __future__ import annotations

from sqlite_utils import Database

from monitor.errors import MonitorError
from monitor.store import clusters as store
from monitor.store.db import write_transaction


class CorrectionError(MonitorError, ValueError):
    """The correction names a cluster or article that cannot take it."""


def merge_clusters(db: Database, target_id: int, source_id: int) -> None:
    """Fold source into target: every member (now placed by the analyst) and corpus link."""
    if target_id == source_id:
        raise CorrectionError("cannot merge a cluster into itself")
    with write_transaction(db):
        for cid in (target_id, source_id):
            if not store.live_cluster(db, cid):
                raise CorrectionError(f"cluster {cid} does not exist or was merged")
        store.merge_into(db, source_id, target_id, analyst=True)
        store.refresh_aggregates(db, [target_id, source_id])
        store.bump_generation(db)


def move_out(db: Database, article_id: int) -> int:
    """Move one article into a cluster of its own; returns the new cluster's id."""
    with write_transaction(db):
        found = store.cluster_of(db, article_id)
        if found is None:
            raise CorrectionError(f"article {article_id} is not assigned to a cluster")
        old, kind = found
        new = store.create_cluster(db, None, kind)
        store.place_by_analyst(db, article_id, new, f"moved out of cluster {old} by analyst")
        store.refresh_aggregates(db, [old, new])
        store.bump_generation(db)
    return new


def undo_merge(db: Database, target_id: int, source_id: int, members: list[dict], source_links: list[list],
               target_links: list[list]) -> None:
    """Split a merge again: the source's members (as they were recorded before it) go back, with both
    clusters' corpus links. Articles that joined the target after the merge stay in it."""
    with write_transaction(db):
        if store.live_root(db, source_id) != target_id or not store.live_cluster(db, target_id):
            raise CorrectionError(f"cluster {source_id} is no longer merged into {target_id}")
        still = {r["article_id"] for r in store.assignment_states(db, cluster_id=target_id)}
        store.revive(db, source_id)
        store.restore_assignments(db, [m for m in members if m["article_id"] in still])
        store.set_corpus_links(db, source_id, source_links)
        store.set_corpus_links(db, target_id, target_links)
        store.refresh_aggregates(db, [target_id, source_id])
        store.bump_generation(db)


def undo_move_out(db: Database, article_id: int, before: dict) -> None:
    """Put a moved-out article back where it was (in whatever that cluster was merged into since)."""
    with write_transaction(db):
        found = store.cluster_of(db, article_id)
        if found is None:
            raise CorrectionError(f"article {article_id} is not assigned to a cluster")
        home = store.live_root(db, before["cluster_id"])
        store.restore_assignments(db, [{**before, "cluster_id": home}])
        store.refresh_aggregates(db, [found[0], home])
        store.bump_generation(db)


def accept_proposal(db: Database, article_id: int) -> int:
    """The analyst accepts an article proposed to a locked event; returns the event."""
    with write_transaction(db):
        cluster_id = store.accept_proposed(db, article_id)
        if cluster_id is None:
            raise CorrectionError(f"article {article_id} is not proposed to an event")
        store.refresh_aggregates(db, [cluster_id])
        store.bump_generation(db)
    return cluster_id


def reject_proposal(db: Database, article_id: int) -> int:
    """The analyst rejects a proposal: the article gets an event of its own (an analyst's
    placement, so the clusterer does not propose it again); returns that event."""
    with write_transaction(db):
        states = store.assignment_states(db, article_id=article_id)
        if not states or not states[0]["proposed"]:
            raise CorrectionError(f"article {article_id} is not proposed to an event")
        new = store.create_cluster(db, None, "event")
        store.place_by_analyst(db, article_id, new, f"proposal to cluster {states[0]['cluster_id']} rejected by analyst")
        store.refresh_aggregates(db, [states[0]["cluster_id"], new])
        store.bump_generation(db)
    return new


def set_locked(db: Database, cluster_id: int, locked: bool) -> None:
    """Lock (no automatic member joins or leaves) or unlock a cluster."""
    with write_transaction(db):
        if not store.set_locked_flag(db, cluster_id, locked):
            raise CorrectionError(f"cluster {cluster_id} does not exist")
        store.bump_generation(db)
