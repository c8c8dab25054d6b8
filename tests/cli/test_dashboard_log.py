"""While the dashboard runs, log records and the workers' stderr go to the log file beside the
database, never to the terminal (where they were drawn over the dashboard's screen)."""
from __future__ import annotations

import logging
import os
import sys
import time

from monitor import logs, processes
from monitor.ingest.workers import Workers


def test_the_log_file_sits_beside_the_database(tmp_path):
    assert logs.log_file_for(tmp_path / "db" / "monitor.db") == tmp_path / "db" / "monitor.log"


def test_records_go_to_the_file_inside_and_to_the_stream_again_after(tmp_path, capsys):
    root = logging.getLogger()
    stream = logging.StreamHandler(sys.stderr)
    root.addHandler(stream)
    try:
        with logs.to_file(tmp_path / "monitor.log") as path:
            logging.getLogger("monitor.ingest").warning("Wire: ConnectError (failure 1, next try at 12:00)")
            assert stream not in root.handlers
        logging.getLogger("monitor.ingest").warning("after the dashboard")
    finally:
        root.removeHandler(stream)
    written = path.read_text(encoding="utf-8")
    assert "WARNING monitor.ingest: Wire: ConnectError (failure 1, next try at 12:00)" in written
    assert "after the dashboard" not in written
    err = capsys.readouterr().err
    assert "after the dashboard" in err and "next try at" not in err


def test_a_background_worker_writes_its_stderr_to_the_log(tmp_path):
    log = tmp_path / "monitor.log"
    processes.send_worker_stderr_to(str(log))
    worker = processes.BackgroundWorker([])
    try:
        worker.submit(os.write, 2, b"raw bytes from C code\n").result(timeout=60)
        worker.submit(logging.warning, "a library's warning on \x1b[2Jthe page").result(timeout=60)
    finally:
        worker.shutdown()
        processes.send_worker_stderr_to(None)
    written = log.read_text(encoding="utf-8")
    assert "raw bytes from C code" in written
    assert "WARNING root: a library's warning on \u241b[2Jthe page" in written and "\x1b" not in written


def test_an_extraction_worker_writes_its_stderr_to_the_log(tmp_path):
    log = tmp_path / "monitor.log"
    processes.send_worker_stderr_to(str(log))
    try:
        workers = Workers(1)
    finally:
        processes.send_worker_stderr_to(None)
    try:
        pid = workers.pids()[0]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and os.path.realpath(f"/proc/{pid}/fd/2") != str(log.resolve()):
            time.sleep(0.05)  # the worker redirects its stderr first thing
        assert os.path.realpath(f"/proc/{pid}/fd/2") == str(log.resolve())
    finally:
        workers.shutdown()


def test_an_escape_in_a_record_reaches_the_file_as_a_visible_symbol(tmp_path):
    with logs.to_file(tmp_path / "monitor.log") as path:
        logging.getLogger("monitor.ingest").warning("%s: HTTP 500", "Wire \x1b]0;pwned\x07 \x9b31m")
    written = path.read_text(encoding="utf-8")
    assert "\x1b" not in written and "\x07" not in written and "\x9b" not in written
    assert "Wire \u241b]0;pwned\u2407 \\x9b31m: HTTP 500" in written


def test_a_log_file_that_cannot_be_opened_drops_records_and_never_writes_to_the_terminal(tmp_path, capsys):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    root = logging.getLogger()
    stream = logging.StreamHandler(sys.stderr)
    root.addHandler(stream)
    try:
        with logs.to_file(blocked / "monitor.log") as path:
            assert path is None
            logging.getLogger("monitor.ingest").warning("Wire: ConnectError (failure 1, next try at 12:00)")
        assert stream in root.handlers
    finally:
        root.removeHandler(stream)
    assert "next try at" not in capsys.readouterr().err
