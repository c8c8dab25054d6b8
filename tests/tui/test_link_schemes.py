"""The dashboard's `b` hands only http(s) links to a browser (one URL rule: monitor.ingest.urls)."""
from __future__ import annotations

import webbrowser

from monitor.store import open_db
from monitor.tui.screens.reader import ReaderScreen
from monitor.tui.widgets.member_list import MemberList
from tests.tui.conftest import settle
from tests.tui.helpers import make_app


def _set_url(db_path, article_id: int, url: str) -> None:
    db = open_db(db_path)
    try:
        with db.conn:
            db.conn.execute("UPDATE articles SET url = ? WHERE id = ?", [url, article_id])
    finally:
        db.close()


DANGEROUS = ("javascript:alert(document.cookie)", "file:///etc/passwd", "data:text/html,<script>alert(1)</script>")


async def test_b_never_opens_a_dangerous_link(built_db, offline_config, tmp_path, monkeypatch):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> {opened}\n")
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    app = make_app(built_db, offline_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        members = app.screen.query_one(MemberList)
        dangerous = members.selected.article_id
        for link in DANGEROUS:
            _set_url(built_db, dangerous, link)  # as an older version could have stored it
            await pilot.press("b")
            await settle(pilot)
            assert [n.message for n in app._notifications][-1] == "not an http(s) link: not opened", link
        await pilot.press("enter")  # the reader's `b` follows the same rule
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("b")
        await settle(pilot)
        assert [n.message for n in app._notifications][-1] == "not an http(s) link: not opened"
        await pilot.press("escape")
        await settle(pilot)
        _set_url(built_db, dangerous, "https://news.example/story")  # the positive control: http(s) opens
        await pilot.press("b")
        for _ in range(50):
            if opened.exists():
                break
            await pilot.pause(0.05)
    assert opened.read_text().splitlines() == ["https://news.example/story"]  # the only link that reached it
