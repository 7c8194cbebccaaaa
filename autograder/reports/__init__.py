"""Reports from grading results: files people and tools read.

Each format is a module implementing :class:`~autograder.reports.base.ReportFormat` and
registered in :data:`~autograder.reports.base.REGISTRY`:

==================  ==========================================================
``csv``             ``grades.csv``: one row per submission, one column per question
``feedback-md``     ``feedback/<id>.md``: what passed and failed, for the student
``feedback-html``   ``feedback/<id>.html``: the same as a page
``summary-html``    ``summary.html``: the class at a glance, with SVG charts (``charts.py``)
``junit``           ``junit.xml``: one testcase per check, for CI
``summary-md``      ``summary.md``: a Markdown table for a CI job's summary page
``gradescope``      ``results.json`` in Gradescope's format (one submission only)
==================  ==========================================================

``github-classroom`` writes ``classroom.json`` in GitHub Classroom's reporter format (one
submission); ``grade --github-classroom`` also appends it, base64-encoded, to the file
``$GITHUB_OUTPUT`` names (:func:`autograder.reports.classroom.report_to_classroom`).

A format whose files are each one submission's own (the feedback: ``write_one`` of
:class:`~autograder.reports.base.SubmissionFormat`) is written by a :class:`ReportWriter`
as each result arrives, overlapping the grading of the rest; the class's files are
written once all results are in. :func:`write_reports` does both after the fact, with
the same bytes.

The command line writes through a :class:`ReportWriter`, calls :func:`write_summary_markdown`,
:func:`write_gradescope` and prints :func:`terminal_table`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from autograder.config import Settings
from autograder.reports import classroom, feedback, grades_csv, junit, summary_html  # noqa: F401  (register)
from autograder.reports.base import REGISTRY, ReportContext, ReportFormat, SubmissionFormat, get, register
from autograder.reports.ci_markdown import append_summary_markdown, write_summary_markdown
from autograder.reports.gradescope import write_gradescope
from autograder.reports.grades_csv import write_grades_csv
from autograder.reports.terminal import terminal_table
from autograder.results import SubmissionResult

DEFAULT_FORMATS: tuple[str, ...] = ("csv", "feedback-md", "feedback-html", "summary-html", "junit")

__all__ = [
    "DEFAULT_FORMATS", "REGISTRY", "ReportFormat", "ReportContext", "ReportWriter", "SubmissionFormat",
    "append_summary_markdown", "get", "register", "terminal_table", "write_gradescope", "write_grades_csv",
    "write_reports", "write_summary_markdown",
]


class ReportWriter:
    """The reports of one grading run, written as the run goes: :meth:`add` writes a
    submission's own files (the feedback) as soon as its result is known, while the
    others are still being graded; :meth:`finish` writes the class's (``grades.csv``,
    ``junit.xml``, ``summary.html``) once all results are in.

    Unknown format names raise :class:`~autograder.exceptions.UsageError` here, before
    anything is written.
    """

    def __init__(self, context: ReportContext, out_dir: Path,
                 formats: Sequence[str] = DEFAULT_FORMATS) -> None:
        chosen = [get(name) for name in formats]
        self.context, self.out_dir = context, Path(out_dir)
        self.each: list[SubmissionFormat] = [f for f in chosen if isinstance(f, SubmissionFormat)]
        self.whole: list[ReportFormat] = [f for f in chosen if not isinstance(f, SubmissionFormat)]

    @classmethod
    def for_assignment(cls, settings: Settings, assignment: str, out_dir: Path,
                       formats: Sequence[str] = DEFAULT_FORMATS) -> ReportWriter:
        return cls(ReportContext.from_settings(settings, assignment), out_dir, formats)

    def add(self, result: SubmissionResult) -> list[Path]:
        """Write ``result``'s own files; the paths written."""
        return [path for report in self.each for path in report.write_one(result, self.context, self.out_dir)]

    def finish(self, results: Sequence[SubmissionResult]) -> list[Path]:
        """Write the files about the whole class of ``results``; the paths written."""
        return [path for report in self.whole for path in report.write(results, self.context, self.out_dir)]


def write_reports(results: Sequence[SubmissionResult], settings: Settings, assignment: str,
                  out_dir: Path, *, formats: Sequence[str] = DEFAULT_FORMATS) -> list[Path]:
    """Write every format in ``formats`` for ``assignment`` into ``out_dir``, once all
    ``results`` are known; the paths written.

    Unknown names raise :class:`~autograder.exceptions.UsageError` before anything is written.
    """
    writer = ReportWriter.for_assignment(settings, assignment, out_dir, formats)
    written = [path for result in results for path in writer.add(result)]
    return written + writer.finish(results)
