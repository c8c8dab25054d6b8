"""The CLI contract through click's CliRunner: help everywhere, JSON output, exit codes."""
from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from monitor.cli import cli, main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    yield prefix
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))
        else:
            yield prefix + (name,)


def test_every_command_has_help():
    runner = CliRunner()
    paths = list(all_commands(cli))
    assert ("import",) in paths and ("search",) in paths and ("stats",) in paths
    for path in paths:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output
        command = cli
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        assert (command.help or "").strip(), f"{' '.join(path)} has no help text"


def test_import_stats_and_search_on_the_corpus(tmp_path, corpus_dir):
    runner = CliRunner()
    db = str(tmp_path / "x.db")
    result = runner.invoke(cli, ["--db", db, "import", str(corpus_dir)])
    assert result.exit_code == 0, result.output
    stats = json.loads(runner.invoke(cli, ["--db", db, "stats", "--json"]).output)
    assert stats["corpus_documents"] == 5 and stats["feed_articles"] == 0
    found = json.loads(runner.invoke(cli, ["--db", db, "search", "kursk", "--json"]).output)
    files = [row["source_path"].rsplit("/", 1)[-1][:3] for row in found]
    assert sorted(files[:2]) == ["003", "004"], files  # the two Kursk articles first
    assert found[0]["score"] >= found[1]["score"] >= found[-1]["score"]


def test_import_json_report_and_partial_failure_exit_code(tmp_path, corpus_dir):
    bad = tmp_path / "bad.json"
    bad.write_text("[")
    result = CliRunner().invoke(cli, ["import", str(corpus_dir), str(bad), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["imported"] == 5 and report["failed"][0]["path"].endswith("bad.json")


def run_main(args, capsys, monkeypatch):
    monkeypatch.setattr("sys.argv", ["monitor", *args])
    with pytest.raises(SystemExit) as caught:
        main()
    return caught.value.code, capsys.readouterr()


def test_config_error_exits_2_with_one_clear_line(tmp_path, capsys, monkeypatch):
    config = tmp_path / "bad.toml"
    config.write_text('[poll]\nconcurrency = "lots"\n')
    code, out = run_main(["--config", str(config), "import", str(tmp_path)], capsys, monkeypatch)
    assert code == 2
    assert out.err.strip().splitlines() == [
        f"monitor: configuration error: {config}:2: poll.concurrency: expected int, got str 'lots'"]


def test_usage_error_exits_2(capsys, monkeypatch):
    code, out = run_main(["search"], capsys, monkeypatch)
    assert code == 2 and "Missing argument" in out.err


def test_unknown_command_exits_2(capsys, monkeypatch):
    code, _ = run_main(["frobnicate"], capsys, monkeypatch)
    assert code == 2


def test_hostile_titles_are_printed_inert(tmp_path):
    doc = tmp_path / "evil.json"
    doc.write_text(json.dumps({"title": "Evil \x1b]0;pwned\x07 \x1b[31mred\u202e title", "text": "Kursk body."}))
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(doc)]).exit_code == 0
    out = runner.invoke(cli, ["search", "kursk"]).output
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "␛]0;pwned" in out


@pytest.mark.parametrize("args", [["export", "--format", "csv", "-o"], ["feeds", "export-opml"]])
def test_an_output_file_that_cannot_be_written_is_one_line_and_exit_1(tmp_path, corpus_dir, capsys, monkeypatch,
                                                                     args):
    """`monitor export -o /no/such/dir/x.csv` and `feeds export-opml` into a missing folder printed
    a FileNotFoundError traceback."""
    db = str(tmp_path / "x.db")
    assert CliRunner().invoke(cli, ["--db", db, "import", str(corpus_dir)]).exit_code == 0
    (tmp_path / "feeds.toml").write_text('[[feeds]]\nname = "a"\nurl = "http://127.0.0.1:9/feed.xml"\n')
    target = tmp_path / "no such folder" / "out.txt"
    code, out = run_main(["--db", db, *args, str(target)], capsys, monkeypatch)
    assert code == 1
    assert out.err.strip().splitlines() == [f"monitor: cannot write {target}: No such file or directory"]
    assert out.out == "" and not target.parent.exists()


def test_ctrl_c_exits_130_with_one_line(tmp_path, corpus_dir, capsys, monkeypatch):
    """Click turns a KeyboardInterrupt into Abort, so Ctrl-C in a poll or an import printed
    "Aborted." and exited 1, the code of a partial failure; main()'s "Interrupted." (130) never ran."""
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("monitor.cli.corpus_cmd.import_paths", interrupted)
    code, out = run_main(["--db", str(tmp_path / "x.db"), "import", str(corpus_dir)], capsys, monkeypatch)
    assert code == 130
    assert out.err.strip() == "Interrupted." and out.out == ""


def test_an_unreadable_file_is_named_once_on_stderr(tmp_path, corpus_dir):
    """`monitor import` printed each unreadable file twice: the importer's WARNING log line and
    the command's own "cannot import" line."""
    import subprocess
    import sys

    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "monitor", "--db", str(tmp_path / "x.db"), "import", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"cannot import {bad}: no text"]
    assert done.stdout.startswith("Imported 0 new document(s) from 1 file(s)")


def test_export_to_dash_is_stdout_as_for_export_opml(tmp_path, monkeypatch):
    """`monitor export -o -` wrote a file named "-" (and printed nothing), where `feeds export-opml -`
    writes to stdout."""
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "x.db")
    assert CliRunner().invoke(cli, ["--db", db, "feeds", "add", "a", "http://127.0.0.1:9/feed.xml"]).exit_code == 0
    result = CliRunner().invoke(cli, ["--db", db, "export", "--format", "json", "-o", "-"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert not (tmp_path / "-").exists()
