"""The root of the project's own exceptions.

Every condition the program expects and can word for the analyst (a bad configuration, a database
it cannot write, a locked poll, a correction that no longer applies) derives from MonitorError,
so a caller that only needs "one of ours, say it in one line" catches one class, and anything
else is a bug that keeps its traceback.
"""
from __future__ import annotations


class MonitorError(Exception):
    """A failure the program expects: its message is one line meant for the analyst."""
