"""Ingestion tests talk to the local newsroom (a real HTTP server on 127.0.0.1)."""
from __future__ import annotations

import pytest

from monitor.cluster_settings import ClusterSettings
from monitor.config import Config, FeedConfig, PollConfig
from tests.support.hostile import intranet  # noqa: F401  (a fixture: a second server feed content names)
from tests.support.newsroom import newsroom  # noqa: F401  (the fixture)

# Clustering runs after every poll that stores articles; these tests are about ingestion, so
# they use its lexical signal (loading the embedding model costs seconds in every process).
LEXICAL = ClusterSettings.from_mapping({"embedding": "off"})
LEXICAL_TOML = '[cluster]\nembedding = "off"\n\n'


def make_config(feeds: list[tuple[str, str]] | tuple[FeedConfig, ...], **poll: object) -> Config:
    """A Config over newsroom URLs with test-friendly timeouts; no page fetching unless asked."""
    settings = {"connect_timeout": 2.0, "read_timeout": 2.0, "fetch_pages": False, "backoff_base": 60}
    settings.update(poll)
    items = tuple(f if isinstance(f, FeedConfig) else FeedConfig(name=f[0], url=f[1]) for f in feeds)
    return Config(feeds=items, poll=PollConfig(**settings), cluster=LEXICAL)  # type: ignore[arg-type]


@pytest.fixture
def rows(db_path):
    """rows(sql, *params) -> list of dicts, on a fresh connection each time."""
    from monitor.store import open_db

    def query(sql: str, *params: object) -> list[dict]:
        db = open_db(db_path)
        try:
            return list(db.query(sql, params))
        finally:
            db.close()

    return query
