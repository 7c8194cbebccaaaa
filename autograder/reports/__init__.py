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

The command line calls :func:`write_reports`, :func:`write_summary_markdown`,
:func:`write_gradescope` and prints :func:`terminal_table`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from autograder.config import Settings
from autograder.reports import classroom, feedback, grades_csv, junit, summary_html  # noqa: F401  (register)
from autograder.reports.base import REGISTRY, ReportFormat, ReportContext, get, register
from autograder.reports.ci_markdown import append_summary_markdown, write_summary_markdown
from autograder.reports.gradescope import write_gradescope
from autograder.reports.grades_csv import write_grades_csv
from autograder.reports.terminal import terminal_table
from autograder.results import SubmissionResult

DEFAULT_FORMATS: tuple[str, ...] = ("csv", "feedback-md", "feedback-html", "summary-html", "junit")

__all__ = [
    "DEFAULT_FORMATS", "REGISTRY", "ReportFormat", "ReportContext", "append_summary_markdown", "get", "register",
    "terminal_table", "write_gradescope", "write_grades_csv", "write_reports",
    "write_summary_markdown",
]


def write_reports(results: Sequence[SubmissionResult], settings: Settings, assignment: str,
                  out_dir: Path, *, formats: Sequence[str] = DEFAULT_FORMATS) -> list[Path]:
    """Write every format in ``formats`` for ``assignment`` into ``out_dir``; the paths written.

    Unknown names raise :class:`~autograder.exceptions.UsageError` before anything is written.
    """
    reports = [get(name) for name in formats]
    context = ReportContext.from_settings(settings, assignment)
    written: list[Path] = []
    for report in reports:
        written.extend(report.write(results, context, Path(out_dir)))
    return written
