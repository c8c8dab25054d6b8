"""One line of key hints (the keys in force after [keymap]); built once, unlike Textual's Footer,
which recomposes on every focus change (measured at 100+ ms a change on the main screen)."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from monitor.tui.actions import APP, ActionSpec, current_keys, first_key

SHORT = {"nav.open": "open", "triage.read": "read", "triage.star": "star", "triage.dismiss": "dismiss",
         "triage.tag": "tag", "triage.note": "note", "triage.undo": "undo", "view.search": "search",
         "app.help": "help", "app.quit": "quit", "reader.back": "back", "reader.browser": "browser",
         "reader.star": "star", "reader.tag": "tag", "reader.note": "note"}
_PRETTY = {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "⏎"}


def hints_text(specs: list[ActionSpec], keymap: dict[str, str]) -> Text:
    """The screen's own hints, then the app's (help, quit) unless the screen binds their key itself
    (the reader's q goes back, not out of the dashboard)."""
    taken = {key.strip() for spec in specs for key in current_keys(spec, keymap).split(",")}
    app = [spec for spec in APP if first_key(spec.id, keymap) not in taken]
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    for spec in [*specs, *app]:
        if not spec.show:
            continue
        key = first_key(spec.id, keymap)
        text.append(f" {_PRETTY.get(key, key)} ", "bold reverse")
        text.append(f" {SHORT.get(spec.id, spec.description)}  ")
    text.append(" ^p ", "bold reverse")
    text.append(" palette")
    return text


class KeyHints(Static):
    def __init__(self, specs: list[ActionSpec], **kwargs) -> None:
        super().__init__("", **kwargs)
        self.specs = specs

    def on_mount(self) -> None:
        self.update(hints_text(self.specs, dict(getattr(self.app, "keymap", {}))))
