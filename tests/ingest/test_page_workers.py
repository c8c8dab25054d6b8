"""Article pages are fetched, extracted and stored by the extraction workers: the poll's limits,
fault handling and crash safety must hold there too."""
from __future__ import annotations

import os
import signal
import threading
import time

from monitor.ingest.poller import poll_once
from monitor.ingest.workers import get_workers, worker_count
from tests.ingest.conftest import make_config
from tests.support.newsroom import fixture_pages, rss_feed


def _serve_feed(newsroom, path: str, links: list[str]) -> str:
    items = [{"title": f"Story {n}", "link": link, "guid": f"story-{n}", "description": f"Summary of story {n}."}
             for n, link in enumerate(links)]
    newsroom.put(path, rss_feed("pages", items))
    return newsroom.url(path)


def test_page_faults_fall_back_to_the_feed_and_say_why(newsroom, db_path, rows):
    good = fixture_pages()[0]
    links = [newsroom.url("/fault/stall?seconds=60"), newsroom.url("/fault/huge"),
             newsroom.url("/fault/redirect-loop"), newsroom.url("/fault/redirect?to=ftp://127.0.0.1/x.html"),
             newsroom.url("/fault/500?page=1"), newsroom.url(good.route)]
    feed = _serve_feed(newsroom, "/feeds/faulty-pages.xml", links)
    config = make_config([("faulty", feed)], fetch_pages=True, read_timeout=0.5, connect_timeout=0.5,
                         max_bytes=1_000_000)

    summary = poll_once(db_path, config)

    by_title = {r["title"]: r for r in rows("SELECT * FROM articles")}
    assert summary.new_articles == 6 and summary.extraction_failures == 5 and summary.failed == 0
    errors = [by_title[f"Story {n}"]["extraction_error"] for n in range(5)]
    assert errors[0] == "page: timed out"
    assert errors[1] == "page: response larger than 1000000 bytes"
    assert "redirects" in errors[2] and "unsupported" in errors[3] and errors[4] == "page: HTTP 500"
    assert all(by_title[f"Story {n}"]["extraction_status"] == "summary" for n in range(5))
    assert by_title["Story 1"]["text"] == "Summary of story 1."
    assert by_title["Story 5"]["extraction_status"] == "page" and len(by_title["Story 5"]["text"]) > 500
    assert newsroom.hits(good.route)[0]["user-agent"].startswith("monitor/")


def test_workers_fetch_pages_under_the_polls_per_host_limit(newsroom, db_path, rows):
    feed = _serve_feed(newsroom, "/feeds/slow-pages.xml",
                       [newsroom.url(f"/fault/slow?seconds=0.2&n={n}") for n in range(12)])
    config = make_config([("slow", feed)], fetch_pages=True, per_host=3, concurrency=16, read_timeout=5)

    summary = poll_once(db_path, config)

    assert summary.new_articles == 12
    assert len(newsroom.hits("/fault/slow")) == 12
    assert 2 <= newsroom.max_in_flight <= 3  # the workers fetched, the poll's limit held


def test_a_worker_killed_mid_poll_loses_nothing(newsroom, db_path, rows, caplog):
    config = make_config([("fixtures", newsroom.extraction_feed_url(copies=2))], fetch_pages=True,
                         read_timeout=10, connect_timeout=10)  # the suite may load the machine heavily
    pages = 2 * len(fixture_pages())
    workers = get_workers(worker_count(config.poll.extract_workers))
    outcome: dict = {}

    def poll() -> None:
        try:
            outcome["summary"] = poll_once(db_path, config, cluster=False)
        except BaseException as exc:  # reported below, not lost in the thread
            outcome["error"] = exc

    run = threading.Thread(target=poll)
    run.start()
    victim = None
    deadline = time.monotonic() + 60
    while run.is_alive() and time.monotonic() < deadline:
        if rows("SELECT count(*) AS n FROM articles")[0]["n"] >= 5:
            victim = workers.pids()[0]
            os.kill(victim, signal.SIGKILL)
            break
        time.sleep(0.02)
    run.join(120)

    assert "error" not in outcome, outcome.get("error")
    assert victim is not None, f"the poll ended before a worker could be killed: {outcome}"
    summary = outcome["summary"]
    stored = rows("SELECT url, text, extraction_status FROM articles")
    assert summary.failed == 0 and len(stored) == pages
    assert all(r["extraction_status"] == "page" and len(r["text"]) > 50 for r in stored)
    assert rows("PRAGMA integrity_check")[0]["integrity_check"] == "ok"
    assert any("extraction worker died" in r.getMessage() for r in caplog.records)  # its jobs were retried
    assert victim not in workers.pids() and workers.alive()  # replaced, for the next poll

    again = poll_once(db_path, config, force=True, cluster=False)
    assert again.failed == 0 and again.new_articles == 0


def test_a_page_that_keeps_extraction_busy_is_cut_off_and_loses_nothing(newsroom, db_path, rows):
    # 40,000 paragraphs: trafilatura needs seconds on it, past this test's one-second limit
    # (a hostile page may keep it busy for ever, or inside C code no thread can interrupt).
    heavy = ("<html><body><article>" + "".join(
        f"<p>Paragraph {n} says the ministry official talked about border forces and grain aid.</p>"
        for n in range(40_000)) + "</article></body></html>").encode()
    newsroom.put("/pages/heavy.html", heavy, content_type="text/html")
    good = fixture_pages()[1]
    feed = _serve_feed(newsroom, "/feeds/heavy.xml", [newsroom.url("/pages/heavy.html"), newsroom.url(good.route)])
    workers = get_workers(worker_count(0))
    before = set(workers.pids())
    config = make_config([("heavy", feed)], fetch_pages=True, extract_timeout=1.0)

    summary = poll_once(db_path, config, cluster=False)

    by_title = {r["title"]: r for r in rows("SELECT * FROM articles")}
    assert summary.new_articles == 2 and summary.extraction_failures == 1 and summary.failed == 0
    assert by_title["Story 0"]["extraction_error"] == "page: extraction took longer than 1 s"
    assert by_title["Story 0"]["extraction_status"] == "summary" and by_title["Story 0"]["text"] == "Summary of story 0."
    assert by_title["Story 1"]["extraction_status"] == "page" and len(by_title["Story 1"]["text"]) > 200
    assert len(before - set(workers.pids())) == 1 and workers.alive()  # the busy worker was replaced


def _connections_to(port: int, pids: list[int]) -> int:
    """Established TCP connections from these processes to 127.0.0.1:port (from /proc)."""
    inodes = set()
    for pid in pids:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    count = 0
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        fields = line.split()
        remote_port, state, inode = int(fields[2].split(":")[1], 16), fields[3], fields[9]
        count += remote_port == port and state == "01" and inode in inodes
    return count


def test_workers_keep_no_connection_open_between_polls(newsroom, db_path):
    feed = _serve_feed(newsroom, "/feeds/two-pages.xml", [newsroom.url(p.route) for p in fixture_pages()[:4]])
    port = int(newsroom.base.rsplit(":", 1)[1])
    workers = get_workers(worker_count(0))

    poll_once(db_path, make_config([("two", feed)], fetch_pages=True), cluster=False)

    deadline = time.monotonic() + 10
    while _connections_to(port, workers.pids()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _connections_to(port, workers.pids()) == 0
    assert len(newsroom.hits(fixture_pages()[0].route)) == 1  # they did fetch over such connections


def _cores_of_threads(pid: int) -> list[frozenset[int]]:
    """The cores each thread of a process may run on."""
    return [frozenset(os.sched_getaffinity(int(tid))) for tid in os.listdir(f"/proc/{pid}/task")]


def test_one_worker_per_core_keeps_each_worker_and_its_threads_on_a_core_of_its_own(newsroom, db_path):
    from monitor.processes import cores_to_pin

    feed = _serve_feed(newsroom, "/feeds/pinned.xml", [newsroom.url(p.route) for p in fixture_pages()[:4]])
    cores = sorted(os.sched_getaffinity(0))
    workers = get_workers(worker_count(0))

    poll_once(db_path, make_config([("pinned", feed)], fetch_pages=True), cluster=False)

    placed = [set(_cores_of_threads(pid)) for pid in workers.pids()]
    if workers.count == len(cores) >= 2:  # the default, one worker per core this process may use
        assert cores_to_pin(workers.count) == cores
        assert sorted(next(iter(p)) for p in placed) == [frozenset({c}) for c in cores]
        assert all(len(p) == 1 for p in placed)  # every thread of a worker (receiving, watching) on its core
    else:
        assert all(p == {frozenset(cores)} for p in placed)
    assert cores_to_pin(1) == [None] and cores_to_pin(len(cores) + 1) == [None] * (len(cores) + 1)


def test_pinning_a_worker_also_moves_the_threads_it_already_runs():
    """A worker forked from a forkserver that another pool started imports its modules before its
    first line runs, and a library may start threads then (OpenBLAS's, at numpy's import): those
    kept every core, and the worker's pinning held only for the threads started after it."""
    import subprocess
    import sys

    script = (
        "import os, threading, time\n"
        "from monitor.processes import pin_to_core\n"
        "stop = threading.Event()\n"
        "early = threading.Thread(target=stop.wait); early.start()\n"
        "pin_to_core(min(os.sched_getaffinity(0)))\n"
        "print(sorted({tuple(sorted(os.sched_getaffinity(int(t)))) for t in os.listdir('/proc/self/task')}))\n"
        "stop.set(); early.join()\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True).stdout
    core = min(os.sched_getaffinity(0))
    assert out.strip() == str([(core,)])
