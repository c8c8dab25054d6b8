"""The schema is one ordered list of migration sets, and what it builds matches the checked-in dump."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import monitor.store as store_package
from monitor.store import open_db
from monitor.store.opening import fresh_schema
from monitor.store.schema import MIGRATION_SETS

DUMP = Path(__file__).parent / "fresh_schema.txt"


def test_every_schema_module_is_in_the_ordered_list():
    modules = sorted(m.name for m in pkgutil.iter_modules(store_package.__path__) if m.name.startswith("schema_"))
    sets = [importlib.import_module(f"monitor.store.{name}").migrations for name in modules]
    assert len(sets) >= 4
    assert [s for s in sets if s not in MIGRATION_SETS] == [], "add the new set at the end of MIGRATION_SETS"
    assert len(set(map(id, MIGRATION_SETS))) == len(MIGRATION_SETS)


def test_sets_apply_in_the_listed_order(db_path):
    db = open_db(db_path)
    applied = [row[0] for row in db.conn.execute("SELECT migration_set FROM _sqlite_migrations ORDER BY id")]
    db.close()
    first_seen = list(dict.fromkeys(applied))
    assert first_seen == [s.name for s in MIGRATION_SETS]
    assert applied == sorted(applied, key=first_seen.index)  # each set whole, before the next


def test_a_fresh_database_matches_the_checked_in_schema():
    assert fresh_schema() == DUMP.read_text(encoding="utf-8"), (
        "the migrations changed the schema: regenerate the dump with "
        "`.venv/bin/python -c 'import sys; from monitor.store.opening import fresh_schema; "
        "sys.stdout.write(fresh_schema())' > tests/store/fresh_schema.txt` and review the diff")
