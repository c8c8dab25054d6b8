"""Editing feeds.toml, the source of truth for feeds, without losing its comments (tomlkit).

`monitor feeds add/remove/enable/disable` and OPML import change the file; the feeds
table follows it at the next poll or `monitor feeds` (sync_feeds). Every edit is
re-validated with the same parser as load_config before the file is replaced, and the
file is replaced atomically, so a bad edit never leaves a broken configuration.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT

from monitor.config import Config, ConfigError, FeedConfig, parse_config
from monitor.errors import MonitorError
from monitor.text.closest import did_you_mean


class FeedsFileError(MonitorError):
    """The edit cannot be made (duplicate, unknown feed); the message says why."""


def _load(path: Path) -> tomlkit.TOMLDocument:
    """The file to edit (a new one when it does not exist); one that cannot be read or parsed is a
    FeedsFileError naming it, not a traceback."""
    if not path.exists():
        return tomlkit.document()
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise FeedsFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise FeedsFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except tomlkit.exceptions.ParseError as exc:
        raise FeedsFileError(f"{path}: invalid TOML: {exc}") from None


def _mode_for(path: Path) -> int:
    """The permissions the edited file keeps: its own, or for a new file what the umask allows
    (mkstemp makes its file 0600, which os.replace would otherwise put on feeds.toml)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _feeds(document: tomlkit.TOMLDocument) -> AoT:
    if "feeds" not in document:
        document["feeds"] = tomlkit.aot()
    feeds = document["feeds"]
    if not isinstance(feeds, AoT) and isinstance(feeds, list) and not feeds:
        document["feeds"] = tomlkit.aot()  # `feeds = []` left by removing the last one
        feeds = document["feeds"]
    if not isinstance(feeds, AoT):
        raise FeedsFileError("feeds must be written as [[feeds]] tables to be edited")
    return feeds


def _save(path: Path, document: tomlkit.TOMLDocument) -> Config:
    text = tomlkit.dumps(document)
    try:
        config = parse_config(text, path)
    except ConfigError as exc:
        raise FeedsFileError(f"the edit would make the configuration invalid: {exc}") from None
    mode = _mode_for(path)
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        raise FeedsFileError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return config


def _index(feeds: AoT, name: str) -> int:
    for i, table in enumerate(feeds):
        if table.get("name") == name:
            return i
    names = [str(table.get("name", "")) for table in feeds]
    raise FeedsFileError(f"no feed named {name!r} in the configuration{did_you_mean(name, names)}")


def add_feeds(path: Path, new: Iterable[FeedConfig]) -> tuple[list[FeedConfig], list[str]]:
    """Append feeds; ones whose URL is already there are skipped, clashing names get a suffix."""
    document = _load(path)
    feeds = _feeds(document)
    names = {t.get("name") for t in feeds}
    urls = {t.get("url") for t in feeds}
    added: list[FeedConfig] = []
    skipped: list[str] = []
    for feed in new:
        if feed.url in urls:
            skipped.append(f"{feed.name}: {feed.url} is already configured")
            continue
        name, n = feed.name, 2
        while name in names:
            name, n = f"{feed.name} ({n})", n + 1
        table = tomlkit.table()
        table["name"] = name
        table["url"] = feed.url
        table["tags"] = list(feed.tags)
        if feed.interval:
            table["interval"] = feed.interval
        if not feed.enabled:
            table["enabled"] = False
        if len(feeds):
            feeds[-1].add(tomlkit.nl())
        feeds.append(table)
        names.add(name)
        urls.add(feed.url)
        added.append(FeedConfig(name, feed.url, feed.tags, feed.interval, feed.enabled))
    if added:
        _save(path, document)
    return added, skipped


def add_feed(path: Path, feed: FeedConfig) -> FeedConfig:
    document = _load(path)
    for table in _feeds(document):
        if table.get("name") == feed.name:
            raise FeedsFileError(f"a feed named {feed.name!r} already exists")
        if table.get("url") == feed.url:
            raise FeedsFileError(f"{feed.url} is already configured as {table.get('name')!r}")
    added, _ = add_feeds(path, [feed])
    return added[0]


def remove_feed(path: Path, name: str) -> None:
    document = _load(path)
    feeds = _feeds(document)
    del feeds[_index(feeds, name)]
    if not len(feeds):
        del document["feeds"]
    _save(path, document)


def set_enabled(path: Path, name: str, enabled: bool) -> None:
    document = _load(path)
    feeds = _feeds(document)
    table = feeds[_index(feeds, name)]
    if enabled and "enabled" in table:
        del table["enabled"]
    elif not enabled:
        table["enabled"] = False
    _save(path, document)
