"""What the fixtures of a check run need: one submission's session and its settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from autograder.config import Settings
from autograder.session import Session
from autograder.timing import CallLimits


@dataclass
class CheckContext:
    """Set by the suite runner (or by ``--notebook``) before each submission's checks run."""

    assignment: str
    settings: Settings
    reference: ModuleType
    session: Session | None = None
    memo: dict[tuple[str, str], Any] = field(default_factory=dict)  # the ``once`` fixture's
    digest: tuple[Session, str] | None = None  # the current session's content digest
    call_limits: CallLimits | None = None  # the reference's time per call site (timing.py)
