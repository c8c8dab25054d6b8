"""`monitor export`: clusters with their members, sources, tags and notes, for reports and scripts."""
from __future__ import annotations

import sys

import click

from monitor.cli.context import EXIT_CONFIG, AppContext, pass_app, write_output
from monitor.store import views
from monitor.store.clusters import cluster_flags
from monitor.store.export import FORMATS, export_clusters, render
from monitor.store.saved_views import SavedViewError, get_saved_view, since_instant, view_filter
from monitor.text.search_query import QuerySyntaxError
from monitor.text.closest import did_you_mean


def _since(value: str | None) -> str | None:
    try:
        return since_instant(value)
    except SavedViewError as exc:
        raise click.BadParameter(str(exc).removeprefix("since: "), param_hint="--since") from None


def check_feed_filters(db, feed: str | None, feed_tag: str | None) -> None:
    """A --feed or --feed-tag no feed has ever had is a typo, not an empty briefing (exit 2)."""
    if feed and feed not in (names := views.feed_names(db)):
        raise click.BadParameter(f"no feed named {feed!r}{did_you_mean(feed, names)}", param_hint="--feed")
    if feed_tag and feed_tag.lower() not in views.feed_tags(db):
        raise click.BadParameter(f"no feed has the tag {feed_tag!r} (see `monitor feeds`)", param_hint="--feed-tag")


def _saved_filter(db, name: str, sort: str, cluster_ids: tuple[int, ...]) -> views.ClusterFilter:
    """The saved view's filter (`--view`); the command's --sort and --cluster still apply."""
    view = get_saved_view(db, name)
    if view is None:
        click.echo(f"monitor: no saved view named {name!r} (see `monitor views`)", err=True)
        sys.exit(EXIT_CONFIG)
    return view_filter(view).with_(sort=sort, cluster_ids=tuple(cluster_ids) or None)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help="csv (one row per article), json, jsonl (one cluster per line) or md (a briefing).")
@click.option("--tag", help="Only clusters with this tag.")
@click.option("--state", type=click.Choice(views.STATES), default="active", show_default=True,
              help="Only clusters in this triage state (active = not dismissed).")
@click.option("--since", help="Only clusters active since: 24h, 7d, or an ISO date.")
@click.option("--cluster", "cluster_ids", type=int, multiple=True, help="Only this cluster id (repeatable).")
@click.option("--feed", help="Only clusters with an article from this feed.")
@click.option("--feed-tag", help="Only clusters with an article from a feed with this tag (feeds.toml).")
@click.option("--query", help="Only clusters with an article matching this search (see `monitor search --help`).")
@click.option("--view", "view_name", metavar="NAME",
              help="A saved view (see `monitor views`): its search and filters replace --tag/--state/--since/"
                   "--feed/--feed-tag/--query.")
@click.option("--sort", type=click.Choice(views.SORTS), default="activity", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many clusters.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              help="Write to a file, not stdout ('-': stdout).")
@pass_app
def export(app: AppContext, fmt: str, tag: str | None, state: str, since: str | None, cluster_ids: tuple[int, ...],
           feed: str | None, feed_tag: str | None, query: str | None, view_name: str | None, sort: str,
           limit: int | None, output: str | None) -> None:
    """Export clusters with their members, sources, tags and notes (the articles' own stars, tags and notes too).

    The same view the dashboard exports with `x`: e.g. `monitor export --tag kursk --since 7d`
    for a Markdown briefing, `--format jsonl` for scripts.
    """
    db = app.open_db()
    unknown = [str(c) for c in dict.fromkeys(cluster_ids) if cluster_flags(db, c) is None]
    if unknown:  # as `monitor brief` says it: an empty export would read as "nothing happened"
        click.echo(f"monitor: no event {', '.join(unknown)}", err=True)
        sys.exit(EXIT_CONFIG)
    if view_name:
        flt = _saved_filter(db, view_name, sort, cluster_ids)
    else:
        check_feed_filters(db, feed, feed_tag)
        flt = views.ClusterFilter(state="all" if cluster_ids else state, tag=tag, feed=feed, feed_tag=feed_tag,
                                  since=_since(since), query=query or None, cluster_ids=tuple(cluster_ids) or None,
                                  sort=sort)
    try:
        text = render(export_clusters(db, flt, limit), fmt, flt)
    except QuerySyntaxError as exc:
        click.echo(f"monitor: invalid search: {exc}", err=True)
        sys.exit(EXIT_CONFIG)
    if output and output != "-":  # "-" is stdout, as for `feeds export-opml` (it wrote a file named "-")
        write_output(output, text)
    else:
        sys.stdout.write(text)


commands = [export]
