"""The leaderboard: a class ranked by a model's metric on hidden data (opt-in per assignment).

``grading_config.yaml`` turns it on with ``leaderboard: {question: accuracy}`` beside the
question's ``hidden_data`` bands; each result keeps the metric its check measured (the
check's ``metric`` key), so the ranking is read from result files alone. Students appear
under pseudonyms (stable per submission id and course secret) unless ``names: true``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from autograder import metrics
from autograder.results import SubmissionResult

ADJECTIVES = ("Быстрый", "Тихий", "Смелый", "Ясный", "Мудрый", "Ловкий", "Зоркий", "Тёплый")
ANIMALS = ("ёж", "кот", "лис", "волк", "барсук", "филин", "бобр", "заяц")


@dataclass(frozen=True)
class Entry:
    rank: int
    who: str
    submission: str
    metric: str
    value: float


def measured(result: SubmissionResult, question: str) -> tuple[str, float] | None:
    """The metric a result's check of ``question`` measured, if any."""
    for q in result.questions:
        if q.name == question:
            for check in q.checks:
                if check.metric is not None:
                    return str(check.metric["name"]), float(check.metric["value"])
    return None


def pseudonym(submission: str, salt: str = "") -> str:
    """A stable, friendly name for a submission id: the same id and salt, the same name."""
    digest = hashlib.sha256(f"{salt}\0{submission}".encode()).digest()
    return f"{ADJECTIVES[digest[0] % len(ADJECTIVES)]} {ANIMALS[digest[1] % len(ANIMALS)]} {digest[2:4].hex()}"


def ranking(results: Sequence[SubmissionResult], question: str, *, names: bool = False,
            salt: str = "") -> list[Entry]:
    """Submissions with a measured metric, best first (ties share a rank, by id after)."""
    found = [(r, m) for r in results if (m := measured(r, question)) is not None]
    if not found:
        return []
    higher = metrics.higher_is_better(found[0][1][0])
    found.sort(key=lambda item: (-item[1][1] if higher else item[1][1], item[0].submission))
    entries: list[Entry] = []
    for position, (result, (name, value)) in enumerate(found, start=1):
        rank = entries[-1].rank if entries and entries[-1].value == value else position
        who = (str(result.extra.get("student_name") or result.submission)) if names else pseudonym(result.submission, salt)
        entries.append(Entry(rank, who, result.submission, name, value))
    return entries
