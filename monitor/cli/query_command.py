"""Commands that take search words, which may start with "-" (`monitor search -kursk strike`).

Click passes an unknown option through as an argument there (ignore_unknown_options), so a
mistyped long option (`--jsn`, `--lmit 5`) used to become search words: the command ran, printed
text where a script asked for JSON, and exited 0. Here a word starting with "--" before a "--" must
be one of the command's options; a word that really starts with "--" goes after "--".
"""
from __future__ import annotations

import difflib

import click

QUERY_CONTEXT = {"ignore_unknown_options": True, "help_option_names": ["--help"]}


class QueryCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)
        skip = False
        for arg in args:
            if skip:  # the value of the option before it, whatever it looks like
                skip = False
                continue
            if arg == "--":
                break
            if not arg.startswith("--"):
                continue
            name, has_value = arg.split("=", 1)[0], "=" in arg
            if name not in takes_value:
                longs = sorted(n for n in takes_value if n.startswith("--"))
                raise click.NoSuchOption(name, possibilities=difflib.get_close_matches(name, longs), ctx=ctx)
            skip = takes_value[name] and not has_value
        return super().parse_args(ctx, args)
