"""Run a command and read its peak memory: the process's own (exact, from wait4's rusage) and the
largest of its descendants' (extraction workers; their VmHWM, sampled from /proc while they live).

A child's ru_maxrss counts the memory of the process it was forked from (a pytest worker holds
hundreds of MB): the command is therefore started by a small launcher process, whose own size
is all the command inherits, and the launcher reports the command's rusage."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float  # the command's own process
    descendants_peak_mb: float  # the largest of the processes it started (0 when none were seen)
    seconds: float


_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            tree.setdefault(parent, []).append(int(entry))
    return tree


def _hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_measured(command: Sequence[str], *, env: dict[str, str] | None = None, cwd: str | os.PathLike | None = None,
                 timeout: float = 300.0, tmp: Path) -> Measured:
    out, err, report = tmp / "measured.stdout", tmp / "measured.stderr", tmp / "measured.rusage"
    report.unlink(missing_ok=True)
    started = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        launcher = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(report), *command], env=env, cwd=cwd,
                                    stdout=stdout, stderr=stderr, start_new_session=True)
    peaks: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            tree = _children()
            todo = [pid for child in tree.get(launcher.pid, []) for pid in tree.get(child, [])]
            while todo:
                pid = todo.pop()
                peaks[pid] = max(peaks.get(pid, 0.0), _hwm_mb(pid))
                todo.extend(tree.get(pid, []))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        launcher.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(launcher.pid, signal.SIGKILL)
        launcher.wait()
    finally:
        done.set()
        sampler.join()
    maxrss_kb, returncode = (int(v) for v in report.read_text().split()) if report.exists() else (0, -9)
    return Measured(returncode, out.read_text(errors="replace"), err.read_text(errors="replace"),
                    maxrss_kb / 1024, max(peaks.values(), default=0.0), time.monotonic() - started)
