"""``autograder export``: the command (a thin layer over :mod:`autograder.lms.export`)."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.lms.export import FORMATS, ExportRequest, export
from autograder.options import config_option, out_file


@click.command("export")
@click.option("--results", "results_dir", type=click.Path(path_type=Path), required=True,
              help="results folder written by `autograder grade`")
@click.option("--format", "format_", type=click.Choice(list(FORMATS)), required=True,
              help="moodle: offline grading worksheet; canvas: gradebook import CSV; csv: plain")
@click.option("--out", type=click.Path(path_type=Path), metavar="FILE", required=True, callback=out_file,
              help="file to write")
@click.option("--template", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="the LMS's own download to fill in (every other column is kept as it was)")
@click.option("--assignment", "-a", default=None,
              help="assignment, when the results folder holds several")
@click.option("--title", default=None,
              help="assignment title for the LMS file [default: from the config, else the name]")
@click.option("--column", default=None,
              help="Canvas: the assignment's column in the template, e.g. 'Homework 1 (1234)'")
@click.option("--encoding", default=None,
              help="template encoding [default: by its BOM, else UTF-8, else Windows-1251 when its "
                   "words are Cyrillic, else Latin-1 kept byte for byte]")
@config_option
def export_command(results_dir: Path, format_: str, out: Path, template: Path | None,
                   assignment: str | None, title: str | None, column: str | None,
                   encoding: str | None, config_path: Path | None) -> None:
    """Write the grades of a results folder as an LMS's grade file.

    The course (--course/--config) gives the title and feedback.show_hidden_details;
    without one that knows the assignment, the results alone.

    \b
    Examples:
      autograder export --results results/ --format moodle --out grades.csv \\
          --template "Grades-Homework 1.csv"             # Moodle's grading worksheet, filled
      autograder export --results results/ --format canvas --out import.csv --template export.csv
      autograder export --results results/ --format csv --out grades.csv
    """
    from autograder.lms.export import load_results

    name = assignment or load_results(results_dir)[0].assignment
    config_title, show_hidden = _from_config(config_path, name)
    request = ExportRequest(results_dir, format_, out, template, assignment, title or config_title,
                            column, encoding, show_hidden)
    written = export(request)
    for warning in written.warnings:
        click.echo(f"autograder: warning: {warning}", err=True)
    click.echo(f"wrote {out} ({written.filled} grade(s))")


def _from_config(config_path: Path | None, assignment: str) -> tuple[str | None, bool]:
    """The assignment's title and the feedback setting, when a config knows the assignment."""
    from autograder.config import load_settings
    from autograder.exceptions import AutograderError

    try:
        settings = load_settings(config_path)
        config = settings.config.assignments.get(assignment)
    except AutograderError:
        if config_path is not None:
            raise
        return None, True
    show = settings.config.feedback.show_hidden_details
    return (config.title or None) if config else None, show
