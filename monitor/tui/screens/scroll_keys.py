"""The list keys (j/k, ctrl+d/ctrl+u, g/G) on the scrolling modal screens: help, feed health and
the event brief. Their scroll view takes the arrows, pgup/pgdn and home/end; a keyboard-only analyst
moves everything else with the list keys, and in a screen without them j did nothing."""
from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll

# (keys, the scroll view's action, description, id suffix)
# The view's own keys are listed too: they then work whether or not the view has focus.
_KEYS = (("j,down", "scroll_down", "Scroll down", "down"), ("k,up", "scroll_up", "Scroll up", "up"),
         ("ctrl+d,pagedown", "page_down", "Page down", "page_down"),
         ("ctrl+u,pageup", "page_up", "Page up", "page_up"),
         ("g,home", "scroll_home", "Top", "top"), ("G,end", "scroll_end", "Bottom", "bottom"))


def scroll_bindings(screen_id: str) -> list[Binding]:
    """Bindings `{screen_id}.down` ... `{screen_id}.bottom` running `scroll_view('<action>')`."""
    return [Binding(keys, f"scroll_view('{action}')", description, show=False, id=f"{screen_id}.{suffix}")
            for keys, action, description, suffix in _KEYS]


def scroll(view: VerticalScroll, action: str) -> None:
    getattr(view, f"action_{action}")()
