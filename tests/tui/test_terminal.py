"""`monitor` in a real terminal (tmux): clusters and corpus show, a tag typed at the keyboard lands in
the database, and `monitor poll` from another process runs beside it without losing anything."""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from monitor.store import open_db, views
from monitor.tui.safe import clean
from tests.conftest import REPO
from tests.tui.conftest import NEWS_FEEDS
from tests.tui.helpers import one, query
from tests.tui.hostile import hostile_rss

WIRE = "Wire \x1b[7mX"  # a feed name with an escape sequence (the feed parser drops them from titles)
WIRE_TOML = "Wire \\u001b[7mX"
MONITOR = str(Path(sys.executable).with_name("monitor"))


class Terminal:
    """A tmux server of our own (its own socket), one fixed-size session."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        # The test process may carry COLUMNS/LINES (pytest, Rich); the app must size itself from the tty.
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES") and not k.startswith("TEXTUAL")}
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, command: str, width: int = 120, height: int = 40) -> None:
        self.tmux("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), "-c", str(REPO), command)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "main", *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", "main", "-p")

    def wait_for(self, text: str, seconds: float = 15.0) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; screen:\n{self.screen()}")


_SOCKETS = itertools.count()


@pytest.fixture
def terminal():
    assert shutil.which("tmux"), "tmux is required for the terminal test"
    # A socket of its own per test: a new server on the last test's socket could meet that server
    # still shutting down after its kill-server ("server exited unexpectedly").
    term = Terminal(f"monitor-test-{os.getpid()}-{next(_SOCKETS)}")
    yield term
    subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True)


def wait_db(condition, seconds: float = 15.0) -> None:
    def holds() -> bool:
        try:
            return condition()
        except sqlite3.OperationalError:  # the app has created the file but not yet its tables
            return False

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if holds():
            return
        time.sleep(0.2)
    assert condition()


def write_config(path: Path, room) -> None:
    lines = ["[poll]", "fetch_pages = false", "connect_timeout = 2.0", "read_timeout = 5.0", "",
             "[cluster]", 'embedding = "off"', ""]
    for name, file, tags in NEWS_FEEDS:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{room.feed_url(file)}"', f"tags = {list(tags)!r}", ""]
    lines += ["[[feeds]]", f'name = "{WIRE_TOML}"', f'url = "{room.url("/hostile.xml")}"', ""]
    path.write_text("\n".join(lines).replace("'", '"'), encoding="utf-8")


def test_dashboard_in_tmux_with_concurrent_poll(built_db, newsroom, tmp_path, terminal):
    newsroom.put("/hostile.xml", hostile_rss(newsroom.base), content_type="application/rss+xml")
    config = tmp_path / "feeds.toml"
    write_config(config, newsroom)
    db = open_db(built_db, migrate=False)
    ids = views.cluster_ids(db, views.ClusterFilter())
    first_label = views.cluster_rows(db, ids[:1])[ids[0]].label
    db.close()
    articles_before = one(built_db, "SELECT count(*) FROM articles")

    terminal.start(f"{MONITOR} --no-poll --db {built_db} --config {config}; echo EXITED $?; sleep 60")
    terminal.wait_for(clean(first_label)[:8])
    terminal.wait_for("size")
    terminal.keys("C")
    terminal.wait_for("Whole corpus (5)")
    terminal.wait_for("Kursk")

    terminal.keys("t")
    terminal.wait_for("Tag event")
    terminal.keys("ukraine-watch", literal=True)
    terminal.keys("Enter")
    wait_db(lambda: query(built_db, "SELECT ct.cluster_id FROM cluster_tags ct JOIN tags t ON t.id = ct.tag_id "
                                    "WHERE t.name = 'ukraine-watch'") == [(ids[0],)])

    # cron's poll in another process while the analyst keeps triaging
    poll = subprocess.Popen([MONITOR, "--db", str(built_db), "--config", str(config), "poll", "--feed", WIRE],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(3):
        terminal.keys("j")
        terminal.keys("s")
        time.sleep(0.1)
    out, err = poll.communicate(timeout=60)
    assert poll.returncode in (0, 1), err
    assert "database is locked" not in out + err
    wait_db(lambda: one(built_db, "SELECT count(*) FROM clusters WHERE starred = 1") == 3)
    assert set(r[0] for r in query(built_db, "SELECT id FROM clusters WHERE starred = 1")) == set(ids[1:4])
    assert one(built_db, "SELECT count(*) FROM articles") == articles_before + 4
    # the hostile articles appear live, literally, and the app keeps running
    shown = terminal.wait_for("[@click=app.quit]")
    assert "database is locked" not in shown and "EXITED" not in shown
    terminal.keys("g")  # the newest cluster (from the hostile feed): its members show the feed name
    terminal.wait_for("Wire \u241b[7mX")
    terminal.keys("q")
    terminal.wait_for("EXITED 0")


def test_dashboard_polls_by_itself_in_a_real_terminal(newsroom, tmp_path, terminal):
    """Without --no-poll the dashboard's own worker runs the ingestion cycle (extraction workers included)
    inside the running app: articles arrive and show, and no poll failure reaches the status line."""
    newsroom.put("/hostile.xml", hostile_rss(newsroom.base), content_type="application/rss+xml")
    config, db_path = tmp_path / "feeds.toml", tmp_path / "fresh.db"
    write_config(config, newsroom)
    terminal.start(f"{MONITOR} --db {db_path} --config {config}; echo EXITED $?; sleep 60")
    wait_db(lambda: db_path.exists() and one(db_path, "SELECT count(*) FROM poll_runs WHERE finished_at IS NOT NULL") >= 1,
            seconds=60)
    assert one(db_path, "SELECT count(*) FROM articles WHERE origin = 'feed'") > 0
    assert one(db_path, "SELECT count(*) FROM feeds WHERE error_count > 0") == 0
    shown = terminal.wait_for("[@click=app.quit]", seconds=45)  # a loaded 2-core machine: the reload may lag
    assert "poll failed" not in shown and "fds_to_keep" not in shown
    terminal.keys("q")
    terminal.wait_for("EXITED 0", seconds=45)


def test_corpus_only_database_in_tmux_lists_searches_and_takes_a_note(db_path, tmp_path, terminal):
    """Before the first poll: the corpus is listed, `/kursk` lists the two Kursk documents, and a note
    typed at the keyboard lands in the database and is on screen afterwards."""
    from monitor.corpus.importer import import_paths
    from tests.conftest import shared_path

    db = open_db(db_path)
    import_paths(db, [shared_path("corpus")])
    db.close()
    kursk = [r[0] for r in query(db_path, "SELECT title FROM articles WHERE origin = 'corpus' AND title LIKE '%Kursk%' "
                                          "ORDER BY id")]
    assert len(kursk) == 2
    config = tmp_path / "feeds.toml"
    config.write_text('[cluster]\nembedding = "off"\n', encoding="utf-8")
    terminal.start(f"{MONITOR} --no-poll --db {db_path} --config {config}; echo EXITED $?; sleep 60", width=80, height=24)
    shown = terminal.wait_for("Whole corpus (5)")
    assert "No events yet" in shown and "Kharkiv" in shown
    terminal.keys("/")
    terminal.wait_for("Search")
    terminal.keys("kursk", literal=True)
    terminal.keys("Enter")
    shown = terminal.wait_for("Corpus matching the search")
    assert all(clean(title)[:30] in shown for title in kursk), shown
    terminal.keys("n")
    terminal.wait_for("Note on article")
    terminal.keys("ask the desk about Sudzha", literal=True)
    terminal.keys("Enter")
    wait_db(lambda: one(db_path, "SELECT count(*) FROM notes WHERE body = 'ask the desk about Sudzha'") == 1)
    terminal.keys("Enter")  # the reader: the note is shown with the document
    terminal.wait_for("note  ask the desk about Sudzha")
    terminal.keys("q")  # back from the reader
    terminal.wait_for("Corpus matching the search")
    terminal.keys("q")
    terminal.wait_for("EXITED 0")


def test_a_failing_feeds_log_record_goes_to_the_log_file_not_over_the_dashboard(tmp_path, terminal):
    """The poll logs each feed failure; inside the dashboard the record goes to the database's log
    file (it was written to the terminal, over the dashboard, until the screen was redrawn)."""
    import socket

    with socket.socket() as probe:  # a port on 127.0.0.1 where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config, db_path = tmp_path / "feeds.toml", tmp_path / "fresh.db"
    config.write_text(f'[poll]\nconnect_timeout = 2.0\n\n[cluster]\nembedding = "off"\n\n'
                      f'[[feeds]]\nname = "Dead wire"\nurl = "http://127.0.0.1:{port}/feed.xml"\n', encoding="utf-8")
    terminal.start(f"{MONITOR} --db {db_path} --config {config}; echo EXITED $?; sleep 60")
    shown = terminal.wait_for("Feeds failing (1)", seconds=60)
    time.sleep(0.5)  # the record is written as the failure is stored, before the dashboard shows it
    shown = terminal.screen()
    assert "Dead wire: ConnectError" in shown
    assert "next try at" not in shown and "WARNING" not in shown, shown
    log = db_path.with_suffix(".log")
    assert "WARNING monitor.ingest: Dead wire: ConnectError" in log.read_text(encoding="utf-8")
    assert "(failure 1, next try at" in log.read_text(encoding="utf-8")
    terminal.keys("q")
    terminal.wait_for("EXITED 0", seconds=45)
