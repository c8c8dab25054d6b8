"""Data that crosses stage boundaries: small frozen dataclasses, not dicts."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from monitor.vocab import AssignmentMethod, ExtractionStatus, Origin, PlaceKind


@dataclass(frozen=True)
class FeedItem:
    """One entry read from a feed, before its page is fetched."""

    feed_id: int
    url: str | None  # canonical: tracking parameters removed, relative links resolved
    guid: str | None
    title: str
    published_at: str | None  # ISO UTC; fetch time when the feed gave none
    published_estimated: bool
    summary: str | None  # plain text
    content: str | None  # full content the feed carried (plain text), if any
    author: str | None = None
    published_claimed: str | None = None  # the feed's date when it lay in the future (published_at is then the fetch time)


@dataclass(frozen=True)
class Article:
    """An article ready to be stored: from a feed (with its page text) or from the corpus."""

    origin: Origin
    title: str
    text: str
    content_hash: str
    url: str | None = None
    guid: str | None = None
    feed_id: int | None = None
    source_host: str | None = None
    source_path: str | None = None
    title_generated: bool = False
    author: str | None = None
    published_at: str | None = None
    published_estimated: bool = False
    fetched_at: str | None = None
    summary: str | None = None
    language: str | None = None
    extraction_status: ExtractionStatus = "none"
    extraction_error: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Assignment:
    """Where the clusterer put an article, and why."""

    article_id: int
    cluster_id: int
    score: float
    terms: tuple[str, ...] = ()
    dup_of: int | None = None
    dup_score: float | None = None
    reason: str = ""
    method: AssignmentMethod = "auto"
    new_cluster: bool = False


@dataclass(frozen=True)
class Place:
    """A place resolved through the gazetteer: GeoNames id, English name, ISO country, kind."""

    id: int
    name: str
    country: str
    kind: PlaceKind
    population: int = 0


@dataclass(frozen=True)
class ArticleIdentity:
    """Who, where, which numbers and which language one article names (title and lead)."""

    language: str  # ISO 639-1, declared or detected; '' when unknown
    places: tuple[Place, ...] = ()
    names: tuple[tuple[str, str], ...] = ()  # (matching key, the form the text writes)
    numbers: tuple[str, ...] = ()
    days: tuple[int, ...] = ()  # weekdays named, 0 is Monday (cluster/weekdays.py)

    @property
    def cities(self) -> frozenset[int]:
        return frozenset(p.id for p in self.places if p.kind == "city")

    @property
    def name_keys(self) -> frozenset[str]:
        return frozenset(k for k, _ in self.names)


@dataclass(frozen=True)
class Mentioned:
    """A place, name or language an event's members name, and how many members name it."""

    name: str
    articles: int


@dataclass(frozen=True)
class EventIdentity:
    """An event's top places and names (where and who) and its languages, most named first."""

    places: tuple[Mentioned, ...] = ()
    names: tuple[Mentioned, ...] = ()
    languages: tuple[Mentioned, ...] = ()
