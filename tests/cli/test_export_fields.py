"""`monitor export`: the articles' own stars, tags and notes in every format, unambiguous times, plurals,
saved views (`--view`), and the search syntax as a filter."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.store import open_db, triage
from tests.cli.desk import ITEMS, serve_items, write_config


@pytest.fixture
def desk(newsroom, tmp_path, db_path):
    """The desk polled once, one article starred, tagged and noted; returns its id and its event's id."""
    write_config(tmp_path, newsroom)
    serve_items(newsroom, ITEMS)
    assert CliRunner().invoke(cli, ["poll"]).exit_code == 0
    db = open_db(db_path)
    article, cluster = db.conn.execute(
        "SELECT a.id, s.cluster_id FROM articles a JOIN assignments s ON s.article_id = a.id "
        "WHERE a.title LIKE 'Glide bombs hit%'").fetchone()
    triage.toggle_star(db, "article", article)
    triage.add_tag(db, "article", article, "confirmed")
    triage.add_note(db, "article", article, "second source: city council")
    db.close()
    return article, cluster


def export(*args: str) -> str:
    result = CliRunner().invoke(cli, ["export", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_article_triage_is_in_every_format(desk):
    article, cluster = desk
    member = next(m for c in json.loads(export("--format", "json")) for m in c["members"] if m["article_id"] == article)
    assert member["starred"] is True and member["tags"] == ["confirmed"]
    assert member["notes"] == ["second source: city council"]
    assert member["published_at"] == "2026-11-21T12:00:00Z"  # ISO 8601 UTC

    lines = [json.loads(line) for line in export("--format", "jsonl").splitlines()]
    member = next(m for c in lines for m in c["members"] if m["article_id"] == article)
    assert member["tags"] == ["confirmed"] and member["starred"] is True

    rows = {int(r["article_id"]): r for r in csv.DictReader(io.StringIO(export("--format", "csv")))}
    assert rows[article]["article_starred"] == "1" and rows[article]["article_tags"] == "confirmed"
    assert rows[article]["article_notes"] == "second source: city council"
    assert rows[article]["published_at"] == "2026-11-21T12:00:00Z"
    assert {r["article_starred"] for a, r in rows.items() if a != article} == {"0"}

    briefing = export("--format", "md")
    assert "★ [Glide bombs hit Kharkiv overnight]" in briefing and "tags: confirmed" in briefing
    assert "    - Note: second source: city council" in briefing
    assert "2026-11-21 12:00 UTC" in briefing and "T12:00:00Z" not in briefing


def test_plurals_are_right(desk):
    briefing = export("--format", "md", "--cluster", str(desk[1]))
    assert "View: " in briefing and " 1 cluster." in briefing
    assert "1 article from 1 source" in briefing or "articles from 1 source" in briefing
    assert "1 articles" not in briefing and "1 sources" not in briefing and "1 clusters" not in briefing


def test_query_filter_and_saved_views(desk):
    runner = CliRunner()
    kursk = [c["label"] for c in json.loads(export("--format", "json", "--query", "kursk"))]
    assert kursk and all("Kursk" in label for label in kursk)
    not_kursk = json.loads(export("--format", "json", "--query", "-kursk"))
    assert not_kursk and all("Kursk" not in m["title"] for c in not_kursk for m in c["members"])

    saved = runner.invoke(cli, ["views", "save", "Glide, not Kursk", "--query", "glide bomb -kursk",
                                "--feed-tag", "ukraine", "--since", "3650d", "--state", "all"])
    assert saved.exit_code == 0, saved.output
    listed = json.loads(runner.invoke(cli, ["views", "--json"]).stdout)
    assert listed == [{"name": "Glide, not Kursk", "query": "glide bomb -kursk", "state": "all", "tag": None,
                       "feed": None, "feed_tag": "ukraine", "since": "3650d"}]
    exported = json.loads(export("--format", "json", "--view", "glide, NOT kursk"))  # names ignore case
    assert [m["title"] for c in exported for m in c["members"]] == ["Glide bombs hit Kharkiv overnight"]
    assert json.loads(export("--format", "json", "--feed-tag", "ukraine", "--query", "title:nowhere")) == []

    missing = runner.invoke(cli, ["export", "--view", "nope"])
    assert missing.exit_code == 2 and "no saved view named 'nope'" in missing.output
    bad = runner.invoke(cli, ["export", "--query", "kursk OR"])
    assert bad.exit_code == 2 and bad.output.strip() == "monitor: invalid search: OR at column 7 needs a word after it"
    assert runner.invoke(cli, ["views", "delete", "Glide, not Kursk"]).exit_code == 0
    assert json.loads(runner.invoke(cli, ["views", "--json"]).stdout) == []


def test_saved_view_names_and_queries_print_as_inert_text():
    runner = CliRunner()
    saved = runner.invoke(cli, ["views", "save", "Evil\x1b[31m", "--query", "kursk\x1b]0;x\x07"])
    assert saved.exit_code == 0, saved.output
    listed = runner.invoke(cli, ["views"])
    assert "\x1b" not in saved.output + listed.output and "\x07" not in listed.output
    assert "Evil␛[31m: state: active  query: kursk␛]0;x␇" in listed.output


def test_a_feed_or_feed_tag_no_feed_has_is_a_usage_error(desk):
    """`monitor export --feed desk` (the feed is "Desk") exported nothing and exited 0: a briefing
    script sent an empty briefing; a feed tag nobody uses did the same."""
    typo = CliRunner().invoke(cli, ["export", "--feed", "desk", "--format", "json"])
    assert typo.exit_code == 2 and typo.stdout == ""
    assert "no feed named 'desk' (did you mean 'Desk'?)" in typo.stderr
    tag = CliRunner().invoke(cli, ["export", "--feed-tag", "ukriane"])
    assert tag.exit_code == 2 and "no feed has the tag 'ukriane'" in tag.stderr
    assert json.loads(export("--feed", "Desk", "--feed-tag", "UKRAINE", "--format", "json"))  # the real ones
    # A saved view is the same filter: `views save --feed desk` was saved, and exported nothing, exit 0.
    view = CliRunner().invoke(cli, ["views", "save", "Mine", "--feed", "desk"])
    assert view.exit_code == 2 and "no feed named 'desk' (did you mean 'Desk'?)" in view.stderr
    assert CliRunner().invoke(cli, ["views", "save", "Mine", "--feed-tag", "ukriane"]).exit_code == 2
    assert "Mine" not in CliRunner().invoke(cli, ["views"]).output
    assert CliRunner().invoke(cli, ["views", "save", "Mine", "--feed", "Desk"]).exit_code == 0


def test_the_briefing_counts_an_events_sources_once(newsroom, tmp_path, db_path):
    """Two feeds of one site carried the same report: the md briefing said "2 articles from 2
    sources (1 duplicate)" on one line and, right below, the brief's "2 articles from 1 source
    (1 republished copy)". The brief's paragraph is the event's one count now."""
    from tests.cli.desk import ITEMS, serve_items, write_config
    from tests.support.newsroom import rss_feed

    write_config(tmp_path, newsroom, f'[[feeds]]\nname = "Desk Europe"\nurl = "{newsroom.url("/desk/europe.xml")}"\n')
    serve_items(newsroom, ITEMS[:1])
    guid, title, text = ITEMS[0]
    newsroom.put("/desk/europe.xml", rss_feed("Desk Europe", [
        {"title": title, "link": newsroom.url("/desk/europe/g1.html"), "guid": "e-g1",
         "pubDate": "Sat, 21 Nov 2026 12:30:00 GMT", "description": text, "content": f"<p>{text}</p>"}]))
    assert CliRunner().invoke(cli, ["poll"]).exit_code == 0
    event = json.loads(export("--format", "json"))
    assert len(event) == 1 and event[0]["sources"] == ["Desk", "Desk Europe"] and event[0]["duplicates"] == 1
    briefing = export("--format", "md")
    assert event[0]["brief"]["paragraph"] in briefing
    assert "2 articles from 1 source (1 republished copy)" in briefing
    assert "from 2 sources" not in briefing


def test_an_event_id_that_does_not_exist_is_named_and_exit_2(desk):
    """`monitor export --cluster 99999` printed an empty export and exited 0, where `monitor brief
    99999` says there is no such event: a script could not tell a typo from a quiet day."""
    _, existing = desk
    missing = CliRunner().invoke(cli, ["export", "--cluster", str(existing), "--cluster", "99999", "--format", "json"])
    assert missing.exit_code == 2 and missing.stdout == ""
    assert missing.stderr.strip() == "monitor: no event 99999"
    assert len(json.loads(export("--cluster", str(existing), "--format", "json"))) == 1


def test_a_csv_cell_a_spreadsheet_would_evaluate_is_inert(newsroom, tmp_path, db_path):  # noqa: F811
    """A feed's title '=HYPERLINK("http://evil.example","Kharkiv")' was a formula in the exported CSV
    once opened in a spreadsheet (CSV injection)."""
    from tests.cli.desk import serve_items, write_config

    write_config(tmp_path, newsroom)
    formula = '=HYPERLINK("http://evil.example","Kharkiv strike")'
    serve_items(newsroom, [("f1", formula, "Glide bombs hit Kharkiv."), ("f2", "@SUM(1+1) Kursk", "Kursk."),
                           ("f3", "Grain prices fall", "Wheat eased.")])
    assert CliRunner().invoke(cli, ["poll"]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv"))))
    titles = sorted(row["title"] for row in rows)
    assert titles == ["'" + formula, "'@SUM(1+1) Kursk", "Grain prices fall"]
    exported = json.loads(export("--format", "json"))
    assert formula in [m["title"] for c in exported for m in c["members"]]  # JSON keeps it exact


def test_a_hostile_note_is_inert_markdown_in_the_export_as_in_the_brief(desk, db_path):
    """The export escaped only [ ] * _ while the brief escaped every markup character: a note holding
    HTML or a heading rendered as such in the exported briefing. One rule now (safe_text.markdown_inert)."""
    article, _ = desk
    db = open_db(db_path)
    triage.add_note(db, "article", article, "<img src=x onerror=alert(1)> # heading | cell `code`")
    db.close()
    briefing = export("--format", "md")
    assert "\\<img src=x onerror=alert(1)\\> \\# heading \\| cell \\`code\\`" in briefing
    assert "<img" not in briefing.replace("\\<img", "")
