"""The store owns SQL: every query the CLI, the poller and the TUI share lives here."""
from monitor.store.db import open_db, write_transaction

__all__ = ["open_db", "write_transaction"]
