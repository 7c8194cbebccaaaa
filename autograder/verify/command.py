"""``autograder verify [ASSIGNMENT ...]``: the command over :func:`verify_assignment`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from autograder.config import load_settings
from autograder.sandbox_names import CHOICES
from autograder.exceptions import EXIT_UNDER_THRESHOLD
from autograder.options import config_option, out_file

EXIT_NOT_VERIFIED = EXIT_UNDER_THRESHOLD  # CONTRACT §2: verify exits 1 when an assignment fails

err = Console(stderr=True, soft_wrap=True)


@click.command("verify")
@click.argument("assignments", nargs=-1)
@click.option("--jobs", "-j", type=click.IntRange(0), default=None,
              help="notebooks graded at a time [default: one per core]")
@click.option("--verbose", "-v", is_flag=True, help="also show every caught mutant, its diff and its checks")
@click.option("--json", "json_path", type=click.Path(path_type=Path), metavar="FILE", default=None, callback=out_file,
              help="also write the whole report as JSON to this file")
@click.option("--sandbox", type=click.Choice(CHOICES),
              help="jail backend [default: from the config, auto]")
@config_option
def verify_command(assignments: tuple[str, ...], jobs: int | None, verbose: bool, json_path: Path | None,
                   sandbox: str | None, config_path: Path | None) -> None:
    """Check each ASSIGNMENT's checks (all when none is named): the solution scores full
    marks, the unchanged student notebook 0, and every mutant of the solution (a
    mistake students make) loses points unless listed in equivalent_mutants.yaml.

    Exit 0 when every assignment holds, 1 when any does not.
    """
    from autograder.opener import Opener
    from autograder.verify.run import plan, verify_assignment

    settings = load_settings(config_path, sandbox=sandbox, jobs=jobs)
    names = list(assignments) or list(settings.config.assignments)
    for name in names:
        settings.assignment_dir(name)  # an unknown name: one clear error before any work
    plans = {name: plan(name, settings) for name in names}  # a broken assignment: refused before any work
    reports = []
    for name in names:
        with Opener.start(settings, name) as opener:  # the one way in, as `grade` opens it
            report = verify_assignment(name, settings, opener.jail, jobs=settings.config.jobs, progress=True,
                                       planned=plans[name])
            if opener.jail.backend == "none":
                err.print("[bold red]WARNING: the notebooks ran WITHOUT a sandbox (\"sandbox\": \"none\"). "
                          "Install bubblewrap (apt-get install bubblewrap), or use a kernel with "
                          "Landlock (--sandbox landlock)[/]")
        click.echo(report.render(verbose))
        reports.append(report)
    if json_path is not None:
        data = [r.to_json() for r in reports]
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    if not all(r.ok for r in reports):
        sys.exit(EXIT_NOT_VERIFIED)
