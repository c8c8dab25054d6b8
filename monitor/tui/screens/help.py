"""`?` help: every action with the keys in force (after [keymap]) and its binding id."""
from __future__ import annotations

from itertools import groupby

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from monitor.tui.actions import ALL, current_keys
from monitor.tui.screens.scroll_keys import scroll, scroll_bindings

_PRETTY = {"question_mark": "?", "slash": "/", "escape": "esc", "pagedown": "pgdn", "pageup": "pgup"}


def pretty_keys(keys: str) -> str:
    return " ".join(_PRETTY.get(k.strip(), k.strip()) for k in keys.split(","))


def help_text(keymap: dict[str, str]) -> Group:
    """One table, a heading row per group; a description wraps in its column at any width rather
    than being cut."""
    heading = Text()
    heading.append("monitor: keys and actions", "bold")
    heading.append("   (rebind any of them in feeds.toml [keymap] by its id; ctrl+p searches them all)")
    table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False, expand=True)
    table.add_column(style="bold cyan", no_wrap=True, min_width=15)
    table.add_column(ratio=1, overflow="fold")
    table.add_column(style="dim", no_wrap=True)
    for group, specs in groupby(ALL, key=lambda s: s.group):
        table.add_row("")
        table.add_row(Text(group, "bold underline not dim"))
        for spec in specs:
            table.add_row(pretty_keys(current_keys(spec, keymap)), spec.description, spec.id)
    return Group(heading, table)


class HelpScreen(ModalScreen[None]):
    # The list keys move the help too (its scroll view already takes the arrows, pgup/pgdn, home/end).
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"), *scroll_bindings("help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text(dict(getattr(self.app, "keymap", {}))), id="help-text")

    def action_scroll_view(self, how: str) -> None:
        scroll(self.query_one("#help", VerticalScroll), how)
