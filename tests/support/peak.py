"""Run a command and read its peak memory: the process's own (exact, from wait4's rusage) and the
largest of its descendants' (extraction workers; their VmHWM, sampled from /proc while they live)."""
from __future__ import annotations

import os
import subprocess
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
    out, err = tmp / "measured.stdout", tmp / "measured.stderr"
    started = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(list(command), env=env, cwd=cwd, stdout=stdout, stderr=stderr)
    peaks: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            tree = _children()
            todo = list(tree.get(process.pid, []))
            while todo:
                pid = todo.pop()
                peaks[pid] = max(peaks.get(pid, 0.0), _hwm_mb(pid))
                todo.extend(tree.get(pid, []))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                process.kill()
            time.sleep(0.02)
    finally:
        done.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    return Measured(process.returncode, out.read_text(errors="replace"), err.read_text(errors="replace"),
                    usage.ru_maxrss / 1024, max(peaks.values(), default=0.0), time.monotonic() - started)
