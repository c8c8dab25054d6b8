"""Help that stays readable in a narrow terminal (COLUMNS=50), for every command: one place.

Click cut each command's line in a command list to what fits beside it ("brief  Print one event's
brief:..."), even at 80 columns, gave options' help a column 14 letters wide under 56 columns, and
printed the lines of a no-rewrap block (`\\b`, the search syntax's table) past the right edge. Here
a command's line is its first sentence, wrapped; the option column narrows with the terminal; and a
no-rewrap line that does not fit is wrapped under its second column.
"""
from __future__ import annotations

import re
import shutil
import textwrap
from typing import Iterable

import click

_SECOND_COLUMN = re.compile(r"^(\s*\S.*?\S?)\s{2,}(?=\S)")


def first_sentence(text: str) -> str:
    """The help's first paragraph up to its first full stop (a full stop before a lower-case word
    is an abbreviation's), never cut."""
    words = text.partition("\n\n")[0].split()
    if words and words[0] == "\b":
        words = words[1:]
    for index, word in enumerate(words):
        if word.endswith(".") and (index == len(words) - 1 or not words[index + 1][0].islower()):
            return " ".join(words[:index + 1])
    return " ".join(words)


def _fit_verbatim(text: str, width: int) -> str:
    """No-rewrap paragraphs with every line within `width`: a longer line wraps under its second
    column (or four spaces in, when that column sits past half the width)."""
    paragraphs = text.split("\n\n")
    for number, paragraph in enumerate(paragraphs):
        lines = paragraph.splitlines()
        if not lines or lines[0].strip() != "\b" or all(len(line) <= width for line in lines[1:]):
            continue
        fitted = [lines[0]]
        for line in lines[1:]:
            if len(line) <= width:
                fitted.append(line)
                continue
            column = _SECOND_COLUMN.match(line)
            indent = column.end() if column and column.end() <= width // 2 else 4
            fitted += textwrap.wrap(line, width, subsequent_indent=" " * indent, break_on_hyphens=False)
        paragraphs[number] = "\n".join(fitted)
    return "\n\n".join(paragraphs)


def _fold_term(term: str, room: int, indent: int) -> str:
    """An option's term too wide for the terminal (`--state [active|new|...|all]`) broken after its
    choices' separators, the rest indented under it."""
    if len(term) <= room:
        return term
    lines = [""]
    for piece in re.findall(r"[^|,]+[|,]?", term):
        if lines[-1] and len(lines[-1]) + len(piece) > room - (4 if len(lines) > 1 else 0):
            lines.append("")
        lines[-1] += piece
    return ("\n" + " " * (indent + 4)).join(lines)


class NarrowFriendlyFormatter(click.HelpFormatter):
    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        if width is None and click.formatting.FORCED_WIDTH is None:  # click's floor is 50 columns
            width = max(min(shutil.get_terminal_size().columns, max_width or 80) - 2, 30)
        super().__init__(indent_increment, width, max_width)

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        narrow = self.width < 72  # the options column gives way to their help
        room = self.width - self.current_indent
        rows = [(_fold_term(first, room, self.current_indent), second) for first, second in rows]
        super().write_dl(rows, col_max=max(12, self.width // 3) if narrow else col_max, col_spacing=col_spacing)

    def write_text(self, text: str) -> None:
        super().write_text(_fit_verbatim(text, max(self.width - self.current_indent, 20)))


class HelpContext(click.Context):
    formatter_class = NarrowFriendlyFormatter


def readable_help(command: click.Command) -> None:
    """The command and, for a group, every command under it: whole first sentences in command
    lists, and the narrow-friendly formatter."""
    command.context_class = HelpContext
    if command.short_help is None and command.help:
        command.short_help = first_sentence(command.help)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            readable_help(sub)
