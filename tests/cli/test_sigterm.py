"""SIGTERM (a cron wrapper's `timeout`, systemd stopping the job, `kill`) ends a poll as Ctrl-C does:
its --json summary says "interrupted", one line "Terminated." and exit 143. It killed the process
outright: no summary, a "leaked semaphore objects" warning, the run left "running"."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from tests.support.newsroom import newsroom  # noqa: F401  (the fixture)


def test_sigterm_mid_poll_prints_the_summary_and_exits_143(newsroom, tmp_path):  # noqa: F811
    config = tmp_path / "feeds.toml"
    config.write_text(f'[poll]\nfetch_pages = false\n\n[cluster]\nembedding = "off"\n\n[[feeds]]\nname = "stall"\n'
                      f'url = "{newsroom.url("/fault/stall?seconds=60")}"\n', encoding="utf-8")
    poll = subprocess.Popen([sys.executable, "-m", "monitor", "--db", str(tmp_path / "m.db"), "--config", str(config),
                             "poll", "--all", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):  # until the poll is waiting on the feed
            if newsroom.hits("/fault/stall"):
                break
            time.sleep(0.05)
        assert newsroom.hits("/fault/stall")
        poll.send_signal(signal.SIGTERM)
        out, err = poll.communicate(timeout=60)
    finally:
        poll.kill()
    assert poll.returncode == 143, err
    assert json.loads(out)["status"] == "interrupted"
    assert err.strip().splitlines()[-1] == "Terminated."
    assert "leaked" not in err and "Traceback" not in err
