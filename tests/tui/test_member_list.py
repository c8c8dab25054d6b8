"""The member list on its own: moves, pages, scrolling under the fixed header, clicks, reloads."""
from __future__ import annotations

from datetime import datetime, timezone

from textual.app import App, ComposeResult

from monitor.store.views import MemberRow
from monitor.tui.widgets.member_list import MemberList

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=timezone.utc)


def member(i: int) -> MemberRow:
    return MemberRow(article_id=100 + i, title=f"Title {i}", origin="feed", source=f"source{i}", url=None,
                     published_at="2026-11-21T14:00:00Z", status="new", starred=False, dup_of=None, score=0.5,
                     reason="shared terms", terms=("kursk",), method="tfidf")


class Host(App):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int | None]] = []

    def compose(self) -> ComposeResult:
        yield MemberList(lambda: NOW, id="members")

    def on_member_list_highlighted(self, message: MemberList.Highlighted) -> None:
        self.events.append(("highlighted", message.member.article_id if message.member else None))

    def on_member_list_selected(self, message: MemberList.Selected) -> None:
        self.events.append(("selected", message.member.article_id))


async def test_moves_pages_and_scrolls_under_the_header():
    app = Host()
    async with app.run_test(size=(100, 12)) as pilot:  # 12 lines: a header and 11 rows
        members = app.query_one(MemberList)
        members.show([member(i) for i in range(40)])
        members.focus()
        await pilot.pause()
        assert (members.cursor_row, members.row_count) == (0, 40)
        await pilot.press("j", "j", "k")
        assert members.cursor_row == 1 and app.events[-1] == ("highlighted", 101)
        await pilot.press("pagedown")
        assert members.cursor_row == 12 and members.scroll_y == 11  # a page scrolled, as a DataTable does
        await pilot.press("pageup")
        assert members.cursor_row == 1 and members.scroll_y == 0
        await pilot.press("G")
        assert members.cursor_row == 39 and members.scroll_y == 40 + 1 - 12
        await pilot.press("j")  # already on the last row: nothing moves, nothing is announced
        assert members.cursor_row == 39 and app.events[-1] == ("highlighted", 139)
        await pilot.press("g")
        assert members.cursor_row == 0 and members.scroll_y == 0
        assert "Title 0" in members.render_line(1).text and "when" in members.render_line(0).text


async def test_click_selects_the_row_under_the_cursor_and_reloads_keep_the_article():
    app = Host()
    async with app.run_test(size=(100, 12)) as pilot:
        members = app.query_one(MemberList)
        members.show([member(i) for i in range(5)])
        await pilot.pause()
        await pilot.click(MemberList, offset=(20, 3))  # the third row: highlighted, not opened
        assert members.cursor_row == 2 and ("selected", 102) not in app.events
        await pilot.click(MemberList, offset=(20, 3))  # clicked again: opened
        assert ("selected", 102) in app.events
        await pilot.click(MemberList, offset=(20, 0))  # the header opens nothing
        assert members.cursor_row == 2
        members.show([member(i) for i in (7, 2, 3)])  # a reload: the same article keeps the cursor
        assert members.cursor_row == 1 and members.selected.article_id == 102
        members.show([member(9)])
        assert members.cursor_row == 0 and members.selected.article_id == 109
        members.show([])
        assert members.selected is None and members.row_count == 0


class RemappedHost(Host):
    """A host whose [keymap] rebinds accept and reject, as the dashboard keeps it on `keymap`."""

    keymap = {"triage.accept": "y,ctrl+a", "triage.reject": "N"}


async def test_a_proposed_member_names_the_keys_in_force():
    from dataclasses import replace

    from monitor.tui.widgets.member_list import why_text

    for host, expected in ((Host(), "PROPOSED: a accept, o reject"), (RemappedHost(), "PROPOSED: y accept, N reject")):
        async with host.run_test(size=(140, 6)) as pilot:
            members = host.query_one(MemberList)
            members.show([replace(member(1), proposed=True), member(2)])
            await pilot.pause()
            assert expected in members.render_line(1).text  # the "why matched" column
            assert "PROPOSED" not in members.render_line(2).text
            assert expected in why_text(members.members[0], members.hint).plain


async def test_an_article_that_has_just_arrived_reads_now_not_soon():
    """The lists' clock was cut down to the minute, behind an article stored seconds ago: for up to a
    minute after a poll its age read "soon" (in the future) in the Articles and Events panes."""
    arrived = MemberRow(article_id=1, title="Glide bombs hit Kharkiv", origin="feed", source="wire", url=None,
                        published_at="2026-11-21T15:00:09Z", status="new", starred=False, dup_of=None, score=None,
                        reason="", terms=(), method="auto")

    class Clocked(App):
        def compose(self) -> ComposeResult:
            yield MemberList(lambda: datetime(2026, 11, 21, 15, 0, 40, tzinfo=timezone.utc), id="members")

    app = Clocked()
    async with app.run_test(size=(100, 6)) as pilot:
        members = app.query_one(MemberList)
        members.show([arrived])
        await pilot.pause()
        row = members.render_line(1).text
        assert "Glide bombs" in row and " now " in row and "soon" not in row


async def test_a_reload_of_the_same_event_keeps_the_cursors_article_on_its_line():
    """A poll's write reloads the event's articles: the view was scrolled to the top and back, so a
    cursor low in a long event jumped to the pane's last line at every write (every 30 s under cron)."""
    app = Host()
    async with app.run_test(size=(100, 12)) as pilot:  # a header and 11 rows
        members = app.query_one(MemberList)
        members.show([member(i) for i in range(40)])
        members.focus()
        await pilot.pause()
        await pilot.press("G", *["k"] * 8)  # row 31, the fourth line of the last screen (top 29)
        assert (members.cursor_row, members.scroll_y) == (31, 29)
        members.show([member(i) for i in range(40)], same_event=True)  # the same articles again
        await pilot.pause()
        assert (members.cursor_row, members.scroll_y) == (31, 29)
        members.show([member(i) for i in range(-2, 40)], same_event=True)  # two newer ones on top
        await pilot.pause()
        assert members.selected.article_id == 131 and (members.cursor_row, members.scroll_y) == (33, 31)
        members.show([member(i) for i in range(50, 90)])  # another event: from its top
        await pilot.pause()
        assert (members.cursor_row, members.scroll_y) == (0, 0)


async def test_a_proposed_member_is_marked_where_the_why_column_is_not_shown():
    """Under 100 cells (the Articles pane of a 160-column terminal) nothing in the list told an article
    proposed to a locked event from the others: the analyst moved onto each to read the why line."""
    from dataclasses import replace

    app = Host()
    async with app.run_test(size=(72, 6)) as pilot:
        members = app.query_one(MemberList)
        members.show([replace(member(1), proposed=True), replace(member(2), dup_of=101), member(3)])
        await pilot.pause()
        assert "why" not in members.render_line(0).text  # no why column at this width
        marks = [members.render_line(1 + i).text[1:4] for i in range(3)]
        assert marks[0].startswith("?") and marks[1].startswith("≈") and marks[2].startswith(" ")
