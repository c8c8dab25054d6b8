"""The schema: every migration set, in the one order they apply, and a dump of what they build.

Each stage keeps its tables in its own `schema_*` module (adding one never reorders another's
steps), but the order between the sets is written here, not implied by file names: a set may
build on the ones before it (the triage indexes read the cluster kind). A new set goes at the
end of MIGRATION_SETS; tests/store/test_schema.py fails for a `schema_*` module left out and when
the fresh schema differs from the checked-in dump tests/store/fresh_schema.txt (the test's
message gives the command that writes it again: `opening.fresh_schema()`).
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store import (schema_cluster, schema_core, schema_embed, schema_figures, schema_identity,
                           schema_ingest, schema_proposal, schema_refine, schema_rules, schema_search,
                           schema_split, schema_triage)

MIGRATION_SETS: tuple[Migrations, ...] = (
    schema_core.migrations,
    schema_cluster.migrations,
    schema_ingest.migrations,
    schema_triage.migrations,
    schema_figures.migrations,
    schema_embed.migrations,
    schema_search.migrations,  # replaces the core full-text index by a stemmed one
    schema_identity.migrations,
    schema_proposal.migrations,  # proposed members of locked events (#12)
    schema_rules.migrations,  # the rule version of each stored feature (#12)
    schema_split.migrations,  # events cut apart by the split pass, kept apart across rebuilds (#12)
    schema_refine.migrations,  # articles waiting for a second look (#12)
)


def schema_dump(db: Database) -> str:
    """Tables, indexes, triggers and views as SQLite stores them, in a stable order (FTS shadow
    tables included: they are part of what a migration builds)."""
    rows = db.conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, name")
    return "".join(f"-- {kind} {name}\n{sql.strip()};\n\n" for kind, name, sql in rows)
