"""The leaderboard: the metric a hidden-data check measured, ranked, in grades.csv and
the class summary; pseudonyms unless the config says names; off unless asked for."""

from __future__ import annotations

import json
from pathlib import Path

from autograder.config import Leaderboard
from autograder.reports.base import ReportContext
from autograder.reports.grades_csv import grades_csv
from autograder.reports.leaderboard import pseudonym, ranking
from autograder.reports.summary_html import render_summary
from autograder.results import CheckResult, QuestionResult, SubmissionResult


def result(submission: str, accuracy: float | None, name: str = "") -> SubmissionResult:
    fraction = min(1.0, max(0.0, ((accuracy or 0.0) - 0.8) / 0.15))
    check = CheckResult("accuracy on hidden digits", fraction >= 1, 6.0 * fraction, 6.0, "hidden", "",
                        None if accuracy is None else {"name": "accuracy", "value": accuracy})
    return SubmissionResult(assignment="digits", submission=submission,
                            questions=(QuestionResult("accuracy", (check,), 6.0),), errors=(), duration_s=1.0,
                            extra={"student_name": name} if name else {})


CLASS = [result("ivanov", 0.9582, "Иван Иванов"), result("petrova", 0.9499, "Мария Петрова"),
         result("popov", 0.9721, "Пётр Попов"), result("sidorov", 0.1978, "Сергей Сидоров"),
         result("smirnov", 0.9582, "Анна Смирнова"), result("empty", None)]
BOARD = Leaderboard(question="accuracy")


def test_ranked_best_first_ties_share_a_rank_and_unmeasured_are_left_out() -> None:
    entries = ranking(CLASS, "accuracy", names=True)
    assert [(e.rank, e.submission) for e in entries] == [(1, "popov"), (2, "ivanov"), (2, "smirnov"),
                                                         (4, "petrova"), (5, "sidorov")]
    assert entries[0].who == "Пётр Попов" and entries[0].metric == "accuracy"


def test_pseudonyms_are_stable_and_hide_the_id() -> None:
    entries = ranking(CLASS, "accuracy", salt="s3cret")
    assert entries[0].who == pseudonym("popov", "s3cret") == ranking(CLASS, "accuracy", salt="s3cret")[0].who
    assert all(e.submission not in e.who and "Попов" not in e.who for e in entries)
    assert pseudonym("popov", "other") != pseudonym("popov", "s3cret")


def test_grades_csv_gets_the_metric_and_the_rank_only_when_asked() -> None:
    rows = grades_csv(CLASS, ["accuracy"], BOARD).splitlines()
    assert rows[0].endswith(",sandbox,leaderboard_accuracy,rank")
    assert [r for r in rows if r.startswith("popov,")][0].endswith(",0.9721,1")
    assert [r for r in rows if r.startswith("empty,")][0].endswith(",,")
    assert "rank" not in grades_csv(CLASS, ["accuracy"]).splitlines()[0]


def test_the_summary_shows_the_board_under_pseudonyms_unless_names(tmp_path: Path) -> None:
    context = ReportContext("digits", "Цифры", "ru", ("accuracy",), leaderboard=BOARD, pseudonym_salt="x")
    page = render_summary(CLASS, context)
    assert "Рейтинг: accuracy" in page and "0.9721" in page and "под псевдонимами" in page
    board = page.split("Рейтинг: accuracy")[1].split("</table>")[0]
    assert pseudonym("popov", "x") in board and "Пётр Попов" not in board and "popov" not in board
    named = render_summary(CLASS, ReportContext("digits", "Цифры", "ru", ("accuracy",),
                                                leaderboard=Leaderboard(question="accuracy", names=True)))
    assert "Пётр Попов" in named.split("Рейтинг: accuracy")[1].split("</table>")[0]
    assert "Рейтинг" not in render_summary(CLASS, ReportContext("digits", "Цифры", "ru", ("accuracy",)))


def test_gradescope_results_carry_the_metric_for_gradescopes_own_leaderboard(tmp_path: Path) -> None:
    """Gradescope ranks the class itself from each results.json's ``leaderboard`` section."""
    from autograder.reports.gradescope import Gradescope, gradescope_json

    context = ReportContext("digits", "Цифры", "ru", ("accuracy",), leaderboard=BOARD)
    written = Gradescope().write([CLASS[0]], context, tmp_path)[0]
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["leaderboard"] == [{"name": "accuracy", "value": 0.9582, "order": "desc"}]
    assert "leaderboard" not in gradescope_json(CLASS[0])                     # not asked for
    assert "leaderboard" not in gradescope_json(CLASS[-1], leaderboard=BOARD)  # nothing measured

    check = CheckResult("error on hidden prices", True, 6.0, 6.0, "hidden", "", {"name": "mse", "value": 0.25})
    regression = SubmissionResult(assignment="prices", submission="a", errors=(), duration_s=1.0,
                                  questions=(QuestionResult("fit", (check,), 6.0),))
    assert gradescope_json(regression, leaderboard=Leaderboard(question="fit"))["leaderboard"] == [
        {"name": "mse", "value": 0.25, "order": "asc"}]
