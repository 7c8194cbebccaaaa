"""What the fixtures of a check run need: one submission's session and its settings."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from autograder.config import Settings
from autograder.exceptions import AssignmentError
from autograder.sandbox import Session

CONTEXT_KEY = pytest.StashKey["CheckContext"]()


@dataclass
class CheckContext:
    """Set by the suite runner (or by ``--notebook``) before each submission's checks run."""

    assignment: str
    settings: Settings
    reference: ModuleType
    session: Session | None = None


_REFERENCES: dict[Path, ModuleType] = {}


def load_reference(assignment_dir: Path) -> ModuleType:
    """Import the trusted ``reference.py`` of an assignment, once per process."""
    path = (assignment_dir / "reference.py").resolve()
    if path in _REFERENCES:
        return _REFERENCES[path]
    if not path.is_file():
        raise AssignmentError(f"{path} is missing: every assignment needs a reference implementation")
    name = f"autograder_reference_{assignment_dir.name}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    _REFERENCES[path] = module
    return module
