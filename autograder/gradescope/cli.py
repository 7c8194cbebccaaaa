"""``autograder gradescope``: the command (thin over :mod:`autograder.gradescope.package`)."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.options import config_option, out_file


@click.command("gradescope")
@click.argument("assignment")
@click.option("--out", type=click.Path(path_type=Path), metavar="FILE", required=True, callback=out_file,
              help="the autograder zip to write (upload it in Gradescope's autograder settings)")
@config_option
def gradescope_command(assignment: str, out: Path, config_path: Path | None) -> None:
    """Write a Gradescope autograder for ASSIGNMENT: setup.sh, run_autograder, the grader
    and the course, grading in the jail and writing results.json."""
    from autograder.config import load_settings
    from autograder.gradescope.package import package

    settings = load_settings(config_path)
    package(settings, assignment, out)
    click.echo(f"wrote {out}: upload it as the autograder of {assignment!r} (Ubuntu 24.04 base image)")
