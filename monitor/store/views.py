"""Read-only queries the dashboard and `monitor export` share: cluster list, members, corpus, status.

The cluster list is paged: `cluster_ids()` returns the ordered ids of the whole view (cheap, one
column), `cluster_rows()` fetches the few rows on screen. No caller ever loads every row.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Sequence

from sqlite_utils import Database

from monitor.config import parse_duration

from monitor.store import stats
from monitor.store.identity_filter import CLUSTERS_OF, mention_clauses
from monitor.store.search import fts_excluded, fts_match
from monitor.store.stats import EVENT_CLUSTER, FAILING_FEED
from monitor.text.search_query import parse_query
from monitor.timeutil import human_utc, to_iso
from monitor.store.db import IN_LIST, as_list

SORTS = ("activity", "size", "velocity")
STATES = ("active", "new", "grew", "starred", "read", "dismissed", "all")
# Articles per hour over the cluster's life (at least one hour), so a burst ranks above a trickle.
_VELOCITY = ("c.size / max(1.0, (julianday(coalesce(c.last_seen, c.created_at)) "
             "- julianday(coalesce(c.first_seen, c.created_at))) * 24.0)")
_ORDER = {
    "activity": "coalesce(c.last_seen, c.updated_at) DESC, c.id DESC",
    "size": "c.size DESC, c.last_seen DESC, c.id DESC",
    "velocity": f"{_VELOCITY} DESC, c.id DESC",
}


@dataclass(frozen=True)
class ClusterFilter:
    """What the cluster list shows: one value object shared by the dashboard and export."""

    state: str = "active"  # see STATES
    tag: str | None = None
    feed: str | None = None  # feed name
    since: str | None = None  # ISO UTC: clusters active since then
    feed_tag: str | None = None  # a tag of feeds in feeds.toml: clusters with an article from such a feed
    query: str | None = None  # full-text search; keeps clusters holding a matching article
    cluster_ids: tuple[int, ...] | None = None
    sort: str = "activity"

    def with_(self, **changes: Any) -> ClusterFilter:
        return replace(self, **changes)

    def describe(self) -> str:
        parts = [f"sort: {self.sort}", f"state: {self.state}"]
        for name in ("tag", "feed", "feed_tag", "since", "query"):
            value = getattr(self, name)
            if value:
                parts.append(f"{name.replace('_', ' ')}: {human_utc(value) if name == 'since' else value}")
        if self.cluster_ids is not None:
            parts.append(f"clusters: {len(self.cluster_ids)}")
        return "  ".join(parts)


@dataclass(frozen=True)
class ClusterRow:
    id: int
    label: str
    size: int
    source_count: int
    dup_count: int
    first_seen: str | None
    last_seen: str | None
    velocity: float
    tags: tuple[str, ...]
    status: str
    starred: bool
    locked: bool
    seen_size: int
    proposing: bool = False  # locked, with an article proposed to it that waits for the analyst

    @property
    def grew(self) -> bool:
        """New members since the analyst last looked (seen_size is set when a cluster is opened)."""
        return self.size > self.seen_size


@dataclass(frozen=True)
class MemberRow:
    article_id: int
    title: str
    origin: str
    source: str
    url: str | None
    published_at: str | None
    status: str
    starred: bool
    dup_of: int | None
    score: float | None
    reason: str
    terms: tuple[str, ...]
    method: str
    proposed: bool = False  # placed into a locked event by the clusterer, waiting for the analyst
    arrived_since_seen: bool = False  # joined the event after the analyst last opened it


def arrived_since_seen(rank: int, seen_size: int) -> bool:
    """Whether the `rank`-th member to join an event (1 = the first) joined after the analyst last
    opened it, when the event had `seen_size` members. Never opened: nothing is marked, all is new."""
    return 0 < seen_size < rank


@dataclass(frozen=True)
class CorpusRow:
    article_id: int
    title: str
    source: str
    published_at: str | None
    score: float | None = None
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleDetail:
    id: int
    title: str
    text: str
    origin: str
    url: str | None
    source: str
    feed: str | None
    author: str | None
    published_at: str | None
    published_estimated: bool
    language: str | None
    extraction_status: str
    status: str
    starred: bool
    cluster_id: int | None
    reason: str
    terms: tuple[str, ...]
    tags: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class StatusSummary:
    last_poll: str | None
    next_poll: str | None
    feeds: int
    feeds_failing: int
    articles_today: int
    feed_articles: int
    corpus_documents: int
    clusters: int


def _terms(raw: str | None) -> tuple[str, ...]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return ()
    return tuple(str(t) for t in value) if isinstance(value, list) else ()


# Every cluster holding an article the FTS5 expression matches (all of them: no ranking, no cap).
_CLUSTERS_MATCHING = ("SELECT s.cluster_id FROM assignments s WHERE s.article_id IN "
                      "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")


def _where(db: Database, flt: ClusterFilter) -> tuple[str, list[Any]]:
    clauses = list(EVENT_CLUSTER)
    params: list[Any] = []
    state = flt.state
    if state == "active":
        clauses.append("c.status != 'dismissed'")
    elif state == "grew":
        clauses.append("c.size > c.seen_size AND c.status != 'dismissed'")
    elif state == "starred":
        clauses.append("c.starred = 1")
    elif state in ("new", "read", "dismissed"):
        clauses.append("c.status = ?")
        params.append(state)
    if flt.tag:
        # The event's own tag or one of its articles' (t in the Articles pane or the reader, a watch
        # rule's tag): with the event's alone, a tag the analyst gave articles listed no event.
        clauses.append("(EXISTS (SELECT 1 FROM cluster_tags ct JOIN tags t ON t.id = ct.tag_id "
                       "WHERE ct.cluster_id = c.id AND t.name = ?) OR EXISTS (SELECT 1 FROM assignments s "
                       "JOIN article_tags x ON x.article_id = s.article_id JOIN tags t ON t.id = x.tag_id "
                       "WHERE s.cluster_id = c.id AND t.name = ?))")
        params += [flt.tag, flt.tag]
    if flt.feed:
        clauses.append("EXISTS (SELECT 1 FROM assignments s JOIN articles a ON a.id = s.article_id "
                       "JOIN feeds f ON f.id = a.feed_id WHERE s.cluster_id = c.id AND f.name = ?)")
        params.append(flt.feed)
    if flt.feed_tag:
        clauses.append("EXISTS (SELECT 1 FROM assignments s JOIN articles a ON a.id = s.article_id "
                       "JOIN feeds f ON f.id = a.feed_id WHERE s.cluster_id = c.id AND EXISTS "
                       "(SELECT 1 FROM json_each(f.tags) WHERE lower(value) = lower(?)))")
        params.append(flt.feed_tag)
    if flt.since:
        clauses.append("coalesce(c.last_seen, c.updated_at) >= ?")
        params.append(flt.since)
    if flt.query:
        # A cluster is in view when one of its articles matches, and out of it when any of its
        # articles holds a word the query leaves out: `-kursk` hides every Kursk event.
        parsed = parse_query(flt.query)  # QuerySyntaxError for the caller to show in one line
        match, excluded = fts_match(parsed), fts_excluded(parsed)
        if match is not None:
            clauses.append(f"c.id IN ({_CLUSTERS_MATCHING})")
            params.append(match)
        if excluded is not None:
            clauses.append(f"c.id NOT IN ({_CLUSTERS_MATCHING})")
            params.append(excluded)
        named, values = mention_clauses(parsed, "c.id", CLUSTERS_OF)  # where:/who:
        clauses += named
        params += values
    if flt.cluster_ids is not None:
        clauses.append(f"c.id IN {IN_LIST}")
        params.append(as_list(flt.cluster_ids))
    return " AND ".join(clauses), params


def cluster_ids_query(db: Database, flt: ClusterFilter) -> tuple[str, list[Any]]:
    """The SQL of the view's ordered ids (its plan is a walk of a clusters_view_* index)."""
    where, params = _where(db, flt)
    order = _ORDER.get(flt.sort, _ORDER["activity"])
    return f"SELECT c.id FROM clusters c WHERE {where} ORDER BY {order}", params


def cluster_ids(db: Database, flt: ClusterFilter) -> list[int]:
    """Ids of every cluster in the view, in display order (fast at 10k+).

    They come back as one JSON array, not a row per id: each row fetched releases and retakes the
    GIL, and while the UI thread is busy that hand-over made a 3 ms query take 25 ms. An ordered
    subquery is not flattened into an aggregate, so the array keeps the subquery's order."""
    sql, params = cluster_ids_query(db, flt)
    return json.loads(db.conn.execute(f"SELECT json_group_array(id) FROM ({sql})", params).fetchone()[0])


# An event (alias c) with an article proposed to it waiting: only a locked event has one, so only those look.
PROPOSING = "(c.locked AND EXISTS (SELECT 1 FROM assignments p WHERE p.cluster_id = c.id AND p.proposed = 1))"


def cluster_rows(db: Database, ids: Sequence[int]) -> dict[int, ClusterRow]:
    """The rows for these ids (the visible window of the list).

    One JSON array, like cluster_ids(): a row per step costs a GIL hand-over each, 3 ms instead of
    1 ms for a window of 200 while the UI thread is busy. The velocity travels as text with every
    digit, the tags as a JSON text of their own."""
    if not ids:
        return {}
    found = db.conn.execute(f"""
        SELECT json_group_array(json_array(
               c.id, c.label, c.size, c.source_count, c.dup_count, c.first_seen, c.last_seen,
               printf('%!.17g', {_VELOCITY}),
               (SELECT json_group_array(t.name) FROM cluster_tags ct JOIN tags t ON t.id = ct.tag_id
                 WHERE ct.cluster_id = c.id) || '',
               c.status, c.starred, c.locked, c.seen_size, {PROPOSING}))
        FROM clusters c WHERE c.id IN {IN_LIST}""", [as_list(ids)]).fetchone()[0]
    rows = {}
    for r in json.loads(found):
        rows[r[0]] = ClusterRow(id=r[0], label=r[1] or "", size=r[2], source_count=r[3], dup_count=r[4],
                                first_seen=r[5], last_seen=r[6], velocity=float(r[7] or 0.0),
                                tags=tuple(sorted(_terms(r[8]), key=str.casefold)), status=r[9],
                                starred=bool(r[10]), locked=bool(r[11]), seen_size=r[12], proposing=bool(r[13]))
    return rows


def cluster_members(db: Database, cluster_id: int, limit: int = 500, seen_size: int | None = None) -> list[MemberRow]:
    """Members newest first, with the reason each was matched and whether it arrived since the
    analyst last opened the event (members ranked in the order they joined, as the brief ranks them).
    `seen_size`: the event's size at that look, when the caller knows it (the event is open now)."""
    if seen_size is None:
        seen = db.conn.execute("SELECT seen_size FROM clusters WHERE id = ?", [cluster_id]).fetchone()
        seen_size = seen[0] if seen else 0
    cursor = db.conn.execute("""
        SELECT a.id, a.title, a.origin, coalesce(f.name, a.source_host, a.source_path, ''), a.url,
               a.published_at, a.status, a.starred, s.dup_of, s.score, s.reason, s.terms, s.method, s.proposed,
               row_number() OVER (ORDER BY s.assigned_at, a.id)
        FROM assignments s JOIN articles a ON a.id = s.article_id LEFT JOIN feeds f ON f.id = a.feed_id
        WHERE s.cluster_id = ? ORDER BY a.published_at DESC, a.id DESC LIMIT ?""", [cluster_id, limit])
    return [MemberRow(article_id=r[0], title=r[1], origin=r[2], source=r[3], url=r[4], published_at=r[5],
                      status=r[6], starred=bool(r[7]), dup_of=r[8], score=r[9], reason=r[10] or "",
                      terms=_terms(r[11]), method=r[12], proposed=bool(r[13]),
                      arrived_since_seen=arrived_since_seen(r[14], seen_size))
            for r in cursor]


def target_title(db: Database, kind: str, target_id: int) -> str | None:
    """The headline of an event ('cluster') or the title of an article; None for other kinds or none found."""
    table = {"cluster": "SELECT label FROM clusters WHERE id = ?", "article": "SELECT title FROM articles WHERE id = ?"}
    row = db.conn.execute(table[kind], [target_id]).fetchone() if kind in table else None
    return row[0] if row else None


def corpus_for_cluster(db: Database, cluster_id: int, limit: int = 50) -> list[CorpusRow]:
    """Corpus documents linked to a cluster, best score first."""
    cursor = db.conn.execute("""
        SELECT a.id, a.title, coalesce(a.source_host, a.source_path, ''), a.published_at, l.score, l.terms
        FROM corpus_links l JOIN articles a ON a.id = l.article_id
        WHERE l.cluster_id = ? ORDER BY l.score DESC, a.id LIMIT ?""", [cluster_id, limit])
    return [CorpusRow(r[0], r[1], r[2], r[3], r[4], _terms(r[5])) for r in cursor]


def corpus_documents(db: Database, limit: int = 500) -> list[CorpusRow]:
    """The whole corpus (first `limit` documents), newest first."""
    cursor = db.conn.execute("""
        SELECT id, title, coalesce(source_host, source_path, ''), published_at FROM articles
        WHERE origin = 'corpus' ORDER BY published_at DESC, id LIMIT ?""", [limit])
    return [CorpusRow(r[0], r[1], r[2], r[3]) for r in cursor]


def article_detail(db: Database, article_id: int) -> ArticleDetail | None:
    row = db.conn.execute("""
        SELECT a.id, a.title, a.text, a.origin, a.url, coalesce(a.source_host, a.source_path, ''), f.name,
               a.author, a.published_at, a.published_estimated, a.language, a.extraction_status,
               a.status, a.starred, s.cluster_id, s.reason, s.terms, a.summary
        FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id LEFT JOIN assignments s ON s.article_id = a.id
        WHERE a.id = ?""", [article_id]).fetchone()
    if row is None:
        return None
    tags = tuple(r[0] for r in db.conn.execute(
        "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = ? ORDER BY t.name",
        [article_id]))
    notes = tuple(r[0] for r in db.conn.execute(
        "SELECT body FROM notes WHERE article_id = ? ORDER BY id", [article_id]))
    return ArticleDetail(id=row[0], title=row[1], text=row[2] or row[17] or "", origin=row[3], url=row[4],
                         source=row[5], feed=row[6], author=row[7], published_at=row[8],
                         published_estimated=bool(row[9]), language=row[10], extraction_status=row[11],
                         status=row[12], starred=bool(row[13]), cluster_id=row[14], reason=row[15] or "",
                         terms=_terms(row[16]), tags=tags, notes=notes)


def cluster_notes(db: Database, cluster_id: int) -> list[str]:
    return [r[0] for r in db.conn.execute("SELECT body FROM notes WHERE cluster_id = ? ORDER BY id", [cluster_id])]


def all_tags(db: Database) -> list[str]:
    return [r[0] for r in db.conn.execute("SELECT name FROM tags ORDER BY name COLLATE NOCASE")]


def feed_names(db: Database) -> list[str]:
    return [r[0] for r in db.conn.execute("SELECT name FROM feeds ORDER BY name COLLATE NOCASE")]


def feed_tags(db: Database) -> list[str]:
    """Every tag a feed carries (lower case, as the feed-tag filter compares them)."""
    return [r[0] for r in db.conn.execute(
        "SELECT DISTINCT lower(j.value) FROM feeds f, json_each(f.tags) j ORDER BY 1")]


def failing_feeds(db: Database) -> list[tuple[str, str]]:
    """(name, last error) of enabled feeds whose last poll failed."""
    return [(r[0], r[1] or "") for r in db.conn.execute(
        f"SELECT name, last_error FROM feeds WHERE {FAILING_FEED} ORDER BY name")]


def status_summary(db: Database, now: datetime | None = None) -> StatusSummary:
    now = now or datetime.now(timezone.utc)
    today = now.astimezone(timezone.utc).strftime("%Y-%m-%dT00:00:00Z")
    one = lambda sql, p=(): db.conn.execute(sql, p).fetchone()[0]  # noqa: E731
    by_origin = stats.articles_by_origin(db)
    feeds = stats.feed_counts(db)
    return StatusSummary(
        last_poll=stats.last_poll(db),
        next_poll=one("SELECT min(next_poll_at) FROM feeds WHERE enabled"),
        feeds=feeds.enabled,
        feeds_failing=feeds.failing,
        articles_today=one("SELECT count(*) FROM articles WHERE origin = 'feed' AND created_at >= ?", (today,)),
        feed_articles=by_origin["feed"],
        corpus_documents=by_origin["corpus"],
        clusters=stats.event_clusters(db),
    )


SINCE_LIMIT = 100 * 366 * 86400  # a window further back than a century is a typo (and overflows dates)


def since_iso(window: str, now: datetime | None = None) -> str:
    """'24h', '7d', '90m' -> the ISO instant that far back (ValueError for anything else, or
    further back than SINCE_LIMIT)."""
    now = now or datetime.now(timezone.utc)
    return to_iso(now - timedelta(seconds=parse_duration(window, SINCE_LIMIT)))


def data_version(db: Database) -> int:
    """Changes when another connection commits: the dashboard's cue to reload."""
    return db.conn.execute("PRAGMA data_version").fetchone()[0]
