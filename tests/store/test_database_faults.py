"""A full disk, a read-only and a corrupt database (#10): one clear line each, no traceback, a poll
summary still printed, a non-zero exit, nothing lost; `monitor feeds` keeps working read-only.

The disk and the read-only mount are real: each scenario runs in a private mount namespace
(`unshare --mount`, as root) where a small tmpfs, or a read-only bind mount of the test's own
folder, exists only for the processes of that scenario and vanishes with them, so the machine's
mounts are never touched. A tmpfs that fills answers writes with ENOSPC exactly as a full disk
does (SQLite's SQLITE_FULL); RLIMIT_FSIZE would give EFBIG instead, which SQLite reports as an I/O
error, not as a full disk. The feeds are served by the local newsroom on 127.0.0.1.
"""
from __future__ import annotations

import json
import os
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.newsroom import newsroom  # noqa: F401  (the fixture)

FEEDS = 20
ITEMS = 50  # 1,000 articles: about 4 MB of database, twice the small disk


def _config(tmp_path: Path, room, pages: bool = False) -> Path:
    config = tmp_path / "feeds.toml"
    config.write_text(f'[poll]\nfetch_pages = {str(pages).lower()}\nconnect_timeout = 5.0\nread_timeout = 5.0\n\n'
                      '[cluster]\nembedding = "off"\n\n'
                      + "".join(f'[[feeds]]\nname = "synth {n}"\nurl = "{room.url(f"/synth/{n}.xml?items={ITEMS}")}"\n\n'
                                for n in range(FEEDS)), encoding="utf-8")
    return config


def _monitor(db: Path, config: Path, *args: str) -> str:
    return shlex.join([sys.executable, "-m", "monitor", "--db", str(db), "--config", str(config), *args])


def _in_private_mounts(script: str, out: Path) -> dict[str, dict[str, str | int]]:
    """Run a shell script in a mount namespace of its own; each `step NAME cmd...` records its
    exit code, stdout and stderr under NAME."""
    prelude = (f'OUT={shlex.quote(str(out))}\n'
               'step() { name=$1; shift; "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"; echo $? > "$OUT/$name.rc"; }\n')
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", prelude + script],
                          capture_output=True, text=True, timeout=600, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    return {p.stem: {"rc": int(p.read_text()), "out": (out / f"{p.stem}.out").read_text(),
                     "err": (out / f"{p.stem}.err").read_text()} for p in out.glob("*.rc")}


def _no_traceback(step: dict) -> None:
    assert "Traceback" not in step["out"] + step["err"], step["err"][-3000:]


@pytest.mark.parametrize("pages", [False, True], ids=["feed text", "pages in the extraction workers"])
def test_a_full_disk_loses_nothing_and_says_so_in_one_line(newsroom, tmp_path, pages):  # noqa: F811
    """With pages (the default), the workers' refused stores came back as RuntimeErrors: a traceback
    and a failure with backoff per feed ("50 articles could not be stored: RuntimeError: StoreError: the
    disk is full"), 362 lines on stderr for 20 feeds."""
    config = _config(tmp_path, newsroom, pages)
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    db = disk / "monitor.db"
    count = shlex.join([sys.executable, "-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("
                        "'SELECT count(*) FROM articles').fetchone()[0])", str(db)])
    steps = _in_private_mounts(f"""
mount -t tmpfs -o size=2m tmpfs {shlex.quote(str(disk))}
step full_poll {_monitor(db, config, "poll", "--all")}
step full_feeds {_monitor(db, config, "feeds")}
step full_stats {_monitor(db, config, "stats")}
mount -o remount,size=64m {shlex.quote(str(disk))}
step roomy_poll {_monitor(db, config, "poll", "--json")}
step count {count}
""", out)
    full = steps["full_poll"]
    _no_traceback(full)
    assert full["rc"] == 1
    assert f"feeds polled: {FEEDS}," in full["out"]  # the summary, every feed accounted for
    problem = [line for line in full["out"].splitlines() if "the disk is full" in line]
    assert len(problem) == 1 and "comes again at the next poll" in problem[0], full["out"]
    assert full["err"].count("the disk is full") <= 1, full["err"]  # one line, not one per feed or article
    assert "RuntimeError" not in full["out"] + full["err"]
    for name in ("full_feeds", "full_stats"):
        _no_traceback(steps[name])
        assert steps[name]["rc"] == 0, steps[name]["err"]
    assert "synth 0" in steps["full_feeds"]["out"]
    roomy = steps["roomy_poll"]
    _no_traceback(roomy)
    assert roomy["rc"] == 0, roomy["out"][-2000:]
    assert int(steps["count"]["out"]) == FEEDS * ITEMS  # nothing lost: the next poll completed the work
    assert json.loads(roomy["out"])["failed"] == 0


def test_a_read_only_database_is_listed_and_a_poll_says_why_it_cannot_run(newsroom, tmp_path):  # noqa: F811
    config = _config(tmp_path, newsroom)
    folder, out = tmp_path / "data", tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    db = folder / "monitor.db"
    seeded = subprocess.run(shlex.split(_monitor(db, config, "poll", "--all")), capture_output=True, text=True,
                            timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    steps = _in_private_mounts(f"""
mount --bind {shlex.quote(str(folder))} {shlex.quote(str(folder))}
mount -o remount,bind,ro {shlex.quote(str(folder))}
step feeds {_monitor(db, config, "feeds")}
step feeds_json {_monitor(db, config, "feeds", "--json")}
step stats {_monitor(db, config, "stats", "--json")}
step search {_monitor(db, config, "search", "synthetic")}
step export {_monitor(db, config, "export", "--format", "jsonl")}
step poll {_monitor(db, config, "poll", "--all")}
""", out)
    for name in ("feeds", "feeds_json", "stats", "search", "export"):
        _no_traceback(steps[name])
        assert steps[name]["rc"] == 0, (name, steps[name]["err"])
    assert len(json.loads(steps["feeds_json"]["out"])) == FEEDS
    assert json.loads(steps["stats"]["out"])["feed_articles"] == FEEDS * ITEMS
    poll = steps["poll"]
    _no_traceback(poll)
    assert poll["rc"] == 1
    lines = [line for line in poll["err"].splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("monitor: database error:") and "Read-only" in lines[0], lines


def test_a_corrupt_database_gives_one_clear_line_and_a_failing_exit(newsroom, tmp_path):  # noqa: F811
    config = _config(tmp_path, newsroom)
    db = tmp_path / "monitor.db"
    seeded = subprocess.run(shlex.split(_monitor(db, config, "poll", "--all")), capture_output=True, text=True,
                            timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = db.stat().st_size
    with open(db, "r+b") as handle:  # every page after the first few overwritten: a torn, garbled file
        handle.seek(8 * 4096)
        handle.write(os.urandom(size - 8 * 4096))
    for args in (("poll", "--all"), ("stats",), ("feeds",)):
        done = subprocess.run(shlex.split(_monitor(db, config, *args)), capture_output=True, text=True, timeout=300)
        assert "Traceback" not in done.stdout + done.stderr, (args, done.stderr[-3000:])
        assert done.returncode != 0, (args, done.stdout)
        assert "the database file is corrupt" in done.stdout + done.stderr, (args, done.stdout, done.stderr)
