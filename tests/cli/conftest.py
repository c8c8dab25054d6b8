"""CLI tests talk to the local newsroom (a real HTTP server on 127.0.0.1) where they poll."""
from __future__ import annotations

from tests.support.newsroom import newsroom  # noqa: F401  (the fixture)
