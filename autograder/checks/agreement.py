"""Checks and configuration must agree, or the assignment does not load (fail closed).

An instructor's slip would otherwise turn silently into grades: a test function
without ``@check`` is never run, ``@check("sigmod")`` earns nobody anything, and a
configured question without a hidden check is decided by its public examples alone
(or by nothing). Each rule broken is one line naming the file and the question.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from autograder.outcomes import CheckSpec


def disagreements(checks: Sequence[tuple[str, CheckSpec | None]], questions: Sequence[str],
                  assignment: str, config_path: Path, checks_dir: Path) -> list[str]:
    """Every way the collected ``checks`` (where each was found, what its mark says)
    and the configured ``questions`` disagree, one line each; empty when they agree."""
    key = f"{config_path}: assignments.{assignment}.questions"
    problems = mark_problems(checks, questions, assignment, config_path)
    checked = {spec.question for _, spec in checks if spec is not None}
    problems += [f"{key}.{question}: no hidden check in {checks_dir} (add a test marked "
                 f"@check({question!r}, ...); public examples alone do not grade a question)"
                 for question in questions if question not in checked]
    return problems


def mark_problems(checks: Sequence[tuple[str, CheckSpec | None]], questions: Sequence[str],
                  assignment: str, config_path: Path) -> list[str]:
    """The rules each check keeps on its own (marked with @check, of a configured
    question), one line per check that breaks one: what pytest can tell when it runs
    some of the checks (``-k``, one file), where a question without a check may be
    among those it did not collect."""
    key = f"{config_path}: assignments.{assignment}.questions"
    known = ", ".join(questions)
    problems = [f"{where}: a test function without @check(question, en=..., ru=...): it would never "
                f"be graded (mark it, or rename it so that its name does not start with 'test')"
                for where, spec in checks if spec is None]
    problems += [f"{where}: @check({spec.question!r}): {key} has no question {spec.question!r} "
                 f"(configured: {known})"
                 for where, spec in checks if spec is not None and spec.question not in questions]
    return problems
