"""How the submissions of an imported assignment are run: the other grader's rules.

An imported assignment keeps ``imported.json`` beside its checks; the grader reads it
once (:func:`load_rules`) and applies it to every submission's cells before the jail
runs them (:func:`rewrite_cells`), so that the notebook runs as it would under otter
or nbgrader:

- otter: cells tagged ``otter_ignore`` are not run; with ``seed`` in its
  ``otter_config.json``, every cell starts by seeding ``numpy`` and ``random`` (or by
  setting ``seed_variable``), as otter's intercell seeding does; with support files,
  the notebook runs in the folder that holds them (otter copies them beside it);
- nbgrader: each autograder test cell, found by its ``grade_id``, is replaced by a
  checkpoint: its tests (run in the grader) see the notebook's state at that cell, and
  a test cell the student deleted (or whose ``grade_id`` changed) is never reached,
  which scores 0 as in nbgrader. A test cell the student emptied or turned into Markdown
  still has its ``grade_id``: nbgrader restores its type and text and runs it, so it is a
  checkpoint too. In a notebook that lost all its cell metadata (Colab), the test cells
  are found by their text instead.

The jail side of checkpoints and of otter's ``grader.check`` cells is
``autograder/sandbox/inside/standins.py``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from autograder.exceptions import AssignmentError
from autograder.notebook import CodeCell, load_notebook

RULES_FILE = "imported.json"
STANDINS = "_autograder_standins"  # the jail's stand-in module (sandbox/inside/standins.py)
IGNORE_TAG = "otter_ignore"


@dataclass(frozen=True)
class ImportRules:
    """What ``imported.json`` says; the defaults change nothing."""

    origin: Literal["otter", "nbgrader"]
    seed: int | None = None
    seed_variable: str | None = None
    in_data: bool = False                   # run in ./data (otter's support files sit beside the notebook)
    test_cells: list[str] = field(default_factory=list)   # nbgrader grade_ids, in order
    test_sources: dict[str, str] = field(default_factory=dict)  # grade_id -> the students' copy of the cell


def write_rules(rules: ImportRules, folder: Path) -> None:
    (folder / RULES_FILE).write_text(json.dumps(asdict(rules), indent=2) + "\n", encoding="utf-8")


def load_rules(folder: Path) -> ImportRules | None:
    """The rules of the assignment in ``folder``; None when it was not imported."""
    path = folder / RULES_FILE
    if not path.is_file():
        return None
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        return ImportRules(**data)
    except (ValueError, TypeError) as error:
        raise AssignmentError(f"{path}: not the rules `autograder import` wrote ({error})") from None


def checkpoint_source(label: str) -> str:
    """The cell that stands for a test cell: the notebook's state there is kept as ``label``."""
    return f"__import__({STANDINS!r}).checkpoint({label!r})\n"


def rewrite_cells(rules: ImportRules, path: Path, cells: list[CodeCell]) -> list[CodeCell]:
    """``cells`` (read from the notebook at ``path``) as the other grader would run them."""
    metadata = _metadata(path)
    by_source = _by_source(rules, cells) if rules.origin == "nbgrader" and not any(
        isinstance(m.get("nbgrader"), dict) for m in metadata.values()) else {}
    if rules.origin == "nbgrader":
        cells = sorted([*cells, *_restored_test_cells(rules, metadata, cells)], key=lambda cell: cell.index)
    out = []
    for cell in cells:
        meta = metadata.get(cell.index, {})
        tags = meta.get("tags", [])
        if rules.origin == "otter" and isinstance(tags, list) and IGNORE_TAG in tags:
            continue
        nbgrader = meta.get("nbgrader")
        grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else by_source.get(cell.index)
        if rules.origin == "nbgrader" and isinstance(grade_id, str) and grade_id in rules.test_cells:
            cell = CodeCell(cell.index, checkpoint_source(grade_id))
        elif rules.seed is not None and not cell.source.lstrip().startswith("%%"):
            cell = CodeCell(cell.index, _seeding(rules) + cell.source)
        out.append(cell)
    if rules.in_data and out:
        first = out[0]
        out[0] = CodeCell(first.index, "__import__('os').chdir('data')\n" + first.source)
    return out


def _restored_test_cells(rules: ImportRules, metadata: dict[int, dict[str, Any]],
                         cells: list[CodeCell]) -> list[CodeCell]:
    """The test cells that are not among ``cells`` (the non-empty code cells) but kept their
    ``grade_id``: emptied, or made Markdown or raw. nbgrader's autograde restores a test
    cell's type and text and runs it; without this they would score 0 as deleted ones."""
    present = {cell.index for cell in cells}
    restored = []
    for index, meta in metadata.items():
        nbgrader = meta.get("nbgrader")
        grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
        if index not in present and isinstance(grade_id, str) and grade_id in rules.test_cells:
            restored.append(CodeCell(index, checkpoint_source(grade_id)))
    return restored


def _by_source(rules: ImportRules, cells: list[CodeCell]) -> dict[int, str]:
    """A notebook that lost all its cell metadata (Colab re-creates cells without it): its
    test cells found by their text, unchanged, each once."""
    wanted = {_normal(source): grade_id for grade_id, source in rules.test_sources.items()}
    found: dict[int, str] = {}
    for cell in cells:
        grade_id = wanted.pop(_normal(cell.source), None)
        if grade_id is not None:
            found[cell.index] = grade_id
    return found


def _normal(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def _seeding(rules: ImportRules) -> str:
    if rules.seed_variable:
        return f"{rules.seed_variable} = {rules.seed!r}\n"
    return (f"__import__('numpy').random.seed({rules.seed!r}); "
            f"__import__('random').seed({rules.seed!r})\n")


def _metadata(path: Path) -> dict[int, dict[str, Any]]:
    """Each cell's metadata by its index (what ``CodeCell.index`` counts)."""
    cells = load_notebook(path).get("cells", [])
    out: dict[int, dict[str, Any]] = {}
    for index, cell in enumerate(cells if isinstance(cells, list) else []):
        meta = cell.get("metadata") if isinstance(cell, dict) else None
        if isinstance(meta, dict):
            out[index] = meta
    return out
