"""Figures: the quantified claims found in each article (monitor.text.figures), with their claimants."""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-figures")


@migrations()
def m001_figures(db: Database) -> None:
    execute_script(db, """
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
    CREATE INDEX figures_article ON figures(article_id);
    -- Which text an article's figures were read from: a text replaced later (a retried page) or an
    -- article stored before figures existed has no row or another hash, and is read again on demand.
    CREATE TABLE figures_read (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        content_hash TEXT NOT NULL
    );
    """)


@migrations()
def m002_figures_rule(db: Database) -> None:
    # The version of the rule the figures were read by (text.figures.FIGURES_RULE; see monitor/rule_version.py):
    # figures read before this carry 0, older than any rule, and are read again by the rederive slices.
    execute_script(db, "ALTER TABLE figures_read ADD COLUMN rule INTEGER NOT NULL DEFAULT 0;")
