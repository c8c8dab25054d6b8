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


def hints_text(specs: list[ActionSpec], keymap: dict[str, str], width: int | None = None) -> Text:
    """The screen's own hints, then the app's (help, quit) unless the screen binds their key itself
    (the reader's q goes back, not out of the dashboard). Wider than `width`, the screen's last hints
    are left out, whole, so that `?` help and the palette stay: cut at the end, 80 columns lost both."""
    taken = {key.strip() for spec in specs for key in current_keys(spec, keymap).split(",")}
    app = [spec for spec in APP if first_key(spec.id, keymap) not in taken]
    own = [_hint(spec, keymap) for spec in specs if spec.show]
    tail = [_hint(spec, keymap) for spec in app if spec.show] + [_hint_text("^p", "palette", last=True)]
    text = _joined(own + tail)
    while width and text.cell_len > width and own:
        own.pop()
        text = _joined(own + tail)
    return text


def _hint(spec: ActionSpec, keymap: dict[str, str]) -> Text:
    key = first_key(spec.id, keymap)
    return _hint_text(_PRETTY.get(key, key), SHORT.get(spec.id, spec.description))


def _hint_text(key: str, label: str, last: bool = False) -> Text:
    text = Text(end="")
    text.append(f" {key} ", "bold reverse")
    text.append(f" {label}" + ("" if last else "  "))
    return text


def _joined(hints: list[Text]) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    for hint in hints:
        text.append_text(hint)
    return text


class KeyHints(Static):
    def __init__(self, specs: list[ActionSpec], **kwargs) -> None:
        super().__init__("", **kwargs)
        self.specs = specs

    def on_mount(self) -> None:
        self.update(hints_text(self.specs, dict(getattr(self.app, "keymap", {}))))
