"""Feed content may not point the poller at internal hosts (SSRF): article links, redirects of
pages and feeds, and permanent moves are refused on loopback, private, link-local, multicast,
unspecified and reserved addresses, unless on the feed's own origin or allowed in [poll].

`intranet` is a second server on 127.0.0.1 that only feed content names: it must get no request."""
from __future__ import annotations

import asyncio

from monitor.config import PollConfig
from monitor.ingest.addresses import AddressPolicy
from monitor.ingest.fetch import Fetcher
from monitor.ingest.poller import poll_once
from tests.ingest.conftest import make_config
from tests.support.newsroom import fixture_pages, rss_feed

PAGE = fixture_pages()[0].route  # a real article page


def _items(links: dict[str, str]) -> list[dict[str, str]]:
    return [{"title": key, "link": link, "guid": f"urn:story:{key}", "description": f"Feed text of {key}."}
            for key, link in links.items()]


def _hostile_links(newsroom, intranet) -> dict[str, str]:
    port = intranet.server.server_address[1]
    secret = "/feeds/rss20_harvard-spec-sample_liftoff-news.xml"
    return {
        "direct": intranet.url(secret),
        "localhost": f"http://localhost:{port}{secret}",
        "relative": f"//127.0.0.1:{port}{secret}?r=1",
        "redirect": newsroom.url(f"/fault/redirect?to={intranet.url(secret)}%3Fvia%3Dnewsroom"),
        "metadata": "http://169.254.169.254/latest/meta-data/",
        "unspecified": f"http://0.0.0.0:{port}{secret}",
        "ipv6-loopback": f"http://[::1]:{port}{secret}",
        "ipv6-ula": "http://[fd00::1]/internal",
        "mapped": f"http://[::ffff:127.0.0.1]:{port}{secret}",
        "credentials": f"http://admin:hunter2@127.0.0.1:{port}{secret}?c=1",
    }


def test_feed_content_never_reaches_an_internal_server(newsroom, intranet, db_path, rows):
    links = _hostile_links(newsroom, intranet)
    newsroom.put("/hostile.xml", rss_feed("Hostile", _items(links)))
    config = make_config([("hostile", newsroom.url("/hostile.xml"))], fetch_pages=True, extract_workers=1)

    summary = poll_once(db_path, config)

    assert intranet.requests == []
    assert summary.new_articles == len(links)
    articles = {a["title"]: a for a in rows("SELECT title, url, text, extraction_error FROM articles")}
    for key, article in articles.items():
        assert article["text"] == f"Feed text of {key}.", key  # the feed's own text is kept
        assert article["extraction_error"].startswith("page: refused "), (key, article["extraction_error"])
    assert "a loopback address, not the feed's own site (allow it with [poll] allow_addresses)" \
        in articles["localhost"]["extraction_error"]
    assert "169.254.169.254: a link-local address" in articles["metadata"]["extraction_error"]
    assert "0.0.0.0: an unspecified address" in articles["unspecified"]["extraction_error"]
    assert "fd00::1: a private address" in articles["ipv6-ula"]["extraction_error"]
    assert articles["credentials"]["url"] == intranet.url("/feeds/rss20_harvard-spec-sample_liftoff-news.xml?c=1")
    port = intranet.server.server_address[1]
    assert articles["ipv6-loopback"]["url"] == f"http://[::1]:{port}/feeds/rss20_harvard-spec-sample_liftoff-news.xml"
    # The same-origin hop was fetched; the redirect it answered into the intranet was refused.
    assert len(newsroom.hits("/fault/redirect")) == 1


def test_allowed_networks_and_the_feeds_own_origin_are_reached(newsroom, intranet, db_path, rows):
    """The positive control: with the intranet allowed in [poll], the same links are fetched; and
    pages on the configured feed's own origin (here 127.0.0.1) are always fetched."""
    secret = PAGE
    newsroom.put("/mixed.xml", rss_feed("Mixed", _items({"internal": intranet.url(secret),
                                                         "own": newsroom.url(PAGE)})))
    config = make_config([("mixed", newsroom.url("/mixed.xml"))], fetch_pages=True, extract_workers=1,
                         allow_addresses=("127.0.0.0/8",))

    poll_once(db_path, config)

    assert len(intranet.hits(secret)) == 1
    errors = [a["extraction_error"] for a in rows("SELECT extraction_error FROM articles")]
    assert errors == [None, None]


def test_a_feed_moved_or_redirected_into_the_intranet_is_refused(newsroom, intranet, db_path, rows):
    target = intranet.url("/feeds/rss20_harvard-spec-sample_liftoff-news.xml")
    config = make_config([("moved", newsroom.url(f"/fault/redirect?status=301&to={target}")),
                          ("temporary", newsroom.url(f"/fault/redirect?status=302&to={target}&t=2"))])

    summary = poll_once(db_path, config)

    assert intranet.requests == []
    assert summary.failed == 2
    moved = rows("SELECT moved_to, last_error FROM feeds WHERE name = 'moved'")[0]
    assert moved["moved_to"] is None  # the move is refused, not recorded
    assert moved["last_error"].startswith("refused 127.0.0.1: a loopback address")


def test_a_configured_feed_works_wherever_it_points(intranet, db_path, rows):
    """The analyst's own feed on 127.0.0.1 (the intranet server itself) and its pages: allowed."""
    intranet.put("/own.xml", rss_feed("Own", _items({"page": intranet.url(PAGE)})))
    config = make_config([("own", intranet.url("/own.xml"))], fetch_pages=True, extract_workers=1)
    summary = poll_once(db_path, config)
    assert summary.failed == 0 and summary.new_articles == 1
    assert rows("SELECT extraction_error FROM articles")[0]["extraction_error"] is None


def test_the_policy_in_one_place():
    policy = AddressPolicy.from_config(["10.0.0.0/8"])
    refused = {"127.0.0.1": "loopback", "::1": "loopback", "0.0.0.0": "unspecified", "::": "unspecified",
               "169.254.169.254": "link-local", "fe80::1": "link-local", "224.0.0.1": "multicast",
               "192.168.1.1": "private", "172.16.0.1": "private", "fd12:3456::1": "private",
               "::ffff:127.0.0.1": "loopback", "64:ff9b::a9fe:a9fe": "link-local", "100.64.0.1": "reserved",
               "240.0.0.1": "private"}
    for address, kind in refused.items():
        assert policy.refusal(address) == f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} address", address
    for address in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "10.1.2.3", "::ffff:10.0.0.5"):
        assert policy.refusal(address) is None, address


def test_feeds_test_trusts_the_url_typed_but_not_where_it_redirects(newsroom, intranet):
    async def probe(url: str):
        async with Fetcher(PollConfig(read_timeout=5)) as fetcher:
            return await fetcher.get(url, trusted=url)

    assert asyncio.run(probe(intranet.url("/feeds/rss20_harvard-spec-sample_liftoff-news.xml"))).ok
    refused = asyncio.run(probe(newsroom.url(f"/fault/redirect?to={intranet.url('/x.xml')}")))
    assert refused.error.startswith("refused 127.0.0.1") and not intranet.hits("/x.xml")
