"""The README's command table and key table are checked against the click group and tui/actions."""
from __future__ import annotations

import re
from pathlib import Path

import click

from monitor.cli import cli
from monitor.tui.actions import ALL

README = Path(__file__).resolve().parents[2] / "README.md"
# How the README spells Textual's key names.
KEY_NAMES = {"escape": "esc", "pagedown": "pgdn", "pageup": "pgup", "slash": "/", "question_mark": "?"}


def table_rows(heading: str) -> list[list[str]]:
    """The cells of the first table under `heading` (a run of `|` lines, header and rule left out)."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(heading):]
    rows: list[list[str]] = []
    for line in section.splitlines()[1:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
        elif rows:
            break
    assert len(rows) > 2, f"no table under {heading!r}"
    return rows[2:]


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    paths = set()
    for name, command in group.commands.items():
        paths.add(prefix + (name,))
        if isinstance(command, click.Group):
            paths |= command_paths(command, prefix + (name,))
    return paths


def test_every_command_is_in_the_readme_table_and_every_row_names_a_command():
    rows = table_rows("## Commands")
    text = "\n".join(" ".join(row) for row in rows)
    named = set()
    for row in rows:
        words = re.match(r"`monitor((?: [a-z][a-z-]*)*)", row[0])
        assert words, f"a command row that names no command: {row[0]}"
        named.add(tuple(words.group(1).split()))
    paths = command_paths(cli)
    assert named - {()} <= paths, f"README rows for commands that do not exist: {sorted(named - {()} - paths)}"
    top = {path for path in paths if len(path) == 1}
    covered = {path[:1] for path in named if path}  # a group is covered by its subcommands' rows
    assert top <= covered, f"commands without a README row: {sorted(top - covered)}"
    missing = [" ".join(path) for path in paths if len(path) > 1 and path not in named
               and not re.search(rf"\b{re.escape(' '.join(path))}\b", text)]
    assert missing == [], f"subcommands the README's command table does not mention: {missing}"


def test_the_key_table_has_every_action_with_its_default_keys():
    documented: dict[str, str] = {}
    for ids, keys, _ in table_rows("## Key bindings"):
        for binding_id, binding_keys in zip(ids.split(" / "), keys.split(" / ")):
            documented[binding_id] = binding_keys
    actual = {spec.id: ", ".join(KEY_NAMES.get(k, k) for k in spec.keys.split(",")) for spec in ALL}
    assert documented == actual
