"""The `monitor` command. Thin: every command calls core functions and formats the result.

Commands live in `monitor/cli/*_cmd.py`, each exposing `commands` (a list of click
commands); they are discovered here so a stage adds its commands without editing this file.
"""
from __future__ import annotations

import importlib
import logging
import pkgutil
import sys

import click

from monitor.cli.context import AppContext, EXIT_CONFIG, EXIT_FAILURE
from monitor.config import ConfigError
from monitor.errors import MonitorError
from monitor.safe_text import printable
from monitor.store.db import StoreError


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
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = AppContext.create(db_path, config_path, verbose)
    if ctx.invoked_subcommand is None:
        from monitor.tui.launch import run_dashboard

        config = ctx.obj.config()
        run_dashboard(ctx.obj.db_path, config, poll=not no_poll)


def _register_commands() -> None:
    import monitor.cli as package

    for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
        if module.endswith("_cmd"):
            for command in importlib.import_module(f"monitor.cli.{module}").commands:
                cli.add_command(command)


_register_commands()


def main() -> None:
    """Console entry point: config and store errors become one line and an exit code."""
    try:
        cli.main(prog_name="monitor", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_FAILURE)
    except ConfigError as exc:
        click.echo(f"monitor: configuration error: {exc}", err=True)
        sys.exit(EXIT_CONFIG)
    except StoreError as exc:
        click.echo(f"monitor: database error: {exc}", err=True)
        sys.exit(EXIT_FAILURE)
    except MonitorError as exc:  # any other expected failure a command did not word itself: one line
        click.echo(f"monitor: {printable(str(exc), single_line=True)}", err=True)
        sys.exit(EXIT_FAILURE)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
