"""Which rule version made each stored feature (monitor/rule_version.py), so an upgrade that
changes a rule re-derives what an older one stored (cluster/rederive.py).

Rows stored before this set existed get version 0 / no embedding rule: older than any rule, so
they are derived once more (cheap where nothing changed: the embedding cache answers by content).
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.db import execute_script

migrations = Migrations("monitor-rules")


@migrations()
def m001_rule_versions(db: Database) -> None:
    execute_script(db, """
    ALTER TABLE cluster_vectors ADD COLUMN terms_rule INTEGER NOT NULL DEFAULT 0; -- features.TERMS_RULE
    ALTER TABLE cluster_vectors ADD COLUMN emb_rule TEXT;                         -- embed.RULE, NULL without emb
    ALTER TABLE article_identity ADD COLUMN rule INTEGER NOT NULL DEFAULT 0;      -- identity.IDENTITY_RULE
    """)
