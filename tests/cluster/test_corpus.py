"""Corpus documents: no false cluster among them, and a new Kursk story links the Kursk reports."""
from __future__ import annotations

import json

from monitor.cluster.assign import assign_pending
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


def test_corpus_and_kursk_links_lexical(db, corpus_dir):
    _check(db, corpus_dir, LEXICAL)


def test_corpus_and_kursk_links_with_embeddings(db, corpus_dir):
    from monitor.cluster_settings import ClusterSettings

    _check(db, corpus_dir, ClusterSettings(embedding="on"))
