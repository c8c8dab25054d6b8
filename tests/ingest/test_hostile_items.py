"""Hostile or careless feed items (#10): huge feeds, items sharing one guid, guids that change at
every poll, dates in year 9999. Real polls against the local newsroom, a real SQLite file."""
from __future__ import annotations

import json

from monitor.ingest.poller import poll_once
from monitor.timeutil import now_iso
from tests.ingest.conftest import make_config
from tests.support.newsroom import rss_feed


def _items(count: int, **fields: object) -> list[dict[str, str]]:
    items = []
    for n in range(count):
        item = {"title": f"Story number {n} on the grain corridor talks", "link": f"http://127.0.0.1:9/story/{n}",
                "guid": f"g-{n}", "pubDate": f"Sat, 21 Nov 2026 {n // 60:02d}:{n % 60:02d}:00 GMT",
                "description": f"Officials said item {n} of the grain corridor talks went ahead."}
        item.update({k: (v(n) if callable(v) else v) for k, v in fields.items()})  # type: ignore[operator]
        items.append({k: v for k, v in item.items() if v is not None})
    return items


def test_a_feed_longer_than_the_item_cap_keeps_its_newest_items_and_says_so(newsroom, db_path, rows):
    items = _items(300)
    items.reverse()  # oldest first in the document: the cap must choose by date, not by position
    newsroom.put("/feeds/long.xml", rss_feed("long", items))
    summary = poll_once(db_path, make_config([("long", newsroom.url("/feeds/long.xml"))], max_items=50))
    stored = rows("SELECT url FROM articles ORDER BY published_at")
    assert len(stored) == 50 and summary.new_articles == 50
    assert {r["url"] for r in stored} == {f"http://127.0.0.1:9/story/{n}" for n in range(250, 300)}  # the newest
    note = "item cap: kept the newest 50 of 300 entries ([poll] max_items)"
    assert summary.feeds[0].notes == (note,)
    assert rows("SELECT last_problem FROM feeds")[0]["last_problem"] == note  # what `monitor feeds` shows


def test_items_sharing_one_guid_are_all_stored_and_the_feed_is_warned_once(newsroom, db_path, rows, caplog):
    newsroom.put("/feeds/same-guid.xml", rss_feed("same", _items(20, guid="the-only-guid")))
    config = make_config([("same", newsroom.url("/feeds/same-guid.xml"))])
    with caplog.at_level("WARNING", logger="monitor.ingest"):
        first = poll_once(db_path, config)
    assert first.new_articles == 20  # was 1 of 20, the rest silently lost
    assert len(rows("SELECT id FROM articles")) == 20
    warnings = [r.getMessage() for r in caplog.records if "share a guid" in r.getMessage()]
    assert warnings == ["same: 20 items share a guid with another item; told apart by their links"]
    newsroom.put("/feeds/same-guid.xml", rss_feed("same", _items(20, guid="the-only-guid")) + b" ")
    again = poll_once(db_path, config, force=True)
    assert again.new_articles == 0 and len(rows("SELECT id FROM articles")) == 20


def _no_link_feed(items: list[dict[str, str]]) -> bytes:
    """RSS whose items have no link, and guids that are no permalinks (feedparser would take a
    permalink guid for the link)."""
    body = "".join(f'<item><title>{i["title"]}</title><guid isPermaLink="false">{i["guid"]}</guid>'
                   f'<pubDate>{i["pubDate"]}</pubDate><description>{i["description"]}</description></item>'
                   for i in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode()


def test_items_sharing_one_guid_without_links_are_told_apart_by_their_text(newsroom, db_path, rows):
    newsroom.put("/feeds/no-links.xml", _no_link_feed(_items(5, guid="same", link=None)))
    config = make_config([("nl", newsroom.url("/feeds/no-links.xml"))])
    assert poll_once(db_path, config).new_articles == 5
    assert poll_once(db_path, config, force=True).new_articles == 0


def test_a_feed_that_changes_every_guid_at_each_poll_is_not_stored_again(newsroom, db_path, rows):
    config = make_config([("churn", newsroom.url("/feeds/churn.xml"))])
    for poll in range(3):
        newsroom.put("/feeds/churn.xml", _no_link_feed(_items(4, guid=lambda n, poll=poll: f"poll-{poll}-item-{n}",
                                                              link=None)))
        summary = poll_once(db_path, config, force=True)
        assert summary.new_articles == (4 if poll == 0 else 0), poll
    assert len(rows("SELECT id FROM articles")) == 4


def test_a_date_in_year_9999_is_clamped_to_the_fetch_time_and_kept_beside_it(newsroom, db_path, rows):
    newsroom.put("/feeds/future.xml", rss_feed("future", _items(2, pubDate=lambda n: (
        "Fri, 31 Dec 9999 23:59:00 GMT" if n == 0 else "Sat, 21 Nov 2026 12:00:00 GMT"))))
    before = now_iso()
    poll_once(db_path, make_config([("future", newsroom.url("/feeds/future.xml"))]))
    future, normal = rows("SELECT published_at, published_estimated, meta FROM articles ORDER BY guid")
    assert before <= future["published_at"] <= now_iso()  # no longer pinned on top until year 9999
    assert future["published_estimated"] == 1
    assert json.loads(future["meta"])["feed_date"] == "9999-12-31T23:59:00Z"
    assert normal["published_at"] == "2026-11-21T12:00:00Z" and normal["published_estimated"] == 0
