"""A page that arrives on a retry brings its figures: they were stored from the feed's teaser only,
and every brief then read the page text's figures again in memory (its content hash no longer the
one they were read from)."""
from __future__ import annotations

from monitor.ingest.poller import poll_once
from tests.ingest.conftest import make_config
from tests.support.newsroom import rss_feed

PAGE = ("<html><head><title>Strike on Kharkiv</title></head><body><article><h1>Strike on Kharkiv</h1>"
        + "<p>At least 12 people were killed and 40 wounded when missiles hit Kharkiv on Thursday, the "
          "regional governor said. Rescuers worked through the night at the damaged apartment blocks.</p>" * 4
        + "</article></body></html>").encode()


def test_a_page_that_arrives_on_a_retry_stores_its_figures(newsroom, db_path, rows):
    newsroom.put("/feeds/late.xml", rss_feed("t", [
        {"title": "Strike on Kharkiv", "link": newsroom.url("/late/strike.html"), "description": "A teaser."}]))
    newsroom.put("/late/strike.html", b"busy", status=503)
    config = make_config([("late", newsroom.url("/feeds/late.xml"))], fetch_pages=True)
    poll_once(db_path, config)
    assert rows("SELECT count(*) AS n FROM figures")[0]["n"] == 0  # the teaser counts nothing

    newsroom.put("/late/strike.html", PAGE, content_type="text/html")
    assert poll_once(db_path, config, force=True).extraction_retried == 1
    assert {(r["counts"], r["value"]) for r in rows("SELECT counts, value FROM figures")} == {
        ("killed", 12.0), ("wounded", 40.0)}
    (read,) = rows("SELECT r.content_hash = a.content_hash AS current FROM figures_read r "
                   "JOIN articles a ON a.id = r.article_id")
    assert read["current"] == 1
