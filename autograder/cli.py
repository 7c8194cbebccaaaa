"""The ``autograder`` command: a thin layer over the library (CONTRACT §2).

Exit codes are mapped in one place (:func:`main`): 0 graded, 1 under ``--fail-under``,
2 for usage, configuration and assignment errors, 3 when the grader itself failed (one
line, no traceback), 130 on Ctrl-C.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from autograder.config import Settings, load_settings
from autograder.exceptions import (EXIT_GRADER_FAILURE, EXIT_INTERRUPTED, EXIT_UNDER_THRESHOLD,
                                   AutograderError, CheckBugs, NotebookError, UsageError)
from autograder.notebook import decline_iri_grammar
from autograder.options import config_option, out_file, out_folder
from autograder.sandbox_names import CHOICES

if TYPE_CHECKING:
    from autograder.batch import Backend
    from autograder.opener import Opener
    from autograder.reports import ReportWriter
    from autograder.results import SubmissionResult
    from autograder.submissions import Submission

err = Console(stderr=True, soft_wrap=True)  # one-line errors stay one line


class Ending:
    """Whether the command that ran closed everything it opened (jail, grader processes,
    gradebook, files, temporary folders): then :func:`console` ends the process without
    the interpreter's teardown. Set by ``grade`` and ``validate`` on their way out."""

    closed_everything = False

language_option = click.option("--language", type=click.Choice(["ru", "en"]),
                               help="language of student messages [default: from the config, ru]")
sandbox_option = click.option("--sandbox", type=click.Choice(CHOICES),
                              help="jail backend: auto tries bwrap, then landlock, then none "
                                   "[default: from the config, auto]")


class LazyGroup(click.Group):
    """A group whose commands of their own modules are imported when named (click's
    ``get_command``/``list_commands``), so ``grade`` does not load the server, the LMS
    exports or the similarity pages before its jail can start; ``--help`` imports them all."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy  # command name -> "module:attribute"

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, attribute = self.lazy[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


COMMANDS_OF_THEIR_OWN = {
    "export": "autograder.lms.cli:export_command",
    "import": "autograder.importers.cli:import_group",
    "gradescope": "autograder.gradescope.cli:gradescope_command",
    "init": "autograder.commands.course:init_command",
    "new": "autograder.commands.course:new_command",
    "verify": "autograder.verify.command:verify_command",
    "serve": "autograder.server.command:serve_command",
    "tokens": "autograder.server.command:tokens_command",
    "similarity": "autograder.similarity.command:similarity_command",
}


@click.group(cls=LazyGroup, lazy=COMMANDS_OF_THEIR_OWN, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="autograder")
def cli() -> None:
    """Grade Jupyter notebook homework safely: student code runs in a jail, hidden
    pytest checks compare it with reference implementations.

    \b
    Typical use:
      autograder assign --out student/            # student notebooks of all assignments
      autograder grade --assignment activations submissions/ --out results/
      autograder validate my_notebook.ipynb      (a notebook made by `assign`)
      autograder verify activations               # do the checks catch wrong solutions?
    """


@cli.command()
@click.argument("assignments", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), metavar="DIRECTORY",
              required=True, callback=out_folder,
              help="folder for the student notebooks (<assignment>.ipynb)")
@click.option("--server", metavar="URL", default=None,
              help="the course server (autograder serve): the notebook gets submit(token), which sends it there")
@config_option
@language_option
def assign(assignments: tuple[str, ...], out_dir: Path, server: str | None, config_path: Path | None,
           language: str | None) -> None:
    """Write the student notebook of each ASSIGNMENT (all when none is named).

    \b
    Examples:
      autograder assign --out student/                  # every assignment of the course
      autograder assign activations --out student/
      autograder assign activations --out student/ --server https://grader.example.org
    """
    from autograder.assign import write_student_notebooks

    if server is not None and not server.startswith(("http://", "https://")):
        raise UsageError(f"--server {server!r}: expected an address such as https://grader.example.org")
    settings = load_settings(config_path, language=language)
    names = list(assignments) or list(settings.config.assignments)
    for path in write_student_notebooks(names, settings, out_dir, server):
        click.echo(f"wrote {path}")


CLUSTER_HELP = """\b
On a Dask cluster (this project's cluster extra on every machine: pip install '.[cluster]'):
  autograder grade -a activations subs/ --out results/ --cluster local:4
  dask scheduler                                  # by hand: prints tcp://HOST:8786
  dask worker tcp://HOST:8786 --nworkers 2 --nthreads 1   # on each machine
  autograder grade -a activations subs/ --out results/ --scheduler tcp://HOST:8786
Workers need autograder, the course's packages and bwrap; the course itself is sent
to them by the client. Files, gradebook, resume and exit codes are as for a local
batch. On Kubernetes (dask-kubernetes) or a batch queue (dask-jobqueue), start the
cluster there and pass its scheduler address (README, "Grading on a cluster").
"""


@cli.command(epilog=CLUSTER_HELP)
@click.option("--assignment", "-a", required=True, help="assignment name, as in grading_config.yaml")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), metavar="DIRECTORY",
              required=True, callback=out_folder,
              help="folder for <submission>.json, grades.csv and reports")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None,
              help="exit 1 when any submission scores under this percent")
@click.option("--jobs", "-j", type=click.IntRange(0), default=None,
              help="submissions graded at a time; 0: one per core [default: `jobs:` of grading_config.yaml, "
                   "else one per core]")
@click.option("--summary", type=click.Path(path_type=Path), metavar="FILE", default=None, callback=out_file,
              help="also append a Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY)")
@click.option("--gradescope", type=click.Path(path_type=Path), metavar="FILE", default=None, callback=out_file,
              help="also write Gradescope results.json here (single submission)")
@click.option("--github-classroom", is_flag=True,
              help="also append result=<base64> for GitHub Classroom's grading reporter to the file "
                   "named by $GITHUB_OUTPUT (single submission)")
@click.option("--manifest", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="CSV of submission times (LMS export) for late penalties; optional columns due "
                   "(the student's own due date) and extension_hours (hours added to the due date)")
@click.option("--regrade", is_flag=True, help="grade everything again, even unchanged submissions")
@click.option("--manual", "manual_scores", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              default=None, help="CSV of the scores of questions graded by hand (student,question,points,comment)")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="grade on the Dask cluster of this scheduler (tcp://HOST:8786)")
@click.option("--cluster", "local_cluster", metavar="local:N", default=None,
              help="grade on a Dask LocalCluster of N worker processes started here")
@click.option("--notebook-feedback", is_flag=True,
              help="also write feedback/<id>.ipynb, the student's notebook with feedback cells, "
                   "and its HTML (feedback/<id>.notebook.html, by nbconvert)")
@config_option
@language_option
@sandbox_option
def grade(assignment: str, paths: tuple[Path, ...], out_dir: Path, fail_under: float | None,
          jobs: int | None, summary: Path | None, gradescope: Path | None, github_classroom: bool,
          manifest: Path | None, regrade: bool, manual_scores: Path | None, scheduler: str | None,
          local_cluster: str | None, notebook_feedback: bool,
          config_path: Path | None, language: str | None, sandbox: str | None) -> None:
    """Grade each notebook in PATHS (files, folders of *.ipynb, or an LMS's .zip of
    submissions from Moodle or Canvas) for ASSIGNMENT.

    \b
    Exit codes:
      0  every submission was graded, whatever the scores
      1  only with --fail-under: some submission scored under it
      2  a usage, configuration or assignment error, before grading starts
      3  the grader failed, or a check of the assignment raised (a bug in its checks)
    130  interrupted (Ctrl-C); rerun the same command to finish
    """
    from autograder.submissions import find_submissions, unpack_folder

    settings = load_settings(config_path, language=language, sandbox=sandbox, jobs=jobs)
    settings.assignment_dir(assignment)
    with unpack_folder(paths, "autograder-lms-") as unpacked:  # LMS archives
        submissions = find_submissions(list(paths), unpack_dir=unpacked, warn=_warn)
        if not submissions:
            raise UsageError(f"no notebooks (*.ipynb) found in {', '.join(map(str, paths))}")
        if gradescope is not None and len(submissions) != 1:  # refused before grading starts
            raise UsageError(f"--gradescope needs exactly one submission; {len(submissions)} found")
        if github_classroom:
            from autograder.reports.classroom import check_classroom
            check_classroom(len(submissions))
        with _backend(settings, assignment, scheduler, local_cluster) as backend, \
                _progress(len(submissions)) as advance:
            from autograder.batch import grade_batch  # NumPy, the check runner: while the jail boots
            from autograder.reports import ReportWriter

            reports = ReportWriter.for_assignment(settings, assignment, out_dir)

            def on_result(result: SubmissionResult) -> None:
                reports.add(result)  # its feedback now, while the others are graded
                advance(result)

            results = grade_batch(submissions, assignment, settings, out_dir, backend=backend,
                                  on_result=on_result, resume=not regrade,
                                  adjust=_adjustments(assignment, settings, manifest, manual_scores,
                                                      submissions))
        if notebook_feedback:  # while the notebooks unpacked from an archive still exist
            _write_notebook_feedback(results, {s.id: s.path for s in submissions}, assignment,
                                     settings, out_dir)
    if (scheduler or local_cluster) and any(r.sandbox == "none" for r in results):
        err.print("[bold red]WARNING: some Dask workers have neither bwrap (bubblewrap) nor Landlock: "
                  "student code ran there WITHOUT a sandbox (\"sandbox\": \"none\" in the results)[/]")
    _write_reports(results, reports, summary, gradescope)
    if github_classroom:
        from autograder.reports.classroom import report_to_classroom
        report_to_classroom(results[0], reports.context, out_dir)
    _print_table(results, settings, out_dir)
    Ending.closed_everything = not (scheduler or local_cluster)  # a Dask client may leave threads behind
    _end_of_batch(results, fail_under)


def _end_of_batch(results: list[SubmissionResult], fail_under: float | None) -> None:
    """Exit as CONTRACT §2 says once everything is written: 1 for a score under
    ``--fail-under``, 3 (which wins) when a check of the assignment broke on some
    submission, since a grade given with a broken check is not one to publish unseen."""
    below = sum(r.percent < fail_under for r in results) if fail_under is not None else 0
    if below:
        err.print(f"{below} submission(s) scored under {fail_under:g}%", markup=False, highlight=False)
    bugs = sum(r.hit_check_bug for r in results)
    if bugs:
        raise CheckBugs(bugs, len(results))
    if below:
        sys.exit(EXIT_UNDER_THRESHOLD)


@cli.command()
@click.option("--assignment", "-a", default=None,
              help="assignment name  [default: the one the notebook was made for by `autograder assign`]")
@click.argument("notebook", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@config_option
@language_option
@sandbox_option
def validate(assignment: str | None, notebook: Path, config_path: Path | None, language: str | None,
             sandbox: str | None) -> None:
    """Check NOTEBOOK before submitting: it runs, names exist, public examples pass.

    Never runs the hidden checks. Exit 0 when the notebook is ready to submit, 1 when
    something needs fixing (the report lists it), 2 or 3 as for grade.

    \b
    Examples:
      autograder validate activations.ipynb             # a notebook made by `autograder assign`
      autograder validate -a activations my_copy.ipynb --language en
    """
    from autograder.validate import validate as validate_with

    settings = load_settings(config_path, language=language, sandbox=sandbox)
    with _opener(settings, assignment or _assignment_of(notebook, settings)) as opener:
        report = validate_with(notebook, opener)
    click.echo(report.render(settings.language))
    Ending.closed_everything = True
    sys.exit(0 if report.ready else EXIT_UNDER_THRESHOLD)


def _assignment_of(notebook: Path, settings: Settings) -> str:
    """The assignment ``notebook`` names (a student notebook made by ``assign``), or a
    usage error that says to name it."""
    from autograder.notebook import assignment_named_in

    try:
        named = assignment_named_in(notebook)
    except NotebookError as error:
        raise UsageError(f"{notebook}: {error.text().render(settings.language)}") from None
    if named is None:
        raise UsageError(f"{notebook} does not say which assignment it is for (it was not made by "
                         f"`autograder assign`): name it with --assignment NAME")
    if named not in settings.config.assignments:
        known = ", ".join(sorted(settings.config.assignments))
        raise UsageError(f"{notebook} was made for the assignment {named!r}, which this course does not have "
                         f"(known: {known}): name one with --assignment NAME, or give --course")
    return named


def _warn(message: str) -> None:
    err.print(f"autograder: warning: {message}", markup=False, highlight=False)


@contextmanager
def _backend(settings: Settings, assignment: str, scheduler: str | None,
             local_cluster: str | None) -> Iterator[Backend]:
    """Who grades: this machine's jail, or a Dask cluster (which needs no jail here). The
    jail starts before the grader's own modules are imported, so it boots while they load."""
    if scheduler is None and local_cluster is None:
        with _opener(settings, assignment) as opener:
            from autograder.batch import LocalBackend

            yield LocalBackend(assignment, settings, opener.jail, settings.config.jobs, opener=opener)
        return
    if scheduler is not None and local_cluster is not None:
        raise UsageError("use either --scheduler or --cluster, not both")
    try:
        from autograder.cluster import ClusterBackend, parse_local
    except ImportError as error:
        raise UsageError(f"grading on a cluster needs Dask: pip install '.[cluster]' in autograder's source folder "
                         f"({error})") from None
    workers = parse_local(local_cluster) if local_cluster is not None else 0
    yield ClusterBackend(assignment, settings, scheduler=scheduler, local_workers=workers)


@contextmanager
def _opener(settings: Settings, assignment: str) -> Iterator[Opener]:
    """The one way in (``opener.py``): its jail started at once and awaited at first
    use, so it boots while checks load; a loud warning after a run without a sandbox."""
    from autograder.opener import Opener

    with Opener.start(settings, assignment) as opener:
        jail = opener.jail
        try:
            yield opener
        finally:
            if jail.started and jail.backend == "none":
                err.print("[bold red]WARNING: student code ran WITHOUT a sandbox (\"sandbox\": \"none\"). "
                          "Install bubblewrap (apt-get install bubblewrap), or use a kernel with "
                          "Landlock (--sandbox landlock)[/]")


@contextmanager
def _progress(total: int) -> Iterator[Callable[[SubmissionResult], None]]:
    """A progress bar with count, rate and time left; silent when not on a terminal, and
    for one submission (then rich's progress module is not even imported)."""
    if not err.is_terminal or total < 2:
        yield lambda result: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    with Progress(*columns, console=err) as bar:
        task = bar.add_task("grading", total=total, rate="")

        def advance(result: SubmissionResult) -> None:
            bar.advance(task)
            speed = bar.tasks[0].speed
            bar.update(task, rate=f"{speed:.1f}/s" if speed else "")

        yield advance


def _adjustments(assignment: str, settings: Settings, manifest: Path | None,
                 manual_scores: Path | None,
                 submissions: Sequence[Submission]) -> Callable[[SubmissionResult], SubmissionResult]:
    """The instructor's scores of manual questions merged in, then the late penalty; a
    warning for each thing of those files that matches no submission (before grading)."""
    late = _late_penalties(assignment, settings, manifest, submissions)
    if manual_scores is None:
        return late
    from autograder.manual import merge, read_scores, unmatched

    manual = settings.assignment(assignment).manual
    scores = read_scores(manual_scores, manual)
    strays = unmatched(scores, [who for s in submissions for who in (s.id, s.name) if who])
    if strays:
        rows = _listed([f"{line} ({student!r})" for line, student in strays])
        which = f"rows {rows} name" if len(strays) > 1 else f"row {rows} names"
        _warn(f"{manual_scores}: {which} no submission graded here: those scores are not used")
    return lambda result: late(merge(result, manual, scores, settings.language))


UNMATCHED_SHOWN = 5  # a warning names this many rows or submissions, then counts the rest


def _listed(items: list[str]) -> str:
    """``items`` for a one-line warning: the first few, then how many more."""
    shown = ", ".join(items[:UNMATCHED_SHOWN])
    return shown + (f" and {len(items) - UNMATCHED_SHOWN} more" if len(items) > UNMATCHED_SHOWN else "")


def _late_penalties(assignment: str, settings: Settings, manifest: Path | None,
                    submissions: Sequence[Submission]) -> Callable[[SubmissionResult], SubmissionResult]:
    """What to do to each result before it is saved: apply the manifest's late penalty."""
    if manifest is None:
        return lambda result: result
    from autograder.late import late_for, load_manifest, untimed

    config, read = settings.assignment(assignment), load_manifest(manifest)
    missing = untimed([s.id for s in submissions], read.times)
    if missing and (config.due is not None or read.extensions):
        _warn(f"manifest {manifest}: no submission time for {len(missing)} of {len(submissions)} "
              f"submissions ({_listed(missing)}): graded without a late penalty")
    return lambda result: late_for(result, config, read.times, read.extensions)


def _write_notebook_feedback(results: list[SubmissionResult], notebooks: dict[str, Path],
                             assignment: str, settings: Settings, out_dir: Path) -> None:
    from autograder.reports import ReportContext
    from autograder.reports.notebook_feedback import write_notebook_feedback

    write_notebook_feedback(results, notebooks, ReportContext.from_settings(settings, assignment), out_dir)


def _write_reports(results: list[SubmissionResult], writer: ReportWriter, summary: Path | None,
                   gradescope: Path | None) -> None:
    """The class's reports, once every result is in (each submission's own were written
    as its result arrived)."""
    from autograder import reports

    writer.finish(results)
    if summary is not None:
        reports.append_summary_markdown(results, summary, writer.context)
    if gradescope is not None:  # one submission: checked before grading
        reports.write_gradescope(results[0], gradescope, show_hidden_details=writer.context.show_hidden_details,
                                 leaderboard=writer.context.leaderboard, zone=writer.context.timezone)


TABLE_ROWS = 40  # a batch larger than this prints the submissions that need a look


def _print_table(results: list[SubmissionResult], settings: Settings, out_dir: Path) -> None:
    from autograder.reports import terminal_table

    table = terminal_table(results, settings.language, TABLE_ROWS, str(out_dir / "grades.csv"))
    Console().print(table)


INTERRUPTED = "interrupted: results graded so far are saved; rerun the same command to finish"


def main(argv: list[str] | None = None) -> Any:
    """Run the command; map every way it can end to CONTRACT §2's exit codes."""
    decline_iri_grammar()
    try:
        return cli.main(args=argv, prog_name="autograder", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        err.print(INTERRUPTED, markup=False, highlight=False)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except AutograderError as error:
        err.print(f"autograder: error: {error}", markup=False, highlight=False)
        sys.exit(error.exit_code)
    except OSError as error:  # a full disk, an unwritable folder: the grader's side
        err.print(f"autograder: grader failure: {error}", markup=False, highlight=False)
        sys.exit(EXIT_GRADER_FAILURE)
    except Exception as error:
        if _is_disk_error_of_sqlite(error):  # a full disk under a database: as an OSError, not "a bug"
            err.print(f"autograder: grader failure: SQLite: {error}", markup=False, highlight=False)
        else:  # a bug of ours: one line, never exit 1 (that is --fail-under)
            err.print(f"autograder: grader failure (a bug): {type(error).__name__}: {error}",
                      markup=False, highlight=False)
        sys.exit(EXIT_GRADER_FAILURE)


def _is_disk_error_of_sqlite(error: Exception) -> bool:
    """Whether ``error`` is SQLite saying the disk failed it (``database or disk is full``,
    ``disk I/O error``, a file it cannot open or write): the machine's fault, not a bug,
    though not an ``OSError``. sqlite3 is looked up, not imported: a command that never
    opened a database cannot raise its errors."""
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is None or not isinstance(error, sqlite3.Error):
        return False
    disk = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY}
    return ((getattr(error, "sqlite_errorcode", None) or 0) & 0xFF) in disk


def console() -> None:
    """The installed ``autograder`` program: :func:`main`, then, when the command closed
    everything it opened (:class:`Ending`) and no other thread is alive, out with
    ``os._exit`` once stdout and stderr are flushed.

    What that skips is the interpreter's teardown, freeing every object of every module
    one by one: 65-110 ms after a one-notebook ``grade`` had written and printed all it
    had to (a sixth of the command), for memory the kernel takes back anyway. Any other
    ending (an error, a command that did not say it closed everything, output that cannot
    be flushed) exits the usual way. Tests call :func:`main`, which returns.
    """
    Ending.closed_everything = False
    try:
        main()
        code: int | str | None = 0
    except SystemExit as ending:
        code = 0 if ending.code is None else ending.code
    if not (Ending.closed_everything and isinstance(code, int) and threading.active_count() == 1):
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: let the usual exit report it as it would
        sys.exit(code)
    os._exit(code)

