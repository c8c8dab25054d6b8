"""Extraction workers that fetch their own article pages: a page's bytes never cross processes.

Each worker is a forkserver process (see monitor.processes) whose main thread runs the CPU
work (trafilatura, feedparser) while a receiving thread takes the poll's messages and a
few threads fetch pages with PageFetcher (the poller's rules: timeouts, size cap,
redirect cap).
The poll's event loop keeps the politeness limits: it takes a page's host and overall
slots, sends the worker a PageJob (a few bytes: the URL and the feed item, see
monitor.ingest.jobs), and frees the slots when the worker says the page has arrived; the
worker then extracts it, stores the article in a short transaction of its own (with the other
pages that were waiting for its main thread, a few at most: monitor.ingest.page_batch) and
answers with a PageResult holding the article's id (run_page_job).

Why not a ProcessPoolExecutor fed with page bodies: on two cores every page body then
crossed a pipe, the executor's manager and feeder threads woke for it, and the poll's
process spent 4.7 ms of CPU per page beside the 18 ms of extraction (bench_extract). With
the workers fetching and storing, it spends 0.6 ms. In the worker, an asyncio client cost
2.3 ms per page beside trafilatura; blocking clients in threads cost 1.5.

The workers outlive a poll so that a dashboard polling every few minutes pays their
start (importing trafilatura) once. A worker that dies (out of memory, killed) fails its
jobs with WorkerDied and is replaced.
"""
from __future__ import annotations

import asyncio
import atexit
import itertools
import multiprocessing
import os
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable

from monitor.config import PollConfig
from monitor.errors import MonitorError
from monitor.ingest.articles import NewItem, store_article
from monitor.ingest.extract import PageText, extract_page
from monitor.ingest.jobs import PageJob, PageResult
from monitor.ingest.page_batch import PageBatch, failure_of, failure_text
from monitor.processes import ParentLink, cores_to_pin, freeze_heap, pin_to_core, start_helper_processes, worker_start

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_PRELOAD = ["monitor.ingest.parse", "monitor.ingest.fetch", "monitor.ingest.warm"]


class WorkerDied(MonitorError):
    """The worker running a job exited before answering."""


class ExtractionTimedOut(MonitorError):
    """A job ran past PollConfig.extract_timeout: its worker was stopped (and replaced)."""


@dataclass(frozen=True)
class Fetched:
    """What a worker tells the poll as soon as a page's HTTP exchange is over."""

    status: int | None
    final_url: str
    error: str | None  # None when the body arrived and is being extracted
    unreachable: bool = False  # the page's host could not be reached at all (fetch.FetchResult.unreachable)


def worker_count(configured: int) -> int:
    return configured if configured > 0 else (os.cpu_count() or 1)


# --- the worker process ------------------------------------------------------------------
def _serve(conn: Connection, link: ParentLink, current: Any, started: Any, core: int | None = None) -> None:
    """A worker's main thread: CPU jobs one at a time; its fetching threads feed it pages.

    `current` and `started` (shared memory) tell the poll which job runs since when: a job
    stuck in C code holds the interpreter lock, so only another process can see it and stop it.
    `core`: the core the worker and all its threads keep to (monitor.processes.cores_to_pin)."""
    from monitor.ingest.extract import warm_up

    pin_to_core(core)  # first: the threads started below inherit it
    worker_start(link)
    warm_up()  # costs ~1 ms when the forkserver was warmed (it may have started for another pool)
    freeze_heap()  # what is alive now lives as long as the worker (costs ~1 ms after a warm forkserver)
    cpu_jobs: queue.SimpleQueue = queue.SimpleQueue()
    send_lock = threading.Lock()

    def send(message: tuple) -> None:
        with send_lock:
            conn.send(message)

    threading.Thread(target=_receive, args=(conn, cpu_jobs, send), daemon=True, name="receive").start()
    _run_jobs(cpu_jobs, send, current, started)


def _run_jobs(cpu_jobs: queue.SimpleQueue, send: Callable[[tuple], None], current: Any, started: Any) -> None:
    """The main thread's loop: one job at a time; the articles of page jobs that arrive together are
    stored together (monitor.ingest.page_batch). Returns when the poll's process is gone."""
    batch = PageBatch(in_database)

    def store_batch() -> bool:
        started.value = time.monotonic()
        current.value = batch.first_job()  # a transaction stuck on the lock is the watchdog's too
        replies = batch.store()
        current.value = -1
        try:
            for job_id, ok, value in replies:
                send(("done", job_id, ok, value))
        except OSError:  # the poll's process is gone
            return False
        return True

    while True:
        if batch.due(nothing_waiting=cpu_jobs.empty()) and not store_batch():
            return
        job_id, fn, args = cpu_jobs.get()
        article = args[0].article if fn is run_page_job and job_id is not None else None
        if len(batch) and not (article is not None and batch.accepts(article)) and not store_batch():
            return  # a batch holds consecutive page jobs of one database
        started.value = time.monotonic()  # before `current`: the poll never pairs a new job with an old start
        current.value = -1 if job_id is None else job_id
        try:
            if article is not None:
                page, error = page_of(*args)
                batch.add(job_id, article, NewItem(article.item, page, error, article.feed_url), error)
                current.value = -1
                continue
            reply = ("done", job_id, True, fn(*args))
        except Exception as exc:  # the poll gets the failure as text: exceptions need not pickle
            reply = ("done", job_id, False, failure_text(exc))
        current.value = -1
        if job_id is None:
            continue
        try:
            send(reply)
        except OSError:  # the poll's process is gone
            return


def _receive(conn: Connection, cpu_jobs: queue.SimpleQueue, send: Callable[[tuple], None]) -> None:
    """A worker's receiving thread: CPU jobs go to the main thread, pages to fetching threads."""
    from monitor.ingest.fetch import PageFetcher

    fetcher: PageFetcher | None = None
    threads: ThreadPoolExecutor | None = None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            # The poll's process hung up or died: stop now, mid-job or not. An article being
            # written is rolled back by SQLite; nothing is half-stored.
            os._exit(0)
        if message[0] == "call":
            cpu_jobs.put(message[1:])
            continue
        if message[0] == "end" or (message[0] == "page" and fetcher is not None and fetcher.config != message[3]):
            # The poll is over (or its configuration changed): hold no idle connections to the
            # sites until the next one, nor the poll's database file open.
            if fetcher is not None:
                threads.shutdown(wait=False)  # type: ignore[union-attr]
                fetcher.close()  # a fetch still under way (a cancelled poll's) fails: nobody waits for it
                fetcher = None
            if message[0] == "end":
                cpu_jobs.put((None, _close_databases, ()))
                continue
        _, job_id, job, poll = message
        if fetcher is None:
            fetcher = PageFetcher(poll)
            threads = ThreadPoolExecutor(max(1, poll.concurrency), thread_name_prefix="fetch")
        threads.submit(_fetch, fetcher, job_id, job, cpu_jobs, send)  # type: ignore[union-attr]


def _fetch(fetcher: Any, job_id: int, job: PageJob, cpu_jobs: queue.SimpleQueue,
           send: Callable[[tuple], None]) -> None:
    """Fetch one page, say so (the poll frees its slots), and queue the rest of the job for the main thread."""
    try:
        result = fetcher.get(job.url, trusted=job.trusted, accept=PAGE_ACCEPT)
    except Exception as exc:  # PageFetcher reports network failures itself: this is a bug, say so
        fetched = Fetched(None, job.url, f"internal error: {type(exc).__name__}: {exc}")
    else:
        fetched = Fetched(result.status, result.final_url,
                          None if result.ok else f"page: {result.error or result.status}", result.unreachable)
    send(("fetched", job_id, fetched))
    body = (result.body, result.headers.get("content-type")) if fetched.error is None else None
    cpu_jobs.put((job_id, run_page_job, (job, fetched, body)))


def page_of(job: PageJob, fetched: Fetched, body: tuple[bytes, str | None] | None) -> tuple[PageText | None, str | None]:
    """A page job's extraction once the page has arrived (or not): (the page's text, why there is none)."""
    page = extract_page(fetched.final_url, body[0], body[1], job.with_metadata) if body is not None else None
    return page, fetched.error or (page.error if page else None)


def run_page_job(job: PageJob, fetched: Fetched, body: tuple[bytes, str | None] | None) -> PageResult:
    """A page job's work in the worker once the page has arrived (or not): extract it, and store
    the job's new article with it; the article's text stays in this process. (The worker's loop
    runs the two halves itself, to store a few articles together: _run_jobs.)"""
    page, error = page_of(job, fetched, body)
    if job.article is None:
        return PageResult(error, page=page)
    new = job.article
    return PageResult(error, stored=store_article(in_database(new.db_path), new.item, page, error, new.feed_url))


_databases: dict[str, Any] = {}


def in_database(path: str) -> Any:
    """This worker's connection to the poll's database (opened on first use, closed when the poll
    detaches)."""
    if path not in _databases:
        from monitor.store import open_db

        _databases[path] = open_db(path, migrate=False)
    return _databases[path]


def _close_databases() -> None:
    for db in _databases.values():
        db.close()
    _databases.clear()


# --- the poll's side -------------------------------------------------------------------------
@dataclass
class _Job:
    worker: _Worker
    done: asyncio.Future[Any]  # the job's answer (a PageResult for a page job)
    fetched: asyncio.Future[Fetched] | None = None


class _Worker:
    def __init__(self, context: Any, core: int | None) -> None:
        self.core = core
        self.conn, child = context.Pipe(duplex=True)
        self.current = context.Value("q", -1, lock=False)  # the job its main thread runs, -1 for none
        self.started = context.Value("d", 0.0, lock=False)  # since when (time.monotonic)
        self.process = context.Process(target=_serve, args=(child, ParentLink.here(), self.current, self.started, core),
                                       daemon=True, name="monitor-extract")
        self.process.start()
        child.close()
        self.jobs: dict[int, _Job] = {}


class Workers:
    """`count` worker processes; `attach` them to a poll's event loop, then `fetch_page` and `call`."""

    def __init__(self, count: int) -> None:
        self.count = count
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        start_helper_processes()
        self._context = context
        self._workers = [_Worker(context, core) for core in cores_to_pin(count)]
        self._ids = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._poll = PollConfig()
        self._session = threading.Lock()  # one poll at a time uses the workers
        self._watchdog: asyncio.TimerHandle | None = None

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def alive(self) -> bool:
        return all(w.process.is_alive() for w in self._workers)

    # --- a poll's session --------------------------------------------------------------
    def attach(self, poll: PollConfig) -> None:
        """Start serving the running event loop (call from inside it); detach() when done."""
        self._session.acquire()
        self._loop = asyncio.get_running_loop()
        self._poll = poll
        for worker in self._workers:
            self._watch(worker)
        self._schedule_watchdog()

    def detach(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        if self._loop is not None:
            for worker in self._workers:
                self._send(worker, ("end",))
                self._unwatch(worker)
                for job in worker.jobs.values():  # a cancelled poll: nobody waits for these any more
                    for future in (job.fetched, job.done):
                        if future is not None and not future.done():
                            future.cancel()
                worker.jobs.clear()
            self._loop = None
            self._session.release()

    def _schedule_watchdog(self) -> None:
        limit = self._poll.extract_timeout
        if limit > 0 and self._loop is not None:
            self._watchdog = self._loop.call_later(min(1.0, limit / 4), self._stop_stuck_workers)

    def _stop_stuck_workers(self) -> None:
        """A hostile page can keep trafilatura busy for ever (or in C code that never yields):
        stop the worker running a job past the limit; that job fails, the worker's others are retried."""
        limit = self._poll.extract_timeout
        for worker in list(self._workers):
            job_id, since = worker.current.value, worker.started.value
            if job_id >= 0 and time.monotonic() - since > limit and job_id in worker.jobs:
                worker.process.kill()
                self._died(worker, culprit=job_id, reason=f"took longer than {limit:g} s")
        self._schedule_watchdog()

    def _watch(self, worker: _Worker) -> None:
        assert self._loop is not None
        self._loop.add_reader(worker.conn.fileno(), self._readable, worker)

    def _unwatch(self, worker: _Worker) -> None:
        assert self._loop is not None
        try:
            self._loop.remove_reader(worker.conn.fileno())
        except (OSError, ValueError):
            pass

    # --- jobs --------------------------------------------------------------------------
    async def call(self, fn: Callable, *args: Any) -> Any:
        """fn(*args) in a worker (fn must be importable there); raises WorkerDied, StoreError or RuntimeError."""
        job_id, job = self._new_job(fetch=False)
        self._send(job.worker, ("call", job_id, fn, args))
        return await job.done

    async def fetch_page(self, page_job: PageJob) -> tuple[Fetched, asyncio.Future[PageResult]]:
        """Have a worker run `page_job`: returns when the HTTP exchange is over (the poll frees the
        page's politeness slots then), with a future for the job's PageResult (see run_page_job)."""
        job_id, job = self._new_job(fetch=True)
        self._send(job.worker, ("page", job_id, page_job, self._poll))
        assert job.fetched is not None
        fetched: Fetched = await job.fetched
        return fetched, job.done

    def _new_job(self, fetch: bool) -> tuple[int, _Job]:
        assert self._loop is not None, "attach() first"
        worker = min(self._workers, key=lambda w: len(w.jobs))  # the one with the least work waiting
        job = _Job(worker, self._loop.create_future(), self._loop.create_future() if fetch else None)
        job_id = next(self._ids)
        worker.jobs[job_id] = job
        return job_id, job

    def _send(self, worker: _Worker, message: tuple) -> None:
        try:
            worker.conn.send(message)
        except (BrokenPipeError, OSError):
            self._died(worker)

    def _readable(self, worker: _Worker) -> None:
        # One message per call: the loop calls again while more is waiting (and poll() costs a select).
        try:
            kind, job_id, *rest = worker.conn.recv()
        except (EOFError, OSError):
            self._died(worker)
            return
        job = worker.jobs.get(job_id)
        if job is None:
            return
        if kind == "fetched":
            assert job.fetched is not None
            if not job.fetched.done():
                job.fetched.set_result(rest[0])
            return  # the answer follows
        ok, value = rest
        del worker.jobs[job_id]
        if job.done.done():
            return
        if ok:
            job.done.set_result(value)
        else:
            job.done.set_exception(failure_of(value))

    def _died(self, worker: _Worker, culprit: int | None = None, reason: str = "") -> None:
        """Fail the dead worker's jobs (`culprit` with ExtractionTimedOut(reason), the others with
        WorkerDied: they may be tried again) and put a fresh worker in its place."""
        if worker not in self._workers:
            return
        self._unwatch(worker)
        worker.conn.close()
        worker.process.join(timeout=1)
        for job_id, job in worker.jobs.items():
            died: Exception = WorkerDied(f"extraction worker exited with code {worker.process.exitcode}")
            if job_id == culprit:
                died = ExtractionTimedOut(reason)
            if job.fetched is not None and not job.fetched.done():
                job.fetched.set_exception(died)  # the caller waits here and never reaches `done`
                job.done.cancel()
            elif not job.done.done():
                job.done.set_exception(died)
        worker.jobs.clear()
        replacement = _Worker(self._context, worker.core)
        self._workers[self._workers.index(worker)] = replacement
        if self._loop is not None:
            self._watch(replacement)

    def shutdown(self) -> None:
        for worker in self._workers:
            worker.conn.close()  # the worker's receiving thread sees the hang-up and ends the worker
        for worker in self._workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()


_workers: Workers | None = None
_guard = threading.Lock()


def get_workers(count: int) -> Workers:
    """The process's workers (started on first use, restarted when the count changes)."""
    global _workers
    with _guard:
        if _workers is None or _workers.count != count:
            if _workers is not None:
                _workers.shutdown()
            _workers = Workers(count)
        return _workers


@atexit.register
def _shutdown() -> None:
    if _workers is not None:
        _workers.shutdown()


__all__ = ["ExtractionTimedOut", "Fetched", "WorkerDied", "Workers", "get_workers", "run_page_job", "worker_count",
           "PAGE_ACCEPT"]
