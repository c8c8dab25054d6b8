"""A desk polls an English, a Ukrainian and a Russian outlet from the local newsroom: their reports of one
Kharkiv strike are one event, whose brief lists the three languages and names each person once; the Odesa
strike the same morning is another. Every text is written for this test (tests/cluster/test_across_languages.py holds them)."""
from __future__ import annotations

import json

from click.testing import CliRunner

from monitor.cli import cli
from monitor.store import open_db
from tests.cluster.test_across_languages import KHARKIV, ODESA
from tests.support.newsroom import outlet_item, serve_outlets

HOURS = {"en": "06", "uk": "07", "ru": "08"}


def test_a_poll_of_three_languages_files_one_strike_as_one_event(newsroom, tmp_path, db_path):
    serve_outlets(newsroom, tmp_path, {language: [
        outlet_item(newsroom, f"/{language}/kharkiv.html", *KHARKIV[language], f"Thu, 19 Nov 2026 {hour}:00:00 GMT"),
        *([outlet_item(newsroom, f"/{language}/odesa.html", *ODESA[language], f"Thu, 19 Nov 2026 {hour}:30:00 GMT")]
          if language in ODESA else [])] for language, hour in HOURS.items()})

    result = CliRunner().invoke(cli, ["poll", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new_articles"] == 5

    db = open_db(db_path)
    try:
        rows = db.conn.execute("SELECT a.title, s.cluster_id, s.reason FROM articles a "
                               "JOIN assignments s ON s.article_id = a.id").fetchall()
    finally:
        db.close()
    cluster = {title: cid for title, cid, _ in rows}
    kharkiv = {cluster[title] for title, _ in KHARKIV.values()}
    odesa = {cluster[title] for title, _ in ODESA.values()}
    assert len(kharkiv) == 1 and len(odesa) == 1 and kharkiv != odesa, [r[2] for r in rows]
    assert sum(reason.startswith("across languages") for _, _, reason in rows) == 3

    brief = CliRunner().invoke(cli, ["brief", str(kharkiv.pop()), "--json"])
    assert brief.exit_code == 0, brief.output
    data = json.loads(brief.stdout)
    assert data["size"] == 3 and data["languages"] == {"en": 1, "ru": 1, "uk": 1}
    assert data["places"][0] == {"name": "Kharkiv", "articles": 3}
    # one person however each report writes them, under the Latin form on a tie
    assert {"name": "Syniehubov", "articles": 3} in data["names"]
    assert not {n["name"] for n in data["names"]} & {"Синєгубов", "Синегубов"}
