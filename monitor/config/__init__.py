"""feeds.toml: parsed once with tomllib into frozen dataclasses.

Every problem becomes one ConfigError that names the file, the line and the key, so
the CLI can print it and exit 2 instead of showing a traceback.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Mapping
from urllib.parse import urlsplit

from monitor.cluster_settings import ClusterSettings
from monitor.errors import MonitorError
from monitor.safe_text import has_controls
from monitor.settings_table import checked, parse_duration, table_values
from monitor.text.search_query import QuerySyntaxError, parse_query

DEFAULT_CONFIG = Path("feeds.toml")
DEFAULT_DB = Path("db/monitor.db")


class ConfigError(MonitorError):
    """An invalid configuration file; the message names the line and the key."""


@dataclass(frozen=True)
class FeedConfig:
    name: str
    url: str
    tags: tuple[str, ...] = ()
    interval: int | None = None  # seconds; None means [poll].interval
    enabled: bool = True


@dataclass(frozen=True)
class WatchConfig:
    """A `[[watch]]` rule: new articles matching `query` (the search syntax) get `tag`, mark their
    event, and are handed to `command` (a shell command, JSON on stdin) once per poll."""

    name: str
    query: str
    tag: str | None = None
    command: str | None = None


@dataclass(frozen=True)
class PollConfig:
    interval: int = 900  # seconds between polls of one feed
    concurrency: int = 16  # requests in flight overall
    per_host: int = 2  # requests in flight per host
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_bytes: int = 5_000_000  # cap on a response body, after decompression
    max_redirects: int = 5
    backoff_base: int = 60  # seconds; doubled per consecutive failure, with jitter
    backoff_max: int = 6 * 3600
    fetch_pages: bool = True  # fetch each new article page for full text
    extract_workers: int = 0  # 0 = one per core
    extract_timeout: float = 60.0  # seconds one page's extraction may take (0 = no limit)
    request_deadline: float = 60.0  # seconds one request may take in all: connect, headers, body, redirects
    poll_deadline: int = 480  # seconds; then the poll stops, records what it has and frees the lock
    allow_addresses: tuple[str, ...] = ()  # internal networks URLs from feed content may reach
    max_items: int = 1000  # entries read from one feed document per poll, the newest kept
    user_agent: str = "monitor/0.1 (+https://github.com/; news monitoring for analysts)"


@dataclass(frozen=True)
class Config:
    feeds: tuple[FeedConfig, ...] = ()
    poll: PollConfig = PollConfig()
    cluster: ClusterSettings = ClusterSettings()
    keymap: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None
    watch: tuple[WatchConfig, ...] = ()


MAX_TIMEOUT = 3600.0  # seconds; a request or an extraction longer than an hour is a typo
# [poll] numbers with a ceiling beyond which polling breaks or stalls (a feed of a million items...).
_POLL_LIMITS: dict[str, float] = {"concurrency": 1000, "per_host": 100, "max_redirects": 50,
                                  "extract_workers": 64, "max_items": 1_000_000, "max_bytes": 1_000_000_000}


def _locate(text: str, table: str, key: str | None, index: int = 0) -> int | None:
    """Line number (1-based) of `key` inside the index-th `[table]`/`[[table]]` block."""
    header = re.compile(r"^\s*\[\[?\s*" + re.escape(table) + r"\s*\]\]?\s*(#.*)?$")
    any_header = re.compile(r"^\s*\[")
    seen = -1
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        if header.match(line):
            seen += 1
            inside = seen == index
            if inside and key is None:
                return number
            continue
        if any_header.match(line):
            inside = False
            continue
        if inside and key is not None and re.match(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=", line):
            return number
    return None


class _Reader:
    """Turns (table, key) problems into ConfigErrors with a line number."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text

    def fail(self, table: str, key: str | None, message: str, index: int = 0) -> ConfigError:
        line = _locate(self.text, table, key, index)
        where = f"{self.path}:{line}" if line else str(self.path)
        name = f"{table}.{key}" if key else table
        if table in ("feeds", "watch"):
            name = f"{table}[{index}]" + (f".{key}" if key else "")
        return ConfigError(f"{where}: {name}: {message}")

    def check_keys(self, table: str, data: Mapping[str, Any], allowed: set[str], index: int = 0) -> None:
        for key in data:
            if key not in allowed:
                raise self.fail(table, key, f"unknown key (expected one of: {', '.join(sorted(allowed))})", index)


def _typed(reader: _Reader, table: str, key: str, value: Any, kind: type, index: int = 0) -> Any:
    try:
        return checked(key, value, kind)
    except ValueError as exc:
        raise reader.fail(table, key, exc.args[0], index) from None


def malformed_url(url: str) -> str | None:
    """Why a feed URL cannot be read as a URL at all (None: it can): a control character, a space
    (two words pasted as one), a broken IPv6 literal or a port out of range. These reached the
    poll (a 404 for "a b"), or a traceback ("http://[::1/x"), or a misleading refusal (port 99999)."""
    if has_controls(url):
        return f"holds control characters: {url!r}"
    if any(c.isspace() for c in url):
        return f"holds a space: {url!r}"
    try:
        urlsplit(url).port  # noqa: B018  (parsing the port is the check)
    except ValueError as exc:
        return f"not a valid URL ({exc}): {url!r}"
    return None


def _parse_feed(reader: _Reader, raw: Any, index: int) -> FeedConfig:
    if not isinstance(raw, dict):
        raise reader.fail("feeds", None, "each [[feeds]] entry must be a table", index)
    reader.check_keys("feeds", raw, {"name", "url", "tags", "interval", "enabled"}, index)
    for required in ("name", "url"):
        if required not in raw:
            raise reader.fail("feeds", None, f"missing required key '{required}'", index)
    name = _typed(reader, "feeds", "name", raw["name"], str, index).strip()
    url = _typed(reader, "feeds", "url", raw["url"], str, index).strip()
    if not name:
        raise reader.fail("feeds", "name", "must not be empty", index)
    malformed = malformed_url(url)
    if malformed:
        raise reader.fail("feeds", "url", malformed, index)
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise reader.fail("feeds", "url", f"only http(s) URLs are fetched, got {url!r}", index)
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise reader.fail("feeds", "tags", "expected a list of strings", index)
    interval = None
    if "interval" in raw:
        try:
            interval = parse_duration(raw["interval"])
        except ValueError as exc:
            raise reader.fail("feeds", "interval", str(exc), index) from None
    enabled = _typed(reader, "feeds", "enabled", raw.get("enabled", True), bool, index)
    return FeedConfig(name=name, url=url, tags=tuple(t.strip() for t in tags if t.strip()),
                      interval=interval, enabled=enabled)


def _optional_text(reader: _Reader, raw: dict[str, Any], key: str, index: int) -> str | None:
    if key not in raw:
        return None
    value = _typed(reader, "watch", key, raw[key], str, index).strip()
    if not value:
        raise reader.fail("watch", key, "must not be empty (leave the key out instead)", index)
    return value


def _parse_watch(reader: _Reader, raw: Any, index: int) -> WatchConfig:
    if not isinstance(raw, dict):
        raise reader.fail("watch", None, "each [[watch]] entry must be a table", index)
    reader.check_keys("watch", raw, {"name", "query", "tag", "command"}, index)
    for required in ("name", "query"):
        if required not in raw:
            raise reader.fail("watch", None, f"missing required key '{required}'", index)
    name = _typed(reader, "watch", "name", raw["name"], str, index).strip()
    if not name:
        raise reader.fail("watch", "name", "must not be empty", index)
    query = _typed(reader, "watch", "query", raw["query"], str, index).strip()
    try:
        parse_query(query, mentions=False)
    except QuerySyntaxError as exc:
        raise reader.fail("watch", "query", f"invalid search: {exc}", index) from None
    tag = _optional_text(reader, raw, "tag", index)
    return WatchConfig(name=name, query=query, tag=" ".join(tag.split()) if tag else None,
                       command=_optional_text(reader, raw, "command", index))


def _parse_watches(reader: _Reader, raw: Any) -> tuple[WatchConfig, ...]:
    if not isinstance(raw, list):
        raise reader.fail("watch", None, "use [[watch]] tables")
    rules = tuple(_parse_watch(reader, item, i) for i, item in enumerate(raw))
    seen: dict[str, int] = {}
    for i, rule in enumerate(rules):
        key = rule.name.casefold()
        if key in seen:
            raise reader.fail("watch", "name", f"duplicate name {rule.name!r} (also watch[{seen[key]}])", i)
        seen[key] = i
    return rules


def _parse_poll(reader: _Reader, raw: Any) -> PollConfig:
    if not isinstance(raw, dict):
        raise reader.fail("poll", None, "must be a table")
    plain = {key: value for key, value in raw.items() if key != "allow_addresses"}  # a list: read apart
    try:
        values = table_values(PollConfig, plain, durations=("interval", "backoff_base", "backoff_max", "poll_deadline"),
                              at_least_one=("concurrency", "per_host", "max_bytes", "max_items"))
    except ValueError as exc:
        raise reader.fail("poll", exc.args[1], exc.args[0]) from None
    if "allow_addresses" in raw:
        values["allow_addresses"] = _networks(reader, raw["allow_addresses"])
    for key, value in values.items():
        problem = _poll_limit_problem(key, value)
        if problem:
            raise reader.fail("poll", key, problem)
    for key in ("connect_timeout", "read_timeout", "request_deadline"):
        if values.get(key, 1) == 0:
            raise reader.fail("poll", key, "must be more than 0")
    if values.get("backoff_base", 0) > values.get("backoff_max", PollConfig.backoff_max):
        raise reader.fail("poll", "backoff_base", "must not exceed backoff_max")
    return PollConfig(**values)


def _poll_limit_problem(key: str, value: Any) -> str | None:
    """Why a [poll] number is too large to use (a typo that would break or stall polling), or None.
    Types, finiteness and signs are the settings rule's (monitor.settings_table)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if (key.endswith("_timeout") or key == "request_deadline") and value > MAX_TIMEOUT:
        return f"at most {MAX_TIMEOUT:.0f} seconds, got {value!r}"
    if key in _POLL_LIMITS and value > _POLL_LIMITS[key]:
        return f"at most {_POLL_LIMITS[key]:,.0f}, got {value!r}"
    return None


def _networks(reader: _Reader, value: Any) -> tuple[str, ...]:
    """`allow_addresses`: IP addresses or networks ("10.0.0.0/8", "fd00::/8", "192.168.1.20")."""
    from ipaddress import ip_network

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise reader.fail("poll", "allow_addresses", "expected a list of addresses or networks, e.g. [\"10.0.0.0/8\"]")
    for entry in value:
        try:
            ip_network(entry.strip(), strict=False)
        except ValueError:
            raise reader.fail("poll", "allow_addresses", f"not an IP address or network: {entry!r}") from None
    return tuple(v.strip() for v in value)


def _parse_keymap(reader: _Reader, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise reader.fail("keymap", None, "must be a table of binding id = \"keys\"")
    for key, value in raw.items():
        if not isinstance(value, str) or not value.strip():
            raise reader.fail("keymap", key, "expected a key string such as \"ctrl+s\" or \"j,down\"")
    return dict(raw)


def check_keymap(config: Config, binding_ids: Collection[str]) -> None:
    """The dashboard's check of [keymap] against its binding ids: an id that names no binding
    rebinds nothing, so it is refused like any other mistake, with its line."""
    unknown = [binding_id for binding_id in config.keymap if binding_id not in binding_ids]
    if unknown:
        path = config.path or Path("feeds.toml")
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        raise _Reader(path, text).fail("keymap", unknown[0], "no dashboard binding has this id (`?` in the "
                                       "dashboard and the README's key bindings list them)")


def parse_config(text: str, path: Path) -> Config:
    """Parse feeds.toml text; raises ConfigError naming the line and key."""
    reader = _Reader(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    reader.check_keys("top level", data, {"feeds", "poll", "cluster", "keymap", "watch"})
    feeds_raw = data.get("feeds", [])
    if not isinstance(feeds_raw, list):
        raise reader.fail("feeds", None, "use [[feeds]] tables")
    feeds = tuple(_parse_feed(reader, raw, i) for i, raw in enumerate(feeds_raw))
    seen: dict[str, int] = {}
    for i, feed in enumerate(feeds):
        for key, value in (("name", feed.name), ("url", feed.url)):
            marker = f"{key}:{value}"
            if marker in seen:
                raise reader.fail("feeds", key, f"duplicate {key} {value!r} (also feeds[{seen[marker]}])", i)
            seen[marker] = i
    poll = _parse_poll(reader, data.get("poll", {}))
    cluster_raw = data.get("cluster", {})
    if not isinstance(cluster_raw, dict):
        raise reader.fail("cluster", None, "must be a table")
    try:
        cluster = ClusterSettings.from_mapping(cluster_raw)
    except (KeyError, TypeError, ValueError) as exc:
        bad_key = str(exc.args[1]) if len(exc.args) > 1 else None
        raise reader.fail("cluster", bad_key, str(exc.args[0])) from None
    keymap = _parse_keymap(reader, data.get("keymap", {}))
    watch = _parse_watches(reader, data.get("watch", []))
    return Config(feeds=feeds, poll=poll, cluster=cluster, keymap=keymap, path=path, watch=watch)


def resolve_config_path(explicit: str | os.PathLike | None = None) -> Path:
    """--config, then MONITOR_CONFIG, then ./feeds.toml."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("MONITOR_CONFIG")
    return Path(env) if env else DEFAULT_CONFIG


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """--db, then MONITOR_DB, then ./db/monitor.db."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("MONITOR_DB")
    return Path(env) if env else DEFAULT_DB


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Load the configuration; a missing default file yields an empty Config."""
    resolved = resolve_config_path(path)
    try:
        raw = resolved.read_bytes()
    except FileNotFoundError:
        if path is None and "MONITOR_CONFIG" not in os.environ:
            return Config(path=None)
        raise ConfigError(f"{resolved}: no such configuration file") from None
    except OSError as exc:
        raise ConfigError(f"{resolved}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{resolved}: not UTF-8 text (byte {exc.start})") from None
    return parse_config(text, resolved)
