"""A one-line prompt (tag, note, search, filter) with completion from existing values, and the one
prompt-then-write shape every prompting triage action uses."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from sqlite_utils import Database
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

from monitor.tui.screens.base import MonitorScreen


class CompletingInput(Input):
    """Tab accepts the completion shown after the cursor (as → does); the prompt said so."""

    BINDINGS = [Binding("tab", "accept_completion", "Accept the completion", show=False, id="prompt.complete")]

    def action_accept_completion(self) -> None:
        if self._suggestion and len(self._suggestion) > len(self.value):
            self.value = self._suggestion
            self.cursor_position = len(self.value)


class PromptScreen(ModalScreen[str | None]):
    """Returns the text entered (Enter; tab accepts the completion), or None (Escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, *, suggestions: Sequence[str] = (), value: str = "",
                 placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.suggestions = list(suggestions)
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self.title_text, id="prompt-title", markup=False)
            suggester = SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
            # A value given (a note to edit, the search) is edited from its end, not replaced by the first key.
            yield CompletingInput(value=self.value, placeholder=self.placeholder, suggester=suggester,
                                  select_on_focus=False, id="prompt-input")
            if self.suggestions:
                known = ", ".join(self.suggestions[:12]) + (" …" if len(self.suggestions) > 12 else "")
                yield Label(f"known: {known}", id="prompt-known", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptThenWrite(MonitorScreen):
    """For screens: ask for one line, then queue the write that uses it."""

    def prompt_then_write(self, title: str, write: Callable[[Database, str], Any], *,
                          toast: Callable[[Any, str], str] | None = None, suggestions: Sequence[str] = (),
                          value: str = "", empty_allowed: bool = False) -> None:
        """`write(db, text)` runs on the writer once the analyst presses Enter on non-empty text
        (or on any text with `empty_allowed`: an edit to nothing deletes); Escape writes nothing."""

        def chosen(text: str | None) -> None:
            if text is None or (not text.strip() and not empty_allowed):
                return
            self.app.write(lambda db: write(db, text),
                           toast=(lambda result: toast(result, text)) if toast is not None else None)

        self.app.push_screen(PromptScreen(title, suggestions=suggestions, value=value), chosen)
