"""`monitor import` stores each corpus document's figures with it (the same extraction as ingestion)."""
from __future__ import annotations

from monitor.corpus.importer import import_paths
from monitor.store.figures import figures_of_articles
from tests.conftest import shared_path


def test_importing_the_corpus_stores_the_kursk_figures_with_their_claimants(db):
    report = import_paths(db, [shared_path("corpus")])
    assert len(report.imported) == 5
    rows = db.conn.execute("SELECT counts, value, claimant FROM figures").fetchall()
    assert ("troops", 59_000.0, "A senior Ukrainian military source") in rows
    assert ("troops", 11_000.0, None) in rows
    assert ("killed", 15_000.0, "Ukrainian military officials") in rows
    assert ("losses", 49_000.0, "the Russian defense ministry") in rows
    read = db.conn.execute("SELECT count(*) FROM figures_read").fetchone()[0]
    assert read == 5  # every document marked read, with or without figures
    reports = figures_of_articles(db, report.imported)
    assert {r.figure.value for r in reports} >= {59_000, 11_000, 15_000, 49_000}
    assert all(r.source for r in reports)
