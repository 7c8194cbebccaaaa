"""Loading the instructor's own files (references, examples, master notebooks): trusted.

Never used for anything a student wrote: that runs only in the jail.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from autograder.exceptions import AssignmentError, NotebookError

if TYPE_CHECKING:
    from autograder.notebook import CodeCell


def import_instructor_file(path: Path, module_name: str) -> ModuleType:
    """Import ``path`` as ``module_name`` (registered in ``sys.modules``)."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def _inside(filename: str, folder: Path) -> Path | None:
    """``filename`` relative to ``folder`` when it is a file in it, else None."""
    try:
        return Path(filename).resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return None


def innermost_frame(error: BaseException, folder: Path) -> tuple[Path, traceback.FrameSummary] | None:
    """The innermost frame of ``error``'s traceback in a file of ``folder`` (an
    assignment's: its reference, examples, checks), with that file's path relative to it."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        relative = _inside(frame.filename, folder)
        if relative is not None:
            return relative, frame
    return None


def raised_at(error: BaseException, folder: Path | None) -> str | None:
    """``/course/assignments/x/reference.py:9``: where in the files of ``folder`` (an
    assignment's) ``error`` was raised, the innermost such frame: the file and line the
    author fixes, named in full as load-time messages name files, since the grader shows
    authors no traceback. None when none of them is on its traceback (or no folder)."""
    found = innermost_frame(error, folder) if folder is not None else None
    if found is None or folder is None:
        return None
    relative, frame = found
    return f"{folder.resolve() / relative}:{frame.lineno}"


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


def notebook_imports(master: Path) -> list[str]:
    """The modules a master notebook imports (``import a.b``, ``from a.b import c``),
    in order of appearance, leaving out its ``setup`` cell (which students never see).

    The jail preloads these once, so each student's worker starts with them imported.
    Read as JSON, as a submission is, not through nbformat's schema: this runs before
    the jail starts, on the path of every ``autograder grade``.
    """
    from autograder.notebook import cell_source, imported_modules, parse_cell

    cells = _master_json(master)["cells"]
    found: dict[str, None] = {}
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code" or \
                "setup" in cell.get("metadata", {}).get("tags", []):
            continue
        tree = parse_cell(cell_source(cell))
        if tree is not None:
            found.update((module, None) for module in imported_modules(tree))
    return list(found)


def _master_json(master: Path) -> dict[str, Any]:
    """The master's JSON, read as a submission is (a byte-order mark, nbformat 3)."""
    from autograder.notebook import load_notebook

    try:
        return load_notebook(master)
    except NotebookError as error:
        raise AssignmentError(f"{master} is not a readable notebook: {error}") from None


def master_cells(master: Path) -> list[CodeCell]:
    """The master notebook's code cells as a student's notebook would hold them solved:
    without its ``setup`` and ``instructor`` cells. Run in the jail, they give the time
    an honest notebook needs (``timing.cell_limits``)."""
    from autograder.notebook import CodeCell, cell_source, transform_ipython

    cells = _master_json(master)["cells"]
    found = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        source = cell_source(cell)
        if "setup" not in tags and "instructor" not in tags and source.strip():
            found.append(CodeCell(index, transform_ipython(source)))
    return found
