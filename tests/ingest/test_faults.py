"""Fault modes of the local newsroom: the poller records them, backs off, and never stalls."""
from __future__ import annotations

from datetime import timedelta

from monitor.ingest.poller import poll_once
from monitor.timeutil import from_iso, utcnow
from tests.ingest.conftest import LEXICAL_TOML, make_config

GOOD = "/feeds/rss20_harvard-spec-sample_liftoff-news.xml"


def _feed(rows, name):
    return rows("SELECT * FROM feeds WHERE name = ?", name)[0]


def test_retry_after_is_honoured_even_by_force(newsroom, db_path, rows):
    config = make_config([("busy", newsroom.url("/fault/429?retry_after=3600")),
                          ("down", newsroom.url("/fault/503?retry_after=Wed, 21 Oct 2099 07:28:00 GMT"))])
    summary = poll_once(db_path, config)
    assert summary.failed == 2
    busy, down = _feed(rows, "busy"), _feed(rows, "down")
    assert busy["last_status"] == 429 and busy["error_count"] == 1
    wait = from_iso(busy["retry_after_until"]) - utcnow()
    assert timedelta(minutes=59) < wait <= timedelta(hours=1)
    assert from_iso(busy["next_poll_at"]) >= from_iso(busy["retry_after_until"])
    # An HTTP-date Retry-After far away is capped at a day, so the feed is never switched off.
    assert timedelta(hours=23) < from_iso(down["retry_after_until"]) - utcnow() <= timedelta(hours=24)

    again = poll_once(db_path, config, force=True)

    assert again.feeds_polled == 0
    assert len(newsroom.hits("/fault/429")) == 1


def test_failures_back_off_exponentially_and_recover(newsroom, db_path, rows):
    config = make_config([("flaky", newsroom.url("/feeds/flaky.xml"))], backoff_base=100, backoff_max=350)
    newsroom.put("/feeds/flaky.xml", b"oops", status=500)
    delays = []
    for _ in range(4):
        poll_once(db_path, config, force=True)
        feed = _feed(rows, "flaky")
        delays.append((from_iso(feed["next_poll_at"]) - from_iso(feed["last_polled_at"])).total_seconds())
    feed = _feed(rows, "flaky")
    assert feed["error_count"] == 4 and feed["last_error"] == "HTTP 500" and feed["enabled"] == 1
    # base * 2^(n-1), with jitter in [0.5, 1], capped at backoff_max.
    for n, delay in enumerate(delays, start=1):
        ceiling = min(350, 100 * 2 ** (n - 1))
        assert ceiling * 0.5 - 1 <= delay <= ceiling + 1, (n, delay)
    # Not due yet: a plain poll skips it.
    assert poll_once(db_path, config).feeds_polled == 0

    newsroom.put("/feeds/flaky.xml", (newsroom.feed_path_bytes(GOOD)), content_type="application/rss+xml")
    recovered = poll_once(db_path, config, force=True)
    feed = _feed(rows, "flaky")
    assert recovered.failed == 0 and feed["error_count"] == 0 and feed["last_error"] is None
    assert feed["last_success_at"] is not None


def test_stalled_server_does_not_stall_the_cycle(newsroom, db_path, rows):
    config = make_config([("stalled", newsroom.url("/fault/stall?seconds=60")), ("good", newsroom.url(GOOD))],
                         read_timeout=0.5, connect_timeout=0.5)
    summary = poll_once(db_path, config)
    assert _feed(rows, "stalled")["last_error"] == "timed out"
    assert _feed(rows, "good")["last_outcome"] == "ok"
    assert summary.new_articles == 4 and summary.failed == 1


def test_oversized_bodies_redirect_loops_and_schemes(newsroom, db_path, rows):
    config = make_config([("huge", newsroom.url("/fault/huge")), ("bomb", newsroom.url("/fault/gzip-bomb?mb=8")),
                          ("loop", newsroom.url("/fault/redirect-loop")),
                          ("moved", newsroom.url(f"/fault/redirect?to={GOOD}")),
                          ("ftp", newsroom.url("/fault/redirect?to=ftp://127.0.0.1/feed.xml"))],
                         max_bytes=1_000_000)
    poll_once(db_path, config)
    assert "larger than 1000000 bytes" in _feed(rows, "huge")["last_error"]
    assert "larger than 1000000 bytes" in _feed(rows, "bomb")["last_error"]
    assert "redirects" in _feed(rows, "loop")["last_error"]
    assert _feed(rows, "moved")["last_outcome"] == "ok"
    assert "unsupported" in _feed(rows, "ftp")["last_error"]


def test_user_agent_is_clear(newsroom, db_path):
    poll_once(db_path, make_config([("good", newsroom.url(GOOD))]))
    assert newsroom.hits(GOOD)[0]["user-agent"].startswith("monitor/")


def test_failing_feed_error_is_listed(newsroom, db_path, tmp_path):
    from click.testing import CliRunner

    from monitor.cli import cli

    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + f'[[feeds]]\nname = "broken"\nurl = "{newsroom.url("/fault/500")}"\n', encoding="utf-8")
    runner = CliRunner()
    polled = runner.invoke(cli, ["poll"])
    assert polled.exit_code == 1 and "HTTP 500" in polled.output
    listed = runner.invoke(cli, ["feeds"])
    assert listed.exit_code == 0
    assert "last error: HTTP 500" in listed.output and "errors 1" in listed.output


def test_progress_events_for_the_dashboard(newsroom, db_path):
    events = []
    poll_once(db_path, make_config([("good", newsroom.url(GOOD)), ("bad", newsroom.url("/fault/500"))]),
              progress=events.append)
    assert events[0] == {"kind": "start", "total": 2}
    feeds = [e for e in events if e["kind"] == "feed"]
    assert sorted(e["name"] for e in feeds) == ["bad", "good"] and [e["done"] for e in feeds] == [1, 2]
    assert events[-1]["kind"] == "done" and events[-1]["summary"]["failed"] == 1


def test_a_permanent_redirect_moves_the_feed_until_the_file_changes(newsroom, db_path, rows, tmp_path):
    from click.testing import CliRunner

    from monitor.cli import cli

    moved = f"/fault/redirect?status=301&to={GOOD}"
    config = make_config([("moved", newsroom.url(moved)),
                          ("temporary", newsroom.url(f"/fault/redirect?status=302&to={GOOD}&t=1"))])
    first = poll_once(db_path, config)
    assert first.failed == 0 and first.new_articles == 4
    assert _feed(rows, "moved")["moved_to"] == newsroom.url(GOOD)
    assert _feed(rows, "temporary")["moved_to"] is None  # what lies behind a 302 may change back

    again = poll_once(db_path, config, force=True)
    assert again.not_modified == 2
    assert len(newsroom.hits("/fault/redirect")) == 3  # the moved feed went straight to its new home

    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + f'[[feeds]]\nname = "moved"\nurl = "{newsroom.url(moved)}"\n', encoding="utf-8")
    listed = CliRunner().invoke(cli, ["--config", str(tmp_path / "feeds.toml"), "--db", str(db_path), "feeds"])
    assert f"moved permanently to {newsroom.url(GOOD)}" in listed.output

    changed = make_config([("moved", newsroom.url(GOOD) + "?v=2"), ("temporary", newsroom.url(GOOD) + "?t=1")])
    poll_once(db_path, changed, force=True)
    assert _feed(rows, "moved")["moved_to"] is None  # the analyst's new URL wins
