"""A question's time budget: its calls together may take what one call may.

Per-call limits stop a call that hangs, but a function that spends most of its limit
on every call and then raises or returns (one that walks the disk) is paid by every
call of its question: seconds per check. So each scope (the checks of one question)
has a budget too: the calls' wall time together may reach ``max(floor, the sum of
their allowances)``, rounded up to a step. A call's allowance is what its own limit
follows, ``reference_factor x the reference's time`` for the same call (the call's
limit where no reference time is known). Once a question's calls have taken more, its
later calls fail at once, as after a time-out: a slow function costs about one call
limit per question, and honest code, 50 times within the reference, never comes near.

Only the time a call spends in the worker counts: starting a fresh worker and
replaying the notebook's cells (after another question's time-out) is not the
question's.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.steps import step_up


@dataclass
class _Clock:
    spent: float = 0.0
    allowed: float = 0.0
    budget: float = 0.0  # what ``allowed`` gives (``ScopeBudgets.budget``), kept with it


class ScopeBudgets:
    """Time spent and allowed per scope, for one submission's session."""

    def __init__(self, floor_s: float) -> None:
        self.floor_s = floor_s
        self._clocks: dict[str, _Clock] = {}

    def charge(self, scope: str | None, seconds: float, allowance: float) -> float | None:
        """Count a call of ``scope``; the budget it went over, when it did (once). (Every
        call is charged: the budget before it is the one its scope's clock keeps.)"""
        if scope is None:
            return None
        clock = self._clocks.get(scope)
        if clock is None:
            clock = self._clocks[scope] = _Clock()
            clock.budget = self.budget(clock)
        before = clock.spent > clock.budget
        clock.spent += max(0.0, seconds)
        clock.allowed += max(0.0, allowance)
        clock.budget = budget = self.budget(clock)
        return budget if clock.spent > budget and not before else None

    def budget(self, clock: _Clock) -> float:
        return step_up(max(self.floor_s, clock.allowed))
