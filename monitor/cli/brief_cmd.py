"""`monitor brief EVENT_ID`: one event's brief, as Markdown to paste or JSON for scripts."""
from __future__ import annotations

import sys

import click

from monitor.cli.context import EXIT_CONFIG, AppContext, emit_json, pass_app
from monitor.store.brief import event_brief
from monitor.store.brief_render import brief_data, markdown


@click.command("brief")
@click.argument("event_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
              help="md: a paragraph to paste, then figures, disagreements, timeline and articles; json: the same data.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@pass_app
def brief(app: AppContext, event_id: int, fmt: str, as_json: bool) -> None:
    """Print one event's brief: headline, when, where, sources, figures and where sources disagree,
    timeline, articles with links, tags, notes and linked corpus documents.

    EVENT_ID is the cluster id the dashboard and `monitor export` show. Exits 2 when there is no
    such event.
    """
    result = event_brief(app.open_db(), event_id)
    if result is None:
        click.echo(f"monitor: no event {event_id}", err=True)
        sys.exit(EXIT_CONFIG)
    if as_json or fmt == "json":
        emit_json(brief_data(result))
    else:
        sys.stdout.write(markdown(result))


commands = [brief]
