"""`monitor search` with the analyst's syntax, over imported corpus documents and stored feed articles."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.models import Article
from monitor.store import open_db, write_transaction
from monitor.store.articles import content_hash, insert_article


@pytest.fixture
def corpus(tmp_path, db_path):
    (tmp_path / "feeds.toml").write_text('[cluster]\nembedding = "off"\n', encoding="utf-8")  # no model load
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "kursk.txt").write_text("Kursk incursion continues\n\nUkrainian units near Sudzha hold the line "
                                      "as glide bombs fall.\n", encoding="utf-8")
    (folder / "kharkiv.txt").write_text("Glide bombs hit Kharkiv\n\nRussian aircraft dropped guided glide bombs "
                                        "on the city.\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["import", str(folder)]).exit_code == 0
    db = open_db(db_path)
    with write_transaction(db):
        insert_article(db, Article(origin="feed", title="Belgorod shelled", text="A glide bomb fell short.",
                                   content_hash=content_hash("Belgorod shelled", "x")))
    db.close()


def titles(args: list[str]) -> list[str]:
    result = CliRunner().invoke(cli, ["search", "--json", *args])
    assert result.exit_code == 0, result.output
    return sorted(row["title"] for row in json.loads(result.stdout))


def test_the_syntax_in_the_cli(corpus):
    every = ["Belgorod shelled", "Glide bombs hit Kharkiv", "Kursk incursion continues"]
    assert titles(["glide", "bomb"]) == every  # stemmed: "glide bombs" and "glide bomb" meet
    assert titles(["glide", "bomb", "-kursk"]) == ["Belgorod shelled", "Glide bombs hit Kharkiv"]
    assert titles(["--", "-kursk"]) == ["Belgorod shelled", "Glide bombs hit Kharkiv"]
    assert titles(["-kursk"]) == ["Belgorod shelled", "Glide bombs hit Kharkiv"]  # no "--" needed
    assert titles(["glide", "-habitat", "-kursk"]) == ["Belgorod shelled", "Glide bombs hit Kharkiv"]  # not -h
    assert titles(["glide", "NOT", "kursk", "NOT", "belgorod"]) == ["Glide bombs hit Kharkiv"]
    assert titles(["sudzha", "OR", "belgorod"]) == ["Belgorod shelled", "Kursk incursion continues"]
    assert titles(['"glide bombs"']) == every
    assert titles(['"bombs glide"']) == []
    assert titles(["title:glide"]) == ["Glide bombs hit Kharkiv"]
    assert titles(["kharki*"]) == ["Glide bombs hit Kharkiv"]
    assert titles(["--origin", "corpus", "glide"]) == ["Glide bombs hit Kharkiv", "Kursk incursion continues"]
    # A dash before a group leaves the group out, as NOT does ("-(kursk OR kharkiv)" found them).
    assert titles(["glide", "-(kursk OR kharkiv)"]) == titles(["glide", "NOT", "(kursk OR kharkiv)"]) == [
        "Belgorod shelled"]


@pytest.mark.parametrize("query", ['"glide', "glide OR", "(kursk", "NOT"])
def test_a_syntax_error_is_one_line_and_exit_2(corpus, query):
    result = CliRunner().invoke(cli, ["search", query])
    assert result.exit_code == 2
    assert result.output.startswith("monitor: invalid search: ") and result.output.count("\n") == 1


@pytest.mark.parametrize("args", [["search"], ["watch"], ["watch", "list"], ["watch", "add"], ["watch", "remove"],
                                  ["watch", "test"], ["views"], ["views", "list"], ["views", "save"],
                                  ["views", "delete"], ["export"]])
def test_every_command_has_help(args):
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output and len(result.output.splitlines()) > 4


@pytest.mark.parametrize("args", [["search", "glide", "--jsn"], ["search", "--lmit", "1", "glide"],
                                  ["watch", "test", "glide", "--jsn"], ["watch", "add", "--tg", "kh", "Glide", "glide"]])
def test_a_mistyped_option_is_a_usage_error_not_search_words(corpus, args):
    """`monitor search glide --jsn` used to search for "glide --jsn", print text where the script
    asked for JSON and exit 0; `watch add --tg kh NAME Q` took "--tg" for the name."""
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and result.stdout == ""
    wrong = next(a for a in args if a.startswith("--"))
    assert f"No such option '{wrong}'. Did you mean" in result.stderr
    assert "[[watch]]" not in (Path(os.environ["MONITOR_CONFIG"])).read_text(encoding="utf-8")


def test_an_option_value_or_a_word_after_double_dash_may_start_with_dashes(corpus, tmp_path):
    assert len(titles(["--limit=1", "glide", "-kursk"])) == 1
    # After "--", words only, and a word written with two dashes is that word (`monitor search -- --json`
    # listed everything without "json": one dash excludes).
    assert titles(["--", "--kursk"]) == titles(["kursk"]) == ["Kursk incursion continues"]
    assert titles(["--", "glide", "--kharkiv"]) == ["Glide bombs hit Kharkiv"]
    added = CliRunner().invoke(cli, ["watch", "add", "Glide", "glide", "--command", "--not-an-option"])
    assert added.exit_code == 0, added.output
    assert 'command = "--not-an-option"' in (tmp_path / "feeds.toml").read_text(encoding="utf-8")
