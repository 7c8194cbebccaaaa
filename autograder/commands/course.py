"""``autograder init DIR`` and ``autograder new NAME``: the instructor's own course."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.options import config_option


@click.command("init")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
def init_command(folder: Path) -> None:
    """Create a new course in FOLDER: a sample assignment that grades out of the box,
    its checks and data, a README for the instructor and a CI example."""
    from autograder.scaffold.course import SAMPLE, init_course

    init_course(folder)
    click.echo(f"created the course {folder} (sample assignment: {SAMPLE}); next:\n"
               f"  cd {folder}\n"
               f"  autograder assign --out student-notebooks/\n"
               f"  autograder grade -a {SAMPLE} student-notebooks/{SAMPLE}.ipynb --out results/\n"
               f"  autograder new NAME [--from BLANK.ipynb SOLUTION.ipynb]\n"
               f"GitHub Classroom: .github/workflows/classroom.yml is for the students' repositories\n"
               f"see {folder / 'README.md'}")


@click.command("new")
@click.argument("name")
@click.option("--from", "pair", nargs=2, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              default=None, metavar="BLANK.ipynb SOLUTION.ipynb",
              help="build the master notebook from the blank and the solution notebook of the assignment")
@click.option("--title", default=None, help="the assignment's title [default: from the notebook, else NAME]")
@config_option
def new_command(name: str, pair: tuple[Path, Path] | None, title: str | None,
                config_path: Path | None) -> None:
    """Add the assignment NAME to the course: a skeleton, or built --from the blank and
    solution notebooks the course already has."""
    from autograder.config import find_config
    from autograder.scaffold.course import check_new_name, skeleton, write_draft

    course = find_config(config_path).parent
    check_new_name(course, name)
    if pair is None:
        draft = skeleton(name, title or name)
    else:
        from autograder.scaffold.pair import draft_from_pair

        draft = draft_from_pair(name, pair[0], pair[1], title)
    write_draft(course, draft)
    click.echo(f"added the assignment {name} to {course} (assignments/{name}/)")
    graded = [q for q in draft.questions if q not in draft.optional]
    click.echo(f"questions (in grading_config.yaml, 1 point each): {', '.join(graded)}"
               + (f"; optional, 0 points: {', '.join(draft.optional)}" if draft.optional else ""))
    for label, lines in (("done", draft.done), ("look at", draft.notes), ("to do", draft.todo)):
        for line in lines:
            click.echo(f"  {label}: {line}")
    click.echo(f"then: autograder verify {name} --course {course}")
