"""Absurd settings and arguments get the usual one-line error, never a traceback (#10's lower items):
nan/inf/negative timeouts, huge intervals and backoffs, `--since 99999999999d`, a 5,000-deep OPML,
and a mistyped `--db` for a command that only reads (instead of a silently created empty database)."""
from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main


def run_main(args: list[str], capsys, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["monitor", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code  # type: ignore[assignment]
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("setting, message", [
    ("read_timeout = nan", "poll.read_timeout: expected a finite number, got nan"),
    ("connect_timeout = inf", "poll.connect_timeout: expected a finite number, got inf"),
    ("read_timeout = -5.0", "poll.read_timeout: must not be negative"),
    ("extract_timeout = 1e12", "poll.extract_timeout: at most 3600 seconds, got 1000000000000.0"),
    ("connect_timeout = 0", "poll.connect_timeout: must be more than 0"),
    ('interval = "99999999999d"', "poll.interval: at most a year (31622400 s), got '99999999999d'"),
    ("interval = 1e300", "poll.interval: at most a year (31622400 s), got 1e+300"),
    ("interval = nan", "poll.interval: expected a finite duration, got nan"),
    ('backoff_max = "100000d"', "poll.backoff_max: at most a year (31622400 s), got '100000d'"),
    ('backoff_base = "7h"', "poll.backoff_base: must not exceed backoff_max"),
    ("max_items = 0", "poll.max_items: must be at least 1"),
    ("concurrency = 10000000", "poll.concurrency: at most 1,000, got 10000000"),
])
def test_absurd_poll_settings_are_refused_in_one_line(tmp_path, capsys, monkeypatch, setting, message):
    config = tmp_path / "feeds.toml"
    config.write_text(f"[poll]\nfetch_pages = false\n{setting}\n", encoding="utf-8")
    code, _, err = run_main(["--config", str(config), "poll"], capsys, monkeypatch)
    assert code == 2
    assert err.strip().splitlines() == [f"monitor: configuration error: {config}:3: {message}"]


def test_a_huge_feed_interval_is_refused_with_its_line(tmp_path, capsys, monkeypatch):
    config = tmp_path / "feeds.toml"
    config.write_text('[[feeds]]\nname = "a"\nurl = "http://127.0.0.1:9/a"\ninterval = "9999999d"\n', encoding="utf-8")
    code, _, err = run_main(["--config", str(config), "poll"], capsys, monkeypatch)
    assert code == 2
    assert err.strip() == (f"monitor: configuration error: {config}:4: feeds[0].interval: "
                           "at most a year (31622400 s), got '9999999d'")


def test_a_window_beyond_any_date_is_a_usage_error(tmp_path, capsys, monkeypatch, db):
    code, _, err = run_main(["export", "--since", "99999999999d"], capsys, monkeypatch)
    assert code == 2
    assert "Traceback" not in err
    assert "Invalid value for --since: at most 36600 days" in err


def test_a_5000_deep_opml_is_refused_in_one_line(tmp_path, capsys, monkeypatch):
    depth = 5000
    opml = tmp_path / "deep.opml"
    opml.write_text("<opml version='2.0'><body>" + "<outline text='f'>" * depth
                    + "<outline text='x' xmlUrl='http://127.0.0.1:9/x'/>" + "</outline>" * depth + "</body></opml>")
    code, _, err = run_main(["feeds", "import-opml", str(opml)], capsys, monkeypatch)
    assert code == 2
    assert err.strip() == f"monitor: {opml}: outlines nested more than 100 deep"


@pytest.mark.parametrize("command", [["stats"], ["search", "kursk"], ["feeds"], ["feeds", "list"], ["export"],
                                     ["export", "--format", "json"]])
def test_a_mistyped_db_for_a_reading_command_is_not_created(tmp_path, capsys, monkeypatch, command):
    typo = tmp_path / "monitr.db"
    code, _, err = run_main(["--db", str(typo), *command], capsys, monkeypatch)
    assert code == 2
    assert err.strip() == (f"monitor: {typo}: no such database (check --db or $MONITOR_DB; "
                           "`monitor poll` or `monitor import` creates it)")
    assert not typo.exists()


def test_commands_that_write_still_create_the_database(tmp_path, capsys, monkeypatch, corpus_dir):
    fresh = tmp_path / "fresh.db"  # (in a folder that exists: tests/cli/test_db_folder.py)
    code, _, _ = run_main(["--db", str(fresh), "import", str(corpus_dir)], capsys, monkeypatch)
    assert code == 0 and fresh.exists()
    polled = tmp_path / "polled.db"
    code, _, _ = run_main(["--db", str(polled), "poll"], capsys, monkeypatch)
    assert code == 0 and polled.exists()
    code, out, _ = run_main(["--db", str(polled), "stats"], capsys, monkeypatch)
    assert code == 0 and "Feed articles:     0" in out


def test_an_opml_url_holding_controls_is_skipped_with_a_reason(tmp_path, capsys, monkeypatch):
    opml = tmp_path / "c1.opml"
    opml.write_bytes("<opml version='2.0'><body><outline text='bad' xmlUrl='http://127.0.0.1:9/a\u009b2J'/>"
                     "<outline text='good' xmlUrl='http://127.0.0.1:9/b'/></body></opml>".encode())
    code, out, _ = run_main(["feeds", "import-opml", str(opml)], capsys, monkeypatch)
    assert code == 0
    assert "imported 1 feeds" in out and "bad: the URL holds control characters" in out
    assert "\u009b" not in Path(tmp_path / "feeds.toml").read_text()


def test_a_keymap_id_that_names_no_binding_is_refused_before_the_dashboard_starts(tmp_path, capsys, monkeypatch):
    """A mistyped [keymap] id ("triage.stra", or the README's own "cluster.star") rebound nothing,
    silently: the analyst found out at the keyboard."""
    config = tmp_path / "feeds.toml"
    config.write_text('[poll]\nfetch_pages = false\n\n[keymap]\n"triage.star" = "z"\n"triage.stra" = "y"\n',
                      encoding="utf-8")

    def started(app) -> None:
        raise AssertionError("the dashboard started")

    monkeypatch.setattr("monitor.tui.app.MonitorApp.run", started)
    code, out, err = run_main(["--config", str(config), "--db", str(tmp_path / "m.db"), "--no-poll"], capsys, monkeypatch)
    assert code == 2 and out == ""
    assert err.strip() == (f"monitor: configuration error: {config}:6: keymap.triage.stra: no dashboard binding has "
                           "this id (`?` in the dashboard and the README's key bindings list them)")


def test_every_dashboard_binding_id_can_be_rebound():
    """The ids [keymap] accepts are every id a Binding in monitor/tui carries."""
    import re

    from monitor.tui.launch import binding_ids

    source = "\n".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parents[2] / "monitor" / "tui").rglob("*.py"))
    declared = set(re.findall(r'Binding\([^)]*?id="([^"]+)"', source, flags=re.S))
    declared |= set(re.findall(r'ActionSpec\("([^"]+)"', source))
    assert len(declared) > 60 and declared <= binding_ids()


@pytest.mark.parametrize("args", [["export", "--limit", "0"], ["export", "--limit", "-1"],
                                  ["eval", "clusters", "--format", "uci", "--limit", "-1"]])
def test_a_limit_below_its_range_is_a_usage_error(tmp_path, capsys, monkeypatch, db, args):
    """`monitor export --limit 0` exported every cluster and `--limit -1` all but the last
    (a Python slice); `eval clusters --limit -1` dropped the last article the same way."""
    dataset = tmp_path / "uci.csv"
    dataset.write_text("ID\tTITLE\n", encoding="utf-8")
    extra = [str(dataset)] if args[0] == "eval" else []
    code, out, err = run_main([*args, *extra], capsys, monkeypatch)
    assert code == 2 and out == ""
    assert "Invalid value for '--limit'" in err and "is not in the range" in err


@pytest.mark.parametrize("args, content, message", [
    (["eval", "clusters", "--format", "gnews"], b'{"text": "a", "cluster": 1}\nnot json\n',
     "not a readable gnews file: line 2: not JSON (Expecting value)"),
    (["eval", "clusters", "--format", "gnews"], b"[1, 2]\n", "not a readable gnews file: line 1: not a JSON object"),
    (["eval", "clusters", "--format", "uci"], b"\x99\xffTITLE\n", "not a readable uci file: 'utf-8' codec can't decode"),
    (["eval", "pairs"], b"\x99\xffpair_id\n", "not a readable SemEval pairs file: 'utf-8' codec can't decode"),
])
def test_an_unreadable_dataset_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch, args, content, message):
    """`monitor eval clusters --format gnews` on a file that is not JSON lines, and any eval on a
    file that is not UTF-8, printed a JSONDecodeError or UnicodeDecodeError traceback (exit 1)."""
    dataset = tmp_path / "dataset"
    dataset.write_bytes(content)
    code, out, err = run_main([*args, str(dataset)], capsys, monkeypatch)
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"Error: {dataset}: {message}" in err
