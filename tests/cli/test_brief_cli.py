"""`monitor brief` and the brief's fields in `monitor export`, through click's CliRunner."""
from __future__ import annotations

import json

from click.testing import CliRunner

from monitor.cli import cli
from monitor.store import open_db
from tests.support.brief_events import build_brief_events


def run(db_path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def build(db_path):
    db = open_db(db_path)
    try:
        return build_brief_events(db)
    finally:
        db.close()


def test_brief_md_is_a_paragraph_then_details(db_path):
    events = build(db_path)
    text = run(db_path, "brief", str(events.kharkiv))
    heading, blank, paragraph, *rest = text.split("\n")
    assert heading.startswith("## Russian missile strike on Kharkiv") and blank == ""
    assert paragraph.startswith("**Russian missile strike") and paragraph.endswith(".")
    assert "from 3 sources" in paragraph and "Three people killed, then five killed" in paragraph
    assert "Where: Kharkiv (5)." in paragraph and "Syniehubov (5)" in paragraph  # all five, the Ukrainian one too
    assert "### Timeline" in rest and "`▂▁██`" in text  # arrivals per hour from 10:00
    assert "https://kyivwire.example/kharkiv-strike" in text  # members with links


def test_brief_json_carries_the_figures_and_disagreements(db_path):
    events = build(db_path)
    data = json.loads(run(db_path, "brief", str(events.kursk), "--format", "json"))
    assert data["cluster_id"] == events.kursk and data["source_count"] == 2
    tolls = next(g for g in data["figures"] if g["group"] == "tolls")
    (clash,) = tolls["disagreements"]
    assert {clash["first"]["claimant"], clash["second"]["claimant"]} == {
        "Ukrainian military officials", "the Russian defense ministry"}
    assert data["places"][0] == {"name": "Kursk", "articles": 2}  # where, from the stored event identity
    assert data["names"] and all(n["name"] not in ("Russian", "Ukrainian") for n in data["names"])  # nationalities
    assert data["timeline"]["sparkline"] and data["paragraph"].startswith("**")
    assert json.loads(run(db_path, "brief", str(events.kursk), "--json")) == data


def test_brief_of_a_missing_event_exits_2(db_path):
    build(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "brief", "999"])
    assert result.exit_code == 2 and "no event 999" in result.output


def test_export_includes_the_brief(db_path):
    events = build(db_path)
    data = json.loads(run(db_path, "export", "--format", "json", "--cluster", str(events.kursk)))
    assert data[0]["brief"]["figures"] and data[0]["brief"]["source_count"] == 2
    md = run(db_path, "export", "--format", "md", "--cluster", str(events.kharkiv))
    assert "First reported by Kyiv Wire." in md
    # sources are counted once, by the brief: a line above it said "from 4 sources" (one per feed
    # name, the aggregator that republished a copy included) over the brief's "from 3 sources"
    assert "5 articles from 3 sources (1 republished" in md and "from 4 sources" not in md


def test_brief_prints_hostile_text_inert_in_both_formats(db_path):
    events = build(db_path)
    db = open_db(db_path)
    db.conn.execute("UPDATE clusters SET label = ? WHERE id = ?", ["\x1b]52;c;aGk=\x07 \u202e *x*", events.kursk])
    db.conn.commit()
    db.close()
    for args in ((), ("--json",)):
        out = run(db_path, "brief", str(events.kursk), *args)
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert json.loads(run(db_path, "brief", str(events.kursk), "--json"))["headline"] == "\x1b]52;c;aGk=\x07 \u202e *x*"
