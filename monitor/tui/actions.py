"""Every dashboard action in one table: key bindings, `?` help, the command palette and the README
all read it, and each binding has an id that `[keymap]` in feeds.toml can rebind."""
from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class ActionSpec:
    id: str  # binding id, the key of [keymap]
    keys: str  # default keys, comma-separated
    action: str  # Textual action name on the screen/widget that owns it
    description: str
    group: str
    show: bool = False  # shown in the footer

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.description, show=self.show, id=self.id)


NAVIGATION = [
    ActionSpec("nav.down", "j,down", "cursor_down", "Next row", "Move"),
    ActionSpec("nav.up", "k,up", "cursor_up", "Previous row", "Move"),
    ActionSpec("nav.top", "g,home", "cursor_top", "First row", "Move"),
    ActionSpec("nav.bottom", "G,end", "cursor_bottom", "Last row", "Move"),
    ActionSpec("nav.page_down", "pagedown,ctrl+d", "page_down", "Page down", "Move"),
    ActionSpec("nav.page_up", "pageup,ctrl+u", "page_up", "Page up", "Move"),
]

MAIN = [
    ActionSpec("nav.open", "enter,l", "open", "Open (event, article)", "Move", True),
    ActionSpec("nav.back", "escape,h", "back", "Back", "Move"),
    ActionSpec("nav.switch_pane", "tab", "switch_pane", "Switch pane", "Move"),
    ActionSpec("nav.switch_pane_back", "shift+tab", "switch_pane_back", "Switch pane backwards", "Move"),
    ActionSpec("nav.next_unread", "J", "next_unread", "Next unread event", "Move"),
    ActionSpec("nav.previous_unread", "K", "previous_unread", "Previous unread event", "Move"),
    ActionSpec("triage.read", "r", "toggle_read", "Mark read / unread", "Triage", True),
    ActionSpec("triage.star", "s", "toggle_star", "Star / unstar", "Triage", True),
    ActionSpec("triage.dismiss", "d", "toggle_dismiss", "Dismiss / restore", "Triage", True),
    ActionSpec("triage.tag", "t", "tag", "Tag", "Triage", True),
    ActionSpec("triage.untag", "ctrl+t", "untag", "Remove a tag", "Triage"),
    ActionSpec("triage.note", "n", "note", "Note: add one, or edit the note there is", "Triage", True),
    ActionSpec("triage.delete_note", "ctrl+n", "delete_note", "Delete the note", "Triage"),
    ActionSpec("triage.delete_tag", "X", "delete_tag", "Delete a tag everywhere", "Triage"),
    ActionSpec("triage.merge", "m", "merge", "Merge: mark an event, then merge it into another", "Triage"),
    ActionSpec("triage.move_out", "O", "move_out", "Move the article out into its own event", "Triage"),
    ActionSpec("triage.lock", "L", "toggle_lock", "Lock / unlock the event", "Triage"),
    ActionSpec("triage.accept", "a", "accept_proposal", "Accept the article proposed to this locked event", "Triage"),
    ActionSpec("triage.reject", "o", "reject_proposal", "Reject the proposed article (out into its own event)", "Triage"),
    ActionSpec("triage.undo", "u", "undo", "Undo the last triage action", "Triage", True),
    ActionSpec("mark.toggle", "space", "toggle_mark",
               "Mark / unmark the row; r s d t ctrl+t x then act on every marked row, m merges the marked "
               "events into the cursor's", "Bulk"),
    ActionSpec("mark.clear", "U", "clear_marks", "Clear the marks (esc too)", "Bulk"),
    ActionSpec("bulk.read_view", "A", "read_view", "Mark read every event in the view (in the Articles pane: "
               "every article of the event)", "Bulk"),
    ActionSpec("bulk.dismiss_view", "D", "dismiss_view", "Dismiss every event in the view", "Bulk"),
    ActionSpec("bulk.read_older", "R", "read_older", "Mark read every event older than the cursor", "Bulk"),
    ActionSpec("view.search", "slash", "search", "Search (stemmed; OR, -word, \"phrase\", title:, prefix*)",
               "View", True),
    ActionSpec("view.filter_state", "f", "cycle_state", "Filter by state (cycle)", "View"),
    ActionSpec("view.filter_tag", "T", "filter_tag", "Filter by tag", "View"),
    ActionSpec("view.filter_feed", "F", "filter_feed", "Filter by feed", "View"),
    ActionSpec("view.filter_place", "P", "filter_place", "Filter by a place or name of the event (where:/who:)", "View"),
    ActionSpec("view.filter_time", "w", "cycle_time", "Filter by time window (cycle)", "View"),
    ActionSpec("view.clear_filters", "c", "clear_filters", "Clear filters and search", "View"),
    ActionSpec("view.sort", "S", "cycle_sort", "Sort by activity / size / velocity", "View"),
    ActionSpec("view.corpus", "C", "toggle_corpus", "Corpus pane: linked / whole corpus", "View"),
    ActionSpec("view.browser", "b", "open_browser", "Open the article in the browser", "View"),
    ActionSpec("view.save", "V", "save_view", "Save the search and filters as a view", "View"),
    ActionSpec("view.saved", "v", "saved_views", "Saved views (pick one)", "View"),
    ActionSpec("view.watch_hits", "W", "watch_hits", "Events with watch-rule hits", "View"),
    ActionSpec("view.watch_add", "ctrl+w", "add_watch_rule",
               "Add a watch rule (to feeds.toml) from the search, else the event's place and name", "View"),
    ActionSpec("view.export", "x", "export", "Export the current view, or the marked events (Markdown)", "View"),
    ActionSpec("view.brief", "i", "brief", "Event brief (figures, sources, timeline)", "View"),
    ActionSpec("app.poll", "p", "poll_now", "Poll every feed now (ignoring schedules)", "App"),
    ActionSpec("app.feeds", "H", "feeds", "Feed health; p there polls one feed", "App"),
]

APP = [
    ActionSpec("app.help", "question_mark", "help", "Keys and actions", "App", True),
    ActionSpec("app.quit", "q", "quit", "Quit (in the Articles or Corpus pane: back to the events)", "App", True),
]

READER = [
    ActionSpec("reader.back", "escape,h,q", "back", "Back to the list the article was opened from", "Reader", True),
    ActionSpec("reader.down", "j,down", "scroll_down", "Scroll down", "Reader"),
    ActionSpec("reader.up", "k,up", "scroll_up", "Scroll up", "Reader"),
    ActionSpec("reader.next", "J", "next_article", "Next article of the list it was opened from", "Reader"),
    ActionSpec("reader.previous", "K", "previous_article", "Previous article of that list", "Reader"),
    ActionSpec("reader.browser", "b", "open_browser", "Open in the browser", "Reader", True),
    ActionSpec("reader.star", "s", "toggle_star", "Star / unstar the article", "Reader", True),
    ActionSpec("reader.read", "r", "toggle_read", "Mark the article read / unread", "Reader"),
    ActionSpec("reader.tag", "t", "tag", "Tag the article", "Reader", True),
    ActionSpec("reader.note", "n", "note", "Note on the article", "Reader", True),
]

ALL = NAVIGATION + MAIN + APP + READER


def bindings(specs: list[ActionSpec]) -> list[BindingType]:
    return [spec.binding() for spec in specs]


def current_keys(spec: ActionSpec, keymap: dict[str, str]) -> str:
    """The keys in force for a binding id after `[keymap]` is applied."""
    return keymap.get(spec.id, spec.keys)


BY_ID = {spec.id: spec for spec in ALL}


def first_key(binding_id: str, keymap: dict[str, str]) -> str:
    """The first key in force for a binding id: the one a hint names."""
    return current_keys(BY_ID[binding_id], keymap).split(",")[0].strip()
