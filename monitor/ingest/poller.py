"""poll_once: the one code path for `monitor poll` under cron and the dashboard's poll worker."""
from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable, Iterable, TypeVar

from monitor.config import Config
from monitor.ingest.cycle import Cycle, FeedOutcome
from monitor.ingest.deadline import PollDeadline
from monitor.ingest.feed_state import MAX_RETRY_AFTER
from monitor.ingest.live_clustering import LiveClustering
from monitor.ingest.lock import PollLocked, poll_lock
from monitor.ingest.watch_run import run_watch_rules
from monitor.store import open_db
from monitor.store.db import DatabaseLocked, StoreError, storage_errors
from monitor.store.feeds import due_feeds, sync_feeds
from monitor.store.polls import finish_run, start_run
from monitor.store.watch import WatchHit, sync_watch_rules
from monitor.text.plural import counted
from monitor.timeutil import now_iso, to_iso, utcnow
from monitor.vocab import RunStatus

log = logging.getLogger("monitor.ingest")

__all__ = ["PollLocked", "PollSummary", "poll_once"]
T = TypeVar("T")


@dataclass(frozen=True)
class PollSummary:
    feeds_polled: int = 0
    not_modified: int = 0
    failed: int = 0
    new_articles: int = 0
    extraction_failures: int = 0
    extraction_retried: int = 0  # earlier failures whose page text arrived this time
    extraction_retry_failures: int = 0  # of extraction_failures, earlier articles whose page failed again
    assigned: int | None = None  # articles clustered afterwards; None when clustering is absent
    cluster_seconds: float = 0.0  # part of `seconds` spent clustering (assign_pending)
    started_at: str = ""
    finished_at: str = ""
    seconds: float = 0.0
    feeds: tuple[FeedOutcome, ...] = field(default_factory=tuple)
    errors: tuple[str, ...] = ()  # problems outside any one feed (clustering, the poll's deadline, watch commands)
    unfinished: int = 0  # feeds the poll's deadline stopped; they are due at the next run
    watch_hits: tuple[WatchHit, ...] = ()  # new articles the [[watch]] rules matched

    @property
    def status(self) -> RunStatus:
        return "ok" if not self.failed and not self.errors else "partial"

    def to_dict(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in ("feeds_polled", "not_modified", "failed", "new_articles",
                                               "extraction_failures", "extraction_retry_failures",
                                               "extraction_retried", "assigned",
                                               "cluster_seconds", "started_at", "finished_at", "seconds",
                                               "unfinished")}
        data["status"] = self.status
        data["feeds"] = [f.to_dict() for f in self.feeds]
        data["errors"] = list(self.errors)
        data["watch_hits"] = [h.to_dict() for h in self.watch_hits]
        return data


def _assign(db, config: Config) -> tuple[int | None, str | None]:
    """Cluster every unassigned article: what was just stored, and what an earlier run stored but
    did not cluster (killed while clustering) even when this poll brings nothing new. A failure
    here loses nothing (the next run assigns them)."""
    from monitor.cluster.assign import assign_backlog

    try:
        return len(assign_backlog(db, config.cluster)), None
    except StoreError as exc:  # a full disk: one line, no traceback
        return None, f"clustering failed: {exc}"
    except Exception as exc:  # stored articles are safe; the next poll or the dashboard assigns them
        log.exception("clustering after the poll failed")
        return None, f"clustering failed: {type(exc).__name__}: {exc}"


def _tolerate_refused_write(write: Callable[[], T]) -> T | str:
    """The write's result, or why the database refused it (full, read-only): the poll goes on
    without it and reports it; anything else is raised, a database another program keeps locked
    too (one line at once: every later write would wait its busy timeout in vain)."""
    try:
        return write()
    except DatabaseLocked:
        raise
    except StoreError as exc:  # reported once, in the summary's errors
        return str(exc)


def poll_once(db_path: str | os.PathLike, config: Config, *, force: bool = False, feed_names: Iterable[str] = (),
              tags: Iterable[str] = (), progress: Callable[[dict[str, Any]], None] | None = None,
              cluster: bool = True, live_every: float | None = None) -> PollSummary:
    """Poll the due feeds once (all of them with force), store new articles, cluster them
    (unless `cluster` is false: the benchmarks measure ingestion alone; the next run assigns them).
    With `live_every` (the dashboard), what is stored is also clustered every so many seconds while
    the poll runs (live_clustering.py).

    Raises PollLocked at once when another run holds the poll lock for this database.
    `progress` receives small dicts: {"kind": "start", "total"}, then one
    {"kind": "feed", "done", "total", "name", "outcome", "new_articles", "error", ...} per
    feed as it finishes, then {"kind": "done", "summary": PollSummary.to_dict()}.
    """
    feed_names, tags = tuple(feed_names), tuple(tags)
    started, clock = now_iso(), time.perf_counter()
    deadline = PollDeadline.starting_now(config.poll.poll_deadline)
    with poll_lock(db_path), storage_errors():
        db = open_db(db_path)
        try:
            refused = _tolerate_refused_write(lambda: sync_feeds(db, config.feeds))
            _tolerate_refused_write(lambda: sync_watch_rules(db, config.watch))  # a new rule watches from this poll on
            run_id = _tolerate_refused_write(lambda: start_run(db))
            feeds = due_feeds(db, now_iso(), force=force, names=feed_names, tags=tags, horizon=schedule_horizon(config))
            scope = {f.id for f in feeds} if (feed_names or tags) else None
            cycle = Cycle(db, config.poll, progress, deadline)
            if cluster and live_every:
                with LiveClustering(db_path, config.cluster, live_every):
                    outcomes = asyncio.run(cycle.run(feeds, scope))
            else:
                outcomes = asyncio.run(cycle.run(feeds, scope))
            new = sum(o.new_articles for o in outcomes)
            cluster_clock = time.perf_counter()
            deadline_error: str | None = None
            if cycle.unfinished or cycle.deferred:
                # Out of time: the lock goes to the next run now; it (or the dashboard) clusters these.
                deadline_error = (f"the poll's deadline of {deadline.seconds:g} s passed: "
                                  f"{counted(cycle.unfinished, 'feed')} and "
                                  f"{counted(cycle.deferred, 'article page')} left for the next run")
                assigned, error = None, None
            else:
                assigned, error = _assign(db, config) if cluster else (0, None)
            cluster_seconds = round(time.perf_counter() - cluster_clock, 3)
            store_failures = sorted(cycle.store_failures | ({refused} if isinstance(refused, str) else set()))
            if store_failures:  # nothing is lost: feeds keep their old state and are fetched again
                error = f"database: {store_failures[0]}; what could not be stored comes again at the next poll"
            watched = run_watch_rules(db, config.watch, run_id if isinstance(run_id, int) else None)
            summary = PollSummary(
                feeds_polled=len(outcomes), not_modified=sum(o.outcome == "not_modified" for o in outcomes),
                failed=sum(o.outcome in ("failed", "not_feed") for o in outcomes), new_articles=new,
                extraction_failures=sum(o.extraction_failures for o in outcomes) + cycle.retry_failures,
                extraction_retry_failures=cycle.retry_failures, extraction_retried=cycle.retried,
                assigned=assigned, cluster_seconds=cluster_seconds,
                started_at=started, finished_at=now_iso(),
                seconds=round(time.perf_counter() - clock, 3),
                feeds=tuple(sorted(outcomes, key=lambda o: o.name.lower())),
                errors=tuple(e for e in (deadline_error, error) if e) + watched.errors, unfinished=cycle.unfinished,
                watch_hits=watched.hits)
            if isinstance(run_id, int):
                _tolerate_refused_write(lambda: finish_run(db, run_id, summary.status, summary.to_dict()))
            if progress is not None:
                try:
                    progress({"kind": "done", "summary": summary.to_dict()})
                except Exception:
                    log.debug("progress callback failed", exc_info=True)
            return summary
        finally:
            db.close()


def schedule_horizon(config: Config) -> str:
    """The farthest from now a feed's next poll can lie (its interval, the longest backoff, the
    longest Retry-After honoured, with room for rounding): past it, a clock that was ahead wrote it."""
    longest = max([config.poll.interval, config.poll.backoff_max, MAX_RETRY_AFTER,
                   *(f.interval for f in config.feeds if f.interval)])
    return to_iso(utcnow() + timedelta(seconds=longest + 60))
