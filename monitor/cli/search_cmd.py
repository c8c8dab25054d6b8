"""`monitor search`: ranked full-text search over articles and the corpus."""
from __future__ import annotations

import sys

import click

from monitor.cli.context import EXIT_CONFIG, AppContext, emit_json, pass_app
from monitor.cli.query_command import QUERY_CONTEXT, QueryCommand
from monitor.safe_text import clip, printable
from monitor.store.search import search_articles
from monitor.text.search_query import QuerySyntaxError


@click.command("search", cls=QueryCommand, context_settings=QUERY_CONTEXT)
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Most results.")
@click.option("--origin", type=click.Choice(["feed", "corpus"]), help="Only feed articles or only the corpus.")
@click.option("--json", "as_json", is_flag=True, help="Print results as a JSON list.")
@pass_app
def search_command(app: AppContext, query: tuple[str, ...], limit: int, origin: str | None, as_json: bool) -> None:
    """Search titles and texts of feed articles and the corpus for QUERY.

    \b
    glide bomb          every word, stemmed ("glide bombs" matches)
    kursk OR belgorod   either word
    -kursk, NOT kursk   leave out
    '"glide bomb"'      a phrase (quote it for the shell too)
    title:kharkiv       in the title
    zelensk*            a prefix
    (a OR b) c          grouping
    where:kharkiv       naming the place, in any spelling (where:Kharkov, where:Харків)
    who:zelensky        naming the name (places and names: the event-identity features)

    Look-alike letters and case are folded, so "patel" finds "Patеl" written with a
    Cyrillic "е". Best matches first; titles weigh more than body text. A word
    starting with "-" is an exclusion wherever it stands (`monitor search -kursk
    strike`); a word starting with "--" is an option (a mistyped one is an error),
    so put "--" before a query holding one: `monitor search -- --json` finds "json".
    """
    try:
        results = search_articles(app.open_db(), " ".join(query), limit=limit, origin=origin)
    except QuerySyntaxError as exc:
        click.echo(f"monitor: invalid search: {exc}", err=True)
        sys.exit(EXIT_CONFIG)
    if as_json:
        emit_json(results)
        return
    if not results:
        click.echo("No matches.")
        return
    for row in results:
        where = row["source_host"] or row["source_path"] or ""
        click.echo(f"{row['score']:9.3g}  {row['origin']:6}  #{row['id']:<6} "
                   f"{clip(printable(row['title'], single_line=True), 90)}  "
                   f"[{clip(printable(where, single_line=True), 40)}]")


commands = [search_command]
