"""The dashboard clusters, at start, what a killed run stored but never clustered (#10: 19,000
articles stayed unclustered and invisible after a kill during clustering)."""
from __future__ import annotations

import asyncio

from monitor.config import Config, FeedConfig, PollConfig
from monitor.tui.widgets.cluster_list import ClusterList
from tests.tui.conftest import CLUSTER
from tests.tui.helpers import make_app, one

QUICK = PollConfig(fetch_pages=False, connect_timeout=1.0, read_timeout=2.0)


async def test_a_dashboard_without_polling_clusters_the_backlog_at_start(newsroom, db_path):
    from monitor.ingest.poller import poll_once

    config = Config(feeds=(FeedConfig(name="Synth", url=newsroom.url("/synth/7.xml?items=12")),), poll=QUICK,
                    cluster=CLUSTER)
    stored = await asyncio.to_thread(poll_once, db_path, config, cluster=False)  # as a kill while clustering leaves it
    assert stored.new_articles == 12 and one(db_path, "SELECT count(*) FROM assignments") == 0
    app = make_app(db_path, config, poll=False)  # cron does the polling: the dashboard must catch up itself
    async with app.run_test(size=(120, 40)) as pilot:
        clusters = app.screen.query_one(ClusterList)
        for _ in range(100):
            if one(db_path, "SELECT count(*) FROM assignments") == 12 and clusters.ids:
                break
            await pilot.pause(0.1)
        assert one(db_path, "SELECT count(*) FROM assignments") == 12
        assert clusters.ids  # and the screen shows them
