"""`monitor watch`: the `[[watch]]` rules of feeds.toml and their recent hits; add, remove, test a query.

Rule names, queries and commands come from a file others may have written: they are printed through
safe_text.printable like every untrusted text.
"""
from __future__ import annotations

import sys

import click

from monitor.cli.context import EXIT_CONFIG, AppContext, edit_feeds_file, emit_json, pass_app
from monitor.cli.query_command import QUERY_CONTEXT, QueryCommand
from monitor.config import WatchConfig
from monitor.safe_text import clip, printable
from monitor.text.plural import counted
from monitor.text.search_query import QuerySyntaxError, parse_query


def _line(text: str | None) -> str:
    return printable(text, single_line=True)


def _check_query(query: str) -> None:
    try:
        parse_query(query, mentions=False)
    except QuerySyntaxError as exc:
        click.echo(f"monitor: invalid search: {exc}", err=True)
        sys.exit(EXIT_CONFIG)


def _list(app: AppContext, as_json: bool, limit: int) -> None:
    from monitor.store.watch import recent_watch_hits, watch_hit_counts

    rules = app.config().watch
    counts: dict[str, int] = {}
    hits: dict[str, list] = {rule.name: [] for rule in rules}
    if app.db_path.exists():  # before the first poll the rules are listed without hits (and no file is made)
        db = app.open_db()
        try:
            counts = watch_hit_counts(db)
            hits = {rule.name: recent_watch_hits(db, rule.name, limit) for rule in rules}
        finally:
            db.close()
    if as_json:
        emit_json([{"name": r.name, "query": r.query, "tag": r.tag, "command": r.command,
                    "hits": counts.get(r.name, 0), "recent": [h.to_dict() for h in hits[r.name]]} for r in rules])
        return
    if not rules:
        click.echo(f"no watch rules in {app.resolved_config_path} (add one with `monitor watch add NAME QUERY`)")
        return
    for rule in rules:
        total = counts.get(rule.name, 0)
        click.echo(f"{_line(rule.name)}: {_line(rule.query)}"
                   + (f"  [tag {_line(rule.tag)}]" if rule.tag else "")
                   + f"  {counted(total, 'hit')}")
        if rule.command:
            click.echo(f"    command: {_line(rule.command)}")
        for hit in reversed(hits[rule.name]):
            event = f" event #{hit.cluster_id}" if hit.cluster_id else ""
            click.echo(f"    {hit.matched_at}  #{hit.article_id}{event}  {clip(_line(hit.title), 80)}"
                       + (f"  [{clip(_line(hit.feed), 30)}]" if hit.feed else ""))


@click.group("watch", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the rules and their recent hits as JSON.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(0, 1000), help="Recent hits per rule.")
@click.pass_context
def watch(ctx: click.Context, as_json: bool, limit: int) -> None:
    """List watch rules with their recent hits (same as `watch list`), or manage them.

    A rule (`[[watch]]` in feeds.toml: name, query, optional tag and command) is matched against
    every new feed article a poll stores: a match gets the tag, marks its event in the dashboard,
    is listed by `monitor poll --json`, and is handed to the command (JSON on stdin, once per poll).
    """
    if ctx.invoked_subcommand is None:
        _list(ctx.ensure_object(AppContext), as_json, limit)


@watch.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the rules and their recent hits as JSON.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(0, 1000), help="Recent hits per rule.")
@pass_app
def list_command(app: AppContext, as_json: bool, limit: int) -> None:
    """Rules with their query, tag, command, number of hits and recent hits."""
    _list(app, as_json, limit)


@watch.command("add", cls=QueryCommand, context_settings=QUERY_CONTEXT)
@click.argument("name")
@click.argument("query")
@click.option("--tag", metavar="TAG", help="Tag every matching article with TAG.")
@click.option("--command", metavar="CMD", help="Shell command run once per poll with the hits as JSON on stdin.")
@pass_app
def add(app: AppContext, name: str, query: str, tag: str | None, command: str | None) -> None:
    """Add a watch rule to feeds.toml (QUERY in the search syntax; quote it as one argument)."""
    from monitor.config.watchfile import add_watch

    _check_query(query)
    rule = edit_feeds_file(app, add_watch, WatchConfig(name.strip(), query.strip(), tag, command))
    click.echo(f"added watch rule {_line(rule.name)} ({_line(rule.query)}) to {app.resolved_config_path}")


@watch.command("remove")
@click.argument("name")
@pass_app
def remove(app: AppContext, name: str) -> None:
    """Remove a watch rule from feeds.toml (its past hits stay)."""
    from monitor.config.watchfile import remove_watch

    removed = edit_feeds_file(app, remove_watch, name)
    click.echo(f"removed watch rule {_line(removed)}")


@watch.command("test", cls=QueryCommand, context_settings=QUERY_CONTEXT)
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Most matches shown.")
@click.option("--json", "as_json", is_flag=True, help="Print the matches as a JSON list.")
@pass_app
def test(app: AppContext, query: tuple[str, ...], limit: int, as_json: bool) -> None:
    """What QUERY finds among the stored feed articles (what a rule would have matched)."""
    from monitor.store.watch import try_watch_query

    text = " ".join(query)
    _check_query(text)
    rows = try_watch_query(app.open_db(), text, limit)
    if as_json:
        emit_json(rows)
        return
    click.echo(f"{counted(len(rows), 'stored article')} match{'es' if len(rows) == 1 else ''}"
               + (f" (showing at most {limit})" if len(rows) == limit else ""))
    for row in rows:
        click.echo(f"  #{row['id']:<6} {row['published_at'] or '':20} {clip(_line(row['title']), 90)}")


commands = [watch]
