"""A FeedItem plus (maybe) its page text -> one Article, choosing the best text available.

The fallback chain is page text, then the feed's full content, then its summary. When
the page could not be fetched or read, the error stays on the article so a later poll
retries it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sqlite_utils import Database

from monitor.ingest.extract import PageText
from monitor.ingest.jobs import Stored
from monitor.ingest.urls import host_of
from monitor.models import Article, FeedItem
from monitor.store.articles import content_hash, insert_article
from monitor.store.db import write_transaction
from monitor.store.figures import insert_figures
from monitor.text.figures import article_figures
from monitor.timeutil import to_iso, utcnow
from monitor.vocab import ExtractionStatus

GENERATED_TITLE_CHARS = 90


def _title_from(text: str) -> str:
    first = text.strip().split("\n", 1)[0]
    if len(first) <= GENERATED_TITLE_CHARS:
        return first
    return first[:GENERATED_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def choose_text(item: FeedItem, page: PageText | None, page_error: str | None) -> tuple[str, ExtractionStatus, str | None]:
    """(text, extraction_status, extraction_error)."""
    page_text = page.text if page and page.text else ""
    error = page_error or (page.error if page else None)
    if page_text and not (item.content and len(item.content) > 2 * len(page_text)):
        return page_text, "page", None
    if item.content:
        # A page shorter than half the feed's own full text is a stub (paywall, teaser): no retry.
        return item.content, "feed_content", None if page_text else error
    if item.summary:
        return item.summary, "summary", error
    return "", "failed", error or "no text: no page, no content and no summary in the feed"


def build_article(item: FeedItem, page: PageText | None, page_error: str | None, fetched_at: str,
                  feed_url: str | None = None) -> Article:
    text, status, error = choose_text(item, page, page_error)
    title = item.title or (page.title if page and page.title else "")
    generated = False
    if not title:
        title, generated = _title_from(text or item.summary or "") or "(untitled)", True
    meta: dict[str, str] = {}
    if item.published_claimed:
        meta["feed_date"] = item.published_claimed  # not believed: in the future when fetched
    if page is not None:
        for key in ("charset", "date", "title"):
            value = getattr(page, key)
            if value:
                meta[f"page_{key}"] = value
    return Article(
        origin="feed", title=title, text=text, content_hash=content_hash(title, text), url=item.url,
        guid=item.guid, feed_id=item.feed_id, source_host=host_of(item.url) or host_of(feed_url),
        title_generated=generated, author=item.author or (page.author if page else None),
        published_at=item.published_at, published_estimated=item.published_estimated, fetched_at=fetched_at,
        summary=item.summary, language=page.language if page else None, extraction_status=status,
        extraction_error=error, meta=meta)


@dataclass(frozen=True)
class NewItem:
    """A new feed item with its page (or why there is none): what one article is built from."""

    item: FeedItem
    page: PageText | None
    page_error: str | None
    feed_url: str | None


def store_article(db: Database, item: FeedItem, page: PageText | None, page_error: str | None,
                  feed_url: str | None) -> Stored:
    """Build and insert the article for a new item, whole, in one short transaction."""
    return store_articles(db, [NewItem(item, page, page_error, feed_url)])[0]


def store_articles(db: Database, new: Sequence[NewItem]) -> list[Stored]:
    """Build and insert the articles for several new items in one short transaction (an extraction
    worker's batch: one COMMIT, and the inserts back to back while SQLite's pages are warm).
    All are stored or none: a caller that must not lose the others stores them one by one after a failure."""
    built = []
    for one in new:  # CPU work (the figures): before the lock
        article = build_article(one.item, one.page, one.page_error, to_iso(utcnow()), one.feed_url)
        built.append((article, article_figures(article.title, article.text, article.language)))
    stored = []
    with write_transaction(db):
        for article, figures in built:
            article_id = insert_article(db, article)
            if article_id is not None and figures is not None:
                insert_figures(db, article_id, article.content_hash, figures)
            stored.append(Stored(article_id,
                                 article.extraction_error is not None or article.extraction_status == "failed"))
    return stored
