"""Every real fixture feed, served over HTTP, polled without an unhandled error."""
from __future__ import annotations

import gzip

import feedparser

from monitor.ingest.poller import poll_once
from tests.ingest.conftest import make_config
from tests.support.newsroom import fixture_feed_files


def _expected_entries(path) -> int:
    body = path.read_bytes()
    if path.name.endswith(".gz"):
        body = gzip.decompress(body)
    return len(feedparser.parse(body).entries)


def test_every_fixture_feed_is_polled_and_counted(newsroom, db_path, rows):
    files = fixture_feed_files()
    config = make_config([(f.name, newsroom.feed_url(f.name)) for f in files])

    summary = poll_once(db_path, config)

    assert summary.feeds_polled == len(files)
    feeds = {r["name"]: r for r in rows("SELECT * FROM feeds")}
    for path in files:
        feed = feeds[path.name]
        assert feed["last_outcome"] is not None, path.name
        assert not (feed["last_error"] or "").startswith("internal error"), (path.name, feed["last_error"])
        if path.name.startswith("notfeed_"):
            assert feed["last_outcome"] == "not_feed", path.name
            continue
        assert feed["last_outcome"] in ("ok", "partial"), (path.name, feed["last_error"])
        assert feed["entries_seen"] == _expected_entries(path), path.name
    assert "an HTML page" in feeds["notfeed_html-page.html"]["last_error"]
    truncated = feeds["rss20_reuters-most-read_truncated-by-server-error.xml"]
    assert truncated["last_outcome"] == "partial" and "broken feed" in truncated["last_problem"]
    assert feeds["rss20_giantbomb-podcast_large-730-items_enclosures_PST-dates.xml"]["entries_seen"] == 730
    stored = rows("SELECT COUNT(*) AS n FROM articles")[0]["n"]
    assert stored > 1000


def test_feed_items_are_cleaned(newsroom, db_path, rows):
    names = ["atom10_talkingpointsmemo_relative-entry-links_no-base.xml",
             "atom10_onefoottsunami_html-in-title_crlf.xml",
             "rss092_heraldsun-au_iso-8859-1_no-item-dates_enclosures.xml",
             "rss_koi8-r_no-encoding-declared.xml",
             "rss20_scriptingnews_items-without-titles.xml"]
    poll_once(db_path, make_config([(n, newsroom.feed_url(n)) for n in names]))
    by_feed = {}
    for row in rows("SELECT f.name AS feed, a.* FROM articles a JOIN feeds f ON f.id = a.feed_id"):
        by_feed.setdefault(row["feed"], []).append(row)
    # Relative entry links resolved against the feed's own URL.
    assert all(a["url"].startswith(newsroom.base + "/") for a in by_feed[names[0]])
    # HTML stripped from titles.
    assert not any("<" in a["title"] for a in by_feed[names[1]])
    # Items without dates get the fetch time, marked as estimated.
    assert all(a["published_estimated"] == 1 and a["published_at"] for a in by_feed[names[2]])
    # An undeclared KOI8-R feed is read as Cyrillic, not mojibake.
    assert "Как пережить новогоднюю ночь" in by_feed[names[3]][0]["title"]
    # Items without titles get one made from their text, marked as generated.
    untitled = [a for a in by_feed[names[4]] if a["title_generated"]]
    assert untitled and all(a["title"] for a in untitled)
    assert len(by_feed[names[4]]) >= 45  # posts that differ only by #anchor are kept apart


def test_second_poll_is_conditional_and_adds_nothing(newsroom, db_path, rows):
    files = [f for f in fixture_feed_files() if not f.name.startswith("notfeed_")][:20]
    config = make_config([(f.name, newsroom.feed_url(f.name)) for f in files])
    first = poll_once(db_path, config)
    before = rows("SELECT COUNT(*) AS n FROM articles")[0]["n"]

    second = poll_once(db_path, config, force=True)

    assert first.new_articles == before > 0
    assert second.not_modified == len(files) and second.new_articles == 0
    assert rows("SELECT COUNT(*) AS n FROM articles")[0]["n"] == before
    for f in files:
        conditional = newsroom.hits(f"/feeds/{f.name}")[-1]
        assert conditional.get("if-none-match") and conditional.get("if-modified-since"), f.name
    assert {r["last_status"] for r in rows("SELECT last_status FROM feeds")} == {304}


def test_gzip_feeds_are_decoded(newsroom, db_path, rows):
    name = "rss20_oren-ru-news_windows-1251_gzip-bytes.xml.gz"
    poll_once(db_path, make_config([("oren", newsroom.feed_url(name))]))
    titles = [r["title"] for r in rows("SELECT title FROM articles")]
    assert len(titles) == 10 and any("Бузулуке" in t for t in titles)
    assert newsroom.hits(f"/feeds/{name}")[0]["accept-encoding"].startswith("gzip")
