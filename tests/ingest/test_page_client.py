"""The workers' page client (monitor.ingest.page_client) answers as the client it replaced did:
httpx.Client over the guarded transport. For pages, redirect chains (relative, absolute, host-less,
dot segments, permanent then temporary, a fragment kept), cookies set on the way, failures (a loop, an unsupported
scheme, a bad Location, a refused or unreachable address, an HTTP error with Retry-After) the
FetchResult is equal, and the server saw the same requests with the same headers, in order."""
from __future__ import annotations

import ssl
import subprocess
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from monitor.config import PollConfig
from monitor.ingest.fetch import (
    FetchResult,
    PageFetcher,
    _client_options,
    _limits,
)
from monitor.ingest import page_client
from monitor.ingest.transport import GuardedTransport
from monitor.ingest.workers import PAGE_ACCEPT
from tests.support.newsroom import fixture_pages

CONFIG = PollConfig(connect_timeout=2.0, read_timeout=2.0, max_redirects=4)


class _HttpxPages:
    """The client PageFetcher used until 2026-11-27, httpx.Client over GuardedTransport, answering
    PageFetcher's calls (the same get-then-read-then-close path runs over either client)."""

    def __init__(self, config: PollConfig):
        self.client = httpx.Client(**_client_options(config, GuardedTransport(_limits(config))))

    def get(self, url: str, headers: dict[str, str]) -> httpx.Response:
        return self.client.send(self.client.build_request("GET", url, headers=headers), stream=True)

    def close(self) -> None:
        self.client.close()


def _former(config: PollConfig) -> PageFetcher:
    """PageFetcher as it was until 2026-11-27: over httpx.Client and GuardedTransport."""
    fetcher = PageFetcher(config)
    fetcher.client.close()
    fetcher.client = _HttpxPages(config)  # type: ignore[assignment]
    return fetcher


def _serve_chains(newsroom) -> None:
    page = fixture_pages()[0].route
    newsroom.put("/chain/a", b"", 301, location="/chain/b")  # relative
    newsroom.put("/chain/b", b"gone", 308, location=newsroom.url("/chain/c"))  # absolute, a body to drain
    newsroom.put("/chain/c", b"", 302, location="../chain/./d")  # dot segments
    newsroom.put("/chain/d", b"", 307, location=page, set_cookie="session=abc; Path=/")
    newsroom.put("/cookie/a", b"", 302, location="/cookie/b", set_cookie="visit=1; Path=/cookie")
    newsroom.put("/cookie/b", "<html><body><p>Ça va.</p></body></html>".encode(), content_type="text/html",
                 x_note="café")
    newsroom.put("/bad-location", b"", 302, location="http://[::1")
    newsroom.put("/to-ftp", b"", 302, location="ftp://example.com/file")
    newsroom.put("/short", b"", 303, location="/fault/500")
    newsroom.put("/hostless", b"", 302, location="http:///fault/html")  # the host kept, not the port


def _cases(newsroom) -> list[tuple[str, str | None]]:
    """(URL, trusted) for each fetch, in order (cookies set by one are sent by the next)."""
    base = newsroom.base
    return [(newsroom.url(fixture_pages()[1].route), base),
            (newsroom.url("/chain/a#part-2"), base),
            (newsroom.url("/cookie/a"), base), (newsroom.url("/cookie/b?again=1"), base),
            (newsroom.url("/fault/redirect-loop"), base),
            (newsroom.url("/to-ftp"), base), (newsroom.url("/bad-location"), base),
            (newsroom.url("/short"), base), (newsroom.url("/fault/429?retry_after=30"), base),
            (newsroom.url("/hostless"), base),
            (newsroom.url("/fault/html"), None),  # an internal address, and not the feed's origin
            ("http://127.0.0.1:9/closed", "http://127.0.0.1:9/"),  # nothing listens
            ("http://user:secret@" + newsroom.url("/fault/html").removeprefix("http://"), base)]


def _undated(result: FetchResult) -> FetchResult:
    return replace(result, headers={k: v for k, v in result.headers.items() if k != "date"})


def test_the_page_client_answers_as_httpx_over_the_guarded_transport_did(newsroom):
    _serve_chains(newsroom)
    answers: dict[str, list[FetchResult]] = {}
    requests: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {}
    for name, fetcher in (("former", _former(CONFIG)), ("page client", PageFetcher(CONFIG))):
        seen = len(newsroom.requests)
        answers[name] = [fetcher.get(url, trusted=trusted, accept=PAGE_ACCEPT) for url, trusted in _cases(newsroom)]
        requests[name] = [(path, list(headers.items())) for path, headers in newsroom.requests[seen:]]
        fetcher.client.close()
    former, new = answers["former"], answers["page client"]
    for case, old, now in zip(_cases(newsroom), former, new):
        # The server's Date header is the second it answered in: the two clients' fetches may
        # straddle one (it failed CI once), so it is compared for presence, not value.
        assert ("date" in now.headers) == ("date" in old.headers), case
        assert _undated(now) == _undated(old), case
    assert requests["page client"] == requests["former"]
    # What the cases are there for, so that two clients wrong the same way do not pass:
    assert [r.status for r in new[:4]] == [200, 200, 200, 200] and new[0].body.startswith(b"<")
    assert new[1].final_url == newsroom.url(fixture_pages()[0].route) + "#part-2"
    assert new[1].moved_to == newsroom.url("/chain/c") + "#part-2"  # the leading 301 and 308
    sent = requests["page client"]
    assert [dict(h).get("cookie") for p, h in sent if p.startswith("/pages/")] == [None, "session=abc"]
    assert "visit=1" in dict(dict(sent)["/cookie/b"])["cookie"]  # set by the redirect that led there
    assert "visit=1" in dict(dict(sent)["/cookie/b?again=1"])["cookie"]  # and kept for the next page
    assert new[3].headers["x-note"] == "café"
    assert new[4].error == "more than 4 redirects"
    assert new[5].error.startswith("redirected to an unsupported URL")
    assert new[6].error.startswith("RemoteProtocolError: Invalid URL in location header")
    assert (new[7].status, new[7].error) == (500, "HTTP 500")
    assert (new[8].status, new[8].retry_after) == (429, 30)
    assert new[9].error.startswith("refused 127.0.0.1: a loopback address")  # port 80: not the feed's origin
    assert new[10].error.startswith("refused 127.0.0.1: a loopback address")
    assert new[11].error.startswith("ConnectError: ")
    assert new[12].ok and not any("authorization" in dict(h) for _, h in requests["page client"])


def test_a_page_client_closed_mid_fetch_fails_that_fetch(newsroom):
    """A poll that ends hangs up on the pages still coming (PageFetcher.close, in the worker)."""
    fetcher = PageFetcher(PollConfig(read_timeout=30.0, request_deadline=30.0))
    result: list[FetchResult] = []
    thread = threading.Thread(target=lambda: result.append(
        fetcher.get(newsroom.url("/fault/stall?seconds=20"), trusted=newsroom.base)))
    thread.start()
    while not newsroom.hits("/fault/stall"):
        thread.join(0.01)
    fetcher.close()
    thread.join(10)
    assert not thread.is_alive() and result[0].error is not None and not result[0].ok
    with pytest.raises(RuntimeError, match="closed"):  # a page queued for the ended poll does not go out
        fetcher.get(newsroom.url(fixture_pages()[0].route), trusted=newsroom.base)


def test_a_socket_closed_between_two_reads_fails_as_a_read_does():
    """The race behind the test above: the poll's end closes the socket while the fetching thread is
    between two reads. Under a request deadline each read first sets the socket's timeout, which on
    a closed socket raises EBADF: that is the same failure as the read's (an httpx error the fetch
    reports), not an OSError that ended the fetching thread (seen once under load)."""
    import socket

    from monitor.ingest import deadline

    mine, theirs = socket.socketpair()
    wrapped = page_client._Socket(mine, read_timeout=30.0)
    mine.close()
    with deadline.request_deadline(20.0):
        with pytest.raises(httpx.ReadError):
            wrapped.readinto(memoryview(bytearray(16)))
        with pytest.raises(httpx.WriteError):
            wrapped.sendall(b"GET / HTTP/1.1\r\n\r\n")
    theirs.close()


def test_connections_are_kept_between_pages(newsroom):
    """Keep-alive: pages from one host in a row reuse one connection."""
    fetcher = PageFetcher(CONFIG)
    for _ in range(3):
        assert fetcher.get(newsroom.url(fixture_pages()[0].route), trusted=newsroom.base).ok
    assert len(fetcher.client._open) == 1
    fetcher.client.close()


def _https_server(tmp_path) -> tuple[ThreadingHTTPServer, Path]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for 127.0.0.1 (openssl)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)

    class Page(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            body = b"<html><body><p>Over TLS.</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, cert


def test_pages_over_tls_are_verified_and_fetched(tmp_path, monkeypatch):
    """The certificate is checked against the same roots as before (a self-signed one fails with the
    same error); with the certificate's root trusted, the page comes over TLS with its host name checked."""
    server, cert = _https_server(tmp_path)
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/page"
        former, new = _former(CONFIG).get(url, trusted=url), PageFetcher(CONFIG).get(url, trusted=url)
        assert new == former and "CERTIFICATE_VERIFY_FAILED" in (new.error or "")
        trusting = ssl.create_default_context(cafile=str(cert))
        monkeypatch.setattr(page_client, "_ssl", trusting)
        fetched = PageFetcher(CONFIG).get(url, trusted=url)
        assert fetched.ok and fetched.body == b"<html><body><p>Over TLS.</p></body></html>", fetched.error
        by_name = PageFetcher(CONFIG).get(url.replace("127.0.0.1", "localhost"), trusted=url.replace("127.0.0.1", "localhost"))
        assert "CERTIFICATE_VERIFY_FAILED" in (by_name.error or "")  # the certificate names 127.0.0.1 only
    finally:
        server.shutdown()
        server.server_close()
