"""`monitor eval`: measure the clusterer on labelled datasets with the configured [cluster] settings."""
from __future__ import annotations

from pathlib import Path

import click

from monitor.cli.context import AppContext, emit_json, pass_app
from monitor.safe_text import printable


@click.group(name="eval")
def eval_group() -> None:
    """Measure clustering quality on labelled public datasets (same clusterer and settings as ingestion)."""


@eval_group.command(name="clusters")
@click.option("--format", "fmt", type=click.Choice(["uci", "gnews"]), required=True,
              help="uci: News Aggregator CSV (TITLE, STORY, TIMESTAMP); gnews: JSON lines (textCleaned/clusterNo or "
                   "text/cluster; a text's first line is its title, so ECB+'s ecbplus-dev.jsonl reads as it is).")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=0), default=0, help="Only the first N articles (0: all).")
@click.option("--merged", "explain_merged", is_flag=True,
              help="Also list each pair of gold events that share a cluster, with the join that first put them "
                   "together: the article, its probability and its stored reason (each feature's part).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_app
def eval_clusters(app: AppContext, fmt: str, path: Path, limit: int, explain_merged: bool, as_json: bool) -> None:
    """Cluster PATH in order and score it: B-cubed, pair F1, NMI, ARI, gold events merged and split, speed."""
    from monitor.cluster.embed import signal_name
    from monitor.cluster.evaluate import evaluate_clusters, read_gnews, read_uci

    settings = app.config().cluster
    try:
        items = read_uci(path) if fmt == "uci" else read_gnews(path)
    except ValueError as exc:  # not JSON lines, not UTF-8: one line, exit 2, not a traceback
        raise click.UsageError(f"{path}: not a readable {fmt} file: {exc}") from None
    if limit:
        items = items[:limit]
    if not items:
        raise click.UsageError(f"{path}: no labelled articles found")
    result = evaluate_clusters(items, settings, explain_merged=explain_merged)
    merged = result.pop("merged_events", None)
    if as_json and merged is not None:
        result["merged_events"] = merged
    _report(result, signal_name(settings), as_json)
    if merged is not None and not as_json:
        click.echo(f"gold events merged, first join per pair ({len(merged)}):")
        for m in merged:
            click.echo(printable(f"  {m['event']} into {m['into']}: article {m['article']} "
                                 f"\"{m['title'][:70]}\" p {m['score']:.2f}: {m['reason']}", single_line=True))


@eval_group.command(name="pairs")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_app
def eval_pairs(app: AppContext, path: Path, as_json: bool) -> None:
    """Score pair similarity on the SemEval-2022 Task 8 CSV (Pearson against 4 - Overall; all pairs,
    English pairs, and each language pair present)."""
    from monitor.cluster.embed import signal_name
    from monitor.cluster.pairs import evaluate_pairs, read_pairs

    settings = app.config().cluster
    try:
        pairs = read_pairs(path)
    except ValueError as exc:  # not UTF-8: one line, exit 2
        raise click.UsageError(f"{path}: not a readable SemEval pairs file: {exc}") from None
    if not pairs:
        raise click.UsageError(f"{path}: no original (digit-only pair_id) pairs found")
    _report(evaluate_pairs(pairs, settings), signal_name(settings), as_json)


def _report(result: dict, signal: str, as_json: bool) -> None:
    """One JSON object for scripts, or aligned `key: value` lines for a person."""
    result = {**result, "signal": signal}
    if as_json:
        emit_json(result)
        return
    flat: dict = {}
    for key, value in result.items():  # nested results (per language pair) one line each
        if isinstance(value, dict):
            for sub, inner in value.items():
                flat[f"{key} {sub}"] = " ".join(f"{k} {v}" for k, v in inner.items()) if isinstance(inner, dict) else inner
        else:
            flat[key] = value
    width = max(map(len, flat))
    for key, value in flat.items():
        click.echo(f"{key:>{width}}: {value}")


commands = [eval_group]
