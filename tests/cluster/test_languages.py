"""The embedding model is English-only: articles known to be in another language are placed
by their words, so its noise cannot tie unrelated foreign-language stories together."""
from __future__ import annotations

import json

import trafilatura

from monitor.cluster.assign import assign_pending, english_or_unknown
from monitor.cluster_settings import ClusterSettings
from monitor.store import write_transaction
from tests.cluster.conftest import add_article, cluster_of
from tests.conftest import shared_path

PAGES = shared_path("fixtures", "extraction", "mozilla-readability", "test-pages")


def page(name: str) -> tuple[str, str, str]:
    meta = json.loads((PAGES / name / "expected-metadata.json").read_text(encoding="utf-8"))
    text = trafilatura.extract((PAGES / name / "source.html").read_bytes())
    return meta["title"], text, meta.get("lang") or ""


def test_language_gate():
    assert english_or_unknown(None) and english_or_unknown("en-GB") and english_or_unknown("")
    assert not english_or_unknown("pt-br") and not english_or_unknown("es")


def test_unrelated_portuguese_and_spanish_pages_stay_apart_with_embeddings_on(db):
    # Folha (pt-BR, football) and La Nación (es, the Mapuche conflict): their headline embeddings
    # scored above the event threshold before the gate.
    ids = []
    for name, language in (("folha", "pt-br"), ("la-nacion", "es")):
        title, text, _ = page(name)
        article_id = add_article(db, title, text, host=f"{name}.test")
        with write_transaction(db):
            db.conn.execute("UPDATE articles SET language = ? WHERE id = ?", [language, article_id])
        ids.append(article_id)
    assign_pending(db, ClusterSettings(embedding="on"))
    assert cluster_of(db, ids[0]) != cluster_of(db, ids[1])
    reasons = [r[0] for r in db.conn.execute("SELECT reason FROM assignments ORDER BY article_id")]
    assert all(reason.startswith("new cluster") for reason in reasons), reasons
