"""Core tables: feeds, articles (+ FTS5), clusters, assignments, tags, notes, logs.

Migrations are append-only: never edit a step that has shipped, add a new one.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-core")


@migrations()
def m001_feeds_articles(db: Database) -> None:
    execute_script(db, """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL UNIQUE,
        tags TEXT NOT NULL DEFAULT '[]',          -- JSON list
        enabled INTEGER NOT NULL DEFAULT 1,
        interval_s INTEGER,                        -- NULL: [poll].interval
        source TEXT NOT NULL DEFAULT 'config',     -- config | cli | opml
        etag TEXT,
        last_modified TEXT,
        last_status INTEGER,                       -- HTTP status, or NULL before any poll
        last_error TEXT,
        last_polled_at TEXT,
        last_success_at TEXT,
        error_count INTEGER NOT NULL DEFAULT 0,
        next_poll_at TEXT,
        entries_seen INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        origin TEXT NOT NULL CHECK (origin IN ('feed', 'corpus')),
        url TEXT,                                  -- canonical URL
        guid TEXT,
        feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
        source_host TEXT,
        source_path TEXT,                          -- corpus file it was imported from
        title TEXT NOT NULL DEFAULT '',
        title_generated INTEGER NOT NULL DEFAULT 0, -- 1: made from the first sentence
        author TEXT,
        published_at TEXT,
        published_estimated INTEGER NOT NULL DEFAULT 0, -- 1: fetch time stood in for a missing date
        fetched_at TEXT,
        text TEXT NOT NULL DEFAULT '',
        summary TEXT,
        language TEXT,
        content_hash TEXT NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',           -- JSON: dates and URLs found in the text, etc.
        status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'read', 'dismissed')),
        starred INTEGER NOT NULL DEFAULT 0,
        extraction_status TEXT NOT NULL DEFAULT 'none'
            CHECK (extraction_status IN ('none', 'page', 'feed_content', 'summary', 'failed')),
        extraction_error TEXT,
        extraction_attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
    CREATE UNIQUE INDEX articles_feed_guid ON articles(feed_id, guid) WHERE guid IS NOT NULL;
    CREATE INDEX articles_hash ON articles(content_hash);
    CREATE INDEX articles_published ON articles(published_at);
    CREATE INDEX articles_origin ON articles(origin, published_at);
    CREATE INDEX articles_extraction ON articles(extraction_status);

    -- Full-text index over folded title and text (look-alike letters, case), kept in step by triggers.
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text)
        VALUES (new.id, monitor_fold(new.title), monitor_fold(new.text));
    END;
    CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, monitor_fold(old.title), monitor_fold(old.text));
    END;
    CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, monitor_fold(old.title), monitor_fold(old.text));
        INSERT INTO articles_fts(rowid, title, text)
        VALUES (new.id, monitor_fold(new.title), monitor_fold(new.text));
    END;
    """)


@migrations()
def m002_clusters_triage(db: Database) -> None:
    execute_script(db, """
    CREATE TABLE clusters (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        first_seen TEXT,
        last_seen TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        source_count INTEGER NOT NULL DEFAULT 0,
        dup_count INTEGER NOT NULL DEFAULT 0,
        locked INTEGER NOT NULL DEFAULT 0,        -- 1: automatic assignment never changes it
        status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'read', 'dismissed')),
        starred INTEGER NOT NULL DEFAULT 0,
        seen_size INTEGER NOT NULL DEFAULT 0,     -- size when the analyst last looked
        merged_into INTEGER REFERENCES clusters(id) ON DELETE SET NULL
    );
    CREATE INDEX clusters_last_seen ON clusters(last_seen);
    CREATE INDEX clusters_size ON clusters(size);

    -- Why each article is where it is.
    CREATE TABLE assignments (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        dup_of INTEGER REFERENCES articles(id) ON DELETE SET NULL, -- same text as this article
        score REAL,                               -- similarity to the cluster when assigned
        dup_score REAL,
        terms TEXT NOT NULL DEFAULT '[]',         -- JSON: the terms that tied it to the cluster
        reason TEXT NOT NULL DEFAULT '',
        method TEXT NOT NULL DEFAULT 'auto' CHECK (method IN ('auto', 'analyst')),
        assigned_at TEXT NOT NULL
    );
    CREATE INDEX assignments_cluster ON assignments(cluster_id);
    CREATE INDEX assignments_dup ON assignments(dup_of);

    -- Corpus documents an event cluster relates to.
    CREATE TABLE corpus_links (
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        terms TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (cluster_id, article_id)
    );

    CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
    );
    CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (article_id, tag_id)
    );
    CREATE TABLE cluster_tags (
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (cluster_id, tag_id)
    );
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
        cluster_id INTEGER REFERENCES clusters(id) ON DELETE CASCADE,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (article_id IS NOT NULL OR cluster_id IS NOT NULL)
    );
    CREATE INDEX notes_article ON notes(article_id);
    CREATE INDEX notes_cluster ON notes(cluster_id);

    -- Every triage action, so the last one can be undone.
    CREATE TABLE triage_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        target_kind TEXT NOT NULL,                -- article | cluster
        target_id INTEGER NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}',       -- JSON: what undo needs
        undone INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE poll_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        pid INTEGER,
        status TEXT NOT NULL DEFAULT 'running',   -- running | ok | partial | failed
        summary TEXT NOT NULL DEFAULT '{}'        -- JSON
    );

    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT
    );
    """)
