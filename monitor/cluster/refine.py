"""A second look at members: an article filed early is judged again as its story's evidence arrives.

One pass files each article when it arrives, against the events that exist then: an article
that opened an event of its own because its story's event did not exist yet (or was one or two
headlines that did not yet say enough), or that joined an event near the join bar, is never
weighed again as the story grows. Here the engine's own judgement (Engine._best: the learned
probability, the join bar, the where veto, minimum evidence) is asked again at the end of a
batch, for the articles still alone in the events they opened and for the members that joined
under WATCH_BELOW once their event has grown: against their own event *without themselves*, and
against the best other event. An article whose best home is clearly another event (at the join
bar, and MARGIN above its own) moves there, with a reason the dashboard shows beside it
("moved: p 0.91 for event 12 against 0.52 in event 30: terms ...").

A joined member moves only into an event at least as big as its own without it: on the headline
sets a big story's members score under the bar against it (a headline story is a topic), and
moves into smaller events took them from the story into its fragments (judged by the gold
stories: UCI 9 of 10 such moves, News-T 61 of 76); into bigger ones they were right (News-T 12 of 13).

What is never moved: the analyst's placements (never decided by the engine, so never watched),
members of locked or pinned events, duplicates and the articles others are duplicates of,
proposed members. The cost is bounded: an article is watched only when it opened an event or
joined under WATCH_BELOW, and is looked at LOOKS times at most, each one decision's worth of work.
Pure and engine-level: the moves are returned, the store writes them in the batch's transaction
(and keeps the watch, so an engine rebuilt from SQLite looks at the same members as this one).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from monitor.cluster import similarity
from monitor.cluster.features import Features
from monitor.cluster.vectors import Cluster, Doc

if TYPE_CHECKING:
    from monitor.cluster.engine import Decision, Engine

WATCH_BELOW = 0.9  # joins under this probability get a second look (openers always do)
GROWTH = 1  # members a joined article's event gains before each look
LOOKS = 3  # looks per watched article, at most
MARGIN = 0.2  # how much more likely the other home must be than the article's own


@dataclass(frozen=True)
class Move:
    """A member moved by a second look: from `source` to `target`, at probability `score`."""

    article_id: int
    source: int
    target: int
    score: float
    reason: str


@dataclass
class Watched:
    doc: Doc
    cluster_id: int
    size: int  # the event's size when the article joined it (or was last looked at)
    looks: int = 0


@dataclass
class Watch:
    """The members waiting for a second look, by article id; what changed since the last flush
    (the store keeps the watch, so an engine rebuilt from SQLite looks as this one would)."""

    entries: dict[int, Watched] = field(default_factory=dict)
    changed: set[int] = field(default_factory=set)
    dropped: set[int] = field(default_factory=set)

    @classmethod
    def restore(cls, rows: list[tuple[int, int | None, int, int, bool]], docs: dict[int, Doc]) -> Watch:
        """From the stored rows (article_id, cluster_id, size, looks, movable): the movable members
        whose docs the engine loaded; the others (out of the window, the analyst's, copied) are
        forgotten with the next batch."""
        kept = {a: Watched(_kept(docs[a]), cid, size, looks) for a, cid, size, looks, movable in rows
                if movable and a in docs and cid is not None}
        return cls(kept, dropped={a for a, *_ in rows} - kept.keys())

    def flush(self) -> tuple[list[tuple[int, int, int]], list[int]]:
        """(article_id, size, looks) of the entries changed since the last flush, and those forgotten."""
        rows = [(a, self.entries[a].size, self.entries[a].looks) for a in sorted(self.changed) if a in self.entries]
        dropped = sorted(self.dropped - self.entries.keys())
        self.changed, self.dropped = set(), set()
        return rows, dropped

    def forget(self, article_id: int) -> None:
        if self.entries.pop(article_id, None) is not None:
            self.dropped.add(article_id)

    def observe(self, decision: Decision, doc: Doc, engine: Engine) -> None:
        """Note a decision: watch a join near the bar or an opener; follow merges; never a duplicate."""
        for source, target in decision.merged:
            for entry in self.entries.values():
                if entry.cluster_id == source:
                    entry.cluster_id = target
        if decision.dup_of is not None:
            self.forget(decision.dup_of)  # a duplicate's original stays with its copy
            return
        if decision.proposed or decision.kind != "event":
            return
        if decision.new_cluster or decision.score < WATCH_BELOW:
            cluster = engine.clusters.get(decision.cluster_id)
            if cluster is not None:
                self.entries[doc.article_id] = Watched(_kept(doc), decision.cluster_id, cluster.size)
                self.changed.add(doc.article_id)

    def due(self, engine: Engine) -> list[Watched]:
        """Watched members whose event has grown by GROWTH (openers still alone: every batch)."""
        out = []
        for article_id in sorted(self.entries):
            entry = self.entries[article_id]
            cluster = engine.clusters.get(entry.cluster_id)
            if cluster is None or cluster.locked or cluster.pinned:
                self.forget(article_id)  # gone out of memory, or the analyst's now
                continue
            if cluster.size - entry.size >= GROWTH or cluster.size == 1:
                out.append(entry)
        return out


def _kept(doc: Doc) -> Doc:
    """What a look reads of an article, as an engine rebuilt from SQLite has it (state.load_clusters):
    its texts and raw counts stay out of memory while it waits."""
    light = Features(tf={}, sketch=doc.features.sketch, embed_text="", identity=doc.identity,
                     has_text=doc.features.has_text)
    return replace(doc, features=light)


def second_look(engine: Engine, watch: Watch) -> list[Move]:
    """Judge the due members again and move those whose best home is clearly another event."""
    moves = []
    for entry in watch.due(engine):
        entry.looks += 1
        move = _look(engine, entry)
        cluster = engine.clusters[entry.cluster_id] if move is None else engine.clusters[move.target]
        if move is not None:
            moves.append(move)
            entry.cluster_id = move.target
        entry.size = cluster.size
        watch.changed.add(entry.doc.article_id)
        if entry.looks >= LOOKS:
            watch.forget(entry.doc.article_id)
    return moves


def _look(engine: Engine, entry: Watched) -> Move | None:
    doc = entry.doc
    own = engine.clusters[entry.cluster_id]
    here = _without(engine, own, doc)
    scores = engine._scores(doc.vec, doc.emb, 1.0, "event", doc.at, exclude=own.id, bound=engine._event_bound)
    best = engine._best(doc, scores)
    if best is None:
        return None
    p, target, _, ev, _ = best
    if p < engine.settings.join_probability or p < here + MARGIN:
        return None
    if engine.clusters[target].size < own.size - 1:
        return None  # not from a story into one of its fragments (see the module's docstring)
    reason = (f"moved: p {p:.2f} for event {target} against {here:.2f} in event {own.id}: "
              f"{similarity.explain(engine.model, ev)}")
    engine.remove_member(own, doc)
    engine.add_member(engine.clusters[target], doc)
    return Move(doc.article_id, own.id, target, round(p, 4), reason)


def _without(engine: Engine, own: Cluster, doc: Doc) -> float:
    """The probability that the article belongs to its own event without itself (0 when alone)."""
    if own.size <= 1:
        return 0.0
    dot = sum(q * own.vec.get(t, 0.0) for t, q in doc.vec.items())
    self_square = sum(q * q for q in doc.vec.values())
    rest_square = own.norm * own.norm - 2 * dot + self_square
    lexical = (dot - self_square) / math.sqrt(rest_square) if rest_square > 1e-12 else 0.0
    semantic = closest = None
    if engine.weight and doc.emb is not None:
        row = engine.emb[own.kind].get(own.id)
        if row is not None:
            semantic = Cluster.emb_cosine(row - doc.emb, doc.emb)
            if semantic >= engine.event_threshold:
                closest = own.closest_cosine(doc.emb, without=doc.article_id)
    side = replace(own.side)
    side.names, side.numbers = side.names.copy(), side.numbers.copy()
    side.places, side.wheres, side.days = side.places.copy(), side.wheres.copy(), side.days.copy()
    side.languages = side.languages.copy()
    side.remove(doc.identity, doc.features.has_text)
    rest = replace(own, side=side)
    p, ev = engine.judge(similarity.side_of(doc.identity, doc.features.has_text), doc.at, rest,
                         lexical, semantic, closest)
    return 0.0 if ev.values["where_conflict"] else p
