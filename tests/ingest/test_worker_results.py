"""The extraction workers store what the same functions give in one process, for all 80 fixture pages:
the text, language, charset, content hash and figures. Whatever the workers do to be cheap (modules
preloaded by the forkserver, a frozen heap, typed hand-offs over a pipe) must change no result."""
from __future__ import annotations

import json
from dataclasses import astuple, fields

from monitor.ingest.extract import extract_page
from monitor.ingest.poller import poll_once
from monitor.store.articles import content_hash
from monitor.text.figures import Figure, article_figures
from tests.ingest.conftest import make_config
from tests.support.newsroom import fixture_pages

_FIGURE_COLUMNS = ", ".join(f.name for f in fields(Figure))


def test_workers_store_what_the_plain_functions_give(newsroom, db_path, rows):
    pages = fixture_pages()
    config = make_config([("fixtures", newsroom.extraction_feed_url())], fetch_pages=True)

    summary = poll_once(db_path, config)

    assert summary.new_articles == len(pages) == 80
    stored = {r["url"]: r for r in rows("SELECT * FROM articles")}
    figures_found = 0
    for page in pages:
        url = newsroom.url(page.route)
        article = stored[url]
        # The feed gives every item its title and date, so the poll asks for no page metadata.
        expected = extract_page(url, page.html_path.read_bytes(), "text/html", with_metadata=False)
        assert article["extraction_status"] == "page", page.key
        assert article["text"] == expected.text, page.key
        assert article["language"] == expected.language, page.key
        assert json.loads(article["meta"]) == {"page_charset": expected.charset}, page.key  # no page metadata
        assert article["content_hash"] == content_hash(article["title"], expected.text), page.key
        figures = article_figures(article["title"], expected.text, expected.language) or []
        figures_found += len(figures)
        got = [tuple(r.values()) for r in rows(f"SELECT {_FIGURE_COLUMNS} FROM figures WHERE article_id = ? "
                                               "ORDER BY id", article["id"])]
        assert got == [astuple(f) for f in figures], page.key
    assert figures_found > 50  # the comparison covers figures, not only their absence
    # The search index holds every article's stemmed words ("killed" is indexed as "kill").
    assert rows("SELECT COUNT(*) AS n FROM articles_fts WHERE articles_fts MATCH 'kill'")[0]["n"] > 0
