"""`monitor rederive`: derive again, now, every stored feature an older rule made (polls do it a slice at a time)."""
from __future__ import annotations

import click

from monitor.cli.context import AppContext, emit_json, pass_app


@click.command("rederive")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON object.")
@pass_app
def rederive_command(app: AppContext, as_json: bool) -> None:
    """Derive again every article whose stored terms, identity or embedding an older rule made.

    Each poll does this a slice of 1,000 at a time after an upgrade; this runs every slice now.
    Assignments and the analyst's decisions stay; only the stored features and the events' sums change.
    """
    from monitor.cluster.assign import assign_backlog
    from monitor.cluster.rederive import rederive_all, waiting

    settings = app.config().cluster
    db = app.open_db()
    assign_backlog(db, settings, rederive=False)  # articles a killed run left unassigned come first
    done = rederive_all(db, settings)
    left = waiting(db)
    if as_json:
        emit_json({"database": str(app.db_path), "rederived": done, "waiting": left})
        return
    click.echo(f"Derived again: {done} articles; waiting: {left}")


commands = [rederive_command]
