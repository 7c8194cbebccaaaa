"""The few fixed steps every adaptive time limit is rounded up to.

Limits that follow the reference's measured time (``timing``) and a question's time
budget (``autograder.budget``) are rounded up to these steps, so that a small change in
a measured time does not change a limit, nor a message that names it.
"""

from __future__ import annotations

import math

STEPS = (0.1, 0.2, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0, 180.0, 300.0, 600.0)


def step_up(seconds: float) -> float:
    """The first step at or above ``seconds`` (whole seconds beyond the last step)."""
    for step in STEPS:
        if seconds <= step:
            return step
    return float(math.ceil(seconds))
