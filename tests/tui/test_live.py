"""Live behaviour: another process's writes appear without losing the selection; the poll worker
reports progress, failing feeds and a held lock instead of crashing; the first run explains itself."""
from __future__ import annotations

import asyncio

from monitor.config import Config, FeedConfig, PollConfig
from monitor.store import open_db, views
from monitor.tui.widgets.cluster_list import ClusterList
from monitor.tui.widgets.empty_state import EmptyState
from monitor.tui.widgets.status_line import StatusLine
from tests.tui.conftest import CLUSTER, settle
from tests.tui.helpers import make_app, one
from tests.tui.hostile import hostile_rss

QUICK = PollConfig(fetch_pages=False, connect_timeout=1.0, read_timeout=2.0, backoff_base=60)


async def wait_until(pilot, condition, seconds: float = 8.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)
    assert condition()


async def test_writes_from_another_process_appear_and_keep_selection(built_db, offline_config, newsroom):
    from monitor.ingest.poller import poll_once

    newsroom.put("/hostile.xml", hostile_rss(newsroom.base), content_type="application/rss+xml")
    cron = Config(feeds=(FeedConfig(name="Wire", url=newsroom.url("/hostile.xml")),), poll=QUICK, cluster=CLUSTER)
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        clusters = app.screen.query_one(ClusterList)
        await pilot.press("j", "j", "j")
        selected = clusters.selected_id
        before = len(clusters.ids)
        await asyncio.to_thread(poll_once, built_db, cron, force=True)  # what cron would do
        expected = views.cluster_ids(open_db(built_db, migrate=False), views.ClusterFilter())
        assert len(expected) > before
        await wait_until(pilot, lambda: clusters.ids == expected)
        assert clusters.selected_id == selected


async def test_first_run_explains_and_failing_feed_is_shown(db_path):
    config = Config(feeds=(FeedConfig(name="Unreachable", url="http://127.0.0.1:9/feed.xml"),), poll=QUICK)
    app = make_app(db_path, config, poll=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        empty = app.screen.query_one(EmptyState)
        assert empty.display
        assert "monitor import PATH" in str(empty.render())
        await wait_until(pilot, lambda: one(db_path, "SELECT count(*) FROM poll_runs WHERE finished_at IS NOT NULL") == 1)
        await wait_until(pilot, lambda: "Feeds failing (1)" in str(empty.render()))
        assert "Unreachable" in str(empty.render())
        status = app.screen.query_one(StatusLine)
        await wait_until(pilot, lambda: "failing 1/1" in str(status.render()))
        assert one(db_path, "SELECT error_count FROM feeds WHERE name = 'Unreachable'") >= 1


async def test_poll_lock_held_elsewhere_is_reported(db_path):
    from monitor.ingest.lock import poll_lock

    config = Config(feeds=(FeedConfig(name="Unreachable", url="http://127.0.0.1:9/feed.xml"),), poll=QUICK)
    app = make_app(db_path, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        with poll_lock(db_path):
            await pilot.press("p")
            status = app.screen.query_one(StatusLine)
            await wait_until(pilot, lambda: "another process is polling" in str(status.render()))
        assert one(db_path, "SELECT count(*) FROM poll_runs") == 0


async def test_the_timer_polls_only_when_a_feed_is_due(db_path, newsroom):
    """A tick with no feed due starts no poll: an empty poll retried every failed page each minute
    (their five tries spent in five minutes), recorded a run the status line showed as the last
    poll, and replaced the last poll's summary with "polled 0 feeds"."""
    from monitor.ingest.poller import poll_once

    config = Config(feeds=(FeedConfig(name="Guardian", url=newsroom.feed_url(
        "rss20_guardian-world-news_media-content_dc-date.xml")),), poll=QUICK, cluster=CLUSTER)
    await asyncio.to_thread(poll_once, db_path, config, force=True)  # next poll in 15 minutes
    runs = lambda: one(db_path, "SELECT count(*) FROM poll_runs WHERE finished_at IS NOT NULL")  # noqa: E731
    app = make_app(db_path, config, poll=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: runs() == 2)  # the first tick catches up, whatever is due
        screen = app.screen
        await wait_until(pilot, lambda: not screen._polling)
        note = screen.query_one(StatusLine).poll_note
        screen.poll_due()  # the next tick: nothing is due
        assert not screen._polling
        await pilot.pause(0.5)
        assert runs() == 2 and screen.query_one(StatusLine).poll_note == note
        db = open_db(db_path)
        db.conn.execute("UPDATE feeds SET next_poll_at = '2000-01-01T00:00:00Z'")
        db.conn.commit()
        db.close()
        screen.poll_due()  # now the feed is due
        assert screen._polling
        await wait_until(pilot, lambda: runs() == 3)
        await wait_until(pilot, lambda: not screen._polling)
        db = open_db(db_path)  # a next poll written while the clock was a year ahead: due now, as for cron
        db.conn.execute("UPDATE feeds SET next_poll_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+365 days')")
        db.conn.commit()
        db.close()
        screen.poll_due()
        assert screen._polling
        await wait_until(pilot, lambda: runs() == 4)
