"""`monitor feeds test` and `monitor poll` give one verdict on one document: the truncated Reuters
fixture was "ok" (exit 0) in `feeds test` while the poll recorded it "partial"."""
from __future__ import annotations

import json

from click.testing import CliRunner

from monitor.cli import cli
from monitor.store import open_db
from tests.ingest.conftest import LEXICAL_TOML
from tests.support.newsroom import newsroom  # noqa: F401  (the fixture)

TRUNCATED = "/feeds/rss20_reuters-most-read_truncated-by-server-error.xml"
MIDFEED_ERROR = "/feeds/rss20_unescaped-ampersand-in-link_midfeed-error.xml"
SOUND = "/feeds/rss20_harvard-spec-sample_liftoff-news.xml"


def test_feeds_test_says_partial_where_the_poll_records_partial(newsroom, tmp_path, db_path):  # noqa: F811
    runner = CliRunner()
    routes = {"truncated": TRUNCATED, "midfeed": MIDFEED_ERROR, "sound": SOUND}
    (tmp_path / "feeds.toml").write_text(LEXICAL_TOML + "[poll]\nfetch_pages = false\n\n" + "".join(
        f'[[feeds]]\nname = "{name}"\nurl = "{newsroom.url(route)}"\n\n' for name, route in routes.items()),
        encoding="utf-8")
    polled = runner.invoke(cli, ["poll", "--all"])
    # The summary names the partial feeds and why, as it names the failed ones (it said nothing).
    assert "  partial: truncated: broken feed, no entries could be read" in polled.stdout
    assert "  partial: midfeed: " in polled.stdout and "sound:" not in polled.stdout
    recorded = {row["name"]: row["last_outcome"] for row in open_db(db_path).query(
        "select name, last_outcome from feeds")}
    assert recorded == {"truncated": "partial", "midfeed": "partial", "sound": "ok"}

    for name, route in routes.items():
        tested = runner.invoke(cli, ["feeds", "test", newsroom.url(route), "--json"])
        report = json.loads(tested.stdout)
        assert report["verdict"] == recorded[name], name
        assert tested.exit_code == (0 if recorded[name] == "ok" else 1), name  # partial: exit 1, as README's table
    text = runner.invoke(cli, ["feeds", "test", newsroom.url(TRUNCATED)]).output
    assert text.startswith(f"{newsroom.url(TRUNCATED)}: partial\n") and "problem: broken feed" in text
