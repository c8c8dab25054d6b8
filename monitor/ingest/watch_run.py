"""Watch rules at the end of a poll: match the new articles, then run each rule's command once.

A rule's `command` (feeds.toml, written by the analyst) runs through the shell, like a cron line,
with `{"rule", "query", "tag", "hits": [...]}` as JSON on stdin, once per poll and only when the
rule matched something. Its output is kept off the poll's own stdout (`poll --json` stays one JSON
document); a command that fails or outlives COMMAND_TIMEOUT is reported as a poll error, and the
hits stay stored either way.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
from dataclasses import dataclass
from typing import Sequence

from sqlite_utils import Database

from monitor.config import WatchConfig
from monitor.safe_text import printable
from monitor.store.watch import WatchHit, record_watch_hits

log = logging.getLogger("monitor.ingest")
COMMAND_TIMEOUT = 60.0  # seconds


@dataclass(frozen=True)
class WatchOutcome:
    hits: tuple[WatchHit, ...] = ()
    errors: tuple[str, ...] = ()  # one line per rule whose matching or command failed


def command_payload(rule: WatchConfig, hits: Sequence[WatchHit]) -> bytes:
    """What a rule's command reads on stdin."""
    payload = {"rule": rule.name, "query": rule.query, "tag": rule.tag, "hits": [h.to_dict() for h in hits]}
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def run_command(rule: WatchConfig, hits: Sequence[WatchHit]) -> str | None:
    """Run the rule's command with its hits on stdin; a one-line error, or None when it succeeded."""
    assert rule.command
    env = {**os.environ, "MONITOR_WATCH_RULE": rule.name, "MONITOR_WATCH_HITS": str(len(hits))}
    where = f"watch {printable(rule.name, single_line=True)!r}: command"
    try:
        done = subprocess.run(rule.command, shell=True, input=command_payload(rule, hits), env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"{where} took longer than {COMMAND_TIMEOUT:.0f} s and was stopped"
    except OSError as exc:
        return f"{where} could not start: {exc.strerror}"
    if done.returncode != 0:
        last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        detail = f": {printable(last[0], single_line=True)[:200]}" if last[0] else ""
        return f"{where} exited {done.returncode}{detail}"
    return None


def run_watch_rules(db: Database, rules: Sequence[WatchConfig], poll_run_id: int | None = None) -> WatchOutcome:
    """Record the rules' hits among the articles stored since they last looked, then run their commands."""
    if not rules:
        return WatchOutcome()
    try:
        hits = record_watch_hits(db, rules, poll_run_id)
    except Exception as exc:  # the articles are stored; the next poll checks them again
        log.exception("matching watch rules failed")
        return WatchOutcome(errors=(f"watch rules failed: {type(exc).__name__}: {exc}",))
    errors = []
    for rule in rules:
        mine = [h for h in hits if h.rule == rule.name]
        if mine and rule.command:
            error = run_command(rule, mine)
            if error:
                errors.append(error)
    return WatchOutcome(tuple(hits), tuple(errors))
