"""Untrusted text is shown literally: markup does nothing, no escape sequence reaches the terminal."""
from __future__ import annotations

import asyncio

from monitor.config import Config, FeedConfig, PollConfig
from monitor.store import open_db, views
from monitor.tui.safe import clean, safe
from monitor.tui.screens.reader import ReaderScreen
from monitor.tui.widgets.cluster_list import ClusterList
from tests.tui.conftest import CLUSTER, settle
from tests.tui.helpers import make_app, query
from tests.tui.hostile import ESC, ESCAPE_TITLE, MARKUP_TITLE, RTL_TITLE, hostile_rss


def test_clean_makes_controls_and_invisibles_visible():
    assert ESC not in clean(ESCAPE_TITLE) and "\u241b[2J" in clean(ESCAPE_TITLE)
    assert "\x07" not in clean(ESCAPE_TITLE)
    shown = clean(RTL_TITLE)
    assert "<U+202E>" in shown and "<U+200B>" in shown and "\u202e" not in shown
    assert "\u0645\u0631\u062d\u0628\u0627" in shown  # right-to-left words themselves are kept
    assert safe(MARKUP_TITLE).plain == MARKUP_TITLE and not safe(MARKUP_TITLE).spans
    assert len(clean("x" * 10_000, limit=300)) == 300


def _screen_text(app) -> str:
    """Every character the cluster list and reader would send to the terminal."""
    clusters = app.screen.query(ClusterList)
    lines = []
    for widget in clusters:
        for y in range(widget.size.height):
            lines.append("".join(s.text for s in widget.render_line(y)))
    return "\n".join(lines)


async def test_hostile_feed_is_displayed_literally(db_path, newsroom, tmp_path):
    from monitor.ingest.poller import poll_once

    newsroom.put("/hostile.xml", hostile_rss(newsroom.base), content_type="application/rss+xml")
    config = Config(feeds=(FeedConfig(name="[bold]Hostile[/bold] \x1b[31mfeed", url=newsroom.url("/hostile.xml")),),
                    poll=PollConfig(fetch_pages=False, connect_timeout=2.0, read_timeout=2.0), cluster=CLUSTER)
    await asyncio.to_thread(poll_once, db_path, config, force=True)
    titles = [r[0] for r in query(db_path, "SELECT title FROM articles ORDER BY id")]
    assert any("[@click=app.quit]" in t for t in titles) and max(map(len, titles)) >= 9_000
    app = make_app(db_path, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = _screen_text(app)
        db = open_db(db_path, migrate=False)
        shown_ids = views.cluster_ids(db, views.ClusterFilter())
        labels = [row.label for row in views.cluster_rows(db, shown_ids).values()]
        assert labels and ESC not in shown
        for label in labels:
            assert clean(label)[:20] in shown  # exactly the stored characters, made visible
        await pilot.click(ClusterList, offset=(40, 0))  # clicking a markup-looking label does nothing
        await pilot.press("j", "j", "j", "g")
        await settle(pilot)
        for article_id, title in query(db_path, "SELECT id, title FROM articles ORDER BY id"):
            app.push_screen(ReaderScreen(article_id))
            await settle(pilot)
            meta = app.screen.query_one("#article-meta").render()
            body = app.screen.query_one("#article-body").render()
            meta_text, body_text = str(meta), str(body)
            assert clean(title)[:60] in meta_text
            assert ESC not in meta_text + body_text and "[link=x]y[/link]" in body_text
            assert "[bold]Hostile[/bold] \u241b[31mfeed" in meta_text
            await pilot.press("escape")
        await pilot.press("q")
    assert app.return_code in (0, None)


async def test_a_failed_workers_message_is_shown_as_written(built_db, offline_config):
    """The notice of a failed worker was read as markup: an error quoting '[bold]X[/bold]' (a feed's
    title, a path) showed a bold X instead of what it says."""
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def fail() -> None:
            raise RuntimeError("no feed named [bold]X[/bold] in /tmp/[x]")

        app.run_worker(fail, thread=True, name="load", exit_on_error=False)
        for _ in range(40):
            failed = [n for n in app._notifications if n.message.startswith("load: ")]
            if failed:
                break
            await pilot.pause(0.05)
        assert failed[0].message == "load: no feed named [bold]X[/bold] in /tmp/[x]"
        assert not failed[0].markup  # the toast shows the message as plain text
