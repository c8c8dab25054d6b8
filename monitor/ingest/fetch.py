"""Polite HTTP: bounded concurrency overall and per host, timeouts, a size cap, conditional GET.

One Fetcher serves a whole poll cycle (one connection pool). It never raises for a
network or HTTP problem: every outcome is a FetchResult the poller can record.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
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

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class TooLarge(Exception):
    pass


class Fetcher:
    """async with Fetcher(config) as f: await f.get(url, etag=..., last_modified=...)."""

    def __init__(self, config: PollConfig):
        self.config = config
        self.overall = Gate(config.concurrency)
        self.per_host: dict[str, Gate] = {}
        timeout = httpx.Timeout(connect=config.connect_timeout, read=config.read_timeout,
                                write=config.read_timeout, pool=None)
        self.client = httpx.AsyncClient(
            timeout=timeout, follow_redirects=True, max_redirects=config.max_redirects,
            limits=httpx.Limits(max_connections=config.concurrency, max_keepalive_connections=config.concurrency),
            headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"}, trust_env=False)
        # A server that trickles bytes can defeat a per-read timeout: cap the whole exchange too.
        self.deadline = config.connect_timeout + 3 * config.read_timeout

    async def __aenter__(self) -> "Fetcher":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    def _host_gate(self, url: str) -> Gate:
        host = urlsplit(url).netloc.lower()
        if host not in self.per_host:
            self.per_host[host] = Gate(self.config.per_host)
        return self.per_host[host]

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                  accept: str = "*/*") -> FetchResult:
        if not is_fetchable(url):
            return FetchResult(url, url, None, error="only http(s) URLs are fetched")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        async with self._host_gate(url), self.overall:
            try:
                return await asyncio.wait_for(self._exchange(url, headers), self.deadline)
            except (asyncio.TimeoutError, httpx.TimeoutException):
                return FetchResult(url, url, None, error="timed out")
            except httpx.TooManyRedirects:
                return FetchResult(url, url, None, error=f"more than {self.config.max_redirects} redirects")
            except TooLarge:
                return FetchResult(url, url, None, error=f"response larger than {self.config.max_bytes} bytes")
            except httpx.UnsupportedProtocol as exc:
                return FetchResult(url, url, None, error=f"redirected to an unsupported URL: {exc}")
            except httpx.DecodingError as exc:
                return FetchResult(url, url, None, error=f"cannot decode the response: {exc}")
            except httpx.HTTPError as exc:
                return FetchResult(url, url, None, error=f"{type(exc).__name__}: {exc}".rstrip(": "))

    async def _exchange(self, url: str, headers: dict[str, str]) -> FetchResult:
        async with self.client.stream("GET", url, headers=headers) as response:
            final = str(response.url)
            response_headers = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code != 200:
                retry = None
                if response.status_code in (429, 503):
                    retry = parse_retry_after(response.headers.get("retry-after"))
                error = None if response.status_code == 304 else f"HTTP {response.status_code}"
                return FetchResult(url, final, response.status_code, headers=response_headers,
                                   error=error, retry_after=retry)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and "content-encoding" not in response.headers \
                    and int(declared) > self.config.max_bytes:
                raise TooLarge()
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():  # decoded: the cap applies after gzip too
                size += len(chunk)
                if size > self.config.max_bytes:
                    raise TooLarge()
                chunks.append(chunk)
            return FetchResult(url, final, 200, b"".join(chunks), response_headers)
