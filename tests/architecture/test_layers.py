"""The core never imports Textual: the TUI and the CLI are thin clients of the same functions."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "monitor"
CORE = ["config", "models.py", "timeutil.py", "cluster_settings.py", "safe_text.py", "errors.py", "vocab.py", "settings_table.py",
        "store", "corpus", "text", "ingest", "cluster"]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_modules_do_not_import_textual_or_the_tui():
    missing = [entry for entry in CORE if not (PACKAGE / entry).exists()]
    assert missing == [], f"CORE names entries that do not exist (renamed? update the list): {missing}"
    files = []
    for entry in CORE:
        target = PACKAGE / entry
        files += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    assert len(files) >= 10
    offenders = {
        str(f.relative_to(PACKAGE)): sorted(m for m in imported_modules(f)
                                            if m.split(".")[0] in ("textual", "rich") or m.startswith("monitor.tui"))
        for f in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}
