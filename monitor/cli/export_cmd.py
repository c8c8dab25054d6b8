"""`monitor export`: clusters with their members, sources, tags and notes, for reports and scripts."""
from __future__ import annotations

import sys

import click

from monitor.cli.context import AppContext, pass_app
from monitor.store import views
from monitor.store.export import FORMATS, export_clusters, render
from monitor.timeutil import from_iso, to_iso


def _since(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return views.since_iso(value)
    except ValueError as exc:
        if value.strip()[:1].isdigit() and value.strip()[-1:] in "smhd0123456789" and "-" not in value:
            raise click.BadParameter(str(exc), param_hint="--since") from None  # a window, but not a usable one
    moment = from_iso(value)
    if moment is None:
        raise click.BadParameter("expected a window such as 24h or 7d, or an ISO date such as 2026-11-01")
    return to_iso(moment)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help="csv (one row per article), json, jsonl (one cluster per line) or md (a briefing).")
@click.option("--tag", help="Only clusters with this tag.")
@click.option("--state", type=click.Choice(views.STATES), default="active", show_default=True,
              help="Only clusters in this triage state (active = not dismissed).")
@click.option("--since", help="Only clusters active since: 24h, 7d, or an ISO date.")
@click.option("--cluster", "cluster_ids", type=int, multiple=True, help="Only this cluster id (repeatable).")
@click.option("--feed", help="Only clusters with an article from this feed.")
@click.option("--sort", type=click.Choice(views.SORTS), default="activity", show_default=True)
@click.option("--limit", type=int, help="At most this many clusters.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to a file, not stdout.")
@pass_app
def export(app: AppContext, fmt: str, tag: str | None, state: str, since: str | None, cluster_ids: tuple[int, ...],
           feed: str | None, sort: str, limit: int | None, output: str | None) -> None:
    """Export clusters with their members, sources, tags and notes.

    The same view the dashboard exports with `x`: e.g. `monitor export --tag kursk --since 7d`
    for a Markdown briefing, `--format jsonl` for scripts.
    """
    flt = views.ClusterFilter(state="all" if cluster_ids else state, tag=tag, feed=feed, since=_since(since),
                              cluster_ids=tuple(cluster_ids) or None, sort=sort)
    db = app.open_db()
    text = render(export_clusters(db, flt, limit), fmt, flt)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)


commands = [export]
