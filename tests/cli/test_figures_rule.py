"""Figures follow their rule as the other stored features do: a database whose figures an older
rule read (before Ukrainian and Russian number words were read) is read again by `monitor
rederive` (and the polls' slices), and the brief shows the new reading before that."""
from __future__ import annotations

import json

from click.testing import CliRunner

from monitor.cli import cli
from monitor.cluster.assign import assign_pending
from monitor.models import Article
from monitor.store import open_db, write_transaction
from monitor.store.articles import content_hash, insert_article
from monitor.store.figures import insert_figures
from monitor.text.figures import FIGURES_RULE, extract_figures
from tests.cluster.conftest import LEXICAL, cluster_of

KHARKIV = ("Ракетний удар по Харкову: троє загиблих",
           "Вранці російські ракети влучили в житловий будинок у Харкові, повідомив голова ОВА Олег Синєгубов.")
ODESA = ("Drones hit Odesa port, two workers wounded",
         "Russian drones attacked the port of Odesa overnight; two workers were wounded, the governor said.")


def _run(db_path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _store(db, title: str, text: str, language: str, n: int, figures) -> int:
    article = Article(origin="feed", title=title, text=text, content_hash=content_hash(title, text), language=language,
                      url=f"https://news.example/{n}", source_host="news.example",
                      published_at="2026-11-20T10:00:00Z", fetched_at="2026-11-20T10:00:00Z")
    with write_transaction(db):
        article_id = insert_article(db, article)
        assert article_id is not None
        insert_figures(db, article_id, article.content_hash, figures)
    return article_id


def _old_rule_database(db_path) -> tuple[int, int]:
    """Two articles stored, clustered and derived as the code before figure rule versions left them:
    the Ukrainian one's figures read without number words (none), no rule column, the features'
    signature without figures."""
    db = open_db(db_path)
    try:
        kharkiv = _store(db, *KHARKIV, "uk", 1, [])  # the old rule read no figure in "троє загиблих"
        odesa = _store(db, *ODESA, "en", 2, extract_figures(ODESA[0], ODESA[1], "en"))
        assign_pending(db, LEXICAL)
        _run(db_path, "rederive")  # nothing else is stale
        signature = db.conn.execute("SELECT value FROM meta WHERE key = 'feature_rules'").fetchone()[0]
        with write_transaction(db):
            db.conn.execute("UPDATE meta SET value = ? WHERE key = 'feature_rules'",
                            [signature.split("; figures")[0]])
            db.conn.execute("ALTER TABLE figures_read RENAME TO figures_read_now")  # as schema_figures made it
            db.conn.execute("CREATE TABLE figures_read (article_id INTEGER PRIMARY KEY REFERENCES articles(id) "
                            "ON DELETE CASCADE, content_hash TEXT NOT NULL)")
            db.conn.execute("INSERT INTO figures_read SELECT article_id, content_hash FROM figures_read_now")
            db.conn.execute("DROP TABLE figures_read_now")
            db.conn.execute("DELETE FROM _sqlite_migrations WHERE migration_set = 'monitor-figures' "
                            "AND name = 'm002_figures_rule'")
    finally:
        db.close()
    return kharkiv, odesa


def _stored(db_path, sql: str, *params) -> list[tuple]:
    db = open_db(db_path)
    try:
        return db.conn.execute(sql, params).fetchall()
    finally:
        db.close()


def test_figures_an_older_rule_read_are_read_again_by_rederive(db_path):
    kharkiv, odesa = _old_rule_database(db_path)
    vectors = _stored(db_path, "SELECT * FROM cluster_vectors ORDER BY article_id")
    generation = _stored(db_path, "SELECT value FROM meta WHERE key = 'cluster_generation'")
    assert generation  # set by clustering; a rederive of vectors bumps it
    assert json.loads(_run(db_path, "stats", "--json"))["rederive_waiting"] == 2  # both were read by version 0
    event = _stored(db_path, "SELECT cluster_id FROM assignments WHERE article_id = ?", kharkiv)[0][0]
    brief = json.loads(_run(db_path, "brief", str(event), "--json"))
    assert "троє" in json.dumps(brief, ensure_ascii=False)  # read again in memory before it is stored

    out = json.loads(_run(db_path, "rederive", "--json"))
    assert (out["rederived"], out["waiting"]) == (2, 0)
    assert _stored(db_path, "SELECT article_id, value, counts, number_text FROM figures WHERE article_id = ?",
                   kharkiv) == [(kharkiv, 3.0, "killed", "троє")]
    assert {r[0] for r in _stored(db_path, "SELECT rule FROM figures_read")} == {FIGURES_RULE.version}
    # only the figures changed: the vectors, and so the events' sums, are as they were
    assert _stored(db_path, "SELECT * FROM cluster_vectors ORDER BY article_id") == vectors
    assert _stored(db_path, "SELECT value FROM meta WHERE key = 'cluster_generation'") == generation
    assert json.loads(_run(db_path, "rederive", "--json"))["rederived"] == 0
    db = open_db(db_path)
    try:
        assert cluster_of(db, odesa) != cluster_of(db, kharkiv)
    finally:
        db.close()
