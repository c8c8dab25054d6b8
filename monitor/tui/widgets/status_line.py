"""The status lines: last poll, next poll, feeds failing, watch hits; under them the view's search
and filters while any is active, else the key hints.

The search and filters wrap rather than being cut: the analyst must be able to read what the list
is showing at 80 columns as at 160. They take the key hints' line, so turning a filter on or off
changes no height (a new height lays out the whole screen).
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from rich.text import Text
from textual.widget import Widget

from monitor.store.views import ClusterFilter, StatusSummary
from monitor.tui.safe import clean
from monitor.tui.timefmt import ago, stamp, until


def view_text(flt: ClusterFilter, window: str | None) -> Text | None:
    """What the list shows, in words ("search: glide bomb · state: starred · since: last 24h"),
    or None for the default view (active events by activity). An order other than activity is
    said too ("sort: by size"): `S` changed the order with no word anywhere of what it now was, and
    `c` leaves it."""
    parts: list[tuple[str, str]] = []
    if flt.query:
        parts.append(("search", clean(flt.query, limit=200)))
    if flt.state != "active":
        parts.append(("state", flt.state))
    if flt.tag:
        parts.append(("tag", clean(flt.tag, limit=60)))
    if flt.feed:
        parts.append(("feed", clean(flt.feed, limit=60)))
    if flt.feed_tag:
        parts.append(("feed tag", clean(flt.feed_tag, limit=60)))
    if flt.since:
        parts.append(("since", f"last {window}" if window else stamp(flt.since)))
    if flt.cluster_ids is not None:
        parts.append(("events", f"{len(flt.cluster_ids)} picked (watch hits)"))
    filtered, sorted_ = bool(parts), flt.sort != ClusterFilter().sort
    if sorted_:
        parts.append(("sort", f"by {flt.sort}"))
    if not parts:
        return None
    text = Text(end="")
    text.append("view ", "bold")
    for i, (name, value) in enumerate(parts):
        if i:
            text.append(" · ", "dim")
        text.append(f"{name}: ", "dim")
        text.append(value, "bold cyan")
    text.append("   (c clears, S sorts)" if filtered and sorted_ else "   (S sorts)" if sorted_ else "   (c clears)", "dim")
    return text


class StatusLine(Widget):
    """Drawn to its width on each render: the counts fitted by leaving out, whole, what matters
    least (then cut with an ellipsis), the view's line wrapped, the key hints fitted as the counts."""

    def __init__(self, hints: Callable[[int | None], Text] | None = None, **kwargs) -> None:
        """`hints(width)`: the key hints that fit `width` (None: all of them)."""
        super().__init__(**kwargs)
        self.hints = hints
        self._hints: dict[int | None, Text] = {}
        self.summary: StatusSummary | None = None
        self.poll_note = ""
        self.merge_note = ""  # an event marked to merge, waiting for the second `m`
        self.marks_note = ""  # how many rows are marked for a bulk action
        self.watch_hits = 0
        self._view: Text | None = None
        self._now: datetime | None = None

    def show_view(self, flt: ClusterFilter, window: str | None) -> None:
        lines = self._height()
        self._view = view_text(flt, window)
        self.refresh(layout=self._height() != lines)  # a layout only when the line count changes

    def _height(self) -> int:
        if self._view is None:
            return 1 + (self.hints is not None)
        width = max(1, self.content_region.width or 80)
        return 1 + len(self._view.wrap(self.app.console, width))

    def show_merge(self, note: str) -> None:
        self.merge_note = note
        self.refresh()

    def show_marks(self, note: str) -> None:
        if note != self.marks_note:
            self.marks_note = note
            self.refresh()

    def show(self, summary: StatusSummary | None, now: datetime | None) -> None:
        if summary is not None:
            self.summary = summary
        if now is not None:
            self._now = now
        self.refresh()

    def counts_parts(self) -> list[tuple[int, Text]]:
        """The counts line's parts in their order, each with its rank: what an analyst must not
        miss ranks first (marked rows, an event marked to merge, unseen watch hits, the poll under way, failing
        feeds)."""
        s, now = self.summary, self._now
        parts: list[tuple[int, Text]] = []
        if s is not None and now is not None:
            parts.append((4, Text(f"last poll {ago(s.last_poll, now)}", "bold", end="")))
            parts.append((6, Text(f"next {until(s.next_poll, now)}", end="")))
            failing = Text("failing ", end="")
            failing.append(str(s.feeds_failing), "bold red" if s.feeds_failing else "green")
            failing.append(f"/{s.feeds}")
            parts.append((3, failing))
            parts += [(8, Text(f"today {s.articles_today}", end="")), (7, Text(f"events {s.clusters}", end="")),
                      (9, Text(f"corpus {s.corpus_documents}", end=""))]
        if self.merge_note:
            parts.insert(0, (0, Text(self.merge_note, "bold reverse magenta", end="")))
        if self.marks_note:  # the keys act on every marked row: never out of sight
            parts.insert(0, (0, Text(self.marks_note, "bold reverse green", end="")))
        if self.watch_hits:
            parts.append((1, Text(f"watch hits {self.watch_hits} (W)", "bold reverse yellow", end="")))
        if self.poll_note:
            parts.append((2, Text(self.poll_note, "yellow", end="")))
        return parts

    def counts_text(self, width: int | None = None) -> Text:
        """The counts in one line; too wide for `width`, the parts that matter least are left out
        first (at 80 columns the watch hits, last in the line, were cut off)."""
        parts = self.counts_parts()
        line = _joined(parts)
        while width and line.cell_len > width and len(parts) > 1:
            parts.remove(max(parts, key=lambda part: part[0]))
            line = _joined(parts)
        return line

    def render(self) -> Text:
        width = self.content_region.width
        line = self.counts_text(width)
        if width and line.cell_len > width:
            line.truncate(width, overflow="ellipsis")
        under = self._view if self._view is not None else self._hints_for(width)
        if under is None:
            return line
        return Text("\n", end="").join([line, under])

    def _hints_for(self, width: int | None) -> Text | None:
        if self.hints is None:
            return None
        hints = self._hints.get(width)
        if hints is None:
            hints = self._hints[width] = self.hints(width)
            if width and hints.cell_len > width:
                hints.truncate(width, overflow="ellipsis")
        return hints


def _joined(parts: list[tuple[int, Text]]) -> Text:
    return Text(" · ", end="").join(text for _, text in parts)
