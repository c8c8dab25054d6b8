"""`?` help: every action with the keys in force (after [keymap]) and its binding id."""
from __future__ import annotations

from itertools import groupby

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from monitor.tui.actions import ALL, current_keys

_PRETTY = {"question_mark": "?", "slash": "/", "escape": "esc", "pagedown": "pgdn", "pageup": "pgup"}


def pretty_keys(keys: str) -> str:
    return " ".join(_PRETTY.get(k.strip(), k.strip()) for k in keys.split(","))


def help_text(keymap: dict[str, str]) -> Text:
    text = Text(end="")
    text.append("monitor: keys and actions", "bold")
    text.append("   (rebind any of them in feeds.toml [keymap] by its id; ctrl+p searches them all)\n")
    for group, specs in groupby(ALL, key=lambda s: s.group):
        text.append(f"\n{group}\n", "bold underline")
        for spec in specs:
            keys = pretty_keys(current_keys(spec, keymap))
            text.append(f" {keys:<15} ", "bold cyan")
            description = spec.description if len(spec.description) <= 40 else spec.description[:39] + "…"
            text.append(f"{description:<41}")
            text.append(f"{spec.id}\n", "dim")
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text(dict(getattr(self.app, "keymap", {}))), id="help-text")
