"""Editing the `[[watch]]` rules of feeds.toml (`monitor watch add/remove`), as feedsfile edits feeds:
with tomlkit, comments kept, the result validated by the same parser before the file is replaced."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT

from monitor.config import WatchConfig
from monitor.config.feedsfile import FeedsFileError, _load, _save
from monitor.text.closest import did_you_mean


def _rules(document: tomlkit.TOMLDocument) -> AoT:
    if "watch" not in document or (isinstance(document["watch"], list) and not len(document["watch"])):
        document["watch"] = tomlkit.aot()
    rules = document["watch"]
    if not isinstance(rules, AoT):
        raise FeedsFileError("watch rules must be written as [[watch]] tables to be edited")
    return rules


def _named(table: Any, name: str) -> bool:
    """Whether the rule's table has this name: names are told apart in any case ("kursk" is "Kursk")."""
    return str(table.get("name", "")).casefold() == name.casefold()


def add_watch(path: Path, rule: WatchConfig) -> WatchConfig:
    """Append a rule; FeedsFileError when the name is taken or the query is invalid."""
    document = _load(path)
    rules = _rules(document)
    if any(_named(t, rule.name) for t in rules):
        raise FeedsFileError(f"a watch rule named {rule.name!r} already exists")
    table = tomlkit.table()
    table["name"] = rule.name
    table["query"] = rule.query
    if rule.tag:
        table["tag"] = rule.tag
    if rule.command:
        table["command"] = rule.command
    if len(rules):
        rules[-1].add(tomlkit.nl())
    rules.append(table)
    config = _save(path, document)
    return next(r for r in config.watch if r.name == rule.name)


def remove_watch(path: Path, name: str) -> str:
    """Remove the rule with this name in any case; its name as feeds.toml wrote it."""
    document = _load(path)
    rules = _rules(document)
    for i, table in enumerate(rules):
        if _named(table, name):
            removed = str(table.get("name", name))
            del rules[i]
            break
    else:
        names = [str(table.get("name", "")) for table in rules]
        raise FeedsFileError(f"no watch rule named {name!r} in the configuration{did_you_mean(name, names)}")
    if not len(rules):
        del document["watch"]
    _save(path, document)
    return removed
