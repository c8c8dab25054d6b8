"""A worker's new articles, stored a few at a time: the pages that are already waiting are
extracted back to back, then their articles are built and inserted in one transaction.

Why: between two trafilatura calls, the figures, the article's insert with its stemmed search
entry and the COMMIT each ran cold; done for a few pages in a row they cost less (see
docs/2026-11-26-ingest-worker-profile.md, 2026-11-27). Nothing waits for a page that has not
arrived: a batch is stored as soon as the worker has no other job waiting, holds at most
BATCH_PAGES articles, and is stored once its first page has waited BATCH_SECONDS.

A worker that dies (killed by the watchdog, out of memory) loses its uncommitted batch: SQLite
rolls it back, and the poll fetches those pages again (WorkerDied, see monitor.ingest.cycle).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

from monitor.ingest.articles import NewItem, store_articles
from monitor.ingest.jobs import NewArticle, PageResult
from monitor.store.db import DatabaseLocked, StoreError

_STORE_ERRORS: dict[str, type[StoreError]] = {cls.__name__: cls for cls in (StoreError, DatabaseLocked)}
BATCH_PAGES = 4
BATCH_SECONDS = 0.2

Reply = tuple[int, bool, Any]  # (job id, ok, the PageResult or the failure's text)


def failure_text(exc: Exception) -> str:
    """A job's failure as the poll receives it (exceptions need not pickle)."""
    return f"{type(exc).__name__}: {exc}"


def failure_of(text: str) -> Exception:
    """The poll's exception for a job's failure text: a database that refused the article (a full
    disk, read-only, locked past the busy timeout) is the StoreError the poll says once for all
    its feeds, anything else a RuntimeError."""
    kind, _, message = text.partition(": ")
    refused = _STORE_ERRORS.get(kind)
    return refused(message) if refused is not None else RuntimeError(text)


@dataclass(frozen=True)
class _Waiting:
    job_id: int
    new: NewItem
    error: str | None  # the PageResult's error


class PageBatch:
    """Extracted pages whose articles are not stored yet, all for one database file."""

    def __init__(self, database: Callable[[str], Any]) -> None:
        self._database = database  # a database file's connection, opened by the worker
        self._waiting: list[_Waiting] = []
        self._path = ""
        self._since = 0.0

    def __len__(self) -> int:
        return len(self._waiting)

    def first_job(self) -> int:
        return self._waiting[0].job_id

    def accepts(self, article: NewArticle) -> bool:
        return not self._waiting or article.db_path == self._path

    def add(self, job_id: int, article: NewArticle, new: NewItem, error: str | None) -> None:
        if not self._waiting:
            self._path, self._since = article.db_path, time.monotonic()
        self._waiting.append(_Waiting(job_id, new, error))

    def due(self, nothing_waiting: bool) -> bool:
        """Whether to store the batch now: no job is waiting, or it is full, or its first page has waited."""
        return bool(self._waiting) and (nothing_waiting or len(self._waiting) >= BATCH_PAGES
                                        or time.monotonic() - self._since >= BATCH_SECONDS)

    def store(self) -> list[Reply]:
        """Store the batch in one transaction; after a failure, each article alone, so that one
        article's failure is its job's answer and the others are stored as they were before (a
        database that refused the batch is every job's answer)."""
        waiting, self._waiting = self._waiting, []
        try:
            stored = store_articles(self._database(self._path), [w.new for w in waiting])
        except Exception as exc:
            if len(waiting) == 1 or isinstance(exc, StoreError):  # (the database refuses each alone too:
                return [(w.job_id, False, failure_text(exc)) for w in waiting]  # no busy timeout each)
            return [self._alone(w) for w in waiting]
        return [(w.job_id, True, PageResult(w.error, stored=s)) for w, s in zip(waiting, stored)]

    def _alone(self, waiting: _Waiting) -> Reply:
        try:
            stored = store_articles(self._database(self._path), [waiting.new])[0]
        except Exception as exc:
            return waiting.job_id, False, failure_text(exc)
        return waiting.job_id, True, PageResult(waiting.error, stored=stored)
