"""Storing a decided batch: one short write transaction, in a worker process during a backlog.

While one batch is written the next is decided. The writer is a process, not a thread: the
sqlite3 module takes the interpreter lock back after every row of an executemany, and a
writing thread starved beside the deciding one (20 s of wall time for 5 s of work at 50k
articles). Batches are written one at a time and in order; each write checks the generation
its decisions were made at, so a batch another process got in before is refused whole
(GenerationConflict) and nothing of it is stored. A single batch (a poll's new articles) is
written in place: starting a process would cost more than it saves.
"""
from __future__ import annotations

import json
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from monitor.cluster.consolidate import Fusion
from monitor.cluster.identity import IDENTITY_RULE
from monitor.cluster.refine import Move
from monitor.models import ArticleIdentity, Assignment
from monitor.processes import BackgroundWorker
from monitor.store import clusters as store
from monitor.store import embeddings as embedding_store
from monitor.store.db import database_file, write_transaction
from monitor.store.opening import open_db
from monitor.store.identity import save_identities


@dataclass
class DecidedBatch:
    """Everything one batch writes; decided in memory, not yet stored."""

    decisions: list  # engine.Decision, in article order
    vector_rows: list[tuple]
    df_counts: dict[str, int]
    articles: int
    links: dict[int, list]
    shown: dict[int, list[str]]  # article id -> the reason's terms as the text writes them
    touched: set[int]
    last_id: int
    has_corpus: bool = False
    cache_rows: list[tuple[bytes, bytes]] = field(default_factory=list)  # new sentence vectors by content hash
    identities: dict[int, ArticleIdentity] = field(default_factory=dict)  # article id -> who, where, language
    moves: list[Move] = field(default_factory=list)  # articles a second look moved (cluster/refine.py)
    looks: tuple[list[tuple[int, int]], list[int]] = field(default_factory=lambda: ([], []))  # refine.Watch.flush
    fusions: list[Fusion] = field(default_factory=list)  # events merged at the batch end (cluster/consolidate.py)


def store_batch(db: Database, generation: int, batch: DecidedBatch) -> tuple[list[Assignment], int]:
    """Write the batch if the clusters are still at `generation`; the assignments and the new generation."""
    decisions = batch.decisions
    with write_transaction(db):
        store.check_generation(db, generation)
        for d in decisions:
            if d.opened is not None:
                store.create_cluster(db, d.opened, d.kind)
            if d.split is not None:
                store.create_cluster(db, d.split.target, d.kind)
        store.save_assignments(db, [(d.article_id, d.cluster_id, d.dup_of, d.score, d.dup_score,
                                     json.dumps(batch.shown[d.article_id], ensure_ascii=False), d.reason,
                                     int(d.proposed)) for d in decisions])
        originals = store.originals_first(db, [(d.article_id, d.dup_of) for d in decisions if d.dup_of is not None])
        for d in decisions:
            for source, target in d.merged:
                store.merge_into(db, source, target)
            if d.split is not None:
                store.split_off(db, d.split.source, d.split.target, d.split.articles, d.split.reason)
        store.move_members(db, [(m.article_id, m.source, m.target, m.score, m.reason) for m in batch.moves])
        for f in batch.fusions:
            store.merge_into(db, f.source, f.target, reason=f.reason)
        store.save_looks(db, *batch.looks)
        store.save_vectors(db, batch.vector_rows)
        save_identities(db, batch.identities, rule=IDENTITY_RULE.version)
        embedding_store.save_vectors(db, batch.cache_rows)
        store.add_document_frequencies(db, batch.df_counts, batch.articles)
        for cid, found in batch.links.items():
            store.replace_corpus_links(db, cid, found)
        store.refresh_aggregates(db, batch.touched)
        generation = store.bump_generation(db)
    placed = _placed(decisions)
    moved = {m.article_id: m for m in batch.moves}  # the batch's own articles a second look moved on
    made = [Assignment(d.article_id, m.target, m.score, d.terms, d.dup_of, d.dup_score, m.reason, "auto",
                       d.new_cluster) if (m := moved.get(d.article_id)) is not None else
            Assignment(d.article_id, placed[d.article_id][0], d.score, d.terms, d.dup_of, d.dup_score,
                       placed[d.article_id][1], "auto", d.new_cluster) for d in decisions]
    made = [replace(a, dup_of=None, dup_score=None, reason=originals[a.article_id]) if a.article_id in originals else a
            for a in made]
    return _fused(made, batch.fusions), generation


def _fused(made: list[Assignment], fusions: list[Fusion]) -> list[Assignment]:
    """The batch's assignments followed into the events the batch end merged theirs into."""
    if not fusions:
        return made
    into: dict[int, tuple[int, str]] = {}
    for f in fusions:
        into[f.source] = (f.target, f.reason)
    out = []
    for a in made:
        cluster, reason = a.cluster_id, a.reason
        while cluster in into:
            cluster, why = into[cluster]
            reason = f"{why}; {reason}"
        out.append(a if cluster == a.cluster_id else replace(a, cluster_id=cluster, reason=reason))
    return out


def write_in_worker(path: str, generation: int, batch: DecidedBatch) -> tuple[list[Assignment], int]:
    """In the writer process: a connection of its own for each batch (1 ms; a kept one could
    outlive the file it was opened on)."""
    db = open_db(path, migrate=False)
    try:
        return store_batch(db, generation, batch)
    finally:
        db.close()


def _placed(decisions) -> dict[int, tuple[int, str]]:
    """Each of the batch's articles: the event it ends the batch in, with its reason, after the
    merges and splits of the decisions after its own (replayed in the order store_batch writes them)."""
    where = {d.article_id: d.cluster_id for d in decisions}
    why = {d.article_id: d.reason for d in decisions}
    held: dict[int, set[int]] = {}
    for article_id, cluster_id in where.items():
        held.setdefault(cluster_id, set()).add(article_id)
    for d in decisions:
        for source, target in d.merged:
            gone = held.pop(source, set())
            for article_id in gone:
                where[article_id] = target
            held.setdefault(target, set()).update(gone)
        if d.split is not None:
            cut = d.split
            for article_id in cut.articles:
                if where.get(article_id) == cut.source:
                    where[article_id] = cut.target
                    why[article_id] = f"{cut.reason} (from event {cut.source}); {why[article_id]}"
                    held[cut.source].discard(article_id)
                    held.setdefault(cut.target, set()).add(article_id)
    return {a: (where[a], why[a]) for a in where}


class BatchWriter:
    """Writes batches in place, or in one worker process when asked (a backlog on a file)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._path = database_file(db)

    def submit(self, generation: int, batch: DecidedBatch, *, backlog: bool) -> Future:
        if backlog and self._path:
            try:
                return _worker.submit(write_in_worker, self._path, generation, batch)
            except Exception:  # no worker to be had: written here
                pass
        done: Future = Future()
        try:
            done.set_result(store_batch(self._db, generation, batch))
        except BaseException as exc:  # the caller sees it from result(), as from the worker
            done.set_exception(exc)
        return done


_worker = BackgroundWorker(["monitor.cluster.batch_writer"])
