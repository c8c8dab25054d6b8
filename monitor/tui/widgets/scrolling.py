"""A scroll view's new length without a layout pass over the whole screen."""
from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """Assigning `virtual_size` asks for a layout of the whole screen, which re-renders every
    widget on it (about 10 ms on the dashboard). A list of fixed height only needs its scrollbar
    updated, and `_scroll_update` asks for a layout itself when a scrollbar has to appear or go.
    A view whose height follows its content (height: auto) still needs the layout."""
    if size == view.virtual_size:
        return
    height = view.styles.height
    if height is None or height.is_auto or not view.is_mounted or not view.container_size:
        view.virtual_size = size
        return
    view.set_reactive(ScrollView.virtual_size, size)
    view._scroll_update(size)
    if view.show_vertical_scrollbar:  # the scrollbar follows scroll_y only while it is shown
        view.vertical_scrollbar.position = view.scroll_y
