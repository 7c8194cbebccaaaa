"""What the fixtures of a check run need: one submission's session and its settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from autograder.config import Settings
from autograder.exceptions import AssignmentError
from autograder.instructor import import_instructor_file
from autograder.sandbox import Session

CONTEXT_KEY = pytest.StashKey["CheckContext"]()


@dataclass
class CheckContext:
    """Set by the suite runner (or by ``--notebook``) before each submission's checks run."""

    assignment: str
    settings: Settings
    reference: ModuleType
    session: Session | None = None
    memo: dict[tuple[str, str], Any] = field(default_factory=dict)  # the ``once`` fixture's


_REFERENCES: dict[Path, ModuleType] = {}


def load_reference(assignment_dir: Path) -> ModuleType:
    """Import the trusted ``reference.py`` of an assignment, once per process."""
    path = (assignment_dir / "reference.py").resolve()
    if path in _REFERENCES:
        return _REFERENCES[path]
    if not path.is_file():
        raise AssignmentError(f"{path} is missing: every assignment needs a reference implementation")
    module = import_instructor_file(path, f"autograder_reference_{assignment_dir.name}")
    _REFERENCES[path] = module
    return module
