"""The base of the dashboard's lists: a fixed header line over rows drawn one line at a time.

Both the event list and the article list are long lists the analyst moves through with the same
keys; this class owns what they share: the cursor and its paging, keeping it on screen, clicks,
the cache of rendered lines and of component styles, and one rule for the cursor row's colours.
Subclasses say how many rows there are and how a row and the header are drawn.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable, ClassVar, Hashable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from monitor.tui.actions import NAVIGATION, bindings
from monitor.tui.widgets.scrolling import set_virtual_size

Cells = list[tuple[str, Style | None]]


def colourless(style: Style) -> Style:
    """A component style without its colours: a cell keeps its weight on the cursor row while
    the row's colours stay uniform (no cell keeps its own background or a colour lost on it)."""
    return Style(bold=style.bold, dim=style.dim, italic=style.italic, strike=style.strike,
                 underline=style.underline)


class LineList(ScrollView, can_focus=True):
    """A header line and `row_count` rows under it; the cursor is a row index."""

    BINDINGS = bindings(NAVIGATION)
    # The cursor's colours come from one of two component classes, chosen by focus, rather than a
    # :focus rule: a component style that changes with focus repaints every row, for one row's colour.
    CURSOR: ClassVar[str] = ""  # the component-class prefix, e.g. "cluster-list"
    LINE_CACHE: ClassVar[int] = 4000

    def __init__(self, now: Callable[[], datetime], **kwargs) -> None:
        super().__init__(**kwargs)
        self._now = now
        self.cursor = 0
        self._lines: dict[Hashable, Strip] = {}  # keyed by everything drawn into the line
        self._styles: dict[str, Style] = {}

    # -- what a subclass provides ---------------------------------------------------------------
    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def render_header(self, width: int) -> Strip:
        raise NotImplementedError

    def render_row(self, index: int, width: int, row_style: Style, on_cursor: bool) -> Strip:
        raise NotImplementedError

    def cursor_moved(self) -> None:
        """The cursor is on another row: announce it."""

    # -- styles and cached lines ----------------------------------------------------------------
    def notify_style_update(self) -> None:
        """CSS was applied again (theme, focus): cached styles may be stale; lines drawn with other
        styles miss the cache by their key. Textual repaints the widget if a style changed."""
        super().notify_style_update()
        self._styles.clear()

    def style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.rich_style if name == "base" else self.get_component_rich_style(name)
        return style

    def cached(self, key: Hashable, build: Callable[[], Strip]) -> Strip:
        line = self._lines.get(key)
        if line is None:
            if len(self._lines) > self.LINE_CACHE:
                self._lines.clear()
            line = self._lines[key] = build()
        return line

    def cells_strip(self, cells: Cells, width: int, row_style: Style, on_cursor: bool) -> Strip:
        """One row from (text, style) cells: on the cursor row every cell takes the row's colours."""
        if on_cursor:
            segments = [Segment(text, row_style + colourless(style) if style else row_style)
                        for text, style in cells]
        else:
            segments = [Segment(text, row_style + style if style else row_style) for text, style in cells]
        return Strip(segments).crop_extend(0, width, row_style)

    def minute(self) -> datetime:
        """The clock to the minute: relative times drawn into a cached line age with it. Rounded
        up: rounded down, it stood behind what had just arrived (fetched at 14:05:09, shown at
        14:05:30 against 14:05:00), and a new article's age read "soon", in the future."""
        now = self._now()
        floor = now.replace(second=0, microsecond=0)
        return floor if floor == now else floor + timedelta(minutes=1)

    # -- geometry ---------------------------------------------------------------------------------
    @property
    def content_width(self) -> int:
        return self.scrollable_content_region.width or self.size.width

    def rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # under the header

    def top(self) -> int:
        return round(self.scroll_offset.y)

    def resize_rows(self, width: int | None = None) -> None:
        set_virtual_size(self, Size(width if width is not None else self.size.width, self.row_count + 1))

    # -- cursor -------------------------------------------------------------------------------------
    def move_cursor(self, row: int) -> None:
        row = max(0, min(row, self.row_count - 1))
        if row == self.cursor or not self.row_count:
            return
        old, self.cursor = self.cursor, row
        top = self.top()
        self.keep_cursor_visible()
        if self.top() == top:
            self.refresh_row(old)  # only the two rows whose highlight changed
            self.refresh_row(row)
        else:
            self.refresh()
        self.cursor_moved()

    def place_cursor(self, row: int) -> None:
        """Put the cursor on `row` of freshly loaded rows (no announcement, the caller repaints)."""
        self.cursor = max(0, min(row, self.row_count - 1))
        self.keep_cursor_visible()

    def keep_cursor_visible(self) -> None:
        top, visible = self.top(), self.rows_visible()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def refresh_row(self, row: int) -> None:
        self.refresh_line(row + 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_top(self) -> None:
        self.move_cursor(0)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_page_down(self) -> None:
        """A page turns the view a screen, and the cursor as far."""
        page = self.rows_visible()
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, immediate=True)
        self.move_cursor(self.cursor + min(page, self.row_count - 1 - self.cursor))

    def action_page_up(self) -> None:
        page = self.rows_visible()
        self.scroll_to(y=self.scroll_offset.y - page, animate=False, immediate=True)
        self.move_cursor(self.cursor - min(page, self.cursor))

    def row_at(self, y: int) -> int | None:
        """The row under screen line `y` (-1: the header)."""
        if y < 1:
            return -1
        row = self.top() + y - 1
        return row if 0 <= row < self.row_count else None

    def on_click(self, event: events.Click) -> None:
        row = self.row_at(event.y)
        if row is None or row < 0:
            return
        event.stop()
        if row == self.cursor:
            self.clicked_again(row)
        self.move_cursor(row)

    def clicked_again(self, row: int) -> None:
        """A click on the row under the cursor."""

    def on_focus(self) -> None:
        self.refresh_row(self.cursor)

    def on_blur(self) -> None:
        self.refresh_row(self.cursor)

    # -- rendering ----------------------------------------------------------------------------------
    def cursor_style(self) -> Style:
        suffix = "--cursor-focus" if self.has_focus else "--cursor"
        return self.style("base") + self.style(self.CURSOR + suffix)

    def render_line(self, y: int) -> Strip:
        width = self.content_width
        if y == 0:
            return self.render_header(width)
        index = self.top() + y - 1
        if not 0 <= index < self.row_count:
            return Strip.blank(width, self.style("base"))
        on_cursor = index == self.cursor
        return self.render_row(index, width, self.cursor_style() if on_cursor else self.style("base"), on_cursor)
