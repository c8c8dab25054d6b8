"""The extraction workers store each page's figures with its article (the same transaction)."""
from __future__ import annotations

from monitor.ingest.poller import poll_once
from tests.ingest.conftest import make_config
from tests.support.newsroom import rss_feed

PAGE = """<html><head><title>Strike on Kharkiv</title></head><body><article><h1>Strike on Kharkiv</h1>
<p>Three people were killed when a missile hit an apartment block in Kharkiv on Tuesday, regional governor
Oleh Syniehubov said. Rescuers were still searching the rubble on Tuesday evening, and more than 40 people were
wounded, according to the emergency service.</p>
<p>The city has been shelled almost every day since the spring, and residents of the district said the sirens
sounded only minutes before the strike. Officials said about 1,200 troops were sent to the region.</p>
</article></body></html>"""


def test_a_polled_pages_figures_are_stored_by_the_worker(newsroom, db_path, rows):
    newsroom.put("/pages/kharkiv.html", PAGE.encode(), content_type="text/html; charset=utf-8")
    items = [{"title": "Strike on Kharkiv", "link": newsroom.url("/pages/kharkiv.html"), "guid": "kharkiv",
              "description": "A strike on Kharkiv."}]
    newsroom.put("/feeds/figures.xml", rss_feed("figures", items))
    config = make_config([("figures", newsroom.url("/feeds/figures.xml"))], fetch_pages=True)

    summary = poll_once(db_path, config)

    assert summary.new_articles == 1
    (article,) = rows("SELECT id, extraction_status, content_hash FROM articles")
    assert article["extraction_status"] == "page"
    figures = {(r["counts"], r["value"], r["claimant"]) for r in rows("SELECT * FROM figures")}
    assert ("killed", 3.0, "regional governor Oleh Syniehubov") in figures
    assert ("wounded", 40.0, "the emergency service") in figures
    assert ("troops", 1200.0, "Officials") in figures
    (read,) = rows("SELECT content_hash FROM figures_read")
    assert read["content_hash"] == article["content_hash"]
