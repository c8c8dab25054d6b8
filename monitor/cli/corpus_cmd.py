"""`monitor import`: bring the analyst's existing corpus into the database."""
from __future__ import annotations

import sys

import click

from monitor.cli.context import EXIT_FAILURE, AppContext, emit_json, pass_app
from monitor.corpus.importer import import_paths
from monitor.safe_text import printable


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@pass_app
def import_command(app: AppContext, paths: tuple[str, ...], as_json: bool) -> None:
    """Import corpus documents from PATHS (files or folders, recursively).

    Reads .txt, .md, .html, .json and .jsonl. Titles are detected (or made from the
    first sentence, and marked so), site chrome and trailers are dropped, dates and
    URLs written in the text are kept as metadata. Importing the same document again
    adds nothing. A file named that is none of these, not a regular file or over
    100 MB is not read (a folder passes over other files). Exit code 1 when a file
    could not be read or was refused; the others still import.
    """
    config = app.config()
    db = app.open_db(create=True)
    report = import_paths(db, paths, settings=config.cluster)
    if as_json:
        emit_json(report.to_dict())
    else:
        for path, why in report.failed:
            click.echo(f"cannot import {printable(path, single_line=True)}: {printable(why, single_line=True)}", err=True)
        click.echo(f"Imported {len(report.imported)} new document(s) from {report.files} file(s); "
                   f"{report.duplicates} already present; {len(report.failed)} failed.")
    if report.failed:
        sys.exit(EXIT_FAILURE)


commands = [import_command]
