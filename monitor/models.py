"""Data that crosses stage boundaries: small frozen dataclasses, not dicts."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


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

    origin: str  # 'feed' | 'corpus'
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
    extraction_status: str = "none"  # none | page | feed_content | summary | failed
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
    method: str = "auto"  # auto | analyst
    new_cluster: bool = False
