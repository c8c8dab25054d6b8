"""The `monitor` command. Thin: every command calls core functions and formats the result.

Commands live in `monitor/cli/*_cmd.py`, each exposing `commands` (a list of click
commands); they are discovered here so a stage adds its commands without editing this file.
"""
from __future__ import annotations

import importlib
import logging
import pkgutil
import signal
import sqlite3
import sys
import traceback

import click

from monitor.cli.context import AppContext, EXIT_CONFIG, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_TERMINATED
from monitor.cli.help_format import readable_help
from monitor.cli.output import guarded_output, unguarded_output
from monitor.cluster.place_lookup import use_gazetteer_for_places
from monitor.config import ConfigError
from monitor.errors import MonitorError
from monitor.logs import COMMAND_FORMAT, SafeFormatter
from monitor.store.db import StoreError, storage_failure


# The extraction libraries log their complaints about a page (`monitor import` of an empty .html:
# five WARNING/ERROR lines from trafilatura beside "cannot import a.html: no article text found").
_LIBRARY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", metavar="PATH", help="SQLite database (default: $MONITOR_DB or db/monitor.db).")
@click.option("--config", "config_path", metavar="PATH",
              help="Configuration file (default: $MONITOR_CONFIG or feeds.toml).")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("--no-poll", is_flag=True, help="Dashboard only: do not poll feeds (when cron does ingestion).")
@click.version_option(package_name="monitor", prog_name="monitor")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, config_path: str | None, verbose: int, no_poll: bool) -> None:
    """Watch news coverage arrive, grouped by event, beside your corpus.

    With no command, opens the dashboard on the configured feeds and database.
    """
    if ctx.invoked_subcommand is not None:
        ctx.with_resource(guarded_output())  # also when called without main() (tests)
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr, format=COMMAND_FORMAT)
    for name in _LIBRARY_LOGGERS:  # a page they cannot read is said once, in the command's words, but with -vv
        logging.getLogger(name).setLevel(logging.NOTSET if verbose >= 2 else logging.CRITICAL)
    for handler in logging.getLogger().handlers:  # (basicConfig adds none when a handler exists: tests)
        if type(handler) is logging.StreamHandler and type(handler.formatter) is logging.Formatter:
            handler.setFormatter(SafeFormatter(COMMAND_FORMAT))
    ctx.obj = AppContext.create(db_path, config_path, verbose)
    use_gazetteer_for_places()  # where:PLACE in queries: any spelling of the place
    if ctx.invoked_subcommand is None:
        from monitor.tui.launch import run_dashboard

        config = ctx.obj.config()
        ctx.obj.check_db_folder()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the dashboard ends on SIGTERM as it always did
        with unguarded_output():
            run_dashboard(ctx.obj.db_path, config, poll=not no_poll)


def _register_commands() -> None:
    import monitor.cli as package

    for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
        if module.endswith("_cmd"):
            for command in importlib.import_module(f"monitor.cli.{module}").commands:
                cli.add_command(command)
    readable_help(cli)


_register_commands()


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a cron wrapper's `timeout`, systemd stopping the job, `kill`): the command ends as on
    Ctrl-C (a poll prints its summary with status "interrupted") and says so, exit 143."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated()


def main() -> None:
    """Console entry point: config and store errors become one line and an exit code; everything
    printed, tracebacks included, goes through the safe-text rule."""
    signal.signal(signal.SIGTERM, _terminate)
    with guarded_output():
        _main()


def _interrupted(exc: BaseException) -> None:
    if isinstance(exc, _Terminated):
        click.echo("Terminated.", err=True)
        sys.exit(EXIT_TERMINATED)
    click.echo("Interrupted.", err=True)
    sys.exit(EXIT_INTERRUPTED)


def _main() -> None:
    try:
        cli.main(prog_name="monitor", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # click turns Ctrl-C (and SIGTERM) into Abort
            _interrupted(exc.__context__)
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_FAILURE)
    except ConfigError as exc:
        click.echo(f"monitor: configuration error: {exc}", err=True)
        sys.exit(EXIT_CONFIG)
    except StoreError as exc:
        click.echo(f"monitor: database error: {exc}", err=True)
        sys.exit(EXIT_FAILURE)
    except sqlite3.DatabaseError as exc:  # a read that met a corrupt file, outside any write
        click.echo(f"monitor: database error: {storage_failure(exc) or exc}", err=True)
        sys.exit(EXIT_FAILURE)
    except MonitorError as exc:  # any other expected failure a command did not word itself: one line
        click.echo(f"monitor: {exc}", err=True)
        sys.exit(EXIT_FAILURE)
    except KeyboardInterrupt as exc:
        _interrupted(exc)
    except Exception:  # a bug: its traceback, printed while the output is still guarded
        traceback.print_exc()
        sys.exit(EXIT_FAILURE)
