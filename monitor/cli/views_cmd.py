"""`monitor views`: saved views (a named search and filters, saved from the dashboard or here).

`monitor export --view NAME` exports one. Names and queries are printed as untrusted text.
"""
from __future__ import annotations

import sys
from dataclasses import asdict

import click

from monitor.cli.context import EXIT_CONFIG, AppContext, emit_json, pass_app
from monitor.safe_text import printable
from monitor.store import views as cluster_views
from monitor.store.saved_views import (
    SavedView,
    SavedViewError,
    delete_saved_view,
    get_saved_view,
    list_saved_views,
    save_view,
)
from monitor.text.search_query import QuerySyntaxError


def _line(text: str | None) -> str:
    return printable(text, single_line=True)


def _describe(view: SavedView) -> str:
    parts = [f"state: {view.state}"]
    for name in ("query", "tag", "feed", "feed_tag", "since"):
        value = getattr(view, name)
        if value:
            parts.append(f"{name.replace('_', ' ')}: {_line(value)}")
    return "  ".join(parts)


def _list(app: AppContext, as_json: bool) -> None:
    saved = list_saved_views(app.open_db())
    if as_json:
        emit_json([asdict(v) for v in saved])
        return
    if not saved:
        click.echo("no saved views (save one in the dashboard, or with `monitor views save NAME --query ...`)")
        return
    for view in saved:
        click.echo(f"{_line(view.name)}: {_describe(view)}")


@click.group("views", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the saved views as JSON.")
@click.pass_context
def views(ctx: click.Context, as_json: bool) -> None:
    """List saved views (a named search and filters), or save and delete them.

    `monitor export --view NAME` exports a saved view.
    """
    if ctx.invoked_subcommand is None:
        _list(ctx.ensure_object(AppContext), as_json)


@views.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the saved views as JSON.")
@pass_app
def list_command(app: AppContext, as_json: bool) -> None:
    """Saved views with their search and filters."""
    _list(app, as_json)


@views.command("save")
@click.argument("name")
@click.option("--query", help="A search (see `monitor search --help`).")
@click.option("--state", type=click.Choice(cluster_views.STATES), default="active", show_default=True)
@click.option("--tag", help="Only events with this tag.")
@click.option("--feed", help="Only events with an article from this feed.")
@click.option("--feed-tag", help="Only events with an article from a feed with this tag.")
@click.option("--since", help="A window such as 24h or 7d (kept relative), or an ISO date.")
@pass_app
def save(app: AppContext, name: str, query: str | None, state: str, tag: str | None, feed: str | None,
         feed_tag: str | None, since: str | None) -> None:
    """Save (or replace) the view NAME."""
    from monitor.cli.export_cmd import check_feed_filters

    db = app.open_db(create=True)
    check_feed_filters(db, feed, feed_tag)  # a view of a feed no feed is would export nothing, silently
    try:
        view = save_view(db, SavedView(name, query, state, tag, feed, feed_tag, since))
    except QuerySyntaxError as exc:
        click.echo(f"monitor: invalid search: {exc}", err=True)
        sys.exit(EXIT_CONFIG)
    except SavedViewError as exc:
        click.echo(f"monitor: {exc}", err=True)
        sys.exit(EXIT_CONFIG)
    click.echo(f"saved view {_line(view.name)}: {_describe(view)}")


@views.command("delete")
@click.argument("name")
@pass_app
def delete(app: AppContext, name: str) -> None:
    """Delete the saved view NAME."""
    db = app.open_db()
    view = get_saved_view(db, name)  # names are told apart in any case: say the one deleted
    try:
        delete_saved_view(db, name)
    except SavedViewError as exc:
        click.echo(f"monitor: {exc}", err=True)
        sys.exit(EXIT_CONFIG)
    click.echo(f"deleted view {_line(view.name if view else name)}")


commands = [views]
