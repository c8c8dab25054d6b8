"""Migrations on empty and populated databases; FTS kept in step by triggers; pragmas."""
from __future__ import annotations

import sqlite3

from monitor.models import Article
from monitor.store import open_db, write_transaction
from monitor.store.articles import content_hash, insert_article
from monitor.store.schema import MIGRATION_SETS
from monitor.store.search import search_articles


def article(title: str, text: str, **extra) -> Article:
    return Article(origin="corpus", title=title, text=text, content_hash=content_hash(title, text), **extra)


def test_empty_database_gets_every_migration_and_pragmas(db_path):
    db = open_db(db_path)
    names = set(db.table_names())
    assert {"feeds", "articles", "articles_fts", "clusters", "assignments", "corpus_links", "tags",
            "article_tags", "cluster_tags", "notes", "triage_log", "poll_runs"} <= names
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    applied = {row[0] for row in db.conn.execute("SELECT name FROM _sqlite_migrations")}
    expected = {m.name for s in MIGRATION_SETS for m in s._migrations}
    assert applied == expected


def test_reopening_a_populated_database_keeps_rows_and_applies_nothing_twice(db_path):
    db = open_db(db_path)
    with write_transaction(db):
        first = insert_article(db, article("Kursk offensive", "Troops advanced near Sudzha."))
    count = db.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    db.close()
    again = open_db(db_path)
    assert again.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == count
    assert again.conn.execute("SELECT title FROM articles WHERE id = ?", [first]).fetchone()[0] == "Kursk offensive"
    assert [r["id"] for r in search_articles(again, "sudzha")] == [first]


def test_pending_migrations_apply_to_a_populated_database(db_path):
    """A database made by an older release (first core step only, with rows) upgrades in place."""
    import sqlite_utils

    from monitor.store import schema_core
    from monitor.text.fold import fold

    old = sqlite_utils.Database(db_path)
    old.register_function(fold, deterministic=True, name="monitor_fold")
    schema_core.migrations.apply(old, stop_before="m002_clusters_triage")
    with write_transaction(old):
        kept = insert_article(old, article("Kharkiv", "Shelling of Kharkiv."))
    assert "clusters" not in old.table_names()
    old.close()

    db = open_db(db_path)
    assert {"clusters", "assignments", "tags", "notes"} <= set(db.table_names())
    assert [r["id"] for r in search_articles(db, "kharkiv")] == [kept]
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_fts_follows_updates_and_deletes_and_folds_lookalikes(db):
    with write_transaction(db):
        aid = insert_article(db, article("Kavya Patеl writes", "About Kharkiv."))  # Cyrillic е
    assert [r["id"] for r in search_articles(db, "patel")] == [aid]
    with write_transaction(db):
        db.conn.execute("UPDATE articles SET text = 'About Kursk.' WHERE id = ?", [aid])
    assert search_articles(db, "kharkiv") == []
    assert [r["id"] for r in search_articles(db, "KURSK")] == [aid]
    with write_transaction(db):
        db.conn.execute("DELETE FROM articles WHERE id = ?", [aid])
    assert search_articles(db, "kursk") == []
    assert db.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_search_treats_fts_syntax_as_words(db):
    """FTS5's own operators (NEAR, ^, :, +) are words; ours (OR, NOT, quotes) are syntax, and a malformed
    query is a QuerySyntaxError, never an FTS5 error."""
    import pytest

    from monitor.text.search_query import QuerySyntaxError

    with write_transaction(db):
        insert_article(db, article("NEAR OR NOT", 'quotes " and * stars ^ col:on'))
    assert len(search_articles(db, 'near or not')) == 1
    assert len(search_articles(db, 'NEAR ^stars col:on +quotes')) == 1
    for malformed in ('"', "NOT", "OR", "(near"):
        with pytest.raises(QuerySyntaxError):
            search_articles(db, malformed)


def test_same_url_is_stored_once(db):
    with write_transaction(db):
        first = insert_article(db, article("A", "one", url="https://x.test/a"))
        second = insert_article(db, article("B", "two", url="https://x.test/a"))
    assert first is not None and second is None


def test_failed_write_transaction_rolls_back(db):
    try:
        with write_transaction(db):
            insert_article(db, article("A", "one"))
            raise RuntimeError("disk full")
    except RuntimeError:
        pass
    assert db.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_two_connections_write_without_locking_errors(db_path):
    a, b = open_db(db_path), open_db(db_path)
    with write_transaction(a):
        insert_article(a, article("A", "one"))
    with write_transaction(b):
        insert_article(b, article("B", "two"))
    assert sqlite3.connect(db_path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_connections_opening_a_fresh_file_at_once_all_get_a_migrated_database(tmp_path):
    """A cron poll and the dashboard may create the database at the same moment: switching it to
    WAL then answered "database is locked" at once (no busy wait) in about 1 trial in 20."""
    import threading

    failures: list[str] = []
    for trial in range(100):
        path = tmp_path / f"fresh-{trial}.db"
        start = threading.Barrier(3)

        def open_and_read(start: threading.Barrier = start, path=path) -> None:
            start.wait()
            try:
                db = open_db(path)
                db.conn.execute("SELECT count(*) FROM poll_runs").fetchone()
                db.close()
            except Exception as exc:  # collected: a thread's exception would not fail the test
                failures.append(f"{type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=open_and_read) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []


def test_cluster_list_orders_walk_an_index_and_keep_their_order(db):
    """Each sort of the dashboard's list is an index walk (no sort step), and the ids come back in
    exactly the order of the plain ORDER BY, ties and missing times included."""
    from monitor.store import views

    with write_transaction(db):
        for i in range(60):
            seen = None if i % 7 == 0 else f"2026-11-{1 + i % 5:02d}T{i % 24:02d}:00:00Z"
            db.conn.execute(
                "INSERT INTO clusters(label, created_at, updated_at, first_seen, last_seen, size, status, starred,"
                " seen_size, merged_into, kind) VALUES (?, '2026-10-01T00:00:00Z', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [f"c{i}", f"2026-11-0{1 + i % 3}T00:00:00Z", "2026-10-30T00:00:00Z" if seen else None, seen,
                 i % 6, ("new", "read", "dismissed")[i % 3], i % 4 == 0, i % 5, 1 if i % 11 == 10 else None,
                 "corpus" if i % 13 == 12 else "event"])
    for sort in views.SORTS:
        for flt in [views.ClusterFilter(sort=sort, state=state) for state in views.STATES] + [
                views.ClusterFilter(sort=sort, since="2026-11-03T00:00:00Z")]:
            sql, params = views.cluster_ids_query(db, flt)
            plan = " ".join(row[3] for row in db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            assert f"clusters_view_{sort}" in plan and "TEMP B-TREE" not in plan, (flt, plan)
            expected = [row[0] for row in db.conn.execute(sql, params)]
            assert views.cluster_ids(db, flt) == expected
            assert expected or flt.state in ("starred", "read", "dismissed")


def test_cluster_rows_carry_awkward_values_unchanged(db):
    """Rows come back through one JSON array: quotes, unicode, missing times, tags and the
    velocity's every digit must survive it."""
    from monitor.store import views

    label = 'Naïve "quoted" \\ label — 東京 \U0001F600'
    with write_transaction(db):
        db.conn.execute("INSERT INTO clusters(id, label, created_at, updated_at, first_seen, last_seen, size,"
                        " source_count, dup_count, status, starred, locked, seen_size) VALUES"
                        " (1, ?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z',"
                        " '2026-11-01T07:00:00Z', 3, 2, 1, 'read', 1, 1, 2)", [label])
        db.conn.execute("INSERT INTO clusters(id, label, created_at, updated_at, size) VALUES"
                        " (2, '', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 1)")
        for name in ("b-tag", 'A "tag"', "ünï"):
            tag_id = db.conn.execute("INSERT INTO tags(name) VALUES (?)", [name]).lastrowid
            db.conn.execute("INSERT INTO cluster_tags(cluster_id, tag_id) VALUES (1, ?)", [tag_id])
    rows = views.cluster_rows(db, [1, 2, 99])
    assert set(rows) == {1, 2}
    one, two = rows[1], rows[2]
    assert (one.label, one.size, one.source_count, one.dup_count, one.status, one.starred, one.locked,
            one.seen_size) == (label, 3, 2, 1, "read", True, True, 2)
    assert one.tags == ('A "tag"', "b-tag", "ünï")
    exact = db.conn.execute(f"SELECT {views._VELOCITY} FROM clusters c WHERE c.id = 1").fetchone()[0]
    assert one.velocity == exact and round(exact, 6) == round(3 / 7, 6)  # 3 articles in 7 hours, every digit
    assert (two.first_seen, two.last_seen, two.tags, two.velocity) == (None, None, (), 1.0)
