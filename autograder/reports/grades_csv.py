"""``grades.csv``: one row per submission, one column per question, for spreadsheets.

Deterministic on purpose (rows sorted by submission id, fixed number formatting,
``\\n`` line ends), so a rerun that grades nothing new writes a byte-identical file.
Question columns hold raw points; ``score`` is after the late penalty. A question graded
by hand and not scored yet is an empty cell, not 0: nobody has read it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from autograder.config import Leaderboard
from autograder.reports.base import ReportContext, register
from autograder.reports.leaderboard import ranking
from autograder.reports.text import number
from autograder.atomic import write_atomic
from autograder.results import SubmissionResult

FILENAME = "grades.csv"


def grades_csv(results: Sequence[SubmissionResult], questions: Sequence[str],
               leaderboard: Leaderboard | None = None) -> str:
    """The CSV text; ``questions`` fixes the question columns and their order.

    A ``student_name`` column follows ``submission`` when any result has a name (graded
    from an LMS archive, whose ids are numbers). With the assignment's ``leaderboard``
    on, the metric it ranks by (e.g. ``accuracy``) and the ``rank`` end each row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    named = any(r.extra.get("student_name") for r in results)
    ranked = {e.submission: e for e in ranking(results, leaderboard.question)} if leaderboard else {}
    metric = next(iter(ranked.values())).metric if ranked else leaderboard.question if leaderboard else ""
    writer.writerow(["submission", *(["student_name"] if named else []), *questions, "score",
                     "max_score", "percent", "status", "late_penalty_percent", "sandbox",
                     *([f"leaderboard_{metric}", "rank"] if leaderboard else [])])
    for result in sorted(results, key=lambda r: r.submission):
        entry = ranked.get(result.submission)
        board = ([f"{entry.value:.4f}", str(entry.rank)] if entry else ["", ""]) if leaderboard else []
        points = {q.name: "" if result.awaits_hand_score(q) else number(q.score, 4) for q in result.questions}
        writer.writerow([
            result.submission,
            *([str(result.extra.get("student_name") or "")] if named else []),
            *(points.get(name, "") for name in questions),
            number(result.score, 4),
            number(result.max_score, 4),
            f"{result.percent:.2f}",
            result.status,
            number(result.late.penalty_percent if result.late else 0.0, 4),
            result.sandbox,
            *board,
        ])
    return buffer.getvalue()


def write_grades_csv(results: Sequence[SubmissionResult], path: Path,
                     questions: Sequence[str] | None = None, leaderboard: Leaderboard | None = None) -> Path:
    """Write ``grades.csv`` atomically; questions default to the results' own order."""
    if questions is None:
        questions = ReportContext.from_results(results).questions
    write_atomic(path, grades_csv(results, questions, leaderboard))
    return path


class GradesCsv:
    name = "csv"

    def write(self, results: Sequence[SubmissionResult], context: ReportContext,
              out_dir: Path) -> list[Path]:
        return [write_grades_csv(results, out_dir / FILENAME, context.questions, context.leaderboard)]


register(GradesCsv())
