"""Where log records go: stderr for the commands (cron mails it), a file beside the database while
the dashboard runs (the screen is the dashboard's: a record written to the terminal would be drawn
over it, and the analyst sees feed failures in the dashboard itself)."""
from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from monitor.safe_text import printable

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
COMMAND_FORMAT = "%(levelname)s %(name)s: %(message)s"  # a command's stderr: cron adds its own time
MAX_BYTES = 1_000_000  # the file is rotated past this size, two old ones kept (monitor.log.1, .2)
BACKUPS = 2


class SafeFormatter(logging.Formatter):
    """Records through the safe-text rule (a feed's name or a server's error may carry escapes): the
    file is read with `less` or `tail -f` in a terminal, and a command's stderr is cron's mail. A
    record is one line (a feed named "a\nb" does not split it); its traceback, if any, follows."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return printable(super().formatMessage(record), single_line=True)

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def log_file_for(db_path: Path) -> Path:
    """The dashboard's log: the database's name with .log (db/monitor.db: db/monitor.log)."""
    return db_path.with_suffix(".log")


@contextmanager
def to_file(path: Path) -> Iterator[Path | None]:
    """While inside, the root logger writes to `path` (rotated) instead of its stream handlers; warnings
    (warnings.warn) are logged too. The handlers are put back on leaving. Yields None when the file
    cannot be opened (a read-only folder): the records are dropped then, never written to the terminal."""
    root = logging.getLogger()
    streams = [h for h in root.handlers if type(h) is logging.StreamHandler]
    handler: logging.Handler
    used: Path | None = path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        handler, used = logging.NullHandler(), None
    handler.setFormatter(SafeFormatter(FORMAT))
    for h in streams:
        root.removeHandler(h)
    root.addHandler(handler)
    logging.captureWarnings(True)
    try:
        yield used
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        handler.close()
        for h in streams:
            root.addHandler(h)


def log_to_stderr() -> None:
    """A worker writing to the dashboard's log: its records as the dashboard's own (FORMAT), at WARNING."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(SafeFormatter(FORMAT))
        root.addHandler(handler)
        root.setLevel(logging.WARNING)

