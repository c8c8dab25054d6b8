"""While the dashboard's poll runs: what it has stored so far is clustered every few seconds.

A first poll of many feeds takes minutes (hundreds of pages at `per_host` requests a host), and
clustering waited for its end: the analyst watched "No events yet" while articles arrived. Under
the dashboard (the one caller that shows anything mid-poll) a thread of the poll's process clusters
the articles stored so far every `every` seconds, on its own connection, as the end of the poll
does (assign_backlog, in the order they were stored; only the batch ends, where fragments are
consolidated, fall at other points, as they do between two cron runs); the poll clusters the rest
at its end, after this thread has stopped. Under cron nothing watches mid-poll, so `monitor poll`
clusters once, at the end.
"""
from __future__ import annotations

import logging
import os
import threading
from types import TracebackType

from monitor.cluster_settings import ClusterSettings

log = logging.getLogger(__name__)


class LiveClustering:
    """`with LiveClustering(db_path, settings, every):` around a poll's cycle."""

    def __init__(self, db_path: str | os.PathLike, settings: ClusterSettings, every: float) -> None:
        self.db_path, self.settings, self.every = db_path, settings, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="live-clustering")

    def __enter__(self) -> LiveClustering:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()  # a clustering under way ends first: the poll's own comes after it

    def _loop(self) -> None:
        from monitor.cluster.assign import assign_backlog
        from monitor.store import open_db

        db = None
        try:
            while not self._stop.wait(self.every):
                if db is None:
                    db = open_db(self.db_path)
                assign_backlog(db, self.settings, rederive=False)
        except Exception:  # nothing is lost: the poll clusters everything at its end
            log.warning("clustering during the poll failed; the poll clusters at its end", exc_info=True)
        finally:
            if db is not None:
                db.close()
