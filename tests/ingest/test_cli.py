"""`monitor poll` and `monitor feeds` through click's CliRunner."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.config import load_config
from tests.ingest.conftest import LEXICAL_TOML

GOOD = "/synth/7.xml?items=4"  # its pages are served locally too


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("args", [["poll"], ["feeds"], ["feeds", "list"], ["feeds", "add"], ["feeds", "remove"],
                                  ["feeds", "enable"], ["feeds", "disable"], ["feeds", "test"],
                                  ["feeds", "import-opml"], ["feeds", "export-opml"]])
def test_every_command_has_help(runner, args):
    result = runner.invoke(cli, [*args, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output and len(result.output.splitlines()) > 4


def test_feeds_edits_keep_comments_and_sync(runner, newsroom, tmp_path):
    config_path = tmp_path / "feeds.toml"
    config_path.write_text('# my feeds, hand-written\n[poll]\ninterval = "15m"  # keep me\n' + LEXICAL_TOML, encoding="utf-8")

    added = runner.invoke(cli, ["feeds", "add", "Liftoff", newsroom.url(GOOD), "--tag", "space", "--interval", "1h"])
    assert added.exit_code == 0, added.output
    again = runner.invoke(cli, ["feeds", "add", "Other", newsroom.url(GOOD)])
    assert again.exit_code == 2 and "already configured" in again.output
    bad = runner.invoke(cli, ["feeds", "add", "Bad", "ftp://example.com/feed"])
    assert bad.exit_code == 2 and "http(s)" in bad.output

    text = config_path.read_text(encoding="utf-8")
    assert "# my feeds, hand-written" in text and "# keep me" in text
    feed = load_config(config_path).feeds[0]
    assert (feed.name, feed.tags, feed.interval) == ("Liftoff", ("space",), 3600)

    assert runner.invoke(cli, ["feeds", "disable", "Liftoff"]).exit_code == 0
    listed = json.loads(runner.invoke(cli, ["feeds", "--json"]).stdout)
    assert listed[0]["name"] == "Liftoff" and listed[0]["enabled"] is False
    assert runner.invoke(cli, ["poll", "--all", "--json"]).output.count('"feeds_polled": 0') == 1

    assert runner.invoke(cli, ["feeds", "enable", "Liftoff"]).exit_code == 0
    polled = runner.invoke(cli, ["poll", "--json"])
    assert polled.exit_code == 0, polled.output
    summary = json.loads(polled.stdout)
    assert summary["feeds_polled"] == 1 and summary["new_articles"] == 4 and summary["status"] == "ok"
    health = json.loads(runner.invoke(cli, ["feeds", "list", "--json"]).stdout)[0]
    assert health["last_status"] == 200 and health["error_count"] == 0 and health["articles"] == 4
    assert health["next_poll_at"] > health["last_success_at"]

    assert runner.invoke(cli, ["feeds", "remove", "Liftoff"]).exit_code == 0
    assert json.loads(runner.invoke(cli, ["feeds", "--json"]).stdout) == []
    assert "# keep me" in config_path.read_text(encoding="utf-8")
    missing = runner.invoke(cli, ["feeds", "remove", "Liftoff"])
    assert missing.exit_code == 2 and "no feed named" in missing.output


def test_poll_filters_by_feed_and_tag(runner, newsroom, tmp_path):
    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + f'[[feeds]]\nname = "a"\nurl = "{newsroom.url(GOOD)}"\ntags = ["Space"]\n\n'
        f'[[feeds]]\nname = "b"\nurl = "{newsroom.url("/synth/1.xml?items=3")}"\ntags = ["world"]\n'
        '\n[poll]\nfetch_pages = false\n', encoding="utf-8")
    by_tag = json.loads(runner.invoke(cli, ["poll", "--tag", "space", "--json"]).stdout)
    assert [f["name"] for f in by_tag["feeds"]] == ["a"]
    by_name = json.loads(runner.invoke(cli, ["poll", "--feed", "b", "--json"]).stdout)
    assert [f["name"] for f in by_name["feeds"]] == ["b"] and by_name["new_articles"] == 3
    plain = runner.invoke(cli, ["poll"])
    assert plain.exit_code == 0 and "feeds polled: 0" in plain.output and "no feeds are due" in plain.output


def test_poll_prints_summary_and_log_lines(runner, newsroom, tmp_path):
    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + f'[[feeds]]\nname = "a"\nurl = "{newsroom.url(GOOD)}"\n\n'
        f'[[feeds]]\nname = "html"\nurl = "{newsroom.url("/fault/html")}"\n', encoding="utf-8")
    result = runner.invoke(cli, ["poll"])
    assert result.exit_code == 1
    assert "feeds polled: 2, not modified: 0, failed: 1, new articles: 4, extraction failures: 0" in result.output
    assert "html: an HTML page, not a feed" in result.output
    assert "[2/2]" in result.output  # plain progress lines when not on a terminal


def test_feeds_test_url(runner, newsroom):
    ok = runner.invoke(cli, ["feeds", "test", newsroom.url(GOOD), "--json"])
    assert ok.exit_code == 0
    report = json.loads(ok.stdout)
    assert report["verdict"] == "ok" and report["entries"] == 4 and report["format"] == "rss20"
    html = runner.invoke(cli, ["feeds", "test", newsroom.url("/fault/html")])
    assert html.exit_code == 1 and "not a feed" in html.output
    down = runner.invoke(cli, ["feeds", "test", newsroom.url("/fault/500")])
    assert down.exit_code == 1 and "HTTP 500" in down.output


def test_opml_round_trip(runner, newsroom, tmp_path):
    opml = tmp_path / "subscriptions.opml"
    (tmp_path / "feeds.toml").write_text(LEXICAL_TOML, encoding="utf-8")
    opml.write_text(f"""<?xml version="1.0"?>
<opml version="1.0"><head><title>reader</title></head><body>
  <outline text="World">
    <outline text="Liftoff &amp; co" type="rss" xmlUrl="{newsroom.url(GOOD)}" category="/space,science"/>
    <outline text="Synth" type="rss" xmlUrl="{newsroom.url('/synth/3.xml')}"/>
  </outline>
  <outline text="Gopher" type="rss" xmlUrl="gopher://example.com/feed"/>
</body></opml>""", encoding="utf-8")
    imported = runner.invoke(cli, ["feeds", "import-opml", str(opml)])
    assert imported.exit_code == 0 and "imported 2 feeds" in imported.output and "Gopher" in imported.output
    assert "skipped 2" in runner.invoke(cli, ["feeds", "import-opml", str(opml)]).output
    feeds = load_config(tmp_path / "feeds.toml").feeds
    assert [(f.name, f.tags) for f in feeds] == [("Liftoff & co", ("World", "space", "science")),
                                                 ("Synth", ("World",))]

    exported = runner.invoke(cli, ["feeds", "export-opml"])
    assert exported.exit_code == 0
    from monitor.ingest.opml import read_opml

    again, problems = read_opml(exported.stdout.encode())
    assert again == list(feeds) and problems == []
    broken = tmp_path / "broken.opml"
    broken.write_text("<html>nope</html>", encoding="utf-8")
    assert runner.invoke(cli, ["feeds", "import-opml", str(broken)]).exit_code == 2


def test_poll_refuses_a_feed_or_tag_no_feed_answers_to(runner, newsroom, tmp_path, db_path):
    """A cron line `monitor poll --feed "war en"` (the feed is "War EN") used to poll nothing, say
    "no feeds are due (use --all ...)" and exit 0 every time; it is a usage error now."""
    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + f'[[feeds]]\nname = "War EN"\nurl = "{newsroom.url(GOOD)}"\ntags = ["War"]\n\n'
        f'[[feeds]]\nname = "Off"\nurl = "{newsroom.url("/synth/1.xml?items=3")}"\nenabled = false\n'
        '\n[poll]\nfetch_pages = false\n', encoding="utf-8")
    typo = runner.invoke(cli, ["poll", "--feed", "war en", "--json"])
    assert typo.exit_code == 2 and typo.stdout == ""
    assert "no feed named 'war en'" in typo.stderr and "did you mean 'War EN'?" in typo.stderr
    tag = runner.invoke(cli, ["poll", "--tag", "wra", "--all"])
    assert tag.exit_code == 2 and "no feed in the configuration has the tag 'wra'" in tag.stderr
    assert not db_path.exists()  # refused before anything was opened
    disabled = runner.invoke(cli, ["poll", "--feed", "Off"])
    assert disabled.exit_code == 0 and "the feeds the --feed/--tag given select are disabled" in disabled.stderr
    assert "use --all" not in disabled.stderr
    polled = runner.invoke(cli, ["poll", "--tag", "WAR", "--feed", "War EN", "--json"])
    assert polled.exit_code == 0 and json.loads(polled.stdout)["new_articles"] == 4


def test_feeds_test_json_has_the_same_keys_whatever_the_verdict(runner, newsroom):
    """`feeds test --json` left out format, title, entries, problem and notes when the fetch failed,
    and error when it succeeded: a script reading report["entries"] met a KeyError. It also said
    nothing of a permanent redirect, which a poll records and `monitor feeds` shows."""
    from urllib.parse import quote

    moved = newsroom.url("/fault/redirect?status=301&to=" + quote(GOOD))
    urls = {"ok": newsroom.url(GOOD), "moved": moved, "html": newsroom.url("/fault/html"),
            "down": newsroom.url("/fault/500"), "refused": "ftp://example.com/feed"}
    reports = {}
    for key, url in urls.items():
        result = runner.invoke(cli, ["feeds", "test", url, "--json"])
        assert result.exit_code == (0 if key in ("ok", "moved") else 1), (key, result.output)
        reports[key] = json.loads(result.stdout)
    shapes = {key: list(report) for key, report in reports.items()}
    assert all(shape == shapes["ok"] for shape in shapes.values()), shapes
    assert [reports[k]["verdict"] for k in urls] == ["ok", "ok", "not a feed", "failed", "failed"]
    assert reports["ok"]["error"] is None and reports["down"]["entries"] == 0 and reports["down"]["format"] is None
    assert reports["ok"]["moved_to"] is None and reports["moved"]["moved_to"] == newsroom.url(GOOD)
    text = runner.invoke(cli, ["feeds", "test", moved]).output
    assert f"moved permanently to: {newsroom.url(GOOD)}" in text


def test_feeds_lists_removed_feeds_with_or_without_list(runner, tmp_path):
    """The README gives `monitor feeds` `--json` and `--removed`; only `feeds list` took --removed."""
    (tmp_path / "feeds.toml").write_text(LEXICAL_TOML, encoding="utf-8")
    for name in ("Kept", "Gone"):
        added = runner.invoke(cli, ["feeds", "add", name, f"http://127.0.0.1:9/{name}.xml"])
        assert added.exit_code == 0, added.output
    assert runner.invoke(cli, ["feeds", "remove", "Gone"]).exit_code == 0
    for args in (["feeds"], ["feeds", "list"]):
        current = runner.invoke(cli, [*args, "--json"])
        every = runner.invoke(cli, [*args, "--json", "--removed"])
        assert current.exit_code == every.exit_code == 0, every.output
        assert [f["name"] for f in json.loads(current.stdout)] == ["Kept"]
        assert sorted((f["name"], f["in_config"]) for f in json.loads(every.stdout)) == [("Gone", False),
                                                                                          ("Kept", True)]


def test_on_a_terminal_log_lines_do_not_run_into_the_progress_bar(newsroom, tmp_path):
    """On a terminal the bar (stdout) and the warnings (stderr) shared a line:
    "Polling  [#####---]  1/2WARNING monitor.ingest: html: an HTML page, not a feed ..."."""
    import os
    import pty
    import subprocess
    import sys

    config = tmp_path / "feeds.toml"
    config.write_text(LEXICAL_TOML + f'[[feeds]]\nname = "a"\nurl = "{newsroom.url(GOOD)}"\n\n'
                      f'[[feeds]]\nname = "html"\nurl = "{newsroom.url("/fault/html")}"\n'
                      '\n[poll]\nfetch_pages = false\n', encoding="utf-8")
    main, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "--db",
                                str(tmp_path / "x.db"), "poll"], stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed: the poll is over
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    assert process.wait(timeout=60) == 1
    text = seen.decode("utf-8", "replace")
    assert "Polling" in text and "WARNING monitor.ingest: html: an HTML page, not a feed" in text
    for line in text.replace("\r\n", "\n").split("\n"):
        shown = line.split("\r")[-1]  # what stays visible on the line after each carriage return
        assert not ("WARNING" in shown and "Polling" in shown), repr(line)


def test_an_edit_keeps_the_files_permissions(runner, tmp_path):
    """Every edit (feeds add/remove/enable/disable, import-opml, watch add/remove) replaced
    feeds.toml by a mkstemp file and so left it 0600: a cron job running as another user could no
    longer read the shared configuration."""
    import os
    import stat

    config = tmp_path / "feeds.toml"
    config.write_text(LEXICAL_TOML, encoding="utf-8")
    config.chmod(0o644)
    assert runner.invoke(cli, ["feeds", "add", "A", "http://127.0.0.1:9/a.xml"]).exit_code == 0
    assert stat.S_IMODE(config.stat().st_mode) == 0o644
    config.chmod(0o640)
    assert runner.invoke(cli, ["watch", "add", "W", "kherson"]).exit_code == 0
    assert stat.S_IMODE(config.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.toml"  # (a folder that does not exist is not made: tests/cli/test_db_folder.py)
    umask = os.umask(0o022)
    try:
        assert runner.invoke(cli, ["--config", str(fresh), "feeds", "add", "B", "http://127.0.0.1:9/b.xml"]).exit_code == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("content, message", [
    (b"[poll\ninterval = 1\n", "invalid TOML: Unexpected character"),
    (b"\xff\xfe[poll]\n", "not UTF-8 text (byte 0)"),
    (None, "cannot read: Is a directory"),
])
def test_a_file_that_cannot_be_edited_is_one_line_and_exit_2(runner, tmp_path, content, message):
    """`feeds add` or `watch add` on a feeds.toml that is not valid TOML, not UTF-8 or a folder
    printed a tomlkit, UnicodeDecodeError or IsADirectoryError traceback (exit 1)."""
    target = tmp_path / "conf"
    if content is None:
        target.mkdir()
    else:
        target.write_bytes(content)
    for args in (["feeds", "add", "A", "http://127.0.0.1:9/a.xml"], ["watch", "add", "W", "kherson"]):
        result = runner.invoke(cli, ["--config", str(target), *args])
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.stderr.startswith(f"monitor: {target}: {message}") and result.stderr.count("\n") == 1
    if content is not None:
        assert target.read_bytes() == content


def test_feeds_shows_a_control_character_in_a_name_as_a_symbol(runner, newsroom, tmp_path, db_path):
    """The README: an escape sequence "shows as a visible symbol (␛]0;…)". `monitor feeds` (and
    `feeds test`) dropped the ESC and BEL instead, so "Evil ␛]0;x␇" read as "Evil ]0;x": inert, but the
    analyst could not see that a name or title carried a terminal control."""
    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + f'[[feeds]]\nname = "Evil \\u001b]0;x\\u0007 feed"\nurl = "{newsroom.url(GOOD)}"\n',
        encoding="utf-8")
    from monitor.store import open_db

    open_db(db_path).close()
    listed = runner.invoke(cli, ["feeds"])
    assert listed.exit_code == 0, listed.output
    assert "Evil ␛]0;x␇ feed  [never polled" in listed.output and "\x1b" not in listed.output


def test_a_named_feed_waiting_for_retry_after_is_said_so(runner, newsroom, tmp_path):
    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + f'[[feeds]]\nname = "Busy"\nurl = "{newsroom.url("/fault/429?retry_after=600")}"\n',
        encoding="utf-8")
    assert runner.invoke(cli, ["poll", "--feed", "Busy"]).exit_code == 1  # 429: it waits 600 s now
    again = runner.invoke(cli, ["poll", "--feed", "Busy"])
    assert again.exit_code == 0 and "feeds polled: 0" in again.stdout
    assert "wait for their server's Retry-After" in again.stderr and "use --all" not in again.stderr


def test_the_summary_says_which_extraction_failures_were_earlier_articles(runner, newsroom, tmp_path):
    """A poll with one new article printed "new articles: 1, extraction failures: 2" and --json's
    per-feed extraction_failures summed to 1: the other was an earlier article whose page was tried
    again, which nothing said."""
    from tests.support.newsroom import rss_feed

    def serve(count: int) -> None:
        newsroom.put("/broken-pages.xml", rss_feed("Broken pages", [
            {"title": f"Story {i}", "link": newsroom.url(f"/fault/500?story={i}"), "guid": f"s{i}",
             "description": f"Summary of story {i} about Kharkiv."} for i in range(count)]))

    (tmp_path / "feeds.toml").write_text(
        LEXICAL_TOML + f'[[feeds]]\nname = "Broken"\nurl = "{newsroom.url("/broken-pages.xml")}"\n'
        '\n[poll]\nfetch_pages = true\n', encoding="utf-8")
    serve(1)
    first = json.loads(runner.invoke(cli, ["poll", "--json"]).stdout)
    assert (first["new_articles"], first["extraction_failures"], first["extraction_retry_failures"]) == (1, 1, 0)
    serve(2)
    second = runner.invoke(cli, ["poll", "--all", "--json"])
    summary = json.loads(second.stdout)
    assert (summary["new_articles"], summary["extraction_failures"], summary["extraction_retry_failures"]) == (1, 2, 1)
    per_feed = sum(f["extraction_failures"] for f in summary["feeds"])
    assert per_feed + summary["extraction_retry_failures"] == summary["extraction_failures"]
    serve(3)
    text = runner.invoke(cli, ["poll", "--all"]).stdout
    assert "new articles: 1, extraction failures: 3, 2 of them earlier articles' pages tried again (" in text
