"""What every command shares: resolved paths, the configuration, exit codes, JSON output."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

import click
from sqlite_utils import Database

from monitor.config import DEFAULT_DB, Config, load_config, resolve_config_path, resolve_db_path
from monitor.errors import MonitorError
from monitor.safe_text import json_escaped
from monitor.store import open_db

EXIT_OK = 0
EXIT_FAILURE = 1  # partial or total failure: some work could not be done
EXIT_CONFIG = 2  # usage or configuration error
EXIT_LOCKED = 3  # another run holds the lock
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT)
EXIT_TERMINATED = 143  # SIGTERM


@dataclass
class AppContext:
    db_path: Path
    config_path: Path | None
    verbose: int = 0
    _config: Config | None = field(default=None, repr=False)

    @classmethod
    def create(cls, db_path: str | None, config_path: str | None, verbose: int = 0) -> AppContext:
        return cls(db_path=resolve_db_path(db_path), config_path=Path(config_path) if config_path else None,
                   verbose=verbose)

    def config(self) -> Config:
        """The configuration, loaded once; a ConfigError reaches main() and exits 2."""
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    @property
    def resolved_config_path(self) -> Path:
        return resolve_config_path(self.config_path)

    def open_db(self, *, create: bool = False) -> Database:
        """The database; a command that only reads it (create=False) exits 2 when the file does not
        exist, instead of creating an empty one at a mistyped --db."""
        if create or self.db_path.is_dir():
            self.check_db_folder()
        elif str(self.db_path) != ":memory:" and not self.db_path.exists():
            raise MissingDatabase(f"{self.db_path}: no such database (check --db or $MONITOR_DB; "
                                  "`monitor poll` or `monitor import` creates it)")
        return open_db(self.db_path)

    def check_db_folder(self) -> None:
        """Before a command creates the database (or its poll lock, or the dashboard's log beside it):
        the default's folder (db/) is made when missing, but the folder of a path given by --db or
        $MONITOR_DB must exist, so a typo in a cron line is one line and exit 2, not a new tree of
        folders elsewhere with an empty database in it."""
        path = self.db_path
        if str(path) == ":memory:":
            return
        if path.is_dir():
            raise MissingDatabase(f"{path}: is a folder, not a database file (check --db or $MONITOR_DB)")
        if path.parent.is_dir():
            return
        if path == DEFAULT_DB:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                return
            except OSError as exc:
                raise MissingDatabase(f"{path}: cannot create the folder {path.parent}: {exc.strerror}") from None
        raise MissingDatabase(f"{path}: no such folder {path.parent} (check --db or $MONITOR_DB, "
                              "or create the folder first)")


class MissingDatabase(MonitorError, click.ClickException):
    exit_code = EXIT_CONFIG

    def show(self, file: Any = None) -> None:
        click.echo(f"monitor: {self.message}", err=True)


pass_app = click.make_pass_decorator(AppContext)


T = TypeVar("T")


def edit_feeds_file(app: AppContext, action: Callable[..., T], *args: Any) -> T:
    """Run one edit of feeds.toml (feeds, watch rules); a refused edit is one line and exit 2."""
    from monitor.config.feedsfile import FeedsFileError

    try:
        return action(app.resolved_config_path, *args)
    except FeedsFileError as exc:
        click.echo(f"monitor: {exc}", err=True)
        sys.exit(EXIT_CONFIG)


def write_output(path: str, data: str | bytes) -> None:
    """Write a command's output file (`export -o`, `feeds export-opml FILE`); a path that cannot be
    written (no such folder, no permission, a full disk) is one line and exit 1, not a traceback."""
    try:
        if isinstance(data, bytes):
            Path(path).write_bytes(data)
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(data)
    except OSError as exc:
        click.echo(f"monitor: cannot write {path}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_FAILURE)


def emit_json(payload: Any) -> None:
    """One JSON document on stdout, UTF-8, for scripts."""
    sys.stdout.write(json_escaped(json.dumps(payload, ensure_ascii=False, indent=2, default=str)) + "\n")
