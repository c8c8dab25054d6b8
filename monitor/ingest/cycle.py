"""One poll cycle, asynchronously: fetch feeds, parse them and fetch and extract pages in the
extraction workers, store.

Feed requests run on the event loop; article pages are fetched by the extraction workers
that extract them, under this loop's politeness limits (see monitor.ingest.workers); CPU
work (feedparser, trafilatura) runs in those workers, and SQLite in one database thread,
so none of them blocks the others. Each new
article is committed whole, in one short transaction (a worker's holds the few articles whose
pages arrived together: monitor.ingest.page_batch); a feed's state (ETag, next poll) is written
only after its articles, so a killed run refetches that feed.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable

from sqlite_utils import Database

from monitor.config import PollConfig
from monitor.ingest import feed_state
from monitor.ingest.articles import store_article
from monitor.ingest.deadline import PollDeadline
from monitor.ingest.extract import PageText
from monitor.ingest.fetch import Fetcher
from monitor.ingest.gate import Gate
from monitor.ingest.jobs import NewArticle, PageJob, PageResult, Stored
from monitor.ingest.parse import ParsedFeed, parse_feed
from monitor.ingest.unreachable import HostDown, UnreachableHosts
from monitor.ingest.urls import is_fetchable
from monitor.ingest.workers import ExtractionTimedOut, WorkerDied, get_workers, worker_count
from monitor.models import FeedItem
from monitor.store.articles import content_hash, known_urls_and_guids
from monitor.store.db import StoreError, database_file, storage_errors
from monitor.store.feeds import FeedContent, FeedState, PollRecord, record_poll
from monitor.store.polls import articles_to_retry, update_extraction
from monitor.text.figures import article_figures
from monitor.text.plural import counted
from monitor.timeutil import to_iso, utcnow
from monitor.vocab import PollOutcome

log = logging.getLogger("monitor.ingest")
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
MAX_EXTRACTION_ATTEMPTS = 5
STOP_GRACE = 10.0  # seconds past the poll's deadline for feeds to record what they have


@dataclass(frozen=True)
class FeedOutcome:
    feed_id: int
    name: str
    outcome: PollOutcome
    status: int | None
    new_articles: int = 0
    extraction_failures: int = 0
    entries: int = 0
    error: str | None = None
    notes: tuple[str, ...] = ()  # what was recorded beside the outcome: item cap, shared guids

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "notes": list(self.notes)}


class Cycle:
    def __init__(self, db: Database, poll: PollConfig, progress: Callable[[dict[str, Any]], None] | None = None,
                 deadline: PollDeadline | None = None):
        self.db = db
        self.deadline = deadline or PollDeadline.starting_now(poll.poll_deadline)
        self.unfinished = 0  # feeds the poll's deadline stopped before they were done
        self.deferred = 0  # pages the poll's deadline left for the next run
        self.db_path = database_file(db)  # where the extraction workers store articles ("" in memory)
        self.poll = poll
        self.progress = progress
        self.claimed: set[str] = set()  # URLs another feed is already storing this cycle
        self.unreachable = UnreachableHosts()  # page hosts this poll stopped asking (their pages wait)
        self.not_asked: dict[str, tuple[int, str]] = {}  # feed URL -> (its pages not fetched so, the last HostDown.why)
        self.retried = 0
        self.retry_failures = 0
        self.store_failures: set[str] = set()  # the database refused writes (disk full, read-only)

    def emit(self, **event: Any) -> None:
        if self.progress is not None:
            try:
                self.progress(event)
            except Exception:  # a broken progress display must not break polling
                log.debug("progress callback failed", exc_info=True)

    async def in_db(self, fn: Callable, *args: Any, **kwargs: Any) -> Any:
        def call() -> Any:
            with storage_errors():  # a full, read-only or corrupt database: StoreError, one line
                return fn(*args, **kwargs)

        return await asyncio.get_running_loop().run_in_executor(self.db_thread, call)

    async def in_worker(self, fn: Callable, *args: Any) -> Any:
        try:
            return await self.workers.call(fn, *args)
        except WorkerDied:  # out of memory, killed: its replacement gets one more try
            log.warning("an extraction worker died; trying %s again", fn.__name__)
            return await self.workers.call(fn, *args)

    async def run(self, feeds: list[FeedState], retry_feed_ids: set[int] | None) -> list[FeedOutcome]:
        retries = self.poll.fetch_pages and (retry_feed_ids is None or bool(retry_feed_ids))
        if not feeds and not (retries and articles_to_retry(self.db, MAX_EXTRACTION_ATTEMPTS, limit=1)):
            self.emit(kind="start", total=0)  # nothing to fetch: no extraction workers started (~1 s of CPU
            return []  # for each idle cron run)
        count = worker_count(self.poll.extract_workers)
        self.workers = get_workers(count)
        # Pages between fetch and extraction hold their bodies in memory: keep that bounded.
        self.page_slots = Gate(max(self.poll.concurrency, 4 * count))
        self.db_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="monitor-db")
        self.emit(kind="start", total=len(feeds))
        done = 0
        self.workers.attach(self.poll)
        try:
            async with Fetcher(self.poll) as self.fetcher:
                tasks: list[asyncio.Task[Any]] = [asyncio.create_task(self.poll_feed(feed)) for feed in feeds]
                if self.poll.fetch_pages:
                    tasks.append(asyncio.create_task(self.retry_extractions(retry_feed_ids)))
                outcomes: list[FeedOutcome] = []
                try:
                    # Past the deadline no work starts and feeds record what they have; the grace
                    # covers those last writes, then whatever still runs is stopped.
                    for future in asyncio.as_completed(tasks, timeout=self.deadline.left() + STOP_GRACE):
                        result = await future
                        if isinstance(result, FeedOutcome):
                            outcomes.append(result)
                            done += 1
                            self.emit(kind="feed", done=done, total=len(feeds), **result.to_dict())
                except TimeoutError:
                    for task in tasks:
                        task.cancel()
                    await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            self.workers.detach()
            self.db_thread.shutdown(wait=True)
        self.unfinished = len(feeds) - len(outcomes)
        if self.unfinished or self.deferred:
            log.warning("the poll's deadline (%g s) passed: %s and %s left for the next run",
                        self.deadline.seconds, counted(self.unfinished, "feed"), counted(self.deferred, "page"))
        return outcomes

    # --- one feed ------------------------------------------------------------------
    async def poll_feed(self, feed: FeedState) -> FeedOutcome | None:
        """The feed's outcome, recorded; None when the poll's deadline passed before its feed
        document came (nothing recorded: it is due at the next run)."""
        try:
            return await self._poll_feed(feed)
        except TimeoutError:
            return None
        except StoreError as exc:  # disk full, read-only: one line; the next poll fetches it again
            self.store_failures.add(str(exc))
            return FeedOutcome(feed.id, feed.name, "failed", None, error=f"database: {exc}")
        except Exception as exc:  # a bug for one feed must not lose the cycle: record it, go on
            log.exception("polling %s failed", feed.name)
            return await self.failed(feed, None, f"internal error: {type(exc).__name__}: {exc}", None, "failed")

    async def _poll_feed(self, feed: FeedState) -> FeedOutcome:
        now = utcnow()
        result = await self.deadline.within(self.fetcher.get(feed.poll_url, trusted=feed.url, etag=feed.etag,
                                                             last_modified=feed.last_modified, accept=FEED_ACCEPT))
        moved = self.moved(feed, result.moved_to)
        if result.not_modified:
            await self.record(feed, feed_state.not_modified(feed, self.poll, now, moved))
            log.info("%s: not modified", feed.name)
            return FeedOutcome(feed.id, feed.name, "not_modified", 304)
        if not result.ok:
            return await self.failed(feed, result.status, result.error or "no response", result.retry_after, "failed")
        try:
            parsed: ParsedFeed = await self.in_worker(parse_feed, result.body, result.headers, result.final_url,
                                                    feed.id, to_iso(now), self.poll.max_items)
        except ExtractionTimedOut as exc:
            return await self.failed(feed, result.status, f"parsing the feed {exc}", None, "failed")
        if parsed.not_feed:
            return await self.failed(feed, result.status, parsed.not_feed, None, "not_feed")
        new_items = await self.in_db(self.new_items, feed.id, parsed.items)
        stored = await asyncio.gather(*(self.store_item(item, feed.url) for item in new_items), return_exceptions=True)
        broken = [s for s in stored if isinstance(s, BaseException)]
        added = [s for s in stored if s is not None and not isinstance(s, BaseException)]
        if broken:
            # Keep the old ETag so the next poll brings these items back and tries again.
            if isinstance(broken[0], StoreError):  # disk full, read-only: said once for the whole poll
                self.store_failures.add(str(broken[0]))
                return FeedOutcome(feed.id, feed.name, "failed", result.status, len(added),
                                   sum(1 for s in added if s), parsed.entries, f"database: {broken[0]}")
            log.error("%s: %d articles could not be stored", feed.name, len(broken), exc_info=broken[0])
            error = f"{len(broken)} articles could not be stored: {type(broken[0]).__name__}: {broken[0]}"
            await self.failed(feed, result.status, error, None, "failed")
            return FeedOutcome(feed.id, feed.name, "failed", result.status, len(added), sum(1 for s in added if s),
                               parsed.entries, error)
        failures = sum(1 for s in added if s)
        for note in parsed.notes:  # once per feed and poll, not once per item
            log.warning("%s: %s", feed.name, note)
        problem = "; ".join(p for p in (parsed.problem, *parsed.notes) if p) or None
        content = FeedContent(result.headers.get("etag"), result.headers.get("last-modified"), parsed.format,
                              parsed.entries, problem)
        record = feed_state.fetched(feed, self.poll, now, content, moved, partial=bool(parsed.problem))
        await self.record(feed, record)
        log.info("%s: %d entries, %d new%s", feed.name, parsed.entries, len(added),
                 f" (problem: {parsed.problem})" if parsed.problem else "")
        return FeedOutcome(feed.id, feed.name, record.outcome, 200, len(added), failures, parsed.entries,
                           parsed.problem, parsed.notes + self._not_asked_note(feed.url))

    def _not_asked_note(self, feed_url: str) -> tuple[str, ...]:
        """The poll summary's note on the feed's pages left for a later poll (unreachable.py)."""
        count, why = self.not_asked.pop(feed_url, (0, ""))
        return (f"{counted(count, 'article page')} left for a later poll, {why}",) if count else ()

    @staticmethod
    def moved(feed: FeedState, target: str | None) -> str | None:
        """The permanent redirect's target when it took the feed somewhere new (logged once)."""
        moved = feed_state.newly_moved(feed, target)
        if moved:
            log.warning("%s: moved permanently to %s (polled there from now on; update feeds.toml)", feed.name, moved)
        return moved

    async def record(self, feed: FeedState, record: PollRecord) -> None:
        await self.in_db(record_poll, self.db, feed.id, record)

    async def failed(self, feed: FeedState, status: int | None, error: str, retry_after: float | None,
                     outcome: PollOutcome) -> FeedOutcome:
        record = feed_state.failed(feed, self.poll, utcnow(), status, error, retry_after, outcome)
        try:
            await self.record(feed, record)
        except StoreError as exc:  # the failure is still reported; the feed is simply due again
            self.store_failures.add(str(exc))
        log.warning("%s: %s (failure %d, next try at %s)", feed.name, error, record.error_count, record.next_poll_at)
        return FeedOutcome(feed.id, feed.name, outcome, status, error=error)

    def new_items(self, feed_id: int, items: tuple[FeedItem, ...]) -> list[FeedItem]:
        """Items not stored yet (by canonical URL, or guid within the feed) and not claimed this cycle."""
        urls, guids = known_urls_and_guids(self.db, feed_id, [i.url for i in items if i.url],
                                           [i.guid for i in items if i.guid])
        fresh = []
        for item in items:
            if (item.url and (item.url in urls or item.url in self.claimed)) or (item.guid and item.guid in guids):
                continue
            if item.url:
                self.claimed.add(item.url)
            fresh.append(item)
        return fresh

    # --- one article ---------------------------------------------------------------
    async def run_page_job(self, job: PageJob) -> PageResult:
        """The job's PageResult from an extraction worker; a job whose worker died (out of memory,
        killed) gets one more try on its replacement. WorkerDied and ExtractionTimedOut otherwise.
        The job's `trusted` URL is its feed's: a page on its origin may be on any address
        (monitor.ingest.addresses)."""
        async with self.page_slots:
            try:
                return await self._page_job(job)
            except WorkerDied:
                log.warning("an extraction worker died; fetching %s again", job.url)
                return await self._page_job(job)

    async def _page_job(self, job: PageJob) -> PageResult:
        async with self.fetcher.slot(job.url):  # the limits hold until the page has arrived
            down = self.unreachable.down(job.url)  # found down while this job waited for its slot
            if down is not None:
                raise down
            fetched, rest = await self.workers.fetch_page(job)
        self.unreachable.record(job.url, fetched.unreachable, fetched.error)
        return await rest

    async def fetch_page(self, url: str | None, trusted: str | None,
                         metadata: bool = False) -> tuple[PageText | None, str | None]:
        if not self.poll.fetch_pages or url is None or not is_fetchable(url):
            return None, None
        try:
            result = await self.run_page_job(PageJob(url, metadata, trusted=trusted))
        except (WorkerDied, ExtractionTimedOut) as exc:
            return None, _worker_failure(exc)
        return result.page, result.error

    async def store_item(self, item: FeedItem, feed_url: str) -> bool | None:
        """Store one new item; True when stored with an extraction problem, None when not stored.

        With a page to fetch, the worker that extracts it also stores the article: its text
        never comes back to this process."""
        stored: Stored | None = None
        if self.poll.fetch_pages and item.url is not None and is_fetchable(item.url) and self.db_path:
            metadata = item.published_estimated or not item.title
            job = PageJob(item.url, metadata, NewArticle(item, feed_url, self.db_path), trusted=feed_url)
            try:
                stored = (await self.deadline.within(self.run_page_job(job))).stored
            except (WorkerDied, ExtractionTimedOut) as exc:  # the feed's own text then, and a retry later
                stored = await self.in_db(store_article, self.db, item, None, _worker_failure(exc), feed_url)
            except HostDown as exc:  # the same, without asking a host this poll found down
                stored = await self.in_db(store_article, self.db, item, None, str(exc), feed_url)
                self.not_asked[feed_url] = (self.not_asked.get(feed_url, (0, ""))[0] + 1, exc.why)
            except TimeoutError:  # the poll's deadline: the feed's text now, the page at a later poll
                self.deferred += 1
                error = f"page: not fetched before the poll's deadline ({self.deadline.seconds:g} s)"
                stored = await self.in_db(store_article, self.db, item, None, error, feed_url)
        else:
            stored = await self.in_db(store_article, self.db, item, None, None, feed_url)
        assert stored is not None, "a page job with an article answers with what it stored"
        return None if stored.article_id is None else stored.extraction_failed

    async def retry_extractions(self, feed_ids: set[int] | None) -> None:
        """Articles whose page failed on an earlier poll get another try (a few times)."""
        try:
            rows = await self.in_db(articles_to_retry, self.db, MAX_EXTRACTION_ATTEMPTS)
            await asyncio.gather(*(self.retry_one(row) for row in rows
                                   if feed_ids is None or row["feed_id"] in feed_ids))
        except StoreError as exc:
            self.store_failures.add(str(exc))

    async def retry_one(self, row: dict[str, Any]) -> None:
        try:
            page, error = await self.deadline.within(self.fetch_page(row["url"], row.get("feed_url")))
        except (TimeoutError, HostDown):
            return  # the poll's deadline, or a host this poll found down: this attempt does not count
        except Exception as exc:  # never let one page break the cycle
            page, error = None, f"internal error: {exc}"
        if page is not None and page.text:
            self.retried += 1
            figures = article_figures(row["title"] or "", page.text, row["language"] or page.language)
            await self.in_db(update_extraction, self.db, row["id"], text=page.text, status="page", error=None,
                             content_hash=content_hash(row["title"], page.text), author=page.author,
                             language=page.language, figures=figures)
        else:
            self.retry_failures += 1
            await self.in_db(update_extraction, self.db, row["id"], text=None, status=row["extraction_status"],
                             error=error or "page still unavailable")


def _worker_failure(exc: Exception) -> str:
    """The extraction error an article keeps when its page job ended with its worker."""
    return f"page: extraction {exc}" if isinstance(exc, ExtractionTimedOut) else f"page: {exc}"
