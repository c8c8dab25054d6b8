"""The extraction workers' blocking HTTP/1.1 client: http.client's parser under the fetch guard.

Why not httpx.Client over the guarded transport (monitor.ingest.transport), as before 2026-11-27:
its request and response machinery cost ~0.6 ms of CPU a page in a loop and 1.1-1.4 ms in the
workers (the pipeline's largest cost beside trafilatura); this client costs ~0.25 ms in a loop.
It keeps the same rules, checked by the same tests (#10's):
- every hop's URL passes the address check (monitor.ingest.addresses) and its connection goes
  only to the addresses that passed (no second DNS answer between check and connect);
- every connect, TLS handshake, write and read waits at most until the request's deadline
  (monitor.ingest.deadline), re-clamped before each one, whatever the phase (headers, 100
  Continue for ever, body, redirects);
- failures are httpx's exception classes with httpx's texts (monitor.ingest.fetch reports them);
- redirects follow httpx 0.28's rules for a GET (redirect cap, relative and host-less Locations,
  the fragment, the Host header, the client's cookie jar), and URLs are httpx.URL, so the final
  URLs stored are the ones httpx gave;
- the body comes raw, for the caller to decode under its size cap (monitor.ingest.decode).
"""
from __future__ import annotations

import http.client
import io
import select
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookiejar import CookieJar

import httpx

from monitor.ingest import deadline
from monitor.ingest.transport import DEADLINE_PASSED, pin_for

REDIRECTS = (301, 302, 303, 307, 308)
READ_SIZE = 64 * 1024
DRAIN_LIMIT = 64 * 1024  # a redirect's body up to this is read (the connection is kept), longer: closed


def _clamped(timeout: float, kind: type[httpx.TimeoutException]) -> float:
    try:
        left = deadline.clamp(timeout)
    except deadline.DeadlinePassed:
        raise kind(DEADLINE_PASSED) from None
    assert left is not None
    return left


def _timed_out(kind: type[httpx.TimeoutException]) -> httpx.TimeoutException:
    """A timeout that ended at the request's deadline says so (the error the article keeps)."""
    return kind(DEADLINE_PASSED if deadline.passed() else "timed out")


class _Socket:
    """A connected socket whose every read and write waits at most until the request's deadline."""

    def __init__(self, sock: socket.socket, read_timeout: float):
        self.sock, self.read_timeout = sock, read_timeout
        self.waits = read_timeout  # the socket's current timeout: set again only when it must change
        sock.settimeout(read_timeout)

    def _wait(self, kind: type[httpx.TimeoutException]) -> None:
        wait = _clamped(self.read_timeout, kind)
        if wait != self.waits:
            self.sock.settimeout(wait)
            self.waits = wait

    # _wait sets the socket's timeout inside each try: a poll that ends closes the socket
    # (PageClient.close) from another thread, and setting a closed socket's timeout raises as
    # reading it does (EBADF), the same failure.
    def sendall(self, data: bytes) -> None:
        try:
            self._wait(httpx.WriteTimeout)
            self.sock.sendall(data)
        except TimeoutError:
            raise _timed_out(httpx.WriteTimeout) from None
        except OSError as exc:
            raise httpx.WriteError(str(exc)) from None

    def readinto(self, buffer: memoryview) -> int:
        try:
            self._wait(httpx.ReadTimeout)
            return self.sock.recv_into(buffer)
        except TimeoutError:
            raise _timed_out(httpx.ReadTimeout) from None
        except OSError as exc:
            raise httpx.ReadError(str(exc)) from None

    def makefile(self, mode: str) -> io.BufferedReader:
        """What http.client reads a response through (closing it leaves the socket open)."""
        return io.BufferedReader(_Reader(self))

    def idle_and_open(self) -> bool:
        """False when the server closed the idle connection (or sent something unasked)."""
        poller = select.poll()
        poller.register(self.sock, select.POLLIN)
        return not poller.poll(0)

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked reading it
        except OSError:
            pass
        self.sock.close()


class _Reader(io.RawIOBase):
    def __init__(self, sock: _Socket):
        self.sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        return self.sock.readinto(buffer)


_ssl: ssl.SSLContext | None = None
_ssl_guard = threading.Lock()


def _ssl_context() -> ssl.SSLContext:
    """One TLS context for the process (the guarded transport's: certifi's roots, no environment):
    loading the roots costs ~19 ms of CPU, which a worker paid again at every poll's first page."""
    global _ssl
    with _ssl_guard:
        if _ssl is None:
            context = httpx.create_ssl_context(trust_env=False)
            context.set_alpn_protocols(["http/1.1"])
            _ssl = context
        return _ssl


Key = tuple[str, str, int, tuple[str, ...] | None]  # scheme, host, port, the pinned addresses


@dataclass(eq=False)  # in a set by identity
class _Connection:
    key: Key
    sock: _Socket
    idle_since: float = 0.0


@dataclass(frozen=True)
class Hop:
    """A redirect on the way (what monitor.ingest.fetch reads of one)."""

    status_code: int
    url: httpx.URL


@dataclass
class PageResponse:
    """A final response whose body is still to be read: `iter_raw()` once, or `close()`."""

    url: httpx.URL
    status_code: int
    headers: dict[str, str]  # lower-case names, repeated ones joined with ", " (as httpx.Headers)
    history: list[Hop]
    _response: http.client.HTTPResponse
    _connection: _Connection
    _client: PageClient
    _done: bool = field(default=False)

    def iter_raw(self) -> Iterator[bytes]:
        """The body as received (no Content-Encoding undone); the connection is reused afterwards."""
        response, received = self._response, 0
        try:
            while chunk := response.read(READ_SIZE):
                received += len(chunk)
                yield chunk
        except http.client.IncompleteRead:
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body: "
                                            "incomplete chunked read") from None
        except http.client.HTTPException as exc:
            raise httpx.RemoteProtocolError(str(exc) or type(exc).__name__) from None
        if response.length:  # http.client returns a short body without saying so
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body: "
                                            f"received {received} bytes, expected {received + response.length}")
        self._finish(reuse=not response.will_close)

    def _finish(self, reuse: bool) -> None:
        if not self._done:
            self._done = True
            self._client.release(self._connection, reuse)

    def close(self) -> None:
        """Done with the response: its connection stays open only when nothing of it is left to read."""
        response = self._response
        self._finish(reuse=not response.will_close and not response.chunked and response.length == 0)


def _headers(message: http.client.HTTPMessage) -> dict[str, str]:
    """httpx.Headers' view of a response's headers: values stripped and folded, names in lower
    case, repeats joined; bytes read as ASCII, else UTF-8, else Latin-1 (http.client read Latin-1)."""
    pairs = message.items()
    if not all(name.isascii() and value.isascii() for name, value in pairs):
        try:
            pairs = [(n.encode("latin-1").decode(), v.encode("latin-1").decode()) for n, v in pairs]
        except UnicodeDecodeError:
            pass
    headers: dict[str, str] = {}
    for name, value in pairs:
        if "\n" in value:
            value = " ".join(part.strip(" \t\r") for part in value.split("\n"))
        name, value = name.lower(), value.strip(" \t")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


class PageClient:
    """GETs with redirects under the guard, keeping a few connections alive; safe across threads."""

    def __init__(self, *, connect_timeout: float, read_timeout: float, max_redirects: int,
                 headers: dict[str, str], max_idle: int, idle_expiry: float = 5.0):
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.max_redirects, self.headers = max_redirects, headers
        self.max_idle, self.idle_expiry = max_idle, idle_expiry
        self.cookies = CookieJar()
        self._idle: list[_Connection] = []
        self._open: set[_Connection] = set()
        self._lock = threading.Lock()
        self._closed = False

    # --- connections ---------------------------------------------------------------------
    def _connect(self, key: Key) -> _Connection:
        scheme, host, port, pinned = key
        error: httpx.HTTPError = httpx.ConnectError(f"cannot connect to {host}")
        for target in pinned or (host,):
            try:
                sock = socket.create_connection((target, port), _clamped(self.connect_timeout, httpx.ConnectTimeout))
            except TimeoutError:
                error = _timed_out(httpx.ConnectTimeout)
                continue
            except OSError as exc:
                error = httpx.ConnectError(str(exc))
                continue
            try:
                if scheme == "https":
                    sock.settimeout(_clamped(self.connect_timeout, httpx.ConnectTimeout))
                    sock = _ssl_context().wrap_socket(sock, server_hostname=host)
            except TimeoutError:
                sock.close()
                raise _timed_out(httpx.ConnectTimeout) from None
            except (OSError, httpx.ConnectTimeout) as exc:
                sock.close()
                raise exc if isinstance(exc, httpx.ConnectTimeout) else httpx.ConnectError(str(exc)) from None
            connection = _Connection(key, _Socket(sock, self.read_timeout))
            with self._lock:
                self._open.add(connection)
            return connection
        raise error

    def _take(self, key: Key) -> _Connection:
        """An idle connection for `key` that is still open, else a new one."""
        if self._closed:  # a fetch queued for a poll that has ended: its slots are gone (httpx's error)
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        now, stale = time.monotonic(), []
        found = None
        with self._lock:
            for connection in list(self._idle):
                if now - connection.idle_since > self.idle_expiry:
                    self._idle.remove(connection)
                    stale.append(connection)
                elif found is None and connection.key == key:
                    self._idle.remove(connection)
                    found = connection
        for connection in stale:
            self._drop(connection)
        if found is not None and found.sock.idle_and_open():
            return found
        if found is not None:
            self._drop(found)
        return self._connect(key)

    def release(self, connection: _Connection, reuse: bool) -> None:
        with self._lock:
            if reuse and not self._closed and len(self._idle) < self.max_idle:
                connection.idle_since = time.monotonic()
                self._idle.append(connection)
                return
        self._drop(connection)

    def _drop(self, connection: _Connection) -> None:
        with self._lock:
            self._open.discard(connection)
        connection.sock.close()

    def close(self) -> None:
        """Close every connection, those in use too (their fetches fail: nobody waits for them)."""
        with self._lock:
            self._closed = True
            connections, self._idle = list(self._open), []
        for connection in connections:
            self._drop(connection)

    # --- requests ------------------------------------------------------------------------
    def get(self, url: str, headers: dict[str, str]) -> PageResponse:
        """GET `url`, following redirects; the caller reads the final response's body or closes it."""
        try:
            request_url = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise httpx.UnsupportedProtocol(str(exc)) from None
        history: list[Hop] = []
        sent = dict(self.headers)
        for name, value in headers.items():  # as httpx merges them: a header set again goes last
            sent.pop(name, None)
            sent[name] = value
        while True:
            if len(history) > self.max_redirects:
                raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.")
            response = self._send(request_url, sent)
            location = response.headers.get("location")
            if response.status_code not in REDIRECTS or location is None:
                response.history = history
                return response
            next_url = self._redirect_url(request_url, location)
            self._drain(response)
            history.append(Hop(response.status_code, request_url))
            request_url = next_url

    @staticmethod
    def _redirect_url(current: httpx.URL, location: str) -> httpx.URL:
        """httpx 0.28's Client._redirect_url."""
        try:
            url = httpx.URL(location)
        except httpx.InvalidURL as exc:
            raise httpx.RemoteProtocolError(f"Invalid URL in location header: {exc}.") from None
        if url.scheme and not url.host:
            url = url.copy_with(host=current.host)
        if url.is_relative_url:
            url = current.join(url)
        if current.fragment and not url.fragment:
            url = url.copy_with(fragment=current.fragment)
        return url

    def _drain(self, response: PageResponse) -> None:
        declared = response._response.length
        if response._response.chunked or declared is None or declared > DRAIN_LIMIT:
            response.close()  # not worth reading: the connection goes
            return
        for _ in response.iter_raw():
            pass

    def _send(self, url: httpx.URL, headers: dict[str, str]) -> PageResponse:
        scheme = url.scheme
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"Request URL has an unsupported protocol '{scheme}://'."
                                            if scheme else "Request URL is missing an 'http://' or 'https://' protocol.")
        host = url.raw_host.decode("ascii")
        port = url.port or (443 if scheme == "https" else 80)
        pin = pin_for(url)
        connection = self._take((scheme, host, port, pin.addresses if pin is not None else None))
        try:
            connection.sock.sendall(self._request(url, headers))
            response = http.client.HTTPResponse(connection.sock, method="GET")  # type: ignore[arg-type]
            try:
                response.begin()  # skips interim (1xx) responses, each read under the deadline
            except http.client.RemoteDisconnected:
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.") from None
            except http.client.HTTPException as exc:
                raise httpx.RemoteProtocolError(str(exc) or type(exc).__name__) from None
            page = PageResponse(url, response.status, _headers(response.msg), [], response, connection, self)
            if "set-cookie" in page.headers or "set-cookie2" in page.headers:
                self.cookies.extract_cookies(response, urllib.request.Request(str(url)))
        except BaseException:
            self.release(connection, reuse=False)
            raise
        return page

    def _request(self, url: httpx.URL, headers: dict[str, str]) -> bytes:
        """The request's head, headers in httpx's order (Host first) with the jar's cookies."""
        lines = [f"GET {url.raw_path.decode('ascii')} HTTP/1.1", f"Host: {url.netloc.decode('ascii')}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if len(self.cookies):
            compat = urllib.request.Request(str(url))
            self.cookies.add_cookie_header(compat)
            cookie = compat.get_header("Cookie")
            if cookie:
                lines.append(f"Cookie: {cookie}")
        if any("\r" in line or "\n" in line for line in lines):
            raise httpx.LocalProtocolError("a request header holds a line break")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
