"""Questions graded by hand (``manual:`` in an assignment's config; nbgrader's hand-graded
cells and otter's manual questions come in as such).

Every result lists them, after the automatic questions, each as one check, the
instructor's score (visibility ``manual``, named in the course's language), with a
maximum of 0 until the instructor scores them: the total is the automatic one until
then. ``autograder grade --manual SCORES.csv`` (columns ``student``, ``question``,
``points``, ``comment``) merges the instructor's scores into the results, so
``grades.csv``, the feedback and the LMS exports carry them. Merging is idempotent: a
result graded before is merged again with the file as it is now. The result file says
which questions are manual under the extra key ``manual``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from autograder.exceptions import UsageError
from autograder.i18n import Language, Text, msg, points as count_points
from autograder.reports.text import number
from autograder.results import CheckResult, QuestionResult, SubmissionResult

COLUMNS = ("student", "question", "points", "comment")


@dataclass(frozen=True)
class Score:
    points: float
    comment: str
    row: int = field(default=0, compare=False)  # its line in the file, for what is said about it


def pending(manual: dict[str, float], language: Language) -> tuple[QuestionResult, ...]:
    """The manual questions as not yet scored: listed, worth nothing yet."""
    return tuple(_question(name, points, None, language) for name, points in manual.items())


def _question(name: str, points: float, score: Score | None, language: Language) -> QuestionResult:
    """The question as one check, named and marked (visibility ``manual``) in the course's
    language: reports say whose score it is, show its note even at full marks, and never
    take a score short of the maximum for an error to fix."""
    title = msg("manual.check").render(language)
    if score is None:
        text = msg("manual.pending", points=count_points(number(points))).render(language)
        return QuestionResult(name, (CheckResult(title, True, 0.0, 0.0, "manual", text),), 0.0)  # nothing yet
    text = msg("manual.scored", score=number(score.points), max_score=number(points)).render(language)
    message = f"{text}\n{score.comment}" if score.comment else text
    check = CheckResult(title, score.points >= points, score.points, points, "manual", message)
    return QuestionResult(name, (check,), points)


def _summary(points: float, score: Score | None) -> dict[str, object]:
    return {"max_score": points, "score": score.points if score else None, "comment": score.comment if score else ""}


def unscored(manual: dict[str, float]) -> dict[str, object]:
    """The result's extra keys before any score: its ``manual`` summary says which questions
    are graded by hand and out of how much, so a result file alone tells the points still
    to come (:func:`unscored_points`) and an export never takes them as earned."""
    return {"manual": {q: _summary(p, None) for q, p in manual.items()}} if manual else {}


def unscored_points(result: SubmissionResult) -> float:
    """The points of ``result``'s questions graded by hand and not scored yet: out of its
    ``max_score`` until scored, but part of the assignment's total an LMS grades out of."""
    manual = result.extra.get("manual")
    if not isinstance(manual, dict):
        return 0.0
    return sum(float(entry.get("max_score") or 0) for entry in manual.values()
               if isinstance(entry, dict) and entry.get("score") is None)


class ScoresError(UsageError):
    """Every bad row of a scores table, each a bilingual one-liner: the server's page lists
    them all in the course's language (an instructor fixes the table once, not row by row);
    the command line says the first, in English, as it always has."""

    def __init__(self, path: Path, problems: list[tuple[int, Text]]) -> None:
        self.path, self.problems = path, problems
        line, text = problems[0]
        super().__init__(f"{path}:{line}: {text.en}" if line else f"{path}: {text.en}")

    def lines(self, language: Language) -> list[str]:
        """One line per bad row, the row's number first, in ``language``."""
        return [msg("manual.row", line=line, problem=text).render(language) if line else text.render(language)
                for line, text in self.problems]


def read_scores(path: Path, manual: dict[str, float]) -> dict[tuple[str, str], Score]:
    """The instructor's scores, by (student, question); every bad row is a one-line error
    (:class:`ScoresError`), and a table with any is not used at all.

    Read as Excel saves a table: comma, semicolon (Excel in Russian) or tab between the
    columns, a decimal comma in ``points`` (``2,5``), column names in any case."""
    from autograder.lms.csvfile import delimiter_of, text_of

    try:
        text = text_of(path.read_bytes(), str(path))  # Excel's Russian CSV (Windows-1251) too
    except OSError as error:
        raise UsageError(f"{path}: cannot read it ({error})") from None
    rows = csv.DictReader(text.splitlines(), delimiter=delimiter_of(text))
    rows.fieldnames = [name.strip().lower() for name in rows.fieldnames or []]
    missing = [c for c in COLUMNS[:3] if c not in rows.fieldnames]
    if missing:
        raise ScoresError(path, [(0, msg("manual.columns", needed=", ".join(COLUMNS[:3]), optional=COLUMNS[3],
                                                missing=", ".join(missing)))])
    scores: dict[tuple[str, str], Score] = {}
    problems: list[tuple[int, Text]] = []
    for line, row in enumerate(rows, 2):
        problem = _row_problem(row, manual, scores)
        if problem is not None:
            problems.append((line, problem))
        else:
            key = ((row.get("student") or "").strip(), (row.get("question") or "").strip())
            scores[key] = Score(_points(row) or 0.0, (row.get("comment") or "").strip(), line)
    if problems:
        raise ScoresError(path, problems)
    return scores


def _points(row: dict[str, str]) -> float | None:
    from autograder.lms.csvfile import cell_number

    return cell_number(row.get("points") or "")


def _row_problem(row: dict[str, str], manual: dict[str, float], scores: dict[tuple[str, str], Score]) -> Text | None:
    """What is wrong with one row of the table, or None; ``scores`` are the rows before it
    (a second score for the same student and question is an error, not a silent overwrite)."""
    student, question = (row.get("student") or "").strip(), (row.get("question") or "").strip()
    if question not in manual:
        known = ", ".join(manual) or Text(en="none", ru="нет")
        return msg("manual.not_manual", question=repr(question), known=known)
    points = _points(row)
    if points is None:
        return msg("manual.not_number", value=repr(row.get("points")))
    if not math.isfinite(points) or not 0 <= points <= manual[question]:
        return msg("manual.out_of_range", points=f"{points:g}", max_score=f"{manual[question]:g}",
                   question=repr(question))
    if not student:
        return msg("manual.no_student", question=repr(question))
    if (student, question) in scores:
        return msg("manual.twice", question=repr(question))
    return None


def unmatched(scores: dict[tuple[str, str], Score], students: Iterable[str]) -> list[tuple[int, str]]:
    """The rows (line, student) of ``scores`` whose student is none of ``students`` (the
    submission ids and names graded): a misspelt student's score would otherwise be
    dropped without a word."""
    known = set(students)
    return sorted((score.row, student) for (student, _), score in scores.items() if student not in known)


def merge(result: SubmissionResult, manual: dict[str, float], scores: dict[tuple[str, str], Score],
          language: Language) -> SubmissionResult:
    """``result`` with its manual questions as ``scores`` has them (by submission id, or
    by the student's name from an LMS archive)."""
    if not manual:
        return result
    who = [result.submission, str(result.extra.get("student_name") or "")]
    found = {q: next((scores[(w, q)] for w in who if (w, q) in scores), None) for q in manual}
    manual_questions = [_question(q, p, found[q], language) for q, p in manual.items()]
    automatic = [q for q in result.questions if q.name not in manual]
    extra = dict(result.extra, manual={q: _summary(p, found[q]) for q, p in manual.items()})
    return replace(result, questions=(*automatic, *manual_questions), extra=extra)
