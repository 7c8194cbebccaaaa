"""Master notebook -> student notebook.

The master (``assignments/<name>/source.ipynb``) holds the solutions between
``### BEGIN SOLUTION`` / ``### END SOLUTION`` (the nbgrader convention), a code cell
tagged ``setup`` and perhaps cells tagged ``instructor``. The student notebook gets a
stub in place of each solution region, loses the instructor cells and all outputs,
and gets a generated setup cell that embeds the ``student`` package's source and the
public examples as data: it works in a fresh Jupyter or Colab with only the file.
An assignment's ``data/`` folder is written beside the student notebook, and the
notebook says, after its setup cell, how to get those files in Colab.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from autograder.cell_ids import fitted, fixed_id
from autograder.setup_cell import setup_source
from autograder.config import DATA_NAME, Settings
from autograder.instructor import load_reference
from autograder.examples import expected, load_examples
from autograder.exceptions import AssignmentError
from autograder.notebook import read_with_nbformat
from student.messages import text

SETUP_TAG = "setup"
INSTRUCTOR_TAG = "instructor"
MASTER_NAME = "source.ipynb"

_MARKER = re.compile(r"^#+\s*(BEGIN|END)\s+SOLUTION\s*$")
_DROPPED_CELL_METADATA = ("nbgrader", "execution", "ExecuteTime", "autograder")


def strip_solutions(source: str, where: str, stub: str) -> str:
    """``source`` with each solution region replaced by ``stub`` at the region's indentation."""
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(keepends=True), 1):  # blank lines at the end kept
        stripped = line.strip()
        marker = _MARKER.match(stripped)
        if marker is None and "SOLUTION" in stripped and ("BEGIN" in stripped or "END" in stripped):
            raise AssignmentError(f"{where}, line {number}: a solution marker must be alone on its line: {stripped!r}")
        if marker is None:
            if not inside:
                out.append(line)
        elif marker.group(1) == "BEGIN":
            if inside:
                raise AssignmentError(f"{where}, line {number}: BEGIN SOLUTION inside another solution region")
            inside = True
            out.append(line[: len(line) - len(line.lstrip())] + stub + line[len(line.rstrip("\r\n")):])
        else:
            if not inside:
                raise AssignmentError(f"{where}, line {number}: END SOLUTION without BEGIN SOLUTION")
            inside = False
    if inside:
        raise AssignmentError(f"{where}: BEGIN SOLUTION without END SOLUTION")
    return "".join(out)


def _tags(cell: NotebookNode) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    return [str(t) for t in tags] if isinstance(tags, list) else []


def _student_text(cell: NotebookNode) -> Any:
    """The cell's text for students when the master gives it (``autograder new --from``
    keeps the blank notebook's own cell: its placeholders, indentation and blank lines)."""
    mine = cell.get("metadata", {}).get("autograder", {})
    return mine.get("student") if isinstance(mine, dict) else None


def _clean(cell: NotebookNode) -> NotebookNode:
    nbgrader = cell.metadata.get("nbgrader")
    for key in _DROPPED_CELL_METADATA:
        cell.metadata.pop(key, None)
    if isinstance(nbgrader, dict) and nbgrader.get("grade") and not nbgrader.get("solution"):
        cell.metadata["nbgrader"] = nbgrader  # an imported nbgrader test cell: graded where it is, by grade_id
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    return cell


def read_master(path: Path) -> NotebookNode:
    if not path.is_file():
        raise AssignmentError(f"{path} is missing: every assignment needs a master notebook")
    try:
        return read_with_nbformat(path)
    except Exception as error:  # nbformat raises many kinds for a broken file
        raise AssignmentError(f"{path} is not a readable notebook: {error}") from None


def convert(master: NotebookNode, name: str, examples: list[dict[str, Any]], language: str,
            where: str = MASTER_NAME, data_files: Sequence[str] = (), server: str | None = None) -> NotebookNode:
    """The student version of ``master`` (which is left unchanged); ``data_files`` are
    the assignment's files under ``data/``, which a note after the setup cell names;
    ``server``, the course server's address, adds ``submit(token)`` and a last cell to call it."""
    notebook = nbformat.from_dict(json.loads(json.dumps(master)))
    setup_cells = [c for c in notebook.cells if c.cell_type == "code" and SETUP_TAG in _tags(c)]
    if len(setup_cells) != 1:
        raise AssignmentError(f"{where}: needs exactly one code cell tagged {SETUP_TAG!r}, found {len(setup_cells)}")
    code_stub = f'raise NotImplementedError("{text("stub", language)}")'
    cells = []
    for index, cell in enumerate(notebook.cells, 1):
        tags = _tags(cell)
        if INSTRUCTOR_TAG in tags:
            continue
        if cell is setup_cells[0]:
            cell.source = setup_source(examples, language, server, name)
            cell.metadata["jupyter"] = {"source_hidden": True}
            cell.metadata["cellView"] = "form"  # Colab shows only the title line
            if data_files:
                cells.append(_clean(cell))
                cell = _data_note(data_files, language)
        elif isinstance(_student_text(cell), str):
            cell.source = _student_text(cell)
        elif cell.cell_type == "code":
            cell.source = strip_solutions(cell.source, f"{where}, cell {index}", code_stub)
        elif cell.cell_type == "markdown":
            cell.source = strip_solutions(cell.source, f"{where}, cell {index}", text("stub_markdown", language))
        cells.append(_clean(cell))
    if server:
        cells.append(_submit_cell(language))
    notebook.cells = cells
    fitted(notebook)  # the cells added have ids only where the master's version has them
    notebook.metadata["autograder"] = {"assignment": name}
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        raise AssignmentError(f"{where}: the student notebook would not be valid: {error.message}") from None
    return notebook


def _submit_cell(language: str) -> NotebookNode:
    return fixed_id(nbformat.v4.new_code_cell(text("submit_cell", language)), "submit")


def _data_note(files: Sequence[str], language: str) -> NotebookNode:
    shown = ", ".join(f"`{DATA_NAME}/{f}`" for f in files[:5]) + (", ..." if len(files) > 5 else "")
    return fixed_id(nbformat.v4.new_markdown_cell(text("data_note", language, files=shown)), "data")


def data_files(settings: Settings, name: str) -> dict[str, Path]:
    """The assignment's data files: path relative to ``data/`` -> file (hidden ones left out)."""
    folder = settings.data_dir(name)
    if folder is None:
        return {}
    return {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)}


def generate_student_notebook(name: str, settings: Settings, server: str | None = None) -> NotebookNode:
    """The student notebook of assignment ``name`` (raises AssignmentError with a reason);
    with ``server``, it can ``submit(token)`` itself to the course server there."""
    folder = settings.assignment_dir(name)
    master = read_master(folder / MASTER_NAME)
    examples = expected(load_examples(folder), load_reference(folder))
    return convert(master, name, examples, settings.language, where=str(folder / MASTER_NAME),
                   data_files=list(data_files(settings, name)), server=server)


def _gather_data(names: Sequence[str], settings: Settings) -> dict[str, Path]:
    """Every data file of these assignments by its path under ``data/``; two
    assignments that ship different files under one path cannot share a folder."""
    gathered: dict[str, tuple[str, Path]] = {}
    for name in names:
        for relative, path in data_files(settings, name).items():
            if relative in gathered and gathered[relative][1].read_bytes() != path.read_bytes():
                raise AssignmentError(
                    f"{DATA_NAME}/{relative} differs between assignments {gathered[relative][0]!r} "
                    f"and {name!r}: assign them into different --out folders")
            gathered.setdefault(relative, (name, path))
    return {relative: path for relative, (_, path) in gathered.items()}


def write_student_notebooks(names: Sequence[str], settings: Settings, out_dir: Path,
                            server: str | None = None) -> list[Path]:
    """``out_dir/<name>.ipynb`` for each name (every assignment when ``names`` is empty),
    and the assignments' data files under ``out_dir/data/``."""
    chosen = list(names) or list(settings.config.assignments)
    notebooks = [(name, generate_student_notebook(name, settings, server)) for name in chosen]
    data = _gather_data(chosen, settings)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, notebook in notebooks:
        path = out_dir / f"{name}.ipynb"
        nbformat.write(notebook, path)
        paths.append(path)
    for relative, source in data.items():
        target = out_dir / DATA_NAME / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        paths.append(target)
    return paths
