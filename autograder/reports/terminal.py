"""The short table printed after grading: one line per submission."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from autograder.i18n import Language
from autograder.reports.templating import translator
from autograder.reports.text import first_error, number, percent
from autograder.results import SubmissionResult

ERROR_WIDTH = 70


def terminal_table(results: Sequence[SubmissionResult], language: Language = "en") -> Table:
    """Submission, score, max, percent, status and the first error, sorted by id.

    English by default: the table is for the person running the command; the first
    error is shown in the language the result was graded in.
    """
    t = translator(language)
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column(t("report.col.submission"), overflow="fold")
    table.add_column(t("report.col.score"), justify="right")
    table.add_column(t("report.col.max"), justify="right")
    table.add_column("%", justify="right")
    table.add_column(t("report.col.status"))
    table.add_column(t("report.col.first_error"), max_width=ERROR_WIDTH, no_wrap=True,
                     overflow="ellipsis")
    for result in sorted(results, key=lambda r: r.submission):
        late = f" (−{number(result.late.penalty_percent)}%)" if result.late else ""
        style = "red" if result.status == "error" else ("green" if result.percent >= 99.995 else "")
        table.add_row(result.submission, number(result.score) + late, number(result.max_score),
                      percent(result), result.status, first_error(result), style=style)
    return table
