"""Marks for bulk actions (a mixin of the main screen): `space` marks the row under the cursor in
the Events or Articles pane and moves down, `U` (or esc) clears the marks.

While the focused pane has marked rows, the triage keys (r, s, d, t, ctrl+t), `m` (the marked
events merged into the one under the cursor) and `x` (export) act on every marked row of that pane
instead of the cursor's, each as one step for `u`. Marks are kept by id, so a reload (a poll,
cron's writes) keeps them; a marked event merged away meanwhile is left out, and unmarked, when an
action finds it gone. The status line counts the marks while there are any.
"""
from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from monitor.text.plural import counted
from monitor.tui.actions import first_key
from monitor.tui.screens.base import MonitorScreen
from monitor.tui.widgets.cluster_list import ClusterList
from monitor.tui.widgets.corpus_pane import CorpusOptions
from monitor.tui.widgets.member_list import MemberList
from monitor.tui.widgets.status_line import StatusLine
from monitor.vocab import TargetKind


@dataclass
class MarksGone(Message):
    """A bulk action found these marked rows gone (merged away): they are unmarked."""

    kind: TargetKind
    ids: tuple[int, ...]


class Marks(MonitorScreen):
    marked_events: dict[int, None]  # insertion-ordered sets: the order the analyst marked them in
    marked_articles: dict[int, None]

    def init_marks(self) -> None:
        self.marked_events, self.marked_articles = {}, {}

    def marked(self) -> tuple[TargetKind, list[int]] | None:
        """The marked rows the keys act on: the focused pane's (the Articles pane's articles, else
        the Events pane's events); None when that pane has none."""
        if isinstance(self.focused, (MemberList, CorpusOptions)):
            return ("article", list(self.marked_articles)) if self.marked_articles else None
        return ("cluster", list(self.marked_events)) if self.marked_events else None

    def action_toggle_mark(self) -> None:
        focused = self.focused
        if isinstance(focused, MemberList):
            member = focused.selected
            if member is None:
                return
            _flip(self.marked_articles, member.article_id)
            focused.action_cursor_down()
        elif isinstance(focused, CorpusOptions):
            self.app.notify("Marks are for the Events and Articles panes", severity="warning", timeout=3)
            return
        else:
            clusters = self.query_one(ClusterList)
            if clusters.selected_id is None:
                return
            _flip(self.marked_events, clusters.selected_id)
            clusters.action_cursor_down()
        self.show_marks()

    def action_clear_marks(self) -> None:
        had = bool(self.marked_events or self.marked_articles)
        self.init_marks()
        self.show_marks()
        if had:
            self.app.notify("Marks cleared", timeout=2)

    def unmark(self, kind: TargetKind, ids: tuple[int, ...] | list[int]) -> None:
        marks = self.marked_events if kind == "cluster" else self.marked_articles
        for i in ids:
            marks.pop(i, None)
        self.show_marks()

    def on_marks_gone(self, message: MarksGone) -> None:
        self.unmark(message.kind, message.ids)

    def show_marks(self) -> None:
        self.query_one(ClusterList).set_marked(frozenset(self.marked_events))
        self.query_one(MemberList).set_marked(frozenset(self.marked_articles))
        parts = [counted(len(self.marked_events), "event")] if self.marked_events else []
        if self.marked_articles:
            parts.append(counted(len(self.marked_articles), "article"))
        keymap = dict(self.app.keymap)
        # Short: at 80 columns a longer note left every count out of the line.
        note = f"✓ {', '.join(parts)} marked ({first_key('mark.clear', keymap)} clears)" if parts else ""
        self.query_one(StatusLine).show_marks(note)


def _flip(marks: dict[int, None], key: int) -> None:
    if key in marks:
        del marks[key]
    else:
        marks[key] = None
