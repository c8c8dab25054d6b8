"""Polite HTTP: bounded concurrency overall and per host, timeouts, a size cap, conditional GET.

Two clients with one set of rules (headers, limits, size cap, redirect cap, the error
each failure is reported as): `Fetcher`, asynchronous, for a poll's feeds, and
`PageFetcher`, blocking, for the extraction workers' article pages (see
monitor.ingest.workers: a blocking client in a few threads costs half the CPU per page
of the asynchronous one beside trafilatura). Neither raises for a network or HTTP
problem: every outcome is a FetchResult the poller can record.
"""
from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import AsyncIterator
from urllib.parse import urlsplit

import httpx

from monitor.config import PollConfig
from monitor.ingest.backoff import parse_retry_after
from monitor.ingest.gate import Gate
from monitor.ingest.urls import is_fetchable


@dataclass(frozen=True)
class FetchResult:
    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int | None  # HTTP status; None when no response came
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # why there is no usable body
    retry_after: float | None = None  # seconds a 429/503 asked us to wait
    moved_to: str | None = None  # where the permanent redirects (301/308) at the start of the chain led

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class TooLarge(Exception):
    pass


class _Deadline(Exception):
    """The whole exchange took longer than allowed (a server trickling bytes)."""


def _client_options(config: PollConfig) -> dict:
    timeout = httpx.Timeout(connect=config.connect_timeout, read=config.read_timeout,
                            write=config.read_timeout, pool=None)
    return dict(timeout=timeout, follow_redirects=True, max_redirects=config.max_redirects,
                limits=httpx.Limits(max_connections=config.concurrency,
                                    max_keepalive_connections=config.concurrency),
                headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"}, trust_env=False)


def _deadline_seconds(config: PollConfig) -> float:
    # A server that trickles bytes can defeat a per-read timeout: cap the whole exchange too.
    return config.connect_timeout + 3 * config.read_timeout


def _request_headers(accept: str, etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _failure(url: str, exc: Exception, config: PollConfig) -> FetchResult:
    """The FetchResult for an exchange that raised; anything not about HTTP is re-raised."""
    if isinstance(exc, (asyncio.TimeoutError, _Deadline, httpx.TimeoutException)):
        error = "timed out"
    elif isinstance(exc, httpx.TooManyRedirects):
        error = f"more than {config.max_redirects} redirects"
    elif isinstance(exc, TooLarge):
        error = f"response larger than {config.max_bytes} bytes"
    elif isinstance(exc, httpx.UnsupportedProtocol):
        error = f"redirected to an unsupported URL: {exc}"
    elif isinstance(exc, httpx.DecodingError):
        error = f"cannot decode the response: {exc}"
    elif isinstance(exc, httpx.HTTPError):
        error = f"{type(exc).__name__}: {exc}".rstrip(": ")
    else:
        raise exc
    return FetchResult(url, url, None, error=error)


def _permanent_target(response: httpx.Response) -> str | None:
    """The URL the leading permanent redirects (301, 308) point to; a temporary one (302, 303,
    307) ends the chain: what lies behind it may change back."""
    target = None
    hops = [*response.history, response]
    for hop, after in zip(hops, hops[1:]):
        if hop.status_code not in (301, 308):
            break
        target = str(after.url)
    return target


class _Exchange:
    """One response's status check and body collection, the same for both clients."""

    def __init__(self, url: str, response: httpx.Response, config: PollConfig, deadline: float):
        self.url, self.response, self.config, self.deadline = url, response, config, deadline
        self.final = str(response.url)
        self.moved_to = _permanent_target(response)
        self.headers = {k.lower(): v for k, v in response.headers.items()}
        self.chunks: list[bytes] = []
        self.size = 0

    def early_result(self) -> FetchResult | None:
        """The result when there is no body to read (not 200), else None; raises TooLarge early."""
        response = self.response
        if response.status_code != 200:
            retry = None
            if response.status_code in (429, 503):
                retry = parse_retry_after(response.headers.get("retry-after"))
            error = None if response.status_code == 304 else f"HTTP {response.status_code}"
            return FetchResult(self.url, self.final, response.status_code, headers=self.headers,
                               error=error, retry_after=retry, moved_to=self.moved_to)
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and "content-encoding" not in response.headers \
                and int(declared) > self.config.max_bytes:
            raise TooLarge()
        return None

    def add(self, chunk: bytes) -> None:
        """A decoded chunk: the cap applies after gzip too."""
        self.size += len(chunk)
        if self.size > self.config.max_bytes:
            raise TooLarge()
        if time.monotonic() > self.deadline:
            raise _Deadline()
        self.chunks.append(chunk)

    def result(self) -> FetchResult:
        return FetchResult(self.url, self.final, 200, b"".join(self.chunks), self.headers, moved_to=self.moved_to)


class Fetcher:
    """async with Fetcher(config) as f: await f.get(url, etag=..., last_modified=...)."""

    def __init__(self, config: PollConfig):
        self.config = config
        self.overall = Gate(config.concurrency)
        self.per_host: dict[str, Gate] = {}
        self.client = httpx.AsyncClient(**_client_options(config))
        self.deadline = _deadline_seconds(config)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    def _host_gate(self, url: str) -> Gate:
        host = urlsplit(url).netloc.lower()
        if host not in self.per_host:
            self.per_host[host] = Gate(self.config.per_host)
        return self.per_host[host]

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        """A request's place under the per-host and overall limits (also for the requests that
        extraction workers make on this fetcher's behalf)."""
        async with self._host_gate(url), self.overall:
            yield

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                  accept: str = "*/*") -> FetchResult:
        if not is_fetchable(url):
            return FetchResult(url, url, None, error="only http(s) URLs are fetched")
        async with self.slot(url):
            try:
                return await asyncio.wait_for(
                    self._exchange(url, _request_headers(accept, etag, last_modified)), self.deadline)
            except Exception as exc:
                return _failure(url, exc, self.config)

    async def _exchange(self, url: str, headers: dict[str, str]) -> FetchResult:
        async with self.client.stream("GET", url, headers=headers) as response:
            exchange = _Exchange(url, response, self.config, time.monotonic() + self.deadline)
            early = exchange.early_result()
            if early is not None:
                return early
            async for chunk in response.aiter_bytes():
                exchange.add(chunk)
            return exchange.result()


class PageFetcher:
    """Blocking GETs under the same rules, safe to call from several threads at once.

    It keeps no limits of its own: the poll's Fetcher.slot() holds them for its workers."""

    def __init__(self, config: PollConfig):
        self.config = config
        self.client = httpx.Client(**_client_options(config))
        self.deadline = _deadline_seconds(config)

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, *, accept: str = "*/*") -> FetchResult:
        if not is_fetchable(url):
            return FetchResult(url, url, None, error="only http(s) URLs are fetched")
        try:
            with self.client.stream("GET", url, headers=_request_headers(accept, None, None)) as response:
                exchange = _Exchange(url, response, self.config, time.monotonic() + self.deadline)
                early = exchange.early_result()
                if early is not None:
                    return early
                for chunk in response.iter_bytes():
                    exchange.add(chunk)
                return exchange.result()
        except Exception as exc:
            return _failure(url, exc, self.config)
