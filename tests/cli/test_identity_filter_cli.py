"""`monitor search` and `monitor export` filtered by where:/who: (any spelling of the place), through
click's CliRunner on events stored and clustered the way ingestion does."""
from __future__ import annotations

import json

from monitor.store.identity_filter import use_place_resolver
from tests.cli.test_brief_cli import build, run


def test_search_where_lists_the_articles_naming_the_place_in_any_spelling(db_path):
    events = build(db_path)
    try:
        english = json.loads(run(db_path, "search", "where:Kharkiv", "--json", "--limit", "50"))
        russian = json.loads(run(db_path, "search", "where:Харьков", "--json", "--limit", "50"))
        kursk = json.loads(run(db_path, "search", "where:Kursk", "--json"))
    finally:
        use_place_resolver(None)  # the CLI set the gazetteer's lookup for this process
    assert english and [r["id"] for r in english] == [r["id"] for r in russian]
    assert all("kursk" in r["url"] for r in kursk) and kursk
    assert not {r["id"] for r in english} & {r["id"] for r in kursk}
    assert events.toll_3 in {r["id"] for r in english}


def test_export_query_where_and_who(db_path):
    events = build(db_path)
    try:
        kharkov = json.loads(run(db_path, "export", "--format", "json", "--query", "where:Kharkov"))
        not_kharkiv = json.loads(run(db_path, "export", "--format", "json", "--query", "-where:Kharkiv"))
        governor = json.loads(run(db_path, "export", "--format", "json", "--query", "who:Syniehubov"))
    finally:
        use_place_resolver(None)
    assert [c["id"] for c in kharkov] == [events.kharkiv] == [c["id"] for c in governor]
    assert [c["id"] for c in not_kharkiv] == [events.kursk]


def test_a_misplaced_where_is_one_line_and_exit_2(db_path):
    build(db_path)
    out = run(db_path, "search", "kursk", "OR", "where:Kharkiv", code=2)
    assert out.strip().splitlines() == ["monitor: invalid search: where: and who: combine with the other words "
                                        "by AND (or -), not inside OR or ( )"]


def test_who_finds_a_person_in_either_alphabet(db_path):
    """A desk reads Ukrainian and Russian reports: who:Syniehubov finds the articles that write him Синєгубов
    or Синегубова, and who:Синєгубов the ones that write Syniehubov (his name's skeleton, text/name_skeleton)."""
    from monitor.cluster.assign import assign_pending
    from monitor.cluster_settings import ClusterSettings
    from monitor.store import open_db
    from tests.cluster.conftest import add_article
    from tests.cluster.test_across_languages import KHARKIV

    db = open_db(db_path)
    try:
        ids = {lang: add_article(db, title, lead, host=f"{lang}.example") for lang, (title, lead) in KHARKIV.items()}
        other = add_article(db, "Odesa port hit", "Russian drones hit the port of Odesa, governor Oleh Kiper said.",
                            host="odesa.example")
        assign_pending(db, ClusterSettings(embedding="off"))
    finally:
        db.close()
    latin = {r["id"] for r in json.loads(run(db_path, "search", "who:Syniehubov", "--json"))}
    cyrillic = {r["id"] for r in json.loads(run(db_path, "search", "who:Синєгубов", "--json"))}
    mayor = {r["id"] for r in json.loads(run(db_path, "search", "who:Terekhov", "--json"))}
    assert latin == cyrillic == mayor == set(ids.values())
    assert other not in latin and {other} == {r["id"] for r in json.loads(run(db_path, "search", "who:Кіпер", "--json"))}
