"""`monitor poll`: one cycle over the due feeds, safe under cron."""
from __future__ import annotations

import logging
import sqlite3
import sys
from typing import Any

import click

from monitor.cli.context import EXIT_FAILURE, EXIT_LOCKED, AppContext, emit_json, pass_app
from monitor.cli.output import raw
from monitor.config import Config
from monitor.safe_text import printable
from monitor.timeutil import now_iso
from monitor.text.closest import did_you_mean


class _ClearBar(logging.Filter):
    """A log line starts on a line of its own: the bar's line is wiped first (the bar is drawn
    again at the next feed), instead of "Polling [###---]  7/14WARNING monitor.ingest: ..."."""

    def __init__(self, stream: Any):
        super().__init__()
        self.stream = stream

    def filter(self, record: logging.LogRecord) -> bool:
        self.stream.write("\r\x1b[K")
        self.stream.flush()
        return True


class _Progress:
    """A progress bar when stdout is a terminal; plain log lines on stderr otherwise (cron, pipes)."""

    def __init__(self, bar: bool, nothing: str):
        self.use_bar = bar
        self.nothing = nothing  # what to say when no feed is polled
        self.bar: Any = None
        self.clear: _ClearBar | None = None

    def __call__(self, event: dict[str, Any]) -> None:
        if event["kind"] == "start":
            if not event["total"]:
                click.echo(self.nothing, err=True)
            elif self.use_bar:
                # Its \r and cursor codes are the program's own: the bar writes to the raw stream.
                self.bar = click.progressbar(length=event["total"], label="Polling", show_pos=True,
                                             file=raw(sys.stdout))
                self.bar.__enter__()
                self.clear = _ClearBar(raw(sys.stdout))
                for handler in logging.getLogger().handlers:
                    handler.addFilter(self.clear)
        elif event["kind"] == "feed":
            if self.bar is not None:
                self.bar.update(1)
                return
            detail = f"{event['new_articles']} new" if event["outcome"] in ("ok", "partial") else (event["error"] or "")
            if detail.startswith("database: "):  # the summary says why, once
                detail = f"{event['new_articles']} new, the rest not stored (database)"
            click.echo(f"[{event['done']}/{event['total']}] {printable(event['name'], single_line=True)}: "
                       f"{event['outcome']} {detail}".rstrip(), err=True)

    def close(self) -> None:
        if self.clear is not None:
            for handler in logging.getLogger().handlers:
                handler.removeFilter(self.clear)
            self.clear = None
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _check_selection(config: Config, feed_names: tuple[str, ...], tags: tuple[str, ...], force: bool) -> str:
    """What to say when the poll finds nothing to do; a --feed or --tag that no configured feed
    answers to is a usage error (exit 2), not a poll that quietly does nothing under cron."""
    names = [f.name for f in config.feeds]
    if not names and not feed_names and not tags:
        return "nothing to poll: the configuration has no feeds (add one with `monitor feeds add NAME URL`)"
    for name in feed_names:
        if name not in names:
            raise click.BadParameter(f"no feed named {name!r} in the configuration{did_you_mean(name, names)}",
                                     param_hint="--feed")
    known_tags = {t.lower() for f in config.feeds for t in f.tags}
    for tag in tags:
        if tag.lower() not in known_tags:
            raise click.BadParameter(f"no feed in the configuration has the tag {tag!r}", param_hint="--tag")
    if feed_names or (tags and force):  # named feeds are polled whatever their schedule
        return ("nothing to poll: the feeds the --feed/--tag given select are disabled or wait for their "
                "server's Retry-After (see `monitor feeds`)")
    if tags:
        return "no feed with the --tag given is due (use --all to poll them now)"
    if force:
        return "nothing to poll: no enabled feed, or every one waits for its server's Retry-After"
    return "no feeds are due (use --all to poll every feed)"


def _print_watch_hits(hits) -> None:
    from monitor.safe_text import clip
    from monitor.text.plural import counted

    if not hits:
        return
    click.echo(f"watch: {counted(len(hits), 'new match', 'new matches')}")
    for hit in hits:
        click.echo(f"  {printable(hit.rule, single_line=True)}: #{hit.article_id} "
                   f"{clip(printable(hit.title, single_line=True), 90)}")


def _no_summary(started: str, status: str, error: str) -> dict[str, Any]:
    """--json when the poll did not run to its summary: the summary's keys all the same (nothing
    polled), `status` saying why ("locked", "failed", "interrupted") and `errors` the message, so
    a script reading it never meets an empty stdout or a missing key."""
    from monitor.ingest.poller import PollSummary

    data = PollSummary(started_at=started, finished_at=now_iso(), errors=(error,)).to_dict()
    data["status"] = status
    return data


@click.command("poll")
@click.option("--all", "force", is_flag=True, help="Poll every enabled feed now, whatever its schedule.")
@click.option("--feed", "feed_names", multiple=True, metavar="NAME", help="Only this feed (repeatable).")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only feeds with this tag (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@pass_app
def poll(app: AppContext, force: bool, feed_names: tuple[str, ...], tags: tuple[str, ...], as_json: bool) -> None:
    """Poll the feeds that are due, fetch new articles' full text, and cluster them.

    New articles are matched against the [[watch]] rules (see `monitor watch`): their hits are
    listed here and under "watch_hits" with --json.

    Safe under cron: when another poll holds the lock this exits at once with code 3.
    Exit code 1 when some feed failed (its error is shown by `monitor feeds`) or the database
    refused; 2 when a --feed or --tag names no configured feed. --json prints one object with
    the same keys whatever the exit code but 2 ("status": ok, partial, locked, failed,
    interrupted).
    """
    from monitor.ingest.poller import PollLocked, poll_once
    from monitor.store.db import StoreError, storage_failure

    config = app.config()
    nothing = _check_selection(config, feed_names, tags, force)
    app.check_db_folder()
    progress = _Progress(bar=sys.stdout.isatty() and not as_json, nothing=nothing)
    started = now_iso()
    try:
        summary = poll_once(app.db_path, config, force=force, feed_names=feed_names, tags=tags, progress=progress)
    except PollLocked as exc:
        if as_json:
            emit_json(_no_summary(started, "locked", str(exc)))
        click.echo(f"monitor: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    except (StoreError, sqlite3.DatabaseError) as exc:  # main() says it in one line and exits 1
        if as_json:
            why = exc if isinstance(exc, StoreError) else (storage_failure(exc) or exc)
            emit_json(_no_summary(started, "failed", f"database error: {why}"))
        raise
    except KeyboardInterrupt:  # main() says "Interrupted." and exits 130
        if as_json:
            emit_json(_no_summary(started, "interrupted", "interrupted"))
        raise
    finally:
        progress.close()
    if as_json:
        emit_json(summary.to_dict())
    else:
        click.echo(f"feeds polled: {summary.feeds_polled}, not modified: {summary.not_modified}, "
                   f"failed: {summary.failed}, new articles: {summary.new_articles}, "
                   f"extraction failures: {summary.extraction_failures}"
                   + (f", {summary.extraction_retry_failures} of them earlier articles' pages tried again"
                      if summary.extraction_retry_failures else "")
                   + f" ({summary.seconds:.1f} s)")
        for outcome in summary.feeds:
            if outcome.outcome in ("failed", "not_feed") and not (outcome.error or "").startswith("database: "):
                click.echo(f"  failed: {printable(outcome.name, single_line=True)}: {printable(outcome.error, single_line=True)}")
            elif outcome.outcome == "partial" and outcome.error:  # what was read is stored; the rest is not
                click.echo(f"  partial: {printable(outcome.name, single_line=True)}: {printable(outcome.error, single_line=True)}")
            for note in outcome.notes:
                click.echo(f"  note: {printable(outcome.name, single_line=True)}: {printable(note, single_line=True)}")
        for error in summary.errors:  # a database that refused writes: one line, not one per feed
            click.echo(f"  {error}")
        _print_watch_hits(summary.watch_hits)
    if summary.failed or summary.errors:
        sys.exit(EXIT_FAILURE)


commands = [poll]
