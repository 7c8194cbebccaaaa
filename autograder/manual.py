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
from autograder.i18n import Language, msg, points as count_points
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


def read_scores(path: Path, manual: dict[str, float]) -> dict[tuple[str, str], Score]:
    """The instructor's scores, by (student, question); a bad row is a one-line error.

    Read as Excel saves a table: comma, semicolon (Excel in Russian) or tab between the
    columns, a decimal comma in ``points`` (``2,5``), column names in any case."""
    from autograder.lms.csvfile import cell_number, delimiter_of, text_of

    try:
        text = text_of(path.read_bytes(), str(path))  # Excel's Russian CSV (Windows-1251) too
    except OSError as error:
        raise UsageError(f"{path}: cannot read it ({error})") from None
    rows = csv.DictReader(text.splitlines(), delimiter=delimiter_of(text))
    rows.fieldnames = [name.strip().lower() for name in rows.fieldnames or []]
    missing = [c for c in COLUMNS[:3] if c not in rows.fieldnames]
    if missing:
        raise UsageError(f"{path}: needs the columns {', '.join(COLUMNS[:3])} and optionally "
                         f"{COLUMNS[3]} (missing: {', '.join(missing)})")
    scores: dict[tuple[str, str], Score] = {}
    for line, row in enumerate(rows, 2):
        student, question = (row.get("student") or "").strip(), (row.get("question") or "").strip()
        if question not in manual:
            known = ", ".join(manual) or "none"
            raise UsageError(f"{path}:{line}: {question!r} is not a question graded by hand (those are: {known})")
        points = cell_number(row.get("points") or "")
        if points is None:
            raise UsageError(f"{path}:{line}: points {row.get('points')!r} is not a number")
        if not math.isfinite(points) or not 0 <= points <= manual[question]:
            raise UsageError(f"{path}:{line}: points {points:g} outside 0..{manual[question]:g} for {question!r}")
        if not student or (student, question) in scores:
            raise UsageError(f"{path}:{line}: {'a second score' if student else 'no student'} for {question!r}")
        scores[(student, question)] = Score(points, (row.get("comment") or "").strip(), line)
    return scores


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
