"""A database path is created only where it was meant: the default's folder (db/) is made for a
fresh checkout, but a --db or $MONITOR_DB whose folder does not exist (a typo in a cron line) is
one line and exit 2 for every command that would create the database, and nothing is created or
edited anywhere."""
from __future__ import annotations

import pytest

from tests.cli.test_usage_limits import run_main

OPML = "<opml version='2.0'><body><outline text='o' xmlUrl='http://127.0.0.1:9/o'/></body></opml>"


def _creating_commands(tmp_path, corpus_dir) -> list[list[str]]:
    opml = tmp_path / "in.opml"
    opml.write_text(OPML, encoding="utf-8")
    return [[], ["--no-poll"], ["poll"], ["poll", "--json"], ["import", str(corpus_dir)],
            ["feeds", "add", "A", "http://127.0.0.1:9/a"], ["feeds", "import-opml", str(opml)],
            ["views", "save", "v"], ["rederive"], ["stats"]]


def _tree(tmp_path) -> list[str]:
    return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("via", ["--db", "MONITOR_DB"])
def test_a_db_in_a_missing_folder_is_one_line_and_exit_2_creating_nothing(tmp_path, capsys, monkeypatch, corpus_dir,
                                                                         via):
    typo = tmp_path / "dbb" / "nested" / "monitor.db"
    config = tmp_path / "feeds.toml"
    config.write_text('[poll]\nfetch_pages = false\n', encoding="utf-8")

    def dashboard(*args, **kwargs):
        raise AssertionError("the dashboard started on a database in a missing folder")

    monkeypatch.setattr("monitor.tui.launch.run_dashboard", dashboard)  # (a test hangs on a running dashboard)
    for command in _creating_commands(tmp_path, corpus_dir):
        before = _tree(tmp_path)
        if via == "--db":
            args = ["--db", str(typo), *command]
        else:
            monkeypatch.setenv("MONITOR_DB", str(typo))
            args = command
        code, out, err = run_main(["--config", str(config), *args], capsys, monkeypatch)
        assert code == 2, (command, out, err)
        assert err.strip().splitlines() in (
            [f"monitor: {typo}: no such folder {typo.parent} (check --db or $MONITOR_DB, or create the folder first)"],
            [f"monitor: {typo}: no such database (check --db or $MONITOR_DB; "
             "`monitor poll` or `monitor import` creates it)"]), command  # (the commands that only read)
        assert _tree(tmp_path) == before, command  # no folder, no database, no lock, no log
        assert config.read_text(encoding="utf-8") == '[poll]\nfetch_pages = false\n', command  # no feed added


def test_a_db_that_is_a_folder_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    for command in (["poll"], ["stats"], ["feeds", "add", "A", "http://127.0.0.1:9/a"]):
        code, _, err = run_main(["--db", str(tmp_path), *command], capsys, monkeypatch)
        assert code == 2
        assert err.strip() == f"monitor: {tmp_path}: is a folder, not a database file (check --db or $MONITOR_DB)"


def test_the_default_database_folder_is_made_in_a_fresh_checkout(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MONITOR_DB")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(["poll"], capsys, monkeypatch)
    assert code == 0, err
    assert (tmp_path / "db" / "monitor.db").is_file()


def test_a_config_in_a_missing_folder_is_not_created_by_an_edit(tmp_path, capsys, monkeypatch):
    config = tmp_path / "confs" / "feeds.toml"
    code, _, err = run_main(["--config", str(config), "feeds", "add", "A", "http://127.0.0.1:9/a"], capsys, monkeypatch)
    assert code == 2
    assert err.strip() == f"monitor: {config}: cannot write: No such file or directory"
    assert not (tmp_path / "confs").exists()
