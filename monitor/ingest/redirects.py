"""A page's GET with its redirects, hop by hop over the guarded transport, without httpx.Client.

The extraction workers fetch every article page, so the client's own cost per request counts:
httpx.Client spent ~0.2 ms of Python per page on top of the exchange (merging the URL, extracting
cookies from every response, the auth and hook machinery, a log record), ~30 % of the fetch (a
221 kB fixture page over loopback: 0.70 ms of CPU through the Client, 0.49 ms through this loop).

For a GET this does what httpx 0.28's Client.send does, rule for rule: the same request headers,
the redirect cap, relative and host-less Location headers, the fragment carried over, a redirect's
body read before the next hop, cookies a response sets sent on later requests. Every hop goes
through the transport (monitor.ingest.transport), which checks the hop's addresses and keeps the
request's deadline on the wire; URLs of other schemes are refused there (UnsupportedProtocol).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import httpx

# httpx.Client's default headers, in its order (the fetcher's own values replace them in place).
_CLIENT_HEADERS = {"Accept": "*/*", "Accept-Encoding": "gzip, deflate, br, zstd", "Connection": "keep-alive",
                   "User-Agent": f"python-httpx/{httpx.__version__}"}


class RedirectingClient:
    """GETs through `transport` that follow up to `max_redirects` redirects; thread-safe."""

    def __init__(self, transport: httpx.BaseTransport, headers: dict[str, str], timeout: httpx.Timeout,
                 max_redirects: int) -> None:
        self._transport = transport
        self._headers = _CLIENT_HEADERS | headers
        self._extensions = {"timeout": timeout.as_dict()}
        self._max_redirects = max_redirects
        self._cookies = httpx.Cookies()
        self._closed = False

    def close(self) -> None:
        self._closed = True
        self._transport.close()

    @contextmanager
    def stream(self, url: str, headers: dict[str, str]) -> Iterator[httpx.Response]:
        """The final response, its body not read yet (iter_raw); closed on leaving."""
        response = self._send(url, self._headers | headers)
        try:
            yield response
        finally:
            response.close()

    def _request(self, url: httpx.URL | str, headers: dict[str, str]) -> httpx.Request:
        return httpx.Request("GET", url, headers=headers, cookies=self._cookies, extensions=self._extensions)

    def _send(self, url: str, headers: dict[str, str]) -> httpx.Response:
        if self._closed:  # a fetch queued before its poll ended: as httpx.Client says it
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        request = self._request(url, headers)
        history: list[httpx.Response] = []
        while True:
            if len(history) > self._max_redirects:
                raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)
            response = self._transport.handle_request(request)
            response.request = request
            try:
                if "set-cookie" in response.headers:  # extracting costs ~10 % of a fetch, even when there is none
                    self._cookies.extract_cookies(response)
                response.history = list(history)
                if not response.has_redirect_location:
                    return response
                request = self._request(_location(request, response), headers)
                history.append(response)
                response.read()
            except BaseException:
                response.close()
                raise


def _location(request: httpx.Request, response: httpx.Response) -> httpx.URL:
    """Where a redirect points (httpx.Client._redirect_url's rules)."""
    try:
        url = httpx.URL(response.headers["Location"])
    except httpx.InvalidURL as exc:
        raise httpx.RemoteProtocolError(f"Invalid URL in location header: {exc}.", request=request) from None
    if url.scheme and not url.host:
        url = url.copy_with(host=request.url.host)
    if url.is_relative_url:
        url = request.url.join(url)
    if request.url.fragment and not url.fragment:
        url = url.copy_with(fragment=request.url.fragment)
    return url
