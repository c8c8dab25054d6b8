"""feeds.toml edited while a cron poll runs (`feeds remove`, `feeds add`, `feeds disable` from the
analyst's shell): the poll finishes on the configuration it read, exit 0; the edits hold afterwards
(the removed feed is listed as removed, its articles kept), and the next poll stores nothing twice."""
from __future__ import annotations

import json
import subprocess
import sys
import time

from tests.support.newsroom import newsroom  # noqa: F401  (the fixture)


def test_edits_while_a_poll_runs_hold_and_nothing_is_stored_twice(newsroom, tmp_path):  # noqa: F811
    config, db = tmp_path / "feeds.toml", tmp_path / "m.db"
    config.write_text('[poll]\nfetch_pages = false\n\n[cluster]\nembedding = "off"\n\n'
                      f'[[feeds]]\nname = "slow"\nurl = "{newsroom.url("/fault/slow?seconds=3")}"\n\n'
                      f'[[feeds]]\nname = "a"\nurl = "{newsroom.url("/synth/1.xml?items=5")}"\n', encoding="utf-8")

    def monitor(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "monitor", "--db", str(db), "--config", str(config), *args],
                              capture_output=True, text=True, timeout=120)

    poll = subprocess.Popen([sys.executable, "-m", "monitor", "--db", str(db), "--config", str(config), "poll",
                             "--all", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(600):  # until the poll waits on the slow feed
        if newsroom.hits("/fault/slow"):
            break
        time.sleep(0.05)
    edits = [monitor("feeds", "remove", "slow"), monitor("feeds", "add", "b", newsroom.url("/synth/2.xml?items=4")),
             monitor("feeds", "disable", "a")]
    out, err = poll.communicate(timeout=120)
    assert [e.returncode for e in edits] == [0, 0, 0], [e.stderr for e in edits]
    assert poll.returncode == 0, err
    first = json.loads(out)
    assert sorted(f["name"] for f in first["feeds"]) == ["a", "slow"]  # the configuration it read
    listed = {f["name"]: f for f in json.loads(monitor("feeds", "--json", "--removed").stdout)}
    assert set(listed) == {"slow", "a", "b"}
    second = json.loads(monitor("poll", "--all", "--json").stdout)
    assert [f["name"] for f in second["feeds"]] == ["b"]  # removed and disabled feeds wait; the added one is polled
    stats = json.loads(monitor("stats", "--json").stdout)
    assert stats["feed_articles"] == first["new_articles"] + 4 == 5 + 1 + 4
