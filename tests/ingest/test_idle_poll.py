"""A cron poll with nothing to fetch (no feed due, no earlier page to try again) starts no extraction
workers: it did, each run (a forkserver warming trafilatura: 2.8 s wall against 0.6 s for `monitor
stats` here), only to stop them again."""
from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from monitor.config import load_config
from monitor.ingest import workers
from monitor.ingest.poller import poll_once
summary = poll_once(sys.argv[1], load_config(sys.argv[2]))
print(summary.feeds_polled, workers._workers is None)
"""


def test_a_poll_with_nothing_due_starts_no_extraction_workers(tmp_path):
    config = tmp_path / "feeds.toml"
    config.write_text('[poll]\nfetch_pages = true\n\n[cluster]\nembedding = "off"\n\n'
                      '[[feeds]]\nname = "off"\nurl = "http://127.0.0.1:9/feed.xml"\nenabled = false\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "m.db"), str(config)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "True"]
