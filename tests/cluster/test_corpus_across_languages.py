"""An event reported only in Ukrainian and Russian links the analyst's English corpus document on the
same strike, on where, who, when and the toll, each named in the link's reason; the corpus's other
Kharkiv documents and a Kharkiv report of another day naming other people link nothing.

Polled through the CLI from the local newsroom (127.0.0.1); the corpus is ../shared/corpus as the
analyst has it, plus one English report of the strike written for this test (as are the feeds' texts)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.cluster.assign import assign_pending
from monitor.models import Article
from monitor.store import open_db
from monitor.store.articles import content_hash, insert_article
from monitor.store.db import write_transaction
from tests.cluster.test_across_languages import DRONE
from tests.support.newsroom import newsroom, outlet_item, serve_outlets  # noqa: F401  (the fixture)

from .conftest import LEXICAL, add_article, cluster_of

STRIKE_DOCUMENT = {
    "title": "Russian drone strike on Kharkiv kills three, governor says",
    "text": "A Russian drone hit a residential building in Kharkiv on Thursday morning, killing three people, "
            "regional governor Oleh Syniehubov said.\n\nMayor Ihor Terekhov said the drone struck the Kyivskyi "
            "district, where rescuers searched the rubble of the upper floors for several hours. The city's "
            "air defence had been working since dawn, he added, and the regional authorities opened shelters "
            "for the families whose flats were destroyed.",
    "published": "2026-11-19T06:30:00Z",
}
# The same city three days later, other people named: another event.
OTHER_DAY = ("У Харкові відновили електропостачання після ремонту підстанції",
             "У неділю енергетики відновили електропостачання в Салтівському районі Харкова після ремонту "
             "підстанції, повідомив директор Харківобленерго Олександр Бондар. Речниця ДСНС Ірина Кравець сказала, "
             "що постраждалих немає.")


def _poll(newsroom, tmp_path, corpus_dir) -> None:  # noqa: F811  (the fixture)
    (tmp_path / "strike.json").write_text(json.dumps(STRIKE_DOCUMENT), encoding="utf-8")
    imported = CliRunner().invoke(cli, ["import", str(corpus_dir), str(tmp_path / "strike.json"), "--json"])
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["imported"] == 6
    serve_outlets(newsroom, tmp_path, {
        "uk": [outlet_item(newsroom, "/uk/drone.html", *DRONE["uk"], "Thu, 19 Nov 2026 07:00:00 GMT"),
               outlet_item(newsroom, "/uk/power.html", *OTHER_DAY, "Sun, 22 Nov 2026 09:00:00 GMT")],
        "ru": [outlet_item(newsroom, "/ru/drone.html", *DRONE["ru"], "Thu, 19 Nov 2026 08:00:00 GMT")]})
    polled = CliRunner().invoke(cli, ["poll", "--json"])
    assert polled.exit_code == 0, polled.output
    assert json.loads(polled.stdout)["new_articles"] == 3


def test_a_strike_reported_in_ukrainian_and_russian_links_the_english_document_on_it(
        newsroom, tmp_path, db_path, corpus_dir):  # noqa: F811  (the fixture)
    _poll(newsroom, tmp_path, corpus_dir)
    db = open_db(db_path)
    try:
        cluster = dict(db.conn.execute("SELECT a.title, s.cluster_id FROM articles a "
                                       "JOIN assignments s ON s.article_id = a.id WHERE a.origin = 'feed'").fetchall())
        document = {title: aid for aid, title in db.conn.execute(
            "SELECT id, title FROM articles WHERE origin = 'corpus'")}[STRIKE_DOCUMENT["title"]]
        links = {cid: {aid: json.loads(terms) for aid, terms in db.conn.execute(
            "SELECT article_id, terms FROM corpus_links WHERE cluster_id = ?", [cid])}
            for cid in set(cluster.values())}
    finally:
        db.close()
    strike = cluster[DRONE["uk"][0]]
    assert cluster[DRONE["ru"][0]] == strike != cluster[OTHER_DAY[0]]
    # the strike's event links the document on it, and none of the corpus's other Kharkiv documents
    assert set(links[strike]) == {document}, links
    reason = links[strike][document]
    assert reason[0] == "where: Kharkiv" and reason[1].startswith("who: Syniehubov"), reason
    assert reason[2].startswith("when: ") and reason[3] == "toll: 3", reason  # the four parts the Corpus pane shows
    assert reason[-1].startswith("across languages: ") and reason[-1].endswith(" event, en document"), reason
    # the same city another day, other people: no link
    assert links[cluster[OTHER_DAY[0]]] == {}, links

    brief = CliRunner().invoke(cli, ["brief", str(strike), "--json"])
    assert brief.exit_code == 0, brief.output
    assert [c["article_id"] for c in json.loads(brief.stdout)["corpus"]] == [document]


# Reports of Kharkiv naming the governor: the strike's own (same day, three killed); the same text three
# days later; the same day, another strike (two killed). Written for this test.
REPORTS = {
    "same strike": ("2026-11-19T07:00:00Z", *DRONE["uk"]),
    "another day": ("2026-11-22T08:00:00Z", DRONE["ru"][0], DRONE["ru"][1].replace("В четверг", "В воскресенье")),
    "another toll": ("2026-11-19T18:00:00Z", "Еще один дрон попал в Харьков: двое погибших",
                     "В четверг вечером еще один российский дрон попал в Харьков, погибли двое человек, сообщил "
                     "глава ОВА Олег Синегубов."),
}


@pytest.mark.parametrize("case", list(REPORTS))
def test_a_dated_document_with_a_toll_links_no_other_day_nor_other_toll(db, case):
    """Where the document has a date and a toll, both must agree: the same governor named three days
    later, or the same day with another toll (two killed), is another strike, not the document's."""
    with write_transaction(db):
        document = insert_article(db, Article(
            origin="corpus", title=STRIKE_DOCUMENT["title"], text=STRIKE_DOCUMENT["text"],
            content_hash=content_hash(STRIKE_DOCUMENT["title"], STRIKE_DOCUMENT["text"]), source_path="strike.json",
            published_at=STRIKE_DOCUMENT["published"]))
    at, title, text = REPORTS[case]
    report = add_article(db, title, text, host="report.example", at=at)
    assign_pending(db, LEXICAL)
    linked = {d for (d,) in db.conn.execute("SELECT article_id FROM corpus_links WHERE cluster_id = ?",
                                            [cluster_of(db, report)])}
    assert linked == ({document} if case == "same strike" else set())
