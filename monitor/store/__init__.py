"""The store owns SQL: every query the CLI, the poller and the TUI share lives here."""
from monitor.store.db import write_transaction
from monitor.store.opening import open_db

__all__ = ["open_db", "write_transaction"]
