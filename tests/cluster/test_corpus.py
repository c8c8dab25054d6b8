"""Corpus documents: no false cluster among them, and a new Kursk story links the Kursk reports."""
from __future__ import annotations

import json

import pytest

from monitor.cluster.assign import assign_pending
from monitor.cluster_settings import ClusterSettings
from monitor.corpus.importer import import_paths

from .conftest import LEXICAL, add_article, cluster_of

# Written for this test (not third-party text): a later report on the Kursk fighting of 2024.
KURSK_TITLE = "Russia presses counter-attack to retake Kursk region from Ukrainian forces"
KURSK_TEXT = ("Russian troops, backed by North Korean soldiers, pressed a counter-offensive in the Kursk region on "
              "Monday, trying to push Ukrainian forces out of the territory they seized in a surprise incursion in "
              "August. Ukraine's military said its units still held ground around Sudzha but had lost several "
              "villages, while Moscow claimed to have recaptured more than half of the area taken by Kyiv.")


def _corpus(db, corpus_dir, settings):
    report = import_paths(db, [corpus_dir], settings=settings)
    assert len(report.imported) == 5
    rows = db.conn.execute("SELECT id, title, text FROM articles WHERE origin = 'corpus' ORDER BY id").fetchall()
    kursk = {r[0] for r in rows if "kursk" in r[1].lower() or r[2].lower().startswith("ukraine has initiated")}
    assert len(kursk) == 2  # the two 2024 Kursk reports; the 1943 Kharkiv page names Kursk only in passing
    return [r[0] for r in rows], kursk


def _check(db, corpus_dir, settings):
    ids, kursk = _corpus(db, corpus_dir, settings)
    clusters = {cluster_of(db, i) for i in ids}
    assert len(clusters) == 5  # no false cluster: Kursk 2024 is not Kharkiv 1943
    story = add_article(db, KURSK_TITLE, KURSK_TEXT, host="news.example", at="2026-11-20T10:00:00Z")
    assign_pending(db, settings)
    event = cluster_of(db, story)
    assert event not in clusters
    links = db.conn.execute("SELECT article_id, score, terms FROM corpus_links WHERE cluster_id = ? "
                            "ORDER BY score DESC", [event]).fetchall()
    assert {a for a, _, _ in links} == kursk
    assert all(score >= settings.corpus_link_threshold for _, score, _ in links)
    assert all("kursk" in json.loads(terms) for _, _, terms in links)


# Written for this test: another war's story in the same vocabulary (offensive, forces, city,
# civilians, fighting, sanctions) and no place or person the corpus names.
SUDAN_TITLE = "US imposes sanctions on Sudan paramilitary commanders over El Fasher offensive"
SUDAN_TEXT = ("The United States imposed sanctions on Thursday on three commanders of Sudan's Rapid Support Forces "
              "over the offensive on the city of El Fasher, where intense fighting between the paramilitary forces "
              "and the army has forced civilians to flee. The Treasury said the commanders led attacks on "
              "civilians and blocked aid convoys during the military operation in North Darfur.")


@pytest.mark.parametrize("settings", [LEXICAL, ClusterSettings(embedding="on")], ids=["lexical", "embeddings"])
def test_links_need_shared_who_or_where(db, corpus_dir, settings):
    _corpus(db, corpus_dir, settings)
    sudan = add_article(db, SUDAN_TITLE, SUDAN_TEXT, host="news.example", at="2026-11-20T10:00:00Z")
    assign_pending(db, settings)
    assert db.conn.execute("SELECT count(*) FROM corpus_links WHERE cluster_id = ?",
                           [cluster_of(db, sudan)]).fetchone()[0] == 0
    story = add_article(db, KURSK_TITLE, KURSK_TEXT, host="news.example", at="2026-11-20T11:00:00Z")
    assign_pending(db, settings)
    reasons = [json.loads(t) for (t,) in db.conn.execute("SELECT terms FROM corpus_links WHERE cluster_id = ?",
                                                         [cluster_of(db, story)])]
    assert reasons and all(r[0].startswith(("where: ", "who: ")) for r in reasons)  # the evidence comes first
    assert all("where: Kursk" in r for r in reasons)


def test_corpus_and_kursk_links_lexical(db, corpus_dir):
    _check(db, corpus_dir, LEXICAL)


def test_corpus_and_kursk_links_with_embeddings(db, corpus_dir):
    from monitor.cluster_settings import ClusterSettings

    _check(db, corpus_dir, ClusterSettings(embedding="on"))
