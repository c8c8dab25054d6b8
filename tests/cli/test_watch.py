"""Watch rules end to end: a poll against the local newsroom tags matches, marks their events, runs the
rule's command once per poll with the hits on stdin, and `poll --json` lists them."""
from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.config import ConfigError, load_config
from monitor.store import open_db
from monitor.store.watch import (
    mark_watch_hits_seen,
    unseen_watch_hits,
    watched_cluster_ids,
)
from tests.cli.desk import ITEMS, LATER
from tests.cli.desk import serve_items as serve
from tests.cli.desk import write_config as desk_config


def write_config(tmp_path, room, command: str | None) -> None:
    rule = '[[watch]]\nname = "Glide"  # the desk\'s rule\nquery = "glide bomb -kursk"\ntag = "glide"\n'
    if command:
        rule += f"command = {json.dumps(command)}\n"
    desk_config(tmp_path, room, rule)


def test_a_poll_tags_matches_marks_events_runs_the_command_once_and_reports_hits(newsroom, tmp_path, db_path):
    out = tmp_path / "hits.jsonl"
    # A real small command: appends its stdin and a newline to a file, so each run is one line.
    write_config(tmp_path, newsroom, f"cat >> {out} && echo >> {out}")
    serve(newsroom, ITEMS)
    runner = CliRunner()

    first = runner.invoke(cli, ["poll", "--json"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)  # the command's output never reaches stdout
    assert summary["new_articles"] == 3
    assert [h["title"] for h in summary["watch_hits"]] == ["Glide bombs hit Kharkiv overnight"]
    hit = summary["watch_hits"][0]
    assert hit["rule"] == "Glide" and hit["tag"] == "glide" and hit["feed"] == "Desk"
    assert hit["cluster_id"] is not None

    runs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(runs) == 1
    assert runs[0]["rule"] == "Glide" and runs[0]["query"] == "glide bomb -kursk"
    assert [h["article_id"] for h in runs[0]["hits"]] == [hit["article_id"]]

    db = open_db(db_path)
    tagged = db.conn.execute("SELECT a.title FROM article_tags x JOIN tags t ON t.id = x.tag_id "
                             "JOIN articles a ON a.id = x.article_id WHERE t.name = 'glide'").fetchall()
    assert tagged == [("Glide bombs hit Kharkiv overnight",)]
    assert watched_cluster_ids(db) == {hit["cluster_id"]}
    assert unseen_watch_hits(db) == 1

    # Nothing new: the command does not run again.
    again = runner.invoke(cli, ["poll", "--all", "--json"])
    assert again.exit_code == 0 and json.loads(again.stdout)["watch_hits"] == []
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1

    # One more matching article: one more run, with only it.
    serve(newsroom, ITEMS + [LATER])
    third = runner.invoke(cli, ["poll", "--all", "--json"])
    assert [h["title"] for h in json.loads(third.stdout)["watch_hits"]] == ["More glide bombs on Kharkiv"]
    runs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(runs) == 2 and [h["title"] for h in runs[1]["hits"]] == ["More glide bombs on Kharkiv"]
    assert unseen_watch_hits(db) == 2
    mark_watch_hits_seen(db)
    assert unseen_watch_hits(db) == 0

    listed = json.loads(runner.invoke(cli, ["watch", "--json"]).stdout)
    assert listed[0]["name"] == "Glide" and listed[0]["hits"] == 2
    assert [h["title"] for h in listed[0]["recent"]] == ["Glide bombs hit Kharkiv overnight",
                                                         "More glide bombs on Kharkiv"]
    text = runner.invoke(cli, ["watch"]).output
    assert "Glide: glide bomb -kursk  [tag glide]  2 hits" in text and "More glide bombs on Kharkiv" in text


def test_a_failing_command_is_a_poll_error_and_keeps_the_hits(newsroom, tmp_path, db_path):
    write_config(tmp_path, newsroom, f"{sys.executable} -c 'import sys; sys.exit(\"mailer down\")'")
    serve(newsroom, ITEMS)
    result = CliRunner().invoke(cli, ["poll", "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["errors"] == ["watch 'Glide': command exited 1: mailer down"]
    assert len(summary["watch_hits"]) == 1


def test_a_rule_added_later_watches_from_then_on(newsroom, tmp_path, db_path):
    write_config(tmp_path, newsroom, None)
    config = (tmp_path / "feeds.toml").read_text(encoding="utf-8")
    (tmp_path / "feeds.toml").write_text(config.split("[[watch]]")[0], encoding="utf-8")
    serve(newsroom, ITEMS)
    runner = CliRunner()
    assert runner.invoke(cli, ["poll"]).exit_code == 0
    added = runner.invoke(cli, ["watch", "add", "Glide", "glide bomb -kursk", "--tag", "glide"])
    assert added.exit_code == 0, added.output
    assert json.loads(runner.invoke(cli, ["poll", "--all", "--json"]).stdout)["watch_hits"] == []  # no backlog
    tested = runner.invoke(cli, ["watch", "test", "glide", "bomb", "-kursk"])
    assert tested.exit_code == 0 and "1 stored article matches" in tested.output
    serve(newsroom, ITEMS + [LATER])
    assert len(json.loads(runner.invoke(cli, ["poll", "--all", "--json"]).stdout)["watch_hits"]) == 1


def test_watch_add_and_remove_edit_feeds_toml_keeping_comments(tmp_path):
    path = tmp_path / "feeds.toml"
    path.write_text("# the desk's rules\n[poll]\ninterval = \"15m\"  # keep me\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["watch", "add", "Kursk", "kursk OR sudzha", "--tag", "kursk",
                                 "--command", "cat > /dev/null"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["watch", "add", "Belgorod", "title:belgorod"]).exit_code == 0
    rules = load_config(path).watch
    assert [(r.name, r.query, r.tag, r.command) for r in rules] == [
        ("Kursk", "kursk OR sudzha", "kursk", "cat > /dev/null"), ("Belgorod", "title:belgorod", None, None)]
    assert "# keep me" in path.read_text(encoding="utf-8")
    taken = runner.invoke(cli, ["watch", "add", "kursk", "x"])
    assert taken.exit_code == 2 and "already exists" in taken.output
    bad = runner.invoke(cli, ["watch", "add", "Bad", '"glide'])
    assert bad.exit_code == 2 and bad.output.strip() == "monitor: invalid search: unclosed quote at column 1"
    # names are told apart case-insensitively by add ("kursk" is taken), so by remove too
    assert runner.invoke(cli, ["watch", "remove", "KURSK"]).exit_code == 0
    assert [r.name for r in load_config(path).watch] == ["Belgorod"]
    missing = runner.invoke(cli, ["watch", "remove", "Kursk"])
    assert missing.exit_code == 2 and "no watch rule named 'Kursk'" in missing.output
    assert "# the desk's rules" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("rule, message", [
    ('name = "A"\nquery = "glide OR"', ":3: watch[0].query: invalid search: OR at column 7 needs a word after it"),
    ('name = "A"', ":1: watch[0]: missing required key 'query'"),
    ('name = "A"\nquery = "x"\ncolour = "red"', ":4: watch[0].colour: unknown key"),
    ('name = "A"\nquery = "x"\ntag = ""', ":4: watch[0].tag: must not be empty"),
    ('name = "A"\nquery = "x"\ncommand = 3', ":4: watch[0].command: expected a string, got 3"),
])
def test_invalid_rules_are_one_line_errors_naming_file_line_and_key(tmp_path, rule, message):
    path = tmp_path / "feeds.toml"
    path.write_text(f"[[watch]]\n{rule}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)
    result = CliRunner().invoke(cli, ["watch"])
    assert result.exit_code != 0


def test_duplicate_rule_names_are_refused(tmp_path):
    path = tmp_path / "feeds.toml"
    path.write_text('[[watch]]\nname = "A"\nquery = "x"\n\n[[watch]]\nname = "a"\nquery = "y"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r":6: watch\[1\].name: duplicate name 'a' \(also watch\[0\]\)"):
        load_config(path)


def test_rule_names_queries_and_commands_print_as_inert_text(tmp_path):
    path = tmp_path / "feeds.toml"
    path.write_text('[[watch]]\nname = "Evil\\u001b[31m"\nquery = "kursk\\u001b]0;x\\u0007"\n'
                    'command = "echo \\u001b[2J"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["watch"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Evil␛[31m" in result.output and "command: echo ␛[2J" in result.output
    assert "0 hits" in result.output and not (tmp_path / "monitor.db").exists()  # listed before any poll, no file made


def test_poll_prints_the_hits_for_people(newsroom, tmp_path):
    write_config(tmp_path, newsroom, None)
    serve(newsroom, ITEMS)
    result = CliRunner().invoke(cli, ["poll"])
    assert result.exit_code == 0, result.output
    assert "watch: 1 new match\n  Glide: #" in result.stdout and "Glide bombs hit Kharkiv overnight" in result.stdout
