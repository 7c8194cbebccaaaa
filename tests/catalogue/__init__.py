"""Catalogues of submissions (right, wrong, broken, hostile) with their expected grades.

Each ``tests/catalogue/<assignment>.py`` defines ``CASES: list[Case]``;
``tests/test_catalogue.py`` grades every case through the real pipeline and jail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Expected = float | Literal["full"]


@dataclass(frozen=True)
class Case:
    """One submission: its code cells, the score of every question, expected diagnoses.

    ``expected`` maps each question to its score (a float, or "full"); questions not
    named are expected to score full marks. ``messages`` maps a question (or
    ``"errors"`` for the result's error list) to a substring that must appear in that
    question's failing-check messages (or in the errors), or to several, each of which must.
    """

    id: str
    cells: list[str]
    expected: dict[str, Expected] = field(default_factory=dict)
    messages: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
