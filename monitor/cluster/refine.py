"""A second look at articles left alone: judged again once their story's event may have formed.

One pass files each article against the events that exist when it arrives. An article that
opened an event of its own because its story's event did not exist yet (or was a headline or
two that did not yet say enough) stays alone for good: later articles of the story may open
and grow another event, which it is never weighed against again. Here, at the end of each
batch, every article still alone in the event it opened is judged again by the engine's own
join against the events as they are now, at up to LOOKS batch ends: Engine.best_event (the
learned probability, the where veto, minimum evidence, the same candidates), then
Engine.across_event (its story's event in another language). Placed, it moves there and its
one-article event is left empty, with a reason the dashboard shows beside it ("moved: p 0.81
for event 12, alone since it opened event 30: terms ...").

Not looked at: the analyst's placements (never decided by the engine), duplicates and the
articles others are duplicates of, proposed members, members of locked or pinned events, and an
article whose event another article joined (it is no longer alone: its story came to it).
Members that joined an event are not looked at again either: measured, see the README. Pure and
engine-level: the moves are returned, the store writes them in the batch's transaction and keeps
the watch, so an engine rebuilt from SQLite looks at the same articles as the one it replaces.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from monitor.cluster import similarity
from monitor.cluster.vectors import Doc

if TYPE_CHECKING:
    from monitor.cluster.engine import Decision, Engine

LOOKS = 3  # batch ends at which an article still alone is looked at again


@dataclass(frozen=True)
class Move:
    """An article a second look moved: out of the event it opened (`source`) into `target`."""

    article_id: int
    source: int
    target: int
    score: float
    reason: str


@dataclass
class Watched:
    doc: Doc
    cluster_id: int  # the event it opened
    looks: int = 0


@dataclass
class Watch:
    """The articles waiting for a second look, by article id, and what changed since the last
    flush (the store keeps the watch: member_looks)."""

    entries: dict[int, Watched] = field(default_factory=dict)
    changed: set[int] = field(default_factory=set)
    dropped: set[int] = field(default_factory=set)

    @classmethod
    def restore(cls, rows: list[tuple[int, int | None, int, bool]], docs: dict[int, Doc]) -> Watch:
        """From the stored rows (article_id, cluster_id, looks, movable): the movable articles whose
        docs the engine loaded; the others (out of the window, the analyst's, copied) are forgotten
        with the next batch."""
        kept = {a: Watched(docs[a].light(), cid, looks) for a, cid, looks, movable in rows
                if movable and a in docs and cid is not None}
        return cls(kept, dropped={a for a, *_ in rows} - kept.keys())

    def flush(self) -> tuple[list[tuple[int, int]], list[int]]:
        """(article_id, looks) of the entries changed since the last flush, and those forgotten."""
        rows = [(a, self.entries[a].looks) for a in sorted(self.changed) if a in self.entries]
        dropped = sorted(self.dropped - self.entries.keys())
        self.changed, self.dropped = set(), set()
        return rows, dropped

    def forget(self, article_id: int) -> None:
        if self.entries.pop(article_id, None) is not None:
            self.dropped.add(article_id)

    def observe(self, decision: Decision, doc: Doc) -> None:
        """Note a decision: watch an article that opened an event; never a copied one."""
        if decision.dup_of is not None:
            self.forget(decision.dup_of)  # a duplicate's original stays with its copy
        elif decision.opened is not None and decision.kind == "event":
            self.entries[doc.article_id] = Watched(doc.light(), decision.opened)
            self.changed.add(doc.article_id)

    def due(self, engine: Engine) -> list[Watched]:
        """The watched articles still alone in the events they opened (the others are forgotten)."""
        out = []
        for article_id in sorted(self.entries):
            entry = self.entries[article_id]
            cluster = engine.clusters.get(entry.cluster_id)
            if cluster is None or cluster.size != 1 or cluster.locked or cluster.pinned:
                self.forget(article_id)  # joined, merged, out of memory, or the analyst's now
            else:
                out.append(entry)
        return out


def second_look(engine: Engine, watch: Watch) -> list[Move]:
    """Judge the articles still alone again; move those the join bar now places elsewhere."""
    moves = []
    for entry in watch.due(engine):
        entry.looks += 1
        watch.changed.add(entry.doc.article_id)
        move = _look(engine, entry)
        if move is not None:
            moves.append(move)
        if move is not None or entry.looks >= LOOKS:
            watch.forget(entry.doc.article_id)
    return moves


def _look(engine: Engine, entry: Watched) -> Move | None:
    doc, own = entry.doc, entry.cluster_id
    best = engine.best_event(doc, exclude=own)
    if best is not None and best[0] >= engine.settings.join_probability:
        p, target, _, ev, _ = best
        reason = (f"moved: p {p:.2f} for event {target}, alone since it opened event {own}: "
                  f"{similarity.explain(engine.model, ev)}")
    elif (across := engine.across_event(doc, exclude=own, locked=False)) is not None:
        # its story's event in another language formed after it (across_languages.py)
        target, found = across
        p = engine.words_probability(doc, engine.clusters[target])
        reason = f"moved: {found.reason()} for event {target}, alone since it opened event {own} (the words' p {p:.2f})"
    else:
        return None
    engine.drop_cluster(own)
    engine.add_member(engine.clusters[target], doc)
    return Move(doc.article_id, own, target, round(p, 4), reason)
