"""`monitor feeds`: list feeds with their health; add, remove, enable, disable, test; OPML in and out.

feeds.toml is the source of truth: these commands edit it (comments kept) and then
mirror it into the database, as every poll does.
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from monitor.cli.context import (EXIT_CONFIG, EXIT_FAILURE, AppContext, edit_feeds_file, emit_json, pass_app,
                                 write_output)
from monitor.config import FeedConfig, load_config, parse_duration
from monitor.safe_text import printable
from monitor.store.db import StoreError

T = TypeVar("T")


def _shown(text: str | None) -> str:
    """A name, URL or error on one line, its control characters visible and inert (␛, \\x9b)."""
    return printable(text, single_line=True)


def _sync(app: AppContext) -> None:
    from monitor.store.feeds import sync_feeds

    config = load_config(app.resolved_config_path)
    db = app.open_db(create=True)
    try:
        sync_feeds(db, config.feeds)
    finally:
        db.close()


def _edit(app: AppContext, action: Callable[..., T], *args: Any) -> T:
    app.check_db_folder()  # the database the edit is mirrored into: a bad --db edits nothing
    result = edit_feeds_file(app, action, *args)
    _sync(app)
    return result


def _list(app: AppContext, as_json: bool, include_removed: bool) -> None:
    from monitor.ingest.health import failing_first
    from monitor.store.feeds import list_feeds, sync_feeds

    config = app.config()
    db = app.open_db()
    try:
        try:
            sync_feeds(db, config.feeds)
        except StoreError as exc:  # read-only (or full): list the feeds as the database last recorded them
            click.echo(f"monitor: feeds as last recorded; feeds.toml not applied: {exc}", err=True)
        rows = list_feeds(db, include_removed=include_removed)
    finally:
        db.close()
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo(f"no feeds configured in {app.resolved_config_path} (add one with `monitor feeds add NAME URL`)")
        return
    for feed in failing_first(rows):
        click.echo(f"{_shown(feed.name)}  [{feed.state}; status {feed.status or '-'}; "
                   f"errors {feed.errors}; articles {feed.articles}"
                   + (f", {feed.without_text} without page text" if feed.without_text else "") + "]")
        click.echo(f"    {_shown(feed.url)}")
        if feed.moved_to:
            click.echo(f"    moved permanently to {_shown(feed.moved_to)} (polled there; update feeds.toml)")
        click.echo(f"    last success {feed.last_success_at or '-'}, next poll {feed.next_poll_at or 'now'}"
                   + (f", tags {', '.join(map(_shown, feed.tags))}" if feed.tags else ""))
        if feed.error:
            click.echo(f"    last error: {_shown(feed.error)}")
        if feed.problem:
            click.echo(f"    problem: {_shown(feed.problem)}")


@click.group("feeds", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--removed", is_flag=True, help="Also show feeds no longer in the configuration.")
@click.pass_context
def feeds(ctx: click.Context, as_json: bool, removed: bool) -> None:
    """List feeds with their health (same as `feeds list`), or manage them.

    feeds.toml is the source of truth: add, remove, enable, disable and import-opml edit
    it, keeping its comments, and the database follows.
    """
    if ctx.invoked_subcommand is None:
        app = ctx.find_object(AppContext)
        assert app is not None, "the root group makes the AppContext"
        _list(app, as_json, removed)


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--removed", is_flag=True, help="Also show feeds no longer in the configuration.")
@pass_app
def list_command(app: AppContext, as_json: bool, removed: bool) -> None:
    """Feeds with last status, last success, error count, next poll and last error."""
    _list(app, as_json, removed)


@feeds.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag for the feed (repeatable).")
@click.option("--interval", metavar="DURATION", help="Poll interval for this feed, e.g. 15m or 1h.")
@click.option("--disabled", is_flag=True, help="Add it switched off.")
@pass_app
def add(app: AppContext, name: str, url: str, tags: tuple[str, ...], interval: str | None, disabled: bool) -> None:
    """Add a feed to feeds.toml."""
    from monitor.config.feedsfile import add_feed

    try:
        seconds = parse_duration(interval) if interval else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--interval") from None
    feed = _edit(app, add_feed, FeedConfig(name.strip(), url.strip(), tuple(tags), seconds, not disabled))
    click.echo(f"added {_shown(feed.name)} ({_shown(feed.url)}) to {app.resolved_config_path}")


@feeds.command("remove")
@click.argument("name")
@pass_app
def remove(app: AppContext, name: str) -> None:
    """Remove a feed from feeds.toml (its articles stay)."""
    from monitor.config.feedsfile import remove_feed

    _edit(app, remove_feed, name)
    click.echo(f"removed {_shown(name)}")


@feeds.command("enable")
@click.argument("name")
@pass_app
def enable(app: AppContext, name: str) -> None:
    """Poll this feed again."""
    from monitor.config.feedsfile import set_enabled

    _edit(app, set_enabled, name, True)
    click.echo(f"enabled {_shown(name)}")


@feeds.command("disable")
@click.argument("name")
@pass_app
def disable(app: AppContext, name: str) -> None:
    """Stop polling this feed (it stays in feeds.toml)."""
    from monitor.config.feedsfile import set_enabled

    _edit(app, set_enabled, name, False)
    click.echo(f"disabled {_shown(name)}")


@feeds.command("test")
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_app
def test(app: AppContext, url: str, as_json: bool) -> None:
    """Fetch and parse a feed URL once and show what would be read (nothing is stored)."""
    from monitor.config import malformed_url
    from monitor.ingest.probe import probe_feed

    if malformed_url(url.strip()):
        raise click.BadParameter(str(malformed_url(url.strip())), param_hint="URL")
    report = asyncio.run(probe_feed(url, app.config().poll))
    if as_json:
        emit_json(report)
    else:
        click.echo(f"{url}: {report['verdict']}")
        for key in ("status", "moved_to", "format", "title", "entries", "problem", "error"):
            if report[key] not in (None, "") and (key != "entries" or report["verdict"] != "failed"):
                click.echo(f"  {key.replace('moved_to', 'moved permanently to')}: {_shown(str(report[key]))}")
        for item in report["items"][:10]:
            click.echo(f"  - {_shown(item['title'] or '(no title)')}  {_shown(item['url'])}")
    if report["verdict"] != "ok":
        sys.exit(EXIT_FAILURE)


@feeds.command("import-opml")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_app
def import_opml(app: AppContext, path: Path) -> None:
    """Append the feeds of an OPML file to feeds.toml (folders and categories become tags)."""
    from monitor.config.feedsfile import add_feeds
    from monitor.ingest.opml import OpmlError, read_opml

    try:
        found, problems = read_opml(path.read_bytes())
    except OpmlError as exc:
        click.echo(f"monitor: {path}: {exc}", err=True)
        sys.exit(EXIT_CONFIG)
    added, skipped = _edit(app, add_feeds, found)
    click.echo(f"imported {len(added)} feeds from {path} into {app.resolved_config_path}"
               + (f", skipped {len(skipped)}" if skipped else ""))
    for line in skipped + problems:
        click.echo(f"  {_shown(line)}")


@feeds.command("export-opml")
@click.argument("output", type=click.Path(dir_okay=False, allow_dash=True), default="-")
@pass_app
def export_opml(app: AppContext, output: str) -> None:
    """Write the configured feeds as OPML (to OUTPUT, or stdout)."""
    from monitor.ingest.opml import write_opml

    data = write_opml(app.config().feeds)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_output(output, data)
        click.echo(f"wrote {len(app.config().feeds)} feeds to {output}", err=True)


commands = [feeds]
