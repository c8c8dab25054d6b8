"""A one-line prompt (tag, note, search, filter) with completion from existing values."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label


class PromptScreen(ModalScreen[str | None]):
    """Returns the text entered (Enter; tab accepts the completion), or None (Escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, *, suggestions: list[str] | None = None, value: str = "",
                 placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.suggestions = suggestions or []
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self.title_text, id="prompt-title", markup=False)
            suggester = SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
            yield Input(value=self.value, placeholder=self.placeholder, suggester=suggester, id="prompt-input")
            if self.suggestions:
                known = ", ".join(self.suggestions[:12]) + (" …" if len(self.suggestions) > 12 else "")
                yield Label(f"known: {known}", id="prompt-known", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
