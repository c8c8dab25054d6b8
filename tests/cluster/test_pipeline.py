"""Batches are written in a worker process while the next is decided: a write refused because
another process got in first voids the batch decided on top of it, and the run still assigns
every article once, as an undisturbed run does."""
from __future__ import annotations

from monitor.cluster import assign as assign_module
from monitor.cluster.assign import assign_pending
from monitor.cluster.evaluate import read_uci
from monitor.store import open_db, write_transaction
from monitor.store import clusters as cluster_store
from tests.conftest import shared_path

from .conftest import LEXICAL, add_article


def _load(path, items):
    db = open_db(path)
    for i, item in enumerate(items):
        add_article(db, item.text, host=f"h{i % 7}.example", at=item.at)
    return db


def _assignments(db):
    return db.conn.execute("SELECT article_id, cluster_id, dup_of, score, terms, reason FROM assignments "
                           "ORDER BY article_id").fetchall()


def test_a_conflict_mid_run_voids_the_batches_on_top_and_loses_nothing(tmp_path, monkeypatch):
    items = read_uci(shared_path("datasets", "uci-news-aggregator-prefix", "uci-news-aggregator.dev.csv"))[:1600]
    quiet = _load(tmp_path / "quiet.db", items)
    made = assign_pending(quiet, LEXICAL)
    assert len(made) == 1600

    busy = _load(tmp_path / "busy.db", items)
    other = open_db(tmp_path / "busy.db")
    settled, bumped, refused = [], [], []
    original = assign_module._Run._settle

    def settle(self):
        was = self.in_flight is not None
        original(self)
        if was:
            settled.append(self.entry is not None)
            refused.extend([True] if self.entry is None else [])
        if len(settled) == 1 and not bumped:  # another process writes while batch 2 is being written
            with write_transaction(other):
                cluster_store.bump_generation(other)
            bumped.append(True)

    monkeypatch.setattr(assign_module._Run, "_settle", settle)
    made_busy = assign_pending(busy, LEXICAL)
    assert refused  # the path under test: a write was refused and its batch redone
    assert sorted(a.article_id for a in made_busy) == sorted(a.article_id for a in made)
    assert _assignments(busy) == _assignments(quiet)
    bad = busy.conn.execute("""SELECT count(*) FROM clusters c WHERE merged_into IS NULL AND size != (
                               SELECT count(*) FROM assignments s WHERE s.cluster_id = c.id)""").fetchone()[0]
    assert bad == 0
    for db in (quiet, busy, other):
        db.close()
