-- table _sqlite_migrations
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);

-- table article_identity
CREATE TABLE article_identity (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        language TEXT NOT NULL DEFAULT '',   -- ISO 639-1, declared or detected; '' unknown
        places TEXT NOT NULL DEFAULT '[]',   -- JSON [[geonameid, name, country, kind, population]]
        names TEXT NOT NULL DEFAULT '[]',    -- JSON [[matching key, form in the text]]
        numbers TEXT NOT NULL DEFAULT '[]',  -- JSON ["1200", "12"]
        old INTEGER NOT NULL DEFAULT 0       -- published long before the newest article
    );

-- table article_tags
CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (article_id, tag_id)
    );

-- table articles
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

-- table articles_fts
CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );

-- table articles_fts_config
CREATE TABLE 'articles_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table articles_fts_data
CREATE TABLE 'articles_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table articles_fts_docsize
CREATE TABLE 'articles_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table articles_fts_idx
CREATE TABLE 'articles_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table assignments
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
    , proposed INTEGER NOT NULL DEFAULT 0);

-- table cluster_df
CREATE TABLE cluster_df (
        term TEXT PRIMARY KEY,
        df INTEGER NOT NULL
    ) WITHOUT ROWID;

-- table cluster_tags
CREATE TABLE cluster_tags (
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (cluster_id, tag_id)
    );

-- table cluster_vectors
CREATE TABLE cluster_vectors (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,            -- event | corpus
        at REAL,                       -- epoch seconds the window is measured on; NULL for corpus
        tf TEXT NOT NULL,              -- JSON: raw term frequencies (title counted twice)
        vec TEXT NOT NULL,             -- JSON: unit TF-IDF vector when clustered
        sketch BLOB NOT NULL,          -- bottom-k MinHash of word 3-grams (uint32)
        emb BLOB                       -- float32 sentence embedding, when embeddings are on
    );

-- table clusters
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
    , kind TEXT NOT NULL DEFAULT 'event');

-- table corpus_links
CREATE TABLE corpus_links (
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        terms TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (cluster_id, article_id)
    );

-- table feeds
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
    , in_config INTEGER NOT NULL DEFAULT 1, last_outcome TEXT, last_problem TEXT, feed_format TEXT, retry_after_until TEXT, moved_to TEXT);

-- table figures
CREATE TABLE figures (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,          -- the sentence's index in the article (0 = title)
        value REAL NOT NULL,                -- the number (low end of a range or vague amount)
        high REAL,                          -- top of a range or vague amount
        qualifier TEXT NOT NULL,            -- exact | about | more_than | at_least | less_than | up_to | range | vague
        counts TEXT NOT NULL,               -- killed | wounded | losses | troops | villages | area | percent | ...
        unit TEXT NOT NULL DEFAULT '',
        number_text TEXT NOT NULL,          -- as written: "about 1,200", "dozens"
        subject TEXT NOT NULL DEFAULT '',
        party TEXT NOT NULL DEFAULT '',
        scope TEXT NOT NULL DEFAULT '',
        claimant TEXT,                      -- NULL: the sentence names nobody
        sentence TEXT NOT NULL
    );

-- table figures_read
CREATE TABLE figures_read (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        content_hash TEXT NOT NULL
    );

-- table meta
CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT
    );

-- table notes
CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
        cluster_id INTEGER REFERENCES clusters(id) ON DELETE CASCADE,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (article_id IS NOT NULL OR cluster_id IS NOT NULL)
    );

-- table poll_runs
CREATE TABLE poll_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        pid INTEGER,
        status TEXT NOT NULL DEFAULT 'running',   -- running | ok | partial | failed
        summary TEXT NOT NULL DEFAULT '{}'        -- JSON
    );

-- table tags
CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
    );

-- table triage_log
CREATE TABLE triage_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        target_kind TEXT NOT NULL,                -- article | cluster
        target_id INTEGER NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}',       -- JSON: what undo needs
        undone INTEGER NOT NULL DEFAULT 0
    );

-- index articles_extraction
CREATE INDEX articles_extraction ON articles(extraction_status);

-- index articles_feed_guid
CREATE UNIQUE INDEX articles_feed_guid ON articles(feed_id, guid) WHERE guid IS NOT NULL;

-- index articles_hash
CREATE INDEX articles_hash ON articles(content_hash);

-- index articles_origin
CREATE INDEX articles_origin ON articles(origin, published_at);

-- index articles_origin_created
CREATE INDEX articles_origin_created ON articles(origin, created_at);

-- index articles_published
CREATE INDEX articles_published ON articles(published_at);

-- index articles_retry
CREATE INDEX articles_retry ON articles(extraction_status, extraction_attempts) WHERE extraction_error IS NOT NULL;

-- index articles_url
CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;

-- index assignments_cluster
CREATE INDEX assignments_cluster ON assignments(cluster_id);

-- index assignments_dup
CREATE INDEX assignments_dup ON assignments(dup_of);

-- index cluster_vectors_kind_at
CREATE INDEX cluster_vectors_kind_at ON cluster_vectors(kind, at);

-- index clusters_kind_seen
CREATE INDEX clusters_kind_seen ON clusters(kind, last_seen);

-- index clusters_last_seen
CREATE INDEX clusters_last_seen ON clusters(last_seen);

-- index clusters_size
CREATE INDEX clusters_size ON clusters(size);

-- index clusters_view_activity
CREATE INDEX clusters_view_activity
        ON clusters(coalesce(last_seen, updated_at) DESC, id DESC,
                    merged_into, kind, status, starred, size, seen_size, last_seen, updated_at)
        WHERE merged_into IS NULL AND size > 0;

-- index clusters_view_size
CREATE INDEX clusters_view_size
        ON clusters(size DESC, last_seen DESC, id DESC,
                    merged_into, kind, status, starred, seen_size, updated_at)
        WHERE merged_into IS NULL AND size > 0;

-- index clusters_view_velocity
CREATE INDEX clusters_view_velocity
        ON clusters((size / max(1.0, (julianday(coalesce(last_seen, created_at))
                                      - julianday(coalesce(first_seen, created_at))) * 24.0)) DESC, id DESC,
                    merged_into, kind, status, starred, size, seen_size, last_seen, updated_at)
        WHERE merged_into IS NULL AND size > 0;

-- index feeds_next_poll
CREATE INDEX feeds_next_poll ON feeds(next_poll_at);

-- index figures_article
CREATE INDEX figures_article ON figures(article_id);

-- index idx__sqlite_migrations_migration_set_name
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");

-- index notes_article
CREATE INDEX notes_article ON notes(article_id);

-- index notes_cluster
CREATE INDEX notes_cluster ON notes(cluster_id);

-- index triage_log_open
CREATE INDEX triage_log_open ON triage_log(undone, id);

-- trigger articles_fts_ad
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, monitor_fold(old.title), monitor_fold(old.text));
    END;

-- trigger articles_fts_ai
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text)
        VALUES (new.id, monitor_fold(new.title), monitor_fold(new.text));
    END;

-- trigger articles_fts_au
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, monitor_fold(old.title), monitor_fold(old.text));
        INSERT INTO articles_fts(rowid, title, text)
        VALUES (new.id, monitor_fold(new.title), monitor_fold(new.text));
    END;

