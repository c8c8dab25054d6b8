"""The store owns SQL: no module outside `monitor/store/` runs a query or holds SQL text."""
from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "monitor"
STORE = PACKAGE / "store"
# Methods of sqlite3 connections/cursors and sqlite_utils databases that run SQL.
RUNS_SQL = {"execute", "executemany", "executescript", "query", "register_function", "create_function",
            "create_table", "create_view", "enable_fts", "rows_where"}
# A statement's shape, not a sentence that happens to start with "Drop" or "Replace".
SQL_TEXT = re.compile(r"^\s*(SELECT\b[\s\S]*\bFROM\b|SELECT\s+\S+\s*$|INSERT\s+(OR\s+\w+\s+)?INTO\b|"
                      r"REPLACE\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|"
                      r"(CREATE|DROP)\s+(TEMP\s+|UNIQUE\s+|VIRTUAL\s+)?(TABLE|INDEX|TRIGGER|VIEW)\b|"
                      r"ALTER\s+TABLE\b|PRAGMA\s+\w+|BEGIN(\s+(IMMEDIATE|DEFERRED|EXCLUSIVE))?\s*;?\s*$|"
                      r"COMMIT\s*;?\s*$|ROLLBACK\b|WITH\s+\w+\s+AS\s*\(|ATTACH\s+DATABASE\b|VACUUM\b)",
                      re.IGNORECASE)


def findings(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RUNS_SQL:
            found.append(f"{node.lineno}: .{node.func.attr}(...)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.match(node.value):
            found.append(f"{node.lineno}: SQL text {node.value[:40]!r}")
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "db":
            found.append(f"{node.lineno}: db[...] table access")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "table"
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "db"):
            found.append(f"{node.lineno}: db.table(...)")
    return found


def outside_store() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if STORE not in p.parents)


def test_no_module_outside_the_store_executes_sql():
    files = outside_store()
    assert len(files) > 50
    leaks = {str(p.relative_to(PACKAGE)): f for p in files if (f := findings(p))}
    assert leaks == {}


def test_the_check_sees_a_query_and_sql_text(tmp_path):
    """The detector itself is not blind: it flags each way SQL could leak."""
    sample = tmp_path / "leak.py"
    sample.write_text('db.conn.execute("x")\nq = "SELECT id FROM articles"\nt = db["articles"]\n'
                      '"""Drop the header: select the first line from the rest."""\n'
                      'u = "update feeds set x = 1"\nv = db.table("feeds")\n', encoding="utf-8")
    assert len(findings(sample)) == 5  # the docstring is prose, not SQL
    assert findings(STORE / "db.py")  # the store itself does run SQL
