"""Small helpers for dashboard tests: the app under test and fresh-connection queries."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from monitor.config import Config
from monitor.store import open_db
from monitor.tui.app import MonitorApp
from tests.tui.conftest import FROZEN_NOW


def make_app(db_path: Path, config: Config, export_dir: Path | None = None, poll: bool = False) -> MonitorApp:
    return MonitorApp(db_path, config, poll=poll, now=lambda: FROZEN_NOW, export_dir=export_dir)


def query(db_path: Path, sql: str, *params: Any) -> list[tuple]:
    """Rows on a fresh connection: what another process would read."""
    db = open_db(db_path, migrate=False)
    try:
        return db.conn.execute(sql, params).fetchall()
    finally:
        db.close()


def one(db_path: Path, sql: str, *params: Any) -> Any:
    rows = query(db_path, sql, *params)
    return rows[0][0] if rows else None
