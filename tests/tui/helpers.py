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


async def scrolls_with_the_list_keys(pilot: Any, view: Any) -> None:
    """j, j, k, G, g and ctrl+d move a scrolling view as they move a list (help, feed health, the brief)."""
    for keys, where in ((("j", "j"), lambda: 2), (("k",), lambda: 1), (("G",), lambda: view.max_scroll_y),
                        (("g",), lambda: 0)):
        await pilot.press(*keys)
        await pilot.pause(0.3)
        assert view.scroll_y == where(), keys
    await pilot.press("ctrl+d")
    await pilot.pause(0.3)
    assert view.scroll_y > 5
