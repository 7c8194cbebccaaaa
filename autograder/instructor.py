"""Importing the instructor's own Python files (references, examples): trusted code.

Never used for anything a student wrote: that runs only in the jail.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def import_instructor_file(path: Path, module_name: str) -> ModuleType:
    """Import ``path`` as ``module_name`` (registered in ``sys.modules``)."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
