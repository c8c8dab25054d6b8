"""`ctrl+w`: a watch rule from the dashboard (a mixin of the main screen), written to feeds.toml by
the configuration's own writer (`config.watchfile.add_watch`, as `monitor watch add` does).

The query is prefilled from the search in force (its where:/who: as bare words: a rule matches new
articles before their places and names are read, so the rule's parser refuses them), else from the
selected event's top place and name. The rule applies to the dashboard's next poll at once (cron's
next `monitor poll` reads the file); a refused rule (a malformed query, a name taken, a file that
cannot be written) is a one-line warning and nothing is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from sqlite_utils import Database
from textual.message import Message

from monitor.config import WatchConfig, resolve_config_path
from monitor.text.plural import counted
from monitor.text.search_query import QuerySyntaxError, parse_query
from monitor.tui.safe import clean
from monitor.tui.screens.prompt import PromptScreen
from monitor.tui.screens.view_actions import ViewActions
from monitor.tui.widgets.member_list import MemberList

_MENTION = re.compile(r"(?<![\w:])(-?)(?:where|who):", re.IGNORECASE)


def watchable(query: str) -> str:
    """A search as a rule can watch it: `where:Kharkiv who:Syniehubov` -> `Kharkiv Syniehubov`."""
    return " ".join(_MENTION.sub(r"\1", query).split())


def as_written(word: str, titles: list[str]) -> str:
    """A place or name as the event's headlines write it: the gazetteer's "Odessa" is "Odesa" in
    the reports, and a rule matches words, not places. A headline word sharing its first four
    letters stands for it; none, the word as given."""
    if len(word) < 4 or " " in word or word.startswith('"'):
        return word
    stem = word[:4].casefold()
    for title in titles:
        for found in re.findall(r"[^\W\d_]+", title):
            if found.casefold() == word.casefold():
                return word
            if found[:4].casefold() == stem and len(found) >= 4:
                return found
    return word


@dataclass
class WatchRuleAdded(Message):
    rule: WatchConfig


@dataclass(frozen=True)
class AddedRule:
    rule: WatchConfig
    path: Path
    stored_matches: int


class WatchRuleAction(ViewActions):
    def watch_rule_prefill(self) -> str:
        """The search in force, else the selected event's top place and name (bare words)."""
        if self.filter.query:
            return watchable(self.filter.query)
        suggestions = self.identity_suggestions()
        place = next((s for s in suggestions if s.startswith("where:")), None)
        name = next((s for s in suggestions if s.startswith("who:")), None)
        titles = [m.title for m in self.query_one(MemberList).members] if self.detail_shown() else []
        return " ".join(as_written(watchable(s), titles) for s in (place, name) if s)

    def detail_shown(self) -> bool:
        """Whether the Articles pane lists the selected event's members (the main screen says)."""
        return False

    def action_add_watch_rule(self) -> None:
        def query_chosen(value: str | None) -> None:
            query = (value or "").strip()
            if not query:
                return
            try:
                parse_query(query, mentions=False)
            except QuerySyntaxError as exc:
                self.app.notify(f"Watch rule not added: invalid search: {exc}", severity="warning", timeout=6,
                                markup=False)
                return
            self.app.push_screen(PromptScreen("Name the watch rule (monitor watch lists it by this name)",
                                              value=query[:40]), lambda name: self._add(query, name))

        self.app.push_screen(PromptScreen("Watch rule: new articles matching this query are tagged and counted as "
                                          "watch hits (the search syntax; where:/who: cannot be watched)",
                                          value=self.watch_rule_prefill()), query_chosen)

    def _add(self, query: str, name: str | None) -> None:
        name = (name or "").strip()
        if not name:
            return
        path = self.app.config.path or resolve_config_path()

        def add(db: Database) -> AddedRule:
            from monitor.config.feedsfile import FeedsFileError
            from monitor.config.watchfile import add_watch
            from monitor.store.watch import try_watch_query

            try:
                rule = add_watch(path, WatchConfig(name, query))
            except FeedsFileError as exc:  # a name taken, a file that cannot be read or written
                raise FeedsFileError(f"Watch rule not added: {exc}") from None
            return AddedRule(rule, path, len(try_watch_query(db, query, limit=10_000)))

        def toast(added: AddedRule) -> str:
            self.post_message(WatchRuleAdded(added.rule))
            return (f"Watch rule added to {clean(str(added.path), limit=60)}: {clean(added.rule.name, limit=40)} "
                    f"({clean(added.rule.query, limit=60)}); it watches what polls bring from now on "
                    f"({counted(added.stored_matches, 'stored article')} "
                    f"{'matches' if added.stored_matches == 1 else 'match'} it now: monitor watch test)")

        self.app.write(add, toast=toast)

    def on_watch_rule_added(self, message: WatchRuleAdded) -> None:
        """The dashboard's next poll matches the new rule too (cron's reads the file)."""
        config = self.app.config
        if all(rule.name.casefold() != message.rule.name.casefold() for rule in config.watch):
            self.app.config = replace(config, watch=(*config.watch, message.rule))

