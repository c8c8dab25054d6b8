"""What crosses the pipe between a poll and its extraction workers, as typed values.

The poll sends a worker a PageJob (a few bytes: the URL, whether metadata is wanted, and for a new
article the feed item to store with the page); the worker fetches the page, extracts it and, for a
new article, stores it in a short transaction (with the few others whose pages arrived together),
then answers with a PageResult. A stored article's text never comes back to the poll's process:
only its id does.
"""
from __future__ import annotations

from dataclasses import dataclass

from monitor.ingest.extract import PageText
from monitor.models import FeedItem


@dataclass(frozen=True)
class NewArticle:
    """The feed item a worker stores with its page, and where."""

    item: FeedItem
    feed_url: str
    db_path: str  # the poll's database file


@dataclass(frozen=True)
class PageJob:
    url: str
    with_metadata: bool  # title, author and date from the page (the feed lacked them)
    article: NewArticle | None = None  # None: only extract (a retried page), the text comes back
    trusted: str | None = None  # the feed's URL: a page on its origin may be on any address


@dataclass(frozen=True)
class Stored:
    """An article a worker (or the poll) stored."""

    article_id: int | None  # None: another run stored that URL or guid first
    extraction_failed: bool  # stored with the feed's own text and an error, to be retried


@dataclass(frozen=True)
class PageResult:
    error: str | None  # why there is no page text: the fetch, or the extraction
    page: PageText | None = None  # only for a job without an article (and only when the page came)
    stored: Stored | None = None  # only for a job with an article
