"""The page fetcher follows redirects with its own loop (monitor.ingest.redirects), not httpx.Client:
over the same chains it must give what httpx.Client gave, hop by hop, and send the same requests."""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import replace

import httpx
import pytest

from monitor.config import PollConfig
from monitor.ingest.fetch import FetchResult, PageFetcher, _client_headers, _limits, _timeout
from monitor.ingest.transport import GuardedTransport

PAGE = b"<html><body><article><p>Arrived.</p></article></body></html>"


class _HttpxClient:
    """httpx.Client with the options the page fetcher gave it before it followed redirects itself."""

    def __init__(self, config: PollConfig) -> None:
        self.client = httpx.Client(timeout=_timeout(config), follow_redirects=True, max_redirects=config.max_redirects,
                                   transport=GuardedTransport(_limits(config)), headers=_client_headers(config),
                                   trust_env=False)

    def stream(self, url: str, headers: dict[str, str]) -> AbstractContextManager[httpx.Response]:
        return self.client.stream("GET", url, headers=headers)

    def close(self) -> None:
        self.client.close()


def _fetch_both(newsroom, path: str, config: PollConfig) -> list[tuple[FetchResult, list[dict[str, str]]]]:
    """(result, the headers each hop received) through the page fetcher, then through httpx.Client."""
    out = []
    for client in ("own", "httpx"):
        fetcher = PageFetcher(config)
        if client == "httpx":
            fetcher.client.close()
            fetcher.client = _HttpxClient(config)  # type: ignore[assignment]
        newsroom.requests.clear()
        try:
            result = fetcher.get(newsroom.url(path), trusted=newsroom.base, accept="text/html")
        finally:
            fetcher.close()
        dateless = {k: v for k, v in result.headers.items() if k != "date"}  # the two runs may straddle a second
        out.append((replace(result, headers=dateless), [headers for _, headers in newsroom.requests]))
    return out


@pytest.mark.parametrize("chain", ["relative", "cookies", "permanent", "loop"])
def test_redirects_are_followed_as_httpx_client_followed_them(newsroom, chain):
    config = PollConfig(max_redirects=3)
    if chain == "relative":  # a relative Location, a query, the first URL's fragment carried over
        newsroom.put("/r/start", b"", 302, location="next?x=1")
        newsroom.put("/r/next", b"moved", 307, location="/r/final")
        path = "/r/start#part"
    elif chain == "cookies":  # a cookie set by one hop is sent on the next, and on the next fetch
        newsroom.put("/c/start", b"", 302, location="/r/final", set_cookie="seen=1; Path=/")
        path = "/c/start"
    elif chain == "permanent":  # 301 then 308 then 302: moved_to stops at the temporary one
        newsroom.put("/p/a", b"", 301, location="/p/b")
        newsroom.put("/p/b", b"", 308, location="/p/c")
        newsroom.put("/p/c", b"", 302, location="/r/final")
        path = "/p/a"
    else:  # one hop more than allowed
        for n in range(5):
            newsroom.put(f"/l/{n}", b"", 302, location=f"/l/{n + 1}")
        path = "/l/0"
    newsroom.put("/r/final", PAGE, content_type="text/html")

    (own, own_hops), (reference, reference_hops) = _fetch_both(newsroom, path, config)

    assert own == reference
    assert own_hops == reference_hops
    if chain == "loop":
        assert own.error == "more than 3 redirects" and len(own_hops) == 4
    else:
        assert own.ok and own.body == PAGE
    if chain == "relative":
        assert own.final_url.endswith("/r/final#part") and len(own_hops) == 3
    if chain == "cookies":
        assert own_hops[1]["cookie"] == "seen=1" and "cookie" not in own_hops[0]
    if chain == "permanent":
        assert own.moved_to == newsroom.url("/p/c")


def test_a_closed_fetcher_sends_nothing(newsroom):
    """A fetch queued before its poll ended fails without a request (the poll waits for none)."""
    newsroom.put("/r/final", PAGE, content_type="text/html")
    fetcher = PageFetcher(PollConfig())
    fetcher.close()
    newsroom.requests.clear()
    with pytest.raises(RuntimeError, match="closed"):
        fetcher.get(newsroom.url("/r/final"), trusted=newsroom.base)
    assert newsroom.requests == []
