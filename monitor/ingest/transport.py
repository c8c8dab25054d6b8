"""httpx transports that enforce the address policy and the request deadline on the wire.

The transport sees every request of a fetch, redirect hops included: it checks the URL's
addresses (monitor.ingest.addresses) before the connection pool may reuse or open a
connection, and pins the addresses that passed. The network backend under the pool (the
httpcore network-backend API) connects only to those pinned addresses, so DNS is not asked
twice (no rebinding between check and connect; TLS still verifies the host name), and it
shortens every connect, read, write and TLS handshake to what is left of the request's
deadline (monitor.ingest.deadline).

httpx 0.28 takes no network backend, so the transports build their httpcore pool
themselves and hand it to httpx's own request/response mapping (HTTPTransport._pool).

The feeds' client uses AsyncGuardedTransport. The extraction workers' pages go through
monitor.ingest.page_client (http.client under the same check, `pin_for`, and deadline: a third
of the CPU per page); GuardedTransport, the blocking one they used until 2026-11-27, is the
reference that client is tested against (tests/ingest/test_page_client.py).
"""
from __future__ import annotations

import ssl
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

import httpcore
import httpx

from monitor.ingest import deadline
from monitor.ingest.addresses import (
    Pinned,
    addresses_to_pin,
    current_pin,
    permit_to_check,
    resolve,
    resolve_async,
)

DEADLINE_PASSED = "the request's deadline passed"


def _clamp(timeout: float | None, kind: type[Exception]) -> float | None:
    try:
        return deadline.clamp(timeout)
    except deadline.DeadlinePassed:
        raise kind(DEADLINE_PASSED) from None


@contextmanager
def _deadline_named(kind: type[Exception]) -> Iterator[None]:
    """A timeout that ended at the request's deadline says so (the error the article keeps)."""
    try:
        yield
    except kind:
        if deadline.passed():
            raise kind(DEADLINE_PASSED) from None
        raise


def _targets(host: str, port: int) -> list[str]:
    """Where to connect: the pinned addresses of this request's check, else the name itself
    (a trusted origin, or a client used without a permit)."""
    pin = current_pin.get()
    if pin is not None and pin.host == host and pin.port == port:
        return list(pin.addresses)
    return [host]


# --- blocking ----------------------------------------------------------------------------------
class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _deadline_named(httpcore.ReadTimeout):
            return self.inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with _deadline_named(httpcore.WriteTimeout):
            self.inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        with _deadline_named(httpcore.ConnectTimeout):
            inner = self.inner.start_tls(ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout))
        return _Stream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        error: Exception = httpcore.ConnectError(f"cannot connect to {host}")
        for target in _targets(host, port):
            try:
                with _deadline_named(httpcore.ConnectTimeout):
                    stream = self.inner.connect_tcp(target, port, _clamp(timeout, httpcore.ConnectTimeout),
                                                    local_address, socket_options)
                return _Stream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def _pool_options(limits: httpx.Limits) -> dict[str, Any]:
    return dict(ssl_context=httpx.create_ssl_context(trust_env=False), max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry)


class GuardedTransport(httpx.HTTPTransport):
    """HTTPTransport whose every request (redirect hops too) passes the address check."""

    def __init__(self, limits: httpx.Limits):  # noqa: super().__init__ would build a pool only to drop it
        self._pool = httpcore.ConnectionPool(network_backend=_Backend(), **_pool_options(limits))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        pin = pin_for(request.url)
        token = current_pin.set(pin)
        try:
            return super().handle_request(request)
        finally:
            current_pin.reset(token)


def _needs_check(url: httpx.URL) -> bool:
    """Other schemes go on to the pool, which refuses them (UnsupportedProtocol)."""
    return url.scheme in ("http", "https") and permit_to_check(url.scheme, _host(url), url.port) is not None


def _host(url: httpx.URL) -> str:
    return url.raw_host.decode("ascii")


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


def pin_for(url: httpx.URL) -> Pinned | None:
    """The addresses a blocking request to `url` may connect to (None: any, by name); AddressRefused
    if none (the guarded transport's check, also made by monitor.ingest.page_client)."""
    return _check(url, None)


def _check(url: httpx.URL, resolved: list[str] | None) -> Pinned | None:
    """The addresses this request may connect to (None: any, by name); AddressRefused if none."""
    if not _needs_check(url):
        return None
    permit = permit_to_check(url.scheme, _host(url), url.port)
    if permit is None:
        return None
    host, port = _host(url), _port(url)
    return addresses_to_pin(host, port, resolved if resolved is not None else resolve(host, port), permit.policy)


# --- asynchronous -------------------------------------------------------------------------------
class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream):
        self.inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _deadline_named(httpcore.ReadTimeout):
            return await self.inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with _deadline_named(httpcore.WriteTimeout):
            await self.inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        with _deadline_named(httpcore.ConnectTimeout):
            inner = await self.inner.start_tls(ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout))
        return _AsyncStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        error: Exception = httpcore.ConnectError(f"cannot connect to {host}")
        for target in _targets(host, port):
            try:
                with _deadline_named(httpcore.ConnectTimeout):
                    stream = await self.inner.connect_tcp(target, port, _clamp(timeout, httpcore.ConnectTimeout),
                                                          local_address, socket_options)
                return _AsyncStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class AsyncGuardedTransport(httpx.AsyncHTTPTransport):
    """AsyncHTTPTransport whose every request (redirect hops too) passes the address check."""

    def __init__(self, limits: httpx.Limits):  # noqa: see GuardedTransport
        self._pool = httpcore.AsyncConnectionPool(network_backend=_AsyncBackend(), **_pool_options(limits))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        resolved = await resolve_async(_host(url), _port(url)) if _needs_check(url) else None
        pin = _check(url, resolved)
        token = current_pin.set(pin)
        try:
            return await super().handle_async_request(request)
        finally:
            current_pin.reset(token)
