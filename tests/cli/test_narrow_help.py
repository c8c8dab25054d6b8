"""`--help` in a narrow terminal (COLUMNS=50): command lists cut each command's line ("brief  Print one
event's brief:..."), even at 80 columns; the search syntax's table ran past the right edge (91
columns); options' help got a column 14 letters wide."""
from __future__ import annotations

import click
import pytest

from monitor.cli import cli


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            found += _commands(sub, (*path, name))
    return found


def _help(path: tuple[str, ...]) -> str:
    command: click.Command = cli
    context = cli.context_class(cli, info_name="monitor")
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
        context = command.context_class(command, info_name=name, parent=context)
    return command.get_help(context)


@pytest.mark.parametrize("columns", [50, 40])
def test_every_help_fits_a_narrow_terminal_and_lists_whole_first_sentences(columns, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(columns))
    for path, command in _commands(cli):
        text = _help(path)
        too_wide = [line for line in text.splitlines() if len(line) > columns]
        assert not too_wide, (path, too_wide)
        assert "..." not in text.replace("QUERY...", "").replace("ARGS]...", "").replace("PATHS...", ""), path
        if isinstance(command, click.Group):
            listed = " ".join(text.partition("\nCommands:\n")[2].split())
            for name, sub in command.commands.items():
                first = " ".join((sub.help or "").partition("\n\n")[0].split()).split(". ")[0]
                assert first.rstrip(".") in listed, (path, name)


def test_help_at_80_columns_keeps_its_layout(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    text = _help(("export",))
    assert "  --tag TEXT                      Only clusters with this tag." in text
