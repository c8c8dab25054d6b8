"""Run every benchmarks/bench_*.py module's main(), or those named: python -m benchmarks poll cluster.

Each benchmark runs in a process of its own: peak-memory figures (ru_maxrss is a process's
high-water mark) and timings must not carry what an earlier benchmark left behind.
"""
from __future__ import annotations

import pkgutil
import subprocess
import sys
import time

import benchmarks


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    if argv:
        names = [n for n in names if n.removeprefix("bench_") in argv or n in argv]
    failures = 0
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", f"import benchmarks.{name} as b; b.main()"])
        if done.returncode:  # one broken benchmark must not hide the others' figures
            failures += 1
            print(f"FAILED: {name} exited {done.returncode}", flush=True)
        print(f"({name} took {time.perf_counter() - started:.1f} s)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
