"""Nothing the CLI writes carries a terminal control (#10: escapes in article URLs reached the
terminal through `export --format md|csv` and `feeds test`; C1 controls from a server's
Content-Type and OSC in feed names reached poll output; C1 in OPML-imported URLs reached
`monitor feeds`).

Every command runs as the real `monitor` program in a process of its own, against the local
newsroom serving hostile feeds; its stdout, stderr and every file it writes are scanned.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.hostile_output import (CSI_C1, ESC, HOSTILE_FEED_NAME, OSC_TITLE, control_bytes, hostile_opml,
                                          serve_hostile)
from tests.support.newsroom import newsroom  # noqa: F401  (the fixture)


def _toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string with \u escapes is a valid TOML basic string


class Monitor:
    """Runs `monitor --db --config ...` and collects whatever it printed, per command."""

    def __init__(self, tmp_path: Path) -> None:
        self.db = tmp_path / "monitor.db"
        self.config = tmp_path / "feeds.toml"
        self.printed: dict[str, bytes] = {}

    def __call__(self, *args: str, expect: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "monitor", "--db", str(self.db), "--config", str(self.config),
                               "-v", *args], capture_output=True, timeout=120)
        label = " ".join(args)
        assert done.returncode in expect, (label, done.returncode, done.stderr.decode(errors="replace")[-2000:])
        self.printed[f"{label} (stdout)"] = done.stdout
        self.printed[f"{label} (stderr)"] = done.stderr
        return done


def test_no_control_character_reaches_any_output_or_written_file(newsroom, tmp_path):  # noqa: F811
    urls = serve_hostile(newsroom)
    run = Monitor(tmp_path)
    run.config.write_text(
        '[poll]\nfetch_pages = false\nconnect_timeout = 2.0\nread_timeout = 2.0\n\n[cluster]\nembedding = "off"\n\n'
        f'[[feeds]]\nname = {_toml_string(HOSTILE_FEED_NAME)}\nurl = "{urls["feed"]}"\n\n'
        f'[[feeds]]\nname = {_toml_string("Typed " + OSC_TITLE)}\nurl = "{urls["type"]}"\n', encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"note {ESC}[2J.txt").write_text(f"Border talks {ESC}]0;t{chr(7)} resume\n\nOfficials said the "
                                               f"border talks {CSI_C1}2J resumed today.\n", encoding="utf-8")
    opml = tmp_path / "hostile.opml"
    opml.write_bytes(hostile_opml(newsroom.base))

    run("import", str(corpus))
    run("poll", "--all", expect=(1,))  # the Content-Type feed fails: its error is printed
    run("poll", "--all", "--json", expect=(1,))
    run("feeds")
    run("feeds", "--json")
    run("feeds", "list", "--removed")
    run("feeds", "test", urls["feed"], expect=(1,))  # its controls make the XML malformed: partial, as polled
    run("feeds", "test", urls["feed"], "--json", expect=(1,))
    run("feeds", "test", urls["type"], expect=(1,))
    run("feeds", "import-opml", str(opml))
    run("feeds", "add", f"Added {OSC_TITLE}", newsroom.url("/hostile/added.xml"))
    run("feeds", "export-opml")
    run("feeds", "export-opml", str(tmp_path / "out.opml"))
    run("stats")
    run("stats", "--json")
    run("search", "border")
    run("search", "border", "--json")
    run("search", f"border {ESC}[2J", expect=(0, 1, 2))
    for fmt in ("md", "csv", "json", "jsonl"):
        run("export", "--format", fmt, "--state", "all")
        run("export", "--format", fmt, "--state", "all", "-o", str(tmp_path / f"export.{fmt}"))
    run("export", "--since", f"3{ESC}[2Jd", expect=(2,))  # a usage error echoing hostile input
    run("feeds", "remove", f"Added {OSC_TITLE}")

    written = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()
               and path.suffix in (".md", ".csv", ".json", ".jsonl", ".opml", ".toml") and path != opml}
    assert {"export.md", "export.csv", "export.json", "export.jsonl", "out.opml", "feeds.toml"} <= set(written)
    found = {name: control_bytes(data) for name, data in {**run.printed, **written}.items()}
    assert {name: codes for name, codes in found.items() if codes} == {}

    # The hostile text was there to be printed, made visible, and JSON keeps it exact.
    everything = b"".join(run.printed.values()).decode("utf-8")
    assert "\u241b]52;c;ZXZpbA==" in everything  # the clipboard OSC of an article URL, shown inert
    assert "\\x9b2J" in everything  # the C1 CSI of the Content-Type header, shown inert
    assert "Typed \u241b]0;owned\u2407" in everything  # the OSC in a feed name
    exported = json.loads(written["export.json"])
    urls_exported = [m["url"] for c in exported for m in c["members"] if m["url"]]
    assert any(ESC in u for u in urls_exported)  # the data exact, escaped in the JSON text
    assert b"\\u001b" in written["export.json"]
    assert "c1-url" not in written["feeds.toml"].decode()  # the OPML feed whose URL held C1 was refused
    assert "Good one" in written["feeds.toml"].decode()
