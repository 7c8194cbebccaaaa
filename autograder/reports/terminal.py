"""The short table printed after grading: one line per submission.

The table is sized when it is printed (``__rich_console__`` knows the width): every
column but the first error keeps its full width, and the first error gets what is
left, cut with an ellipsis. So ids and scores stay readable in an 80-column CI log.
Every cell is a rich ``Text``, never markup: a course's ``[seminar]perceptron`` and a
message's ``[1, 0]`` print as they are.

Laid out by rich's ``Table``, cell by cell, the 41 lines a class of 100 prints took 40 ms
at the end of ``grade``; the widths are known here anyway, so each line is put together
as one ``Text`` (the same characters, 2 ms). Only a console too narrow for the columns
gets the ``Table``, which then narrows them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from autograder.i18n import Language
from autograder.reports.templating import translator
from autograder.reports.text import first_error, number, percent, who
from autograder.results import SubmissionResult

ERROR_WIDTH = 70
GAP = 2
MIN_ID = 6  # an id cut shorter than this says nothing


class ResultsTable:
    """Submission, score, max, percent, status and the first error, sorted by id.

    A class of more than ``limit`` gets a short table: the submissions that need a look
    (could not be graded, then the lowest scores), and a line with the rest's summary.
    """

    def __init__(self, results: Sequence[SubmissionResult], language: Language = "en",
                 limit: int | None = None, csv_path: str = "grades.csv") -> None:
        self.count = len(results)
        self.mean = statistics.fmean(r.percent for r in results) if results else 0.0
        self.errors = sum(r.status == "error" for r in results)
        self.csv_path = csv_path
        if limit is not None and len(results) > limit:
            results = sorted(results, key=lambda r: (r.status != "error", r.percent, r.submission))[:limit]
        self.results = sorted(results, key=lambda r: r.submission)
        self.language = language

    def rows(self) -> Iterator[tuple[list[str], str, str]]:
        t = translator(self.language)
        for r in self.results:
            late = f" (−{number(r.late.penalty_percent)}%)" if r.late else ""
            style = "red" if r.status == "error" else ("green" if r.percent >= 99.995 else "")
            yield ([who(r), number(r.score) + late, number(r.max_score), percent(r),
                    t(f"report.status.{r.status}")], first_error(r), style)

    def headers(self) -> list[str]:
        """The columns' titles, the first error's last."""
        t = translator(self.language)
        return [t("report.col.submission"), t("report.col.score"), t("report.col.max"), "%",
                t("report.col.status"), t("report.col.first_error")]

    def table(self, width: int) -> Table:
        """Rich's table, for a console too narrow for :meth:`lines` (or a control character).

        Scores and statuses are never cut: left to rich, a 40-column terminal showed
        ``1…`` for 100 % and ``14…`` for 14.4. The first error goes when not even its
        title fits (grades.csv and the feedback have it), then ids are cut."""
        *headers, error_header = self.headers()
        rows = list(self.rows())
        widths = [max([cell_len(h)] + [cell_len(cells[i]) for cells, _, _ in rows])
                  for i, h in enumerate(headers)]
        room = width - sum(widths) - GAP * len(widths)
        widths[0] = max(min(widths[0], width - sum(widths[1:]) - GAP * (len(widths) - 1)), MIN_ID)
        table = Table(box=None, pad_edge=False, header_style="bold", padding=(0, GAP // 2))
        for i, header in enumerate(headers):
            table.add_column(Text(header), justify="left" if i in (0, 4) else "right",
                             no_wrap=True, overflow="ellipsis", width=widths[i])
        errors_shown = room >= cell_len(error_header)
        if errors_shown:
            table.add_column(Text(error_header), no_wrap=True, overflow="ellipsis",
                             max_width=min(room, ERROR_WIDTH))
        for cells, error, style in rows:
            table.add_row(*map(Text, cells), *([Text(error)] if errors_shown else []), style=style)
        return table

    def lines(self, width: int) -> Text | None:
        """The table :meth:`table` draws, as lines of text; None when its columns do not fit
        in ``width`` as they are (the ``Table`` narrows them then)."""
        headers = self.headers()
        rows = [([*cells, error], style) for cells, error, style in self.rows()]
        widths = [max([cell_len(h)] + [cell_len(cells[i]) for cells, _ in rows]) for i, h in enumerate(headers)]
        room = width - sum(widths[:-1]) - GAP * (len(widths) - 1)
        widths[-1] = min(widths[-1], room, ERROR_WIDTH)
        if widths[-1] < cell_len(headers[-1]) or not all(c.isprintable() for cells, _ in rows for c in cells):
            return None  # narrowed columns, or a tab or control character: as the Table lays them out
        lines = [self._line(headers, widths, "bold")] + [self._line(cells, widths, style) for cells, style in rows]
        return Text("\n").join(lines)

    @staticmethod
    def _line(cells: list[str], widths: list[int], style: str) -> Text:
        parts = []
        for i, (cell, cell_width) in enumerate(zip(cells, widths)):
            part = Text(cell)
            if i in (1, 2, 3):  # the numbers, to the right as in the Table
                part.align("right", cell_width)
            else:
                part.truncate(cell_width, overflow="ellipsis", pad=True)
            parts.append(part)
        line = Text(" " * GAP, no_wrap=True).join(parts)
        if style:
            line.stylize(style)
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.lines(options.max_width) or self.table(options.max_width)
        if len(self.results) < self.count:
            yield Text(translator(self.language)(
                "report.table_rest", shown=len(self.results), count=self.count, path=self.csv_path,
                mean=number(self.mean, 1), errors=self.errors))


def terminal_table(results: Sequence[SubmissionResult], language: Language = "en",
                   limit: int | None = None, csv_path: str = "grades.csv") -> ResultsTable:
    """The table the CLI prints, in the course's language (the command passes it), so
    headers and statuses read like the errors beside them; at most ``limit`` rows."""
    return ResultsTable(results, language, limit, csv_path)
