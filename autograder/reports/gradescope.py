"""Gradescope's ``results.json``, so the grader can run as a Gradescope autograder.

Gradescope's documented format: top-level ``score`` (it overrides the sum of the
tests, which is how the late penalty is applied), ``output``, ``visibility``,
``stdout_visibility``, ``extra_data`` (the sandbox), ``tests`` and, for an assignment
with a ``leaderboard:``, its ``leaderboard``; each test with ``name``, ``score``,
``max_score``, ``status`` (``passed``/``failed``), ``visibility`` and ``output``.
Hidden checks are still listed (their code is what is hidden, not their outcome);
their messages follow ``feedback.show_hidden_details``, and without the details they
are shown once the instructor publishes the grades (``after_published``), the same
from ``grade --gradescope`` and from the autograder package's ``run_autograder``.

A question graded by hand (``manual:``) and not scored yet is no test: on Gradescope the
instructor grades it in Gradescope's own rubric, as a manually graded question of the
assignment, and the autograder never scores it, so a "not scored yet" test would stay
forever. Scored by ``grade --manual`` before ``--gradescope``, its test carries the score.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograder import metrics
from autograder.config import Leaderboard
from autograder.exceptions import UsageError
from autograder.i18n import Language
from autograder.reports.base import ReportContext, register
from autograder.reports.feedback import late_line, score_line
from autograder.reports.leaderboard import measured
from autograder.reports.text import visible_message
from autograder.atomic import write_atomic
from autograder.results import SubmissionResult

FILENAME = "results.json"


def leaderboard_entries(result: SubmissionResult, leaderboard: Leaderboard | None) -> list[dict[str, Any]]:
    """Gradescope's ``leaderboard`` section: the metric the leaderboard question's check
    measured, ``asc`` for a metric where lower is better (mse). Gradescope ranks the class
    itself, under the pseudonyms students choose when they submit; none when the
    assignment has no leaderboard or the check measured nothing."""
    found = measured(result, leaderboard.question) if leaderboard is not None else None
    if found is None:
        return []
    name, value = found
    return [{"name": name, "value": value, "order": "desc" if metrics.higher_is_better(name) else "asc"}]


def gradescope_json(result: SubmissionResult, *, show_hidden_details: bool = True,
                    leaderboard: Leaderboard | None = None, zone: str = "") -> dict[str, Any]:
    language: Language = "en" if result.language == "en" else "ru"
    output = [score_line(result, language)]
    if result.late is not None:
        output.append(late_line(result, language, zone))
    output.extend(result.errors)
    tests = [
        {
            "name": f"{question.name}: {check.name}",
            "score": check.score,
            "max_score": check.max_score,
            "status": "passed" if check.passed else "failed",
            "visibility": "visible" if check.visibility != "hidden" or show_hidden_details else "after_published",
            "output": visible_message(check, show_hidden_details, language),
        }
        for question in result.questions if not result.awaits_hand_score(question)
        for check in question.checks
    ]
    board = leaderboard_entries(result, leaderboard)
    return {
        "score": result.score,
        "execution_time": round(result.duration_s, 3),
        "output": "\n\n".join(output),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        # Stored by Gradescope with the submission, never shown to the student: which jail
        # ran it, so a grade from a container without bwrap ("landlock", "none") is known.
        "extra_data": {"sandbox": result.sandbox},
        **({"leaderboard": board} if board else {}),
    }


def write_gradescope(result: SubmissionResult, path: Path, *, show_hidden_details: bool = True,
                     leaderboard: Leaderboard | None = None, zone: str = "") -> Path:
    """Write one submission's ``results.json`` to ``path`` (Gradescope reads
    ``/autograder/results/results.json``)."""
    data = gradescope_json(result, show_hidden_details=show_hidden_details, leaderboard=leaderboard, zone=zone)
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path


class Gradescope:
    name = "gradescope"

    def write(self, results: Sequence[SubmissionResult], context: ReportContext,
              out_dir: Path) -> list[Path]:
        if len(results) != 1:
            raise UsageError(f"the gradescope format needs exactly one submission, got {len(results)}")
        return [write_gradescope(results[0], out_dir / FILENAME, show_hidden_details=context.show_hidden_details,
                                 leaderboard=context.leaderboard, zone=context.timezone)]


register(Gradescope())
