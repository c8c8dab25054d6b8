"""The full-text index over stemmed words (monitor.text.stem), and the analyst's watch rules and saved views.

m001 replaces the core index of folded words with one of stems: the triggers index
monitor_stem(title) and monitor_stem(text) (registered by open_db), and the migration fills the new
index from every stored article in one statement. FTS5's own 'rebuild' would read the raw columns
of the content table and index unstemmed words. The index records the stemmer that built it
(meta 'search_stems'); open_db rebuilds it the same way when another stemmer runs (ensure_stems_current).
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script, meta_value, set_meta, write_transaction
from monitor.text.stem import SIGNATURE

migrations = Migrations("monitor-search")

_STEMMED_INDEX = """
DROP TRIGGER IF EXISTS articles_fts_ai;
DROP TRIGGER IF EXISTS articles_fts_ad;
DROP TRIGGER IF EXISTS articles_fts_au;
DROP TABLE IF EXISTS articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text)
    VALUES (new.id, monitor_stem(new.title), monitor_stem(new.text));
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.id, monitor_stem(old.title), monitor_stem(old.text));
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.id, monitor_stem(old.title), monitor_stem(old.text));
    INSERT INTO articles_fts(rowid, title, text)
    VALUES (new.id, monitor_stem(new.title), monitor_stem(new.text));
END;
INSERT INTO articles_fts(rowid, title, text)
    SELECT id, monitor_stem(title), monitor_stem(text) FROM articles;
"""


_SIGNATURE_KEY = "search_stems"


def _rebuild(db: Database) -> None:
    execute_script(db, _STEMMED_INDEX)
    set_meta(db, _SIGNATURE_KEY, SIGNATURE)


@migrations()
def m001_stemmed_index(db: Database) -> None:
    _rebuild(db)


def ensure_stems_current(db: Database) -> bool:
    """Rebuild the index when the stemmer that built it is not the one running (True when rebuilt).

    The triggers delete an article's old entries by stemming its old text again: stems that changed
    under a PyStemmer upgrade would leave stale entries behind, so the index follows the stemmer."""
    if meta_value(db, _SIGNATURE_KEY) == SIGNATURE:
        return False
    with write_transaction(db):
        if meta_value(db, _SIGNATURE_KEY) == SIGNATURE:  # another process may have done it
            return False
        _rebuild(db)
    return True


@migrations()
def m002_watch_rules(db: Database) -> None:
    execute_script(db, """
    -- Each rule of feeds.toml's [[watch]] seen by a poll, and the newest article it has checked:
    -- a rule added today watches from today, and no article is checked twice.
    CREATE TABLE watch_rules (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        checked_through INTEGER NOT NULL DEFAULT 0,   -- articles.id
        added_at TEXT NOT NULL
    );
    -- A new feed article a rule matched; `seen` once the dashboard has shown it.
    CREATE TABLE watch_hits (
        id INTEGER PRIMARY KEY,
        rule TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag TEXT,
        matched_at TEXT NOT NULL,
        poll_run_id INTEGER,
        seen INTEGER NOT NULL DEFAULT 0,
        UNIQUE (rule, article_id)
    );
    CREATE INDEX watch_hits_unseen ON watch_hits(seen) WHERE seen = 0;
    CREATE INDEX watch_hits_article ON watch_hits(article_id);
    CREATE INDEX watch_hits_rule ON watch_hits(rule, id);
    """)


@migrations()
def m003_saved_views(db: Database) -> None:
    execute_script(db, """
    -- A named search and filters. `since` keeps what was typed ("24h", "7d" or an ISO date), so a
    -- relative window stays relative.
    CREATE TABLE saved_views (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        query TEXT,
        state TEXT NOT NULL DEFAULT 'active',
        tag TEXT,
        feed TEXT,
        feed_tag TEXT,
        since TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """)
