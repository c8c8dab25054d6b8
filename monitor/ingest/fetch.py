"""Polite HTTP: bounded concurrency overall and per host, timeouts, a size cap, conditional GET.

Two clients with one set of rules (headers, limits, size cap, redirect cap, the error
each failure is reported as): `Fetcher`, asynchronous (httpx), for a poll's feeds, and
`PageFetcher`, blocking, for the extraction workers' article pages (see
monitor.ingest.workers: a blocking client in a few threads costs half the CPU per page
of the asynchronous one beside trafilatura; monitor.ingest.page_client, http.client under
the same guard, a third of httpx.Client's). Neither raises for a network or HTTP
problem: every outcome is a FetchResult the poller can record.

The rules live in modules of their own: the body is decoded under the size cap a bounded
step at a time (monitor.ingest.decode); each fetch has one wall-clock deadline and a
permit for the addresses it may reach, enforced for every redirect hop on the wire
(monitor.ingest.deadline, monitor.ingest.addresses, monitor.ingest.transport and
monitor.ingest.page_client).
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Iterator, Mapping, Protocol, Sequence
from urllib.parse import urlsplit

import httpx

from monitor.config import PollConfig
from monitor.ingest.addresses import AddressPolicy, AddressRefused, Permit, Unresolved, current_permit, origin_of
from monitor.ingest.backoff import parse_retry_after
from monitor.ingest.deadline import request_deadline
from monitor.ingest.decode import BoundedDecoder, DecodingFailed, TooLarge
from monitor.ingest.gate import Gate
from monitor.ingest.page_client import PageClient
from monitor.ingest.transport import DEADLINE_PASSED, AsyncGuardedTransport
from monitor.ingest.urls import is_fetchable, without_credentials


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
    unreachable: bool = False  # no connection to the host at all (no address, refused, no answer to the connect)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _client_headers(config: PollConfig) -> dict[str, str]:
    return {"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"}


def _client_options(config: PollConfig, transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> dict:
    timeout = httpx.Timeout(connect=config.connect_timeout, read=config.read_timeout,
                            write=config.read_timeout, pool=None)
    return dict(timeout=timeout, follow_redirects=True, max_redirects=config.max_redirects, transport=transport,
                headers=_client_headers(config), trust_env=False)


def _page_client(config: PollConfig) -> PageClient:
    """The blocking client with the headers an httpx.Client with _client_options sends, in its order."""
    client = _client_headers(config)
    headers = {"Accept": "*/*", "Connection": "keep-alive", "User-Agent": client["User-Agent"],
               "Accept-Encoding": client["Accept-Encoding"]}
    return PageClient(connect_timeout=config.connect_timeout, read_timeout=config.read_timeout,
                      max_redirects=config.max_redirects, headers=headers, max_idle=config.concurrency)


def _limits(config: PollConfig) -> httpx.Limits:
    return httpx.Limits(max_connections=config.concurrency, max_keepalive_connections=config.concurrency)


@contextmanager
def _guarded(config: PollConfig, trusted: str | None) -> Iterator[None]:
    """One fetch's deadline, and its permit: `trusted`'s origin (the feed the analyst
    configured) may be anywhere; every other URL must pass the address policy."""
    origin = origin_of(trusted) if trusted else None
    token = current_permit.set(Permit(origin, AddressPolicy.from_config(config.allow_addresses)))
    try:
        with request_deadline(config.request_deadline):
            yield
    finally:
        current_permit.reset(token)


def _request_headers(accept: str, etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _failure(url: str, exc: Exception, config: PollConfig) -> FetchResult:
    """The FetchResult for an exchange that raised; anything not about HTTP is re-raised."""
    # Every page of a host fails alike when it cannot be reached at all (monitor.ingest.unreachable).
    unreachable = isinstance(exc, (Unresolved, httpx.ConnectError, httpx.ConnectTimeout))
    if isinstance(exc, (asyncio.TimeoutError, httpx.TimeoutException)):
        error = "timed out"
        if isinstance(exc, asyncio.TimeoutError) or str(exc) == DEADLINE_PASSED:
            error = f"timed out: the request's deadline of {config.request_deadline:g} s passed"
    elif isinstance(exc, AddressRefused):
        error = str(exc)
    elif isinstance(exc, httpx.TooManyRedirects):
        error = f"more than {config.max_redirects} redirects"
    elif isinstance(exc, TooLarge):
        error = f"response larger than {config.max_bytes} bytes"
    elif isinstance(exc, httpx.UnsupportedProtocol):
        error = f"redirected to an unsupported URL: {exc}"
    elif isinstance(exc, (httpx.DecodingError, DecodingFailed)):
        error = f"cannot decode the response: {exc}"
    elif isinstance(exc, httpx.HTTPError):
        error = f"{type(exc).__name__}: {exc}".rstrip(": ")
    else:
        raise exc
    return FetchResult(url, url, None, error=error, unreachable=unreachable)


class _Response(Protocol):
    """What an exchange reads of a response: httpx's, or monitor.ingest.page_client's."""

    @property
    def url(self) -> httpx.URL: ...

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def history(self) -> Sequence[Any]: ...


def _permanent_target(response: _Response) -> str | None:
    """The URL the leading permanent redirects (301, 308) point to; a temporary one (302, 303,
    307) ends the chain: what lies behind it may change back."""
    target = None
    hops = [*response.history, response]
    for hop, after in zip(hops, hops[1:]):
        if hop.status_code not in (301, 308):
            break
        target = without_credentials(str(after.url))
    return target


class _Exchange:
    """One response's status check and body collection, the same for both clients: the raw
    body is decoded here, layer by layer, under the size cap (monitor.ingest.decode)."""

    def __init__(self, url: str, response: _Response, config: PollConfig):
        self.url, self.response, self.config = url, response, config
        self.final = str(response.url)
        self.moved_to = _permanent_target(response)
        self.headers = {k.lower(): v for k, v in response.headers.items()}
        self.chunks: list[bytes] = []
        self.decoder: BoundedDecoder | None = None

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
        self.decoder = BoundedDecoder(response.headers.get("content-encoding"), self.config.max_bytes)
        return None

    def add(self, raw: bytes) -> None:
        """A raw chunk as received: decoded a bounded step at a time, counted as it comes out."""
        assert self.decoder is not None
        self.chunks.extend(self.decoder.feed(raw))

    def result(self) -> FetchResult:
        assert self.decoder is not None
        self.chunks.extend(self.decoder.finish())
        return FetchResult(self.url, self.final, 200, b"".join(self.chunks), self.headers, moved_to=self.moved_to)


class Fetcher:
    """async with Fetcher(config) as f: await f.get(url, trusted=feed_url, etag=..., last_modified=...)."""

    def __init__(self, config: PollConfig):
        self.config = config
        self.overall = Gate(config.concurrency)
        self.per_host: dict[str, Gate] = {}
        self.client = httpx.AsyncClient(**_client_options(config, AsyncGuardedTransport(_limits(config))))

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

    async def get(self, url: str, *, trusted: str | None, etag: str | None = None,
                  last_modified: str | None = None, accept: str = "*/*") -> FetchResult:
        """GET `url`; `trusted` is the URL whose origin may be on any address (the configured feed)."""
        if not is_fetchable(url):
            return FetchResult(url, url, None, error="only http(s) URLs are fetched")
        async with self.slot(url):
            try:
                # The network layer keeps the deadline; this is the backstop for what it does not see (DNS).
                return await asyncio.wait_for(
                    self._exchange(url, trusted, _request_headers(accept, etag, last_modified)),
                    self.config.request_deadline + 1)
            except Exception as exc:
                return _failure(url, exc, self.config)

    async def _exchange(self, url: str, trusted: str | None, headers: dict[str, str]) -> FetchResult:
        with _guarded(self.config, trusted):
            async with self.client.stream("GET", url, headers=headers) as response:
                exchange = _Exchange(url, response, self.config)
                early = exchange.early_result()
                if early is not None:
                    return early
                async for chunk in response.aiter_raw():
                    exchange.add(chunk)
                return exchange.result()


class PageFetcher:
    """Blocking GETs under the same rules, safe to call from several threads at once: through
    monitor.ingest.page_client (a third of httpx.Client's CPU per page, the same guard).

    It keeps no limits of its own: the poll's Fetcher.slot() holds them for its workers."""

    def __init__(self, config: PollConfig):
        self.config = config
        self.client = _page_client(config)

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, *, trusted: str | None, accept: str = "*/*") -> FetchResult:
        """GET an article page; `trusted` is its feed's URL (pages on that origin may be anywhere).
        Credentials written into a page's URL are not sent."""
        url = without_credentials(url)
        if not is_fetchable(url):
            return FetchResult(url, url, None, error="only http(s) URLs are fetched")
        try:
            with _guarded(self.config, trusted):
                response = self.client.get(url, _request_headers(accept, None, None))
                try:
                    exchange = _Exchange(url, response, self.config)
                    early = exchange.early_result()
                    if early is not None:
                        return early
                    for chunk in response.iter_raw():
                        exchange.add(chunk)
                    return exchange.result()
                finally:
                    response.close()
        except Exception as exc:
            return _failure(url, exc, self.config)
