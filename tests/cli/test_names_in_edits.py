"""Editing feeds.toml by name: `watch remove kharkiv` said "removed watch rule kharkiv" where the rule
was "Kharkiv"; `feeds disable "war en"` said no such feed without naming "War EN", as poll --feed does."""
from __future__ import annotations

from click.testing import CliRunner

from monitor.cli import cli


def test_a_name_in_another_case_is_told_by_its_own_name_or_suggested(tmp_path):
    config = tmp_path / "feeds.toml"
    config.write_text('[[feeds]]\nname = "War EN"\nurl = "http://127.0.0.1:9/en.xml"\n\n'
                      '[[watch]]\nname = "Kharkiv"\nquery = "kharkiv"\n', encoding="utf-8")
    runner = CliRunner()
    for command in ("disable", "enable", "remove"):
        result = runner.invoke(cli, ["feeds", command, "war en"])
        assert result.exit_code == 2
        assert result.stderr == "monitor: no feed named 'war en' in the configuration (did you mean 'War EN'?)\n"
    typo = runner.invoke(cli, ["watch", "remove", "Kharkov"])
    assert (typo.exit_code, typo.stderr) == (2, "monitor: no watch rule named 'Kharkov' in the configuration "
                                                "(did you mean 'Kharkiv'?)\n")
    removed = runner.invoke(cli, ["watch", "remove", "KHARKIV"])
    assert (removed.exit_code, removed.stdout) == (0, "removed watch rule Kharkiv\n")
    assert "[[watch]]" not in config.read_text(encoding="utf-8")


def test_views_delete_says_the_view_it_deleted(tmp_path):
    """`views delete glide` deleted the view "Glide" and said "deleted view glide"."""
    (tmp_path / "feeds.toml").write_text("", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["views", "save", "Glide", "--query", "glide"]).exit_code == 0
    deleted = runner.invoke(cli, ["views", "delete", "glide"])
    assert (deleted.exit_code, deleted.stdout) == (0, "deleted view Glide\n")
