"""`monitor export` through click's CliRunner: every format, every filter, the same view as the dashboard."""
from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from monitor.cli import cli
from monitor.store import open_db, triage, views
from tests.tui.helpers import one, query


def run(db_path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "export", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_formats_carry_members_sources_tags_and_notes(built_db):
    db = open_db(built_db)
    ids = views.cluster_ids(db, views.ClusterFilter())
    target = ids[0]
    triage.add_tag(db, "cluster", target, "briefing")
    triage.add_note(db, "cluster", target, "confirm with a second source")
    members = {m.article_id for m in views.cluster_members(db, target)}
    db.close()

    data = json.loads(run(built_db, "--format", "json", "--tag", "briefing"))
    assert [c["id"] for c in data] == [target]
    assert {m["article_id"] for m in data[0]["members"]} == members
    assert data[0]["tags"] == ["briefing"] and data[0]["notes"] == ["confirm with a second source"]
    assert data[0]["sources"]

    lines = run(built_db, "--format", "jsonl").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ids

    rows = list(csv.DictReader(io.StringIO(run(built_db, "--format", "csv", "--cluster", str(target)))))
    assert {int(r["article_id"]) for r in rows} == members
    assert {r["cluster_tags"] for r in rows} == {"briefing"}

    briefing = run(built_db, "--format", "md", "--tag", "briefing")
    label = one(built_db, "SELECT label FROM clusters WHERE id = ?", target)
    assert briefing.startswith("# Coverage briefing") and "Note: confirm with a second source" in briefing
    assert label.split()[0] in briefing


def test_state_and_since_filters(built_db, tmp_path):
    db = open_db(built_db)
    ids = views.cluster_ids(db, views.ClusterFilter())
    triage.toggle_dismiss(db, "cluster", ids[0])
    triage.toggle_star(db, "cluster", ids[1])
    db.close()
    active = [c["id"] for c in json.loads(run(built_db, "--format", "json"))]
    assert ids[0] not in active and ids[1] in active
    assert [c["id"] for c in json.loads(run(built_db, "--format", "json", "--state", "dismissed"))] == [ids[0]]
    assert [c["id"] for c in json.loads(run(built_db, "--format", "json", "--state", "starred"))] == [ids[1]]
    recent = {c["id"] for c in json.loads(run(built_db, "--format", "json", "--since", "2026-11-21T11:00:00Z"))}
    expected = {r[0] for r in query(built_db, "SELECT id FROM clusters WHERE last_seen >= '2026-11-21T11:00:00Z' "
                                              "AND kind = 'event' AND size > 0 AND status != 'dismissed'")}
    assert recent == expected and recent
    out = tmp_path / "view.md"
    run(built_db, "--format", "md", "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("# Coverage briefing")


def test_markdown_keeps_hostile_text_inert(db_path):
    from monitor.store.export import ExportCluster, ExportMember, render

    member = ExportMember(1, "[x](javascript:alert) \x1b[2J *bold*", "wire", "http://127.0.0.1/a", None, None, "", ())
    cluster = ExportCluster(1, "\x1b]52;c;aGk=\x07 title", 1, ("wire",), 0, None, None, "new", False, (), (), (), (member,))
    text = render([cluster], "md")
    assert "\x1b" not in text and "\x07" not in text
    assert "\\[x\\](javascript:alert)" in text and "\\*bold\\*" in text
