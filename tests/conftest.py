"""Shared fixtures. Tests never touch db/ or the real feeds.toml: MONITOR_DB and
MONITOR_CONFIG point into tmp_path for every test."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; CI always has it, so a missing file fails the test, never skips it."""
    path = SHARED.joinpath(*parts)
    assert path.exists(), f"{path} is missing: ../shared must sit beside the checkout"
    return path


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "monitor.db"))
    monkeypatch.setenv("MONITOR_CONFIG", str(tmp_path / "feeds.toml"))
    (tmp_path / "feeds.toml").write_text("", encoding="utf-8")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "monitor.db"


@pytest.fixture
def db(db_path: Path):
    from monitor.store import open_db

    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def corpus_dir() -> Path:
    return shared_path("corpus")
