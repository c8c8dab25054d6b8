"""`monitor search`: ranked full-text search over articles and the corpus."""
from __future__ import annotations

import click

from monitor.cli.context import AppContext, emit_json, pass_app
from monitor.safe_text import clip, printable
from monitor.store.search import search_articles


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Most results.")
@click.option("--origin", type=click.Choice(["feed", "corpus"]), help="Only feed articles or only the corpus.")
@click.option("--json", "as_json", is_flag=True, help="Print results as a JSON list.")
@pass_app
def search_command(app: AppContext, query: tuple[str, ...], limit: int, origin: str | None, as_json: bool) -> None:
    """Search titles and texts for QUERY (every word must match; end a word with * for a prefix).

    Look-alike letters and case are folded, so "patel" finds "Patеl" written with a
    Cyrillic "е". Best matches first; titles weigh more than body text.
    """
    results = search_articles(app.open_db(), " ".join(query), limit=limit, origin=origin)
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
