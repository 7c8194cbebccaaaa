"""``autograder import otter|nbgrader``: the commands (thin over the importers)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from autograder.importers.model import ImportedAssignment

master_argument = click.argument("notebook", type=click.Path(path_type=Path, exists=True, dir_okay=False))
course_option = click.option("--course", type=click.Path(path_type=Path, file_okay=False), required=True,
                             help="the course folder (grading_config.yaml and assignments/)")
name_option = click.option("--name", default=None,
                           help="assignment name [default: from the notebook's file name]")


@click.group("import")
def import_group() -> None:
    """Import an otter-grader or nbgrader assignment into a course; its tests become
    checks that run in the grader against the jailed submission."""


@import_group.command("otter")
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@course_option
@name_option
def import_otter(path: Path, course: Path, name: str | None) -> None:
    """Import an otter-grader assignment: a master notebook (otter-assign format), an
    autograder.zip (otter assign / otter generate), or a folder of otter tests (tests/q1.py,
    ..., with otter_config.json beside them when there is one)."""
    if path.suffix == ".ipynb":
        from autograder.importers.otter import read_otter

        _write(read_otter(path, _name(path, name)), course)
        return
    from autograder.importers.otter_tests import read_otter_suite

    generic = (path.is_dir() and path.name == "tests") or path.stem == "autograder"  # hw1/autograder.zip: hw1
    default = path.resolve().parent.name if generic else path.stem
    _write(read_otter_suite(path, _name(Path(default), name)), course)


@import_group.command("nbgrader")
@master_argument
@course_option
@name_option
def import_nbgrader(notebook: Path, course: Path, name: str | None) -> None:
    """Import an nbgrader source NOTEBOOK (cells with nbgrader metadata)."""
    from autograder.importers.nbgrader import read_nbgrader

    _write(read_nbgrader(notebook, _name(notebook, name)), course)


def _name(notebook: Path, name: str | None) -> str:
    from autograder.importers.common import assignment_name

    return assignment_name(name or notebook.stem)


def _write(imported: ImportedAssignment, course: Path) -> None:
    from autograder.importers.writer import write_assignment

    folder = write_assignment(imported, course)
    total = sum(imported.questions.values())
    manual = f" + {len(imported.manual)} graded by hand ({sum(imported.manual.values()):g} points)" \
        if imported.manual else ""
    click.echo(f"imported {imported.name!r} from {imported.origin}: {len(imported.questions)} question(s), "
               f"{len(imported.tests)} test(s), {total:g} points{manual} -> {folder}")
    for note in imported.notes:
        click.echo(f"  not imported / to review: {note}")
    click.echo(f"grade with: autograder grade --config {course / 'grading_config.yaml'} "
               f"--assignment {imported.name} SUBMISSIONS --out results/")
