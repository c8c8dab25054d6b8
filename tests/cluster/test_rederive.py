"""Stored features follow their rules: a database whose vectors and identities an older rule made
is derived again by the polls' backlog run, a slice at a time, newest first; memberships and the
analyst's decisions stay, and the stored vectors, frequencies and identities end as a fresh
database's."""
from __future__ import annotations

import json
import re
import threading
from collections import Counter

import numpy as np
import pytest

from monitor.cluster import embed, rederive
from monitor.cluster.assign import assign_backlog, assign_pending
from monitor.cluster.features import weigh
from monitor.cluster.state import build_engine
from monitor.cluster_settings import ClusterSettings
from monitor.store import open_db, triage, write_transaction

from .conftest import LEXICAL, add_article, cluster_of

STORIES = [
    ("Missile strikes hit Kharkiv, governor says three killed",
     "Russian missiles struck Kharkiv on Thursday morning, killing three people and wounding 27, governor Oleh "
     "Syniehubov said. Rescuers searched the damaged apartment blocks.", "kharkiv.example"),
    ("Kharkiv attacked with missiles: three dead, 27 wounded",
     "Three people were killed when missiles attacked Kharkiv on Thursday, Oleh Syniehubov reported. Firefighters "
     "were working at the damaged buildings.", "news.example"),
    ("Rescuers search rubble after Kharkiv missile strike",
     "Rescuers searched the rubble of apartment blocks in Kharkiv after Thursday's missile strikes killed three.",
     "wire.example"),
    ("Drones attacked Odesa port overnight",
     "Russian drones attacked the port of Odesa on Saturday night, damaging grain warehouses, the regional "
     "governor said. Two workers were wounded.", "odesa.example"),
    ("Odesa port damaged by drone attack, two wounded",
     "Grain warehouses in Odesa port were damaged by attacking drones on Saturday; two workers were wounded.",
     "sea.example"),
    ("Parliament approves the budget after long debates",
     "Lawmakers approved next year's budget on Tuesday after debates that lasted into the night, with spending on "
     "defence rising.", "politics.example"),
    ("Budget approved by lawmakers, defence spending rises",
     "The parliament approved the budget, raising defence spending; the debates lasted until Tuesday night.",
     "budget.example"),
]


def _stories(db) -> list[int]:
    return [add_article(db, title, text, host=host) for title, text, host in STORIES]


def _old_terms(title: str, text: str) -> dict[str, float]:
    """The terms as a version before stems made them: each word's first 7 characters, title twice."""
    counts: Counter[str] = Counter()
    for word in re.findall(r"\w+", title.lower()):
        counts[word[:7]] += 2
    for word in re.findall(r"\w+", text.lower()):
        counts[word[:7]] += 1
    return dict(counts)


def _as_an_older_version(db) -> None:
    """Rewrite the stored features as an older version wrote them: prefix terms weighed against their
    own frequencies, no rule versions, identities without weekdays, one article with none at all."""
    rows = db.conn.execute("SELECT a.id, a.title, a.text FROM articles a JOIN cluster_vectors v ON v.article_id = a.id "
                           "ORDER BY a.id").fetchall()
    tfs = {aid: _old_terms(title, text) for aid, title, text in rows}
    df = Counter(t for tf in tfs.values() for t in tf)
    docs = int(db.conn.execute("SELECT value FROM meta WHERE key = 'cluster_docs'").fetchone()[0])
    with write_transaction(db):
        for aid, tf in tfs.items():
            db.conn.execute("UPDATE cluster_vectors SET tf = ?, vec = ?, terms_rule = 0, emb_rule = NULL "
                            "WHERE article_id = ?", [json.dumps(tf), json.dumps(weigh(tf, df, docs)), aid])
        db.conn.execute("DELETE FROM cluster_df")
        db.conn.executemany("INSERT INTO cluster_df (term, df) VALUES (?, ?)", sorted(df.items()))
        db.conn.execute("UPDATE article_identity SET days = '[]', rule = 0")
        db.conn.execute("DELETE FROM article_identity WHERE article_id = ?", [rows[0][0]])
        db.conn.execute("DELETE FROM meta WHERE key IN ('feature_rules', 'rederive_below')")


def _decisions(db) -> dict[str, list]:
    """Every membership and analyst decision: assignments, clusters (locks, merges, stars), tags."""
    return {table: db.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("assignments", "clusters", "cluster_tags")}


def _features(db) -> dict[str, dict]:
    vectors = {aid: (json.loads(tf), json.loads(vec), sketch, terms_rule) for aid, tf, vec, sketch, terms_rule in
               db.conn.execute("SELECT article_id, tf, vec, sketch, terms_rule FROM cluster_vectors")}
    identities = {r[0]: r[1:] for r in db.conn.execute("SELECT * FROM article_identity")}
    return {"vectors": vectors, "identities": identities, "df": dict(db.conn.execute("SELECT term, df FROM cluster_df"))}


@pytest.fixture
def upgraded(tmp_path):
    """A database clustered and corrected by the analyst, then set back to an older rule's features."""
    db = open_db(tmp_path / "old.db")
    ids = _stories(db)
    assign_pending(db, LEXICAL)
    kharkiv, odesa, budget = cluster_of(db, ids[0]), cluster_of(db, ids[3]), cluster_of(db, ids[5])
    assert len({kharkiv, odesa, budget}) == 3
    triage.toggle_lock(db, kharkiv)
    triage.toggle_star(db, "cluster", odesa)
    triage.add_tag(db, "cluster", odesa, "ports")
    triage.merge(db, odesa, budget)  # an analyst's merge the words would never make
    triage.move_out(db, ids[2])
    _as_an_older_version(db)
    yield db, ids
    db.close()


def test_a_poll_rederives_old_rule_features_as_a_fresh_database_has_them(upgraded, tmp_path):
    db, ids = upgraded
    before = _decisions(db)
    assert rederive.waiting(db) == len(ids)
    assert assign_backlog(db, LEXICAL) == []  # the poll's call: nothing new to cluster, one slice derived again
    assert rederive.waiting(db) == 0
    assert _decisions(db) == before  # no membership, lock, merge, move, star or tag changed

    fresh = open_db(tmp_path / "fresh.db")
    try:
        assert _stories(fresh) == ids
        assign_pending(fresh, LEXICAL)
        got, want = _features(db), _features(fresh)
        assert got["df"] == want["df"] and got["identities"] == want["identities"]
        for aid in ids:
            tf, vec, sketch, rule = got["vectors"][aid]
            fresh_tf, fresh_vec, fresh_sketch, fresh_rule = want["vectors"][aid]
            assert (tf, sketch, rule) == (fresh_tf, fresh_sketch, fresh_rule) and vec == pytest.approx(fresh_vec)
        # The events' sums, rebuilt from the members' new vectors, are the fresh vectors summed by the kept memberships.
        engine = build_engine(db, LEXICAL, False, lambda _: "")
        members: dict[int, list[int]] = {}
        for aid in ids:
            members.setdefault(cluster_of(db, aid), []).append(aid)
        assert set(engine.clusters) == set(members)
        for cid, aids in members.items():
            summed: Counter[str] = Counter()
            for aid in aids:
                summed.update(want["vectors"][aid][1])
            assert engine.clusters[cid].vec == pytest.approx(dict(summed))
            assert engine.clusters[cid].size == len(aids)
        assert engine.clusters[cluster_of(db, ids[0])].locked
    finally:
        fresh.close()
    assert rederive.rederive_slice(db, LEXICAL) == 0  # done: the mark is at 0, nothing is read again


def test_slices_go_newest_first_and_a_failed_write_loses_nothing(upgraded):
    db, ids = upgraded
    assert rederive.rederive_slice(db, LEXICAL, limit=3) == 3
    stale = {aid for aid, rule in db.conn.execute("SELECT article_id, terms_rule FROM cluster_vectors") if rule == 0}
    assert stale == set(ids[:-3]) and rederive.waiting(db) == len(ids) - 3
    generation = db.conn.execute("SELECT value FROM meta WHERE key = 'cluster_generation'").fetchone()[0]
    frozen = _features(db)
    with write_transaction(db):  # the disk refuses the next write half way (a killed run leaves the same)
        db.conn.execute("CREATE TRIGGER refuse BEFORE UPDATE OF tf ON cluster_vectors "
                        "BEGIN SELECT RAISE(ABORT, 'disk refused'); END")
    with pytest.raises(Exception, match="disk refused"):
        rederive.rederive_slice(db, LEXICAL, limit=2)
    assert _features(db) == frozen and rederive.waiting(db) == len(ids) - 3  # frequencies and rows as they were
    with write_transaction(db):
        db.conn.execute("DROP TRIGGER refuse")
    assert db.conn.execute("SELECT value FROM meta WHERE key = 'cluster_generation'").fetchone()[0] == generation
    assert rederive.rederive_slice(db, LEXICAL, limit=2) == 2  # the next run resumes where it stood
    assert rederive.rederive_slice(db, LEXICAL) == len(ids) - 5 and rederive.waiting(db) == 0


def test_two_runs_at_once_derive_each_article_once(upgraded, tmp_path):
    db, ids = upgraded
    done: list[int] = []

    def run() -> None:
        own = open_db(tmp_path / "old.db")
        try:
            done.append(rederive.rederive_slice(own, LEXICAL))
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(done) == len(ids) and rederive.waiting(db) == 0
    # Each article's old terms left the frequencies once and its new ones came in once.
    counted = Counter(t for (tf,) in db.conn.execute("SELECT tf FROM cluster_vectors") for t in json.loads(tf))
    assert dict(db.conn.execute("SELECT term, df FROM cluster_df")) == dict(counted)


def test_a_vector_of_another_model_is_embedded_again_or_dropped(db):
    for title, text, host in STORIES[:2]:
        add_article(db, title, text, host=host)
    assign_pending(db, LEXICAL)
    stale = np.full(embed.DIMENSIONS, 0.05, dtype=np.float32).tobytes()
    with write_transaction(db):
        db.conn.execute("UPDATE cluster_vectors SET emb = ?, emb_rule = 'an-older-model:128'", [stale])
    assert rederive.waiting(db) == 2
    assert rederive.rederive_slice(db, LEXICAL) == 2  # without the model: dropped, never compared across models
    assert db.conn.execute("SELECT count(*) FROM cluster_vectors WHERE emb IS NULL AND emb_rule IS NULL").fetchone()[0] == 2

    with write_transaction(db):  # the same upgrade again, on a run that has the model
        db.conn.execute("UPDATE cluster_vectors SET emb = ?, emb_rule = 'an-older-model:128'", [stale])
        db.conn.execute("DELETE FROM meta WHERE key = 'feature_rules'")
    assert rederive.rederive_slice(db, ClusterSettings(embedding="on")) == 2
    rows = db.conn.execute("SELECT v.emb, v.emb_rule, a.title FROM cluster_vectors v JOIN articles a ON a.id = v.article_id "
                           "ORDER BY a.id").fetchall()
    assert [r[1] for r in rows] == [embed.RULE] * 2
    expected = embed.encode([r[2] for r in rows])
    for (blob, _, _), vector in zip(rows, expected):
        assert np.frombuffer(blob, dtype=np.float32) == pytest.approx(vector, abs=1e-5)
    assert rederive.waiting(db) == 0


def test_stats_show_how_many_articles_wait(upgraded, tmp_path):
    from click.testing import CliRunner

    from monitor.cli import cli

    db, ids = upgraded
    stats = ["--db", str(tmp_path / "old.db"), "stats"]
    result = CliRunner().invoke(cli, [*stats, "--json"], catch_exceptions=False)
    assert result.exit_code == 0 and json.loads(result.output)["rederive_waiting"] == len(ids)
    assert "Re-derivation:     7 articles" in CliRunner().invoke(cli, stats).output
    rederive.rederive_slice(db, LEXICAL)
    assert json.loads(CliRunner().invoke(cli, [*stats, "--json"]).output)["rederive_waiting"] == 0


def test_monitor_rederive_runs_every_slice_now(upgraded, tmp_path):
    from click.testing import CliRunner

    from monitor.cli import cli

    db, ids = upgraded
    before = _decisions(db)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "old.db"), "rederive", "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert {k: v for k, v in json.loads(result.output).items() if k != "database"} == {"rederived": len(ids), "waiting": 0}
    assert rederive.waiting(db) == 0 and _decisions(db) == before
    again = CliRunner().invoke(cli, ["--db", str(tmp_path / "old.db"), "rederive"])
    assert again.exit_code == 0 and again.output == "Derived again: 0 articles; waiting: 0\n"
    missing = CliRunner().invoke(cli, ["--db", str(tmp_path / "none.db"), "rederive"])
    assert missing.exit_code == 2  # a mistyped --db creates nothing
