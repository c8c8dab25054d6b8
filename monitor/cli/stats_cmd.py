"""`monitor stats`: what the database holds."""
from __future__ import annotations

import click

from monitor.cli.context import AppContext, emit_json, pass_app
from monitor.store.stats import collect_stats


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON object.")
@pass_app
def stats_command(app: AppContext, as_json: bool) -> None:
    """Count corpus documents, feed articles, feeds, clusters, tags and notes."""
    from monitor.cluster.rederive import waiting  # the running rules' versions

    db = app.open_db()
    stats = {**collect_stats(db), "rederive_waiting": waiting(db)}
    if as_json:
        emit_json({"database": str(app.db_path), **stats})
        return
    click.echo(f"Database:          {app.db_path}")
    click.echo(f"Corpus documents:  {stats['corpus_documents']}")
    click.echo(f"Feed articles:     {stats['feed_articles']}")
    click.echo(f"Feeds:             {stats['feeds']} ({stats['feeds_enabled']} enabled, "
               f"{stats['feeds_failing']} failing"
               + (f"; {stats['feeds_removed']} removed, their articles kept" if stats["feeds_removed"] else "") + ")")
    click.echo(f"Event clusters:    {stats['clusters']}")
    click.echo(f"Tags / notes:      {stats['tags']} / {stats['notes']}")
    if stats["extraction"]:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(stats["extraction"].items()))
        click.echo(f"Extraction:        {parts}")
    click.echo(f"Last poll:         {stats['last_poll'] or 'never'}")
    if stats["rederive_waiting"]:
        click.echo(f"Re-derivation:     {stats['rederive_waiting']} articles keep features of an older rule "
                   "(a slice per poll)")


commands = [stats_command]
