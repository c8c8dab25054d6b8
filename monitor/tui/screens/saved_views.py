"""The saved-views picker: every saved search + filters by name; Enter shows it, d deletes it."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from monitor.store.saved_views import SavedView, delete_saved_view
from monitor.tui.safe import clean

if TYPE_CHECKING:
    from textual import getters

    from monitor.tui.dashboard import DashboardApp


def describe(view: SavedView) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(clean(view.name, limit=40), "bold")
    parts = [f"{name}: {value}" for name, value in (("search", view.query), ("state", view.state), ("tag", view.tag),
                                                     ("feed", view.feed), ("feed tag", view.feed_tag),
                                                     ("since", f"last {view.since}" if view.since else None))
             if value]
    text.append("   " + clean(" · ".join(parts), limit=200), "dim")
    return text


class SavedViewsScreen(ModalScreen[str | None]):
    """Returns the name of the view picked, or None."""

    if TYPE_CHECKING:
        app = getters.app(DashboardApp)

    BINDINGS = [Binding("escape,q", "cancel", "Close", id="views.close"),
                Binding("d,delete", "delete", "Delete the saved view", id="views.delete")]

    def __init__(self, saved: Sequence[SavedView]) -> None:
        super().__init__()
        self.saved = list(saved)

    def compose(self) -> ComposeResult:
        with Vertical(id="views"):
            yield Label("Saved views   (enter shows one, d deletes it, esc closes)",
                        id="views-title", markup=False)
            options = OptionList(id="views-list")
            if self.saved:
                options.add_options(Option(describe(v), id=v.name) for v in self.saved)
            else:
                options.add_option(Option(Text("No saved view yet: press V on the main screen to save one",
                                               style="dim"), disabled=True))
            yield options

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.saved:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.saved:
            return
        option = options.get_option_at_index(options.highlighted)
        name = option.id
        if name is None:
            return
        self.app.write(lambda db: delete_saved_view(db, name), toast=lambda _: f"Deleted saved view: {name}")
        options.remove_option(name)
        self.saved = [v for v in self.saved if v.name != name]

    def action_cancel(self) -> None:
        self.dismiss(None)
