"""A clock that was ahead: a poll run while the machine's clock was a year ahead (a VM resumed with
a wrong time, then corrected) wrote next polls and a Retry-After a year ahead, and `monitor poll`
under cron then answered "no feeds are due" for a year. A schedule past the farthest any feed can
wait (its interval, the longest backoff, a day of Retry-After) is due now; one within it still waits."""
from __future__ import annotations

import json
from datetime import timedelta

from click.testing import CliRunner

from monitor.cli import cli
from monitor.store import open_db, write_transaction
from monitor.timeutil import to_iso, utcnow
from tests.support.newsroom import newsroom  # noqa: F401  (the fixture)


def _poll(db_path, config, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--config", str(config), "poll", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_schedule_written_by_a_clock_a_year_ahead_is_due_now(newsroom, db_path, tmp_path):  # noqa: F811
    config = tmp_path / "feeds.toml"
    config.write_text('[poll]\nfetch_pages = false\ninterval = "1h"\n\n[cluster]\nembedding = "off"\n\n'
                      + "".join(f'[[feeds]]\nname = "{name}"\nurl = "{newsroom.url(f"/synth/{n}.xml?items=2")}"\n\n'
                                for n, name in enumerate(("skewed", "throttled", "waiting"))), encoding="utf-8")
    assert _poll(db_path, config, "--all")["feeds_polled"] == 3
    ahead = to_iso(utcnow() + timedelta(days=365))
    db = open_db(db_path)
    try:
        with write_transaction(db):
            db.conn.execute("UPDATE feeds SET next_poll_at = ? WHERE name = 'skewed'", [ahead])
            db.conn.execute("UPDATE feeds SET retry_after_until = ?, next_poll_at = ? WHERE name = 'throttled'",
                            [ahead, ahead])
    finally:
        db.close()
    polled = _poll(db_path, config)
    assert sorted(f["name"] for f in polled["feeds"]) == ["skewed", "throttled"]  # "waiting": its hour has not passed

