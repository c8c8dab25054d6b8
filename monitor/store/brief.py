"""One event's brief: headline, when, where, who reports it, its figures side by side, its timeline,
its members, the analyst's tags and notes, and the corpus documents linked to it.

`monitor brief`, the dashboard's event pane and `monitor export` all build it with event_brief().
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timezone

from sqlite_utils import Database

from monitor.models import EventIdentity
from monitor.store import views
from monitor.store.identity import event_identity
from monitor.store.figures import figures_of_articles
from monitor.text.figure_compare import FigureGroup, compare
from monitor.timeutil import from_iso, to_iso

MEMBER_LIMIT = 500
TIMELINE_BUCKETS = 48  # at most this many bars: an event longer than 48 h gets wider bars


@dataclass(frozen=True)
class Outlet:
    """One source counted once: its several URLs and feeds, and its republished copies, are one."""

    name: str
    first_at: str | None
    articles: int
    copies: int  # of those, republished copies of another member's text (dup_of)


@dataclass(frozen=True)
class BriefMember:
    article_id: int
    title: str
    source: str
    url: str | None
    published_at: str | None
    language: str | None
    dup_of: int | None
    new: bool  # arrived since the analyst last opened the event


@dataclass(frozen=True)
class Timeline:
    start: str | None  # ISO hour of the first bar
    bucket_hours: int
    counts: tuple[int, ...]


@dataclass(frozen=True)
class EventBrief:
    cluster_id: int
    headline: str
    first_seen: str | None
    last_seen: str | None
    size: int
    sources: tuple[Outlet, ...]  # originals' outlets, first to report first
    republishers: tuple[Outlet, ...]  # outlets that only carried copies
    first_source: str | None
    languages: tuple[tuple[str, int], ...]  # (language, articles), most first: declared, else detected; "?" when neither
    figures: tuple[FigureGroup, ...]
    timeline: Timeline
    members: tuple[BriefMember, ...]
    tags: tuple[str, ...]
    notes: tuple[str, ...]
    corpus: tuple[views.CorpusRow, ...]
    identity: EventIdentity = field(default_factory=EventIdentity)
    never_opened: bool = False  # the analyst never looked at it: every member is new, none marked apart

    @property
    def republished(self) -> int:
        """Articles that are copies of another member's text or come from outlets that only copy."""
        return self.size - sum(o.articles - o.copies for o in self.sources)

    @property
    def new_members(self) -> int:
        return sum(m.new for m in self.members)


def _outlet(host: str | None, feed: str | None, path: str | None) -> tuple[str, str]:
    """(key, shown name): a site's several feeds and URLs are one outlet."""
    if host:
        key = host.lower().removeprefix("www.")
        return key, feed or key
    name = feed or path or "unknown"
    return name.lower(), name


def _members(db: Database, cluster_id: int, seen_size: int) -> list[tuple[BriefMember, str, str]]:
    rows = db.conn.execute("""
        SELECT a.id, a.title, a.source_host, f.name, a.source_path, a.url, coalesce(a.published_at, a.fetched_at),
               coalesce(nullif(i.language, ''), a.language), s.dup_of, s.assigned_at
        FROM assignments s JOIN articles a ON a.id = s.article_id LEFT JOIN feeds f ON f.id = a.feed_id
        LEFT JOIN article_identity i ON i.article_id = a.id  -- declared or detected, as event_identity reads it
        WHERE s.cluster_id = ? ORDER BY s.assigned_at, a.id LIMIT ?""", [cluster_id, MEMBER_LIMIT]).fetchall()
    out = []
    for rank, (article_id, title, host, feed, path, url, published, language, dup_of, _) in enumerate(rows, 1):
        key, name = _outlet(host, feed, path)
        member = BriefMember(article_id, title or "", name, url, published, language, dup_of,
                             new=views.arrived_since_seen(rank, seen_size))
        out.append((member, key, name))
    return out


def _outlets(members: list[tuple[BriefMember, str, str]]) -> tuple[list[Outlet], list[Outlet]]:
    by_key: dict[str, list[BriefMember]] = {}
    names: dict[str, str] = {}
    for member, key, name in sorted(members, key=lambda m: (m[0].published_at or "", m[0].article_id)):
        by_key.setdefault(key, []).append(member)
        names.setdefault(key, name)
    sources: list[Outlet] = []
    republishers: list[Outlet] = []
    for key, items in by_key.items():
        copies = sum(m.dup_of is not None for m in items)
        outlet = Outlet(names[key], items[0].published_at, len(items), copies)
        (republishers if copies == len(items) else sources).append(outlet)
    return sources, republishers


def timeline(times: list[str | None], buckets: int = TIMELINE_BUCKETS) -> Timeline:
    """Arrivals per hour (or per a few hours, so that at most `buckets` bars span the event)."""
    moments = sorted(m for m in (from_iso(t) for t in times if t) if m is not None)
    if not moments:
        return Timeline(None, 1, ())
    start = moments[0].astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    span_hours = int((moments[-1] - start).total_seconds() // 3600) + 1
    width = max(1, -(-span_hours // buckets))
    counts = [0] * (-(-span_hours // width))
    for moment in moments:
        counts[int((moment - start).total_seconds() // 3600) // width] += 1
    return Timeline(to_iso(start), width, tuple(counts))


def event_brief(db: Database, cluster_id: int, seen_size: int | None = None) -> EventBrief | None:
    """The brief of one event (None when there is no such cluster); a merged cluster gives its target's.
    `seen_size`: the event's size when the analyst last looked, when the caller knows it (the event
    is open now: views.cluster_members)."""
    row = db.conn.execute("SELECT id, merged_into FROM clusters WHERE id = ?", [cluster_id]).fetchone()
    if row is None:
        return None
    seen: set[int] = set()
    while row[1] is not None and row[0] not in seen:
        seen.add(row[0])
        row = db.conn.execute("SELECT id, merged_into FROM clusters WHERE id = ?", [row[1]]).fetchone()
    cluster = views.cluster_rows(db, [row[0]])[row[0]]
    seen_size = cluster.seen_size if seen_size is None or cluster.id != cluster_id else seen_size
    members = _members(db, cluster.id, seen_size)
    sources, republishers = _outlets(members)
    languages: dict[str, int] = {}
    for member, _, _ in members:
        code = (member.language or "?").split("-")[0].lower()
        languages[code] = languages.get(code, 0) + 1
    reports = figures_of_articles(db, [m.article_id for m, _, _ in members])
    newest_first = sorted((m for m, _, _ in members), key=lambda m: (m.published_at or "", m.article_id), reverse=True)
    return EventBrief(
        cluster_id=cluster.id, headline=cluster.label, first_seen=cluster.first_seen, last_seen=cluster.last_seen,
        size=cluster.size, sources=tuple(sources), republishers=tuple(republishers),
        first_source=sources[0].name if sources else (republishers[0].name if republishers else None),
        languages=tuple(sorted(languages.items(), key=lambda kv: (kv[0] == "?", -kv[1], kv[0]))),
        figures=tuple(compare(reports)), timeline=timeline([m.published_at for m, _, _ in members]),
        members=tuple(newest_first), tags=cluster.tags, notes=tuple(views.cluster_notes(db, cluster.id)),
        corpus=tuple(views.corpus_for_cluster(db, cluster.id, limit=10)), identity=event_identity(db, cluster.id),
        never_opened=seen_size == 0)

