"""``autograder new NAME --from BLANK.ipynb SOLUTION.ipynb``: the notebooks a course
already publishes (``[seminar]perceptron.ipynb`` and ``[sem_solution]perceptron.ipynb``)
made into an assignment the instructor edits instead of retyping.

The two notebooks' cells are aligned (difflib on their sources); cells the two share
are copied, cells that differ get solution regions (:mod:`.regions`), cells only the
solution has are kept for the instructor (tag ``instructor``), cells only the blank has
stay as they are. The questions, ``reference.py``, public examples and checks come
from the solution's code (:mod:`.derive`). Outputs are dropped: the master is source.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from autograder.cell_ids import fixed_id
from autograder.config import DATA_NAME
from autograder.exceptions import NotebookError, UsageError
from autograder.notebook import cell_source, load_notebook
from autograder.scaffold.cells import MasterCell, cell_label
from autograder.scaffold.course import Draft
from autograder.scaffold.derive import derive
from autograder.scaffold.equivalents import equivalents_text
from autograder.scaffold.optional import optional_questions
from autograder.scaffold.regions import Blanks, cell_regions
from autograder.verify.equivalents import FILENAME as EQUIVALENTS
from autograder.verify.given import given_scopes

if TYPE_CHECKING:
    from autograder.scaffold.record import Recording

SETUP = 'from autograder.examples import make_checker_for\ncheck, check_all = make_checker_for("{name}", globals())'
PAIRING = 0.3  # cells this similar (difflib ratio) are one cell edited, not two cells


def _cells(path: Path) -> list[tuple[str, str, list[str]]]:
    """(type, source, tags) of each markdown and code cell of a notebook."""
    try:
        notebook = load_notebook(path)
    except NotebookError as error:
        raise UsageError(f"{path}: not a notebook I can read ({error})") from None
    found = []
    for cell in notebook["cells"]:
        if isinstance(cell, dict) and cell.get("cell_type") in ("code", "markdown"):
            tags = cell.get("metadata", {}).get("tags", []) if isinstance(cell.get("metadata"), dict) else []
            found.append((str(cell["cell_type"]), cell_source(cell).replace("\r\n", "\n"),
                          [str(t) for t in tags] if isinstance(tags, list) else []))
    return found


def _key(cell: tuple[str, str, list[str]]) -> str:
    return cell[0] + "\0" + "\n".join(line.rstrip() for line in cell[1].strip().split("\n"))


def _defines(source: str) -> set[str]:
    return set(re.findall(r"^(?:def|class)\s+(\w+)", source, re.M))


def _similarity(blank: str, solution: str) -> float:
    """How alike two cells are: 1 when they define the same functions and classes."""
    names = _defines(blank)
    if names and names == _defines(solution):
        return 1.0
    return difflib.SequenceMatcher(None, blank, solution).ratio()


def _pairs(blank: list[Any], solution: list[Any]) -> list[tuple[int | None, int | None]]:
    """Aligned cell indices (blank, solution); None where one notebook has no such cell."""
    matcher = difflib.SequenceMatcher(None, [_key(c) for c in blank], [_key(c) for c in solution],
                                      autojunk=False)
    out: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += list(zip(range(i1, i2), range(j1, j2)))
            continue
        if i2 - i1 == j2 - j1 and all(blank[i][0] == solution[j][0] for i, j in zip(range(i1, i2), range(j1, j2))):
            out += list(zip(range(i1, i2), range(j1, j2)))  # as many cells, of the same kinds: edited ones
            continue
        i = i1
        for j in range(j1, j2):  # each solution cell with the most similar blank cell left
            best, score = None, PAIRING
            for k in range(i, i2):
                if blank[k][0] == solution[j][0]:
                    ratio = _similarity(blank[k][1], solution[j][1])
                    if ratio > score:
                        best, score = k, ratio
            if best is None:
                out.append((None, j))
                continue
            out += [(k, None) for k in range(i, best)] + [(best, j)]
            i = best + 1
        out += [(k, None) for k in range(i, i2)]
    return out


def build_master(blank_path: Path, solution_path: Path, name: str,
                 blanks: Blanks) -> tuple[list[MasterCell], list[str]]:
    """The master's cells (setup cell first after the title) and notes for the instructor."""
    blank, solution = _cells(blank_path), _cells(solution_path)
    cells: list[MasterCell] = []
    notes: list[str] = []
    for i, j in _pairs(blank, solution):
        if j is None:
            assert i is not None
            kind, source, _ = blank[i]
            cells.append(MasterCell(kind, source))
            if source.strip():  # an empty one is room to write in: nothing to look at
                notes.append(f"{cell_label(source)}: only in the blank, kept as it is")
        elif i is None:
            kind, source, _ = solution[j]
            if source.strip():  # an empty one holds nothing for the instructor either
                cells.append(MasterCell(kind, source, ("instructor",)))
                notes.append(f"{cell_label(source)}: only in the solution, kept for you (tag instructor)")
        elif blank[i][1] == solution[j][1]:
            cells.append(MasterCell(solution[j][0], solution[j][1]))
        else:
            kind = solution[j][0]
            made = cell_regions(blank[i][1], solution[j][1], kind == "code", blanks)
            cells.append(MasterCell(kind, made.source, (), tuple(made.regions), blank[i][1]))
            notes += [f"{cell_label(made.source)}: {note}" for note in made.notes]
    at = 1 if cells and cells[0].cell_type == "markdown" else 0
    cells.insert(at, MasterCell("code", SETUP.format(name=name), ("setup",)))
    return cells, notes


def title_of(cells: list[MasterCell], fallback: str) -> str:
    """The notebook's title: its highest-level heading (a Markdown ``#`` line or an HTML
    ``<h1>``..``<h6>``, as the course's Colab notebooks write them), the first of that
    level; ``fallback`` when it has none. Read from the cells students get (the blank's
    own text where the solution's differs), since feedback shows the title to them: a
    solution titled "...: решение" must not name the assignment so."""
    found: list[tuple[int, str]] = []
    for cell in cells:
        if cell.cell_type != "markdown" or "instructor" in cell.tags:
            continue
        shown = cell.student if cell.student is not None else cell.source
        for line in shown.split("\n"):
            markdown = re.match(r"^(#{1,6})\s+(\S.*)$", line.strip())
            html = re.search(r"<h([1-6])\b[^>]*>(.*?)</h\1>", line, re.IGNORECASE)
            if markdown:
                found.append((len(markdown.group(1)), markdown.group(2)))
            elif html:
                found.append((int(html.group(1)), html.group(2)))
    for _, raw in sorted(found, key=lambda item: item[0]):  # stable: the first of the top level
        text = re.sub(r"<[^>]+>", "", raw).replace("**", "").replace("__", "").strip(" #*_")
        if text:
            return text
    return fallback


def notebook_of(cells: list[MasterCell]) -> str:
    """The master notebook's text (nbformat 4, no outputs, tags the only cell metadata)."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                         "language_info": {"name": "python"}}
    for number, cell in enumerate(cells, 1):
        made = fixed_id(nbformat.v4.new_code_cell(cell.source) if cell.cell_type == "code"
                        else nbformat.v4.new_markdown_cell(cell.source), "master", str(number))
        if cell.tags:
            made.metadata["tags"] = list(cell.tags)
        if cell.student is not None:
            made.metadata["autograder"] = {"student": cell.student}
        notebook.cells.append(made)
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def data_files(blank_path: Path) -> dict[str, bytes]:
    """The ``data/`` folder beside the blank notebook (what it reads at ./data/...)."""
    folder = blank_path.parent / DATA_NAME
    if not folder.is_dir():
        return {}
    return {f"{DATA_NAME}/{p.relative_to(folder).as_posix()}": p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def solution_recorder(solution_path: Path, data: Path) -> Callable[[list[str]], Recording]:
    """Runs the solution notebook's code cells in the jail, its data at ./data, and
    records its calls to the questions it is given (:mod:`.record`)."""
    from autograder.scaffold.record import record_calls

    sources = [source for kind, source, _ in _cells(solution_path) if kind == "code"]
    imported = set(re.findall(r"^\s*(?:import|from)\s+(torch|pandas)\b", "\n".join(sources), re.M))
    preload = ["numpy", *sorted(imported)]
    numbers = _code_cell_numbers(solution_path)
    return lambda questions: record_calls(sources, questions, data if data.is_dir() else None, preload, numbers)


def _code_cell_numbers(path: Path) -> list[int]:
    """Each code cell's number in the notebook (1 for the first cell, whatever its kind), as
    messages name cells: the instructor finds "cell 51" by counting every cell."""
    return [number for number, cell in enumerate(load_notebook(path)["cells"], 1)
            if isinstance(cell, dict) and cell.get("cell_type") == "code"]


def _given(cells: list[MasterCell]) -> set[str]:
    """The scopes of the solution's regions that cells students get as they are define
    the same way (:mod:`autograder.verify.given`): ``verify`` makes no mutant of them."""
    shown = [c.source for c in cells if c.cell_type == "code" and c.student is None
             and not {"setup", "instructor"} & set(c.tags)]
    written = [c.source for c in cells if c.cell_type == "code" and c.regions]
    return given_scopes(shown, written)


def draft_from_pair(name: str, blank_path: Path, solution_path: Path, title: str | None,
                    blanks: Blanks | None = None) -> Draft:
    """The assignment ``name`` built from a blank and its solution notebook."""
    cells, notes = build_master(blank_path, solution_path, name, blanks or Blanks())
    record = solution_recorder(solution_path, blank_path.parent / DATA_NAME)
    recordings: list[Recording] = []  # kept for the rules of equivalent mutants that read the calls

    def recorder(questions: list[str]) -> Recording:
        recordings.append(record(questions))
        return recordings[-1]

    derived = derive(name, cells, recorder)
    if not derived.questions:
        raise UsageError(f"{blank_path.name} and {solution_path.name} differ in no function or class: "
                         "nothing to grade (is the second one the solution of the first?)")
    cells = derived.cells
    draft = Draft(name, title or title_of(cells, name), derived.questions)
    draft.optional = optional_questions(cells, list(derived.questions))
    for question in draft.optional:
        draft.questions[question] = 0.0
    if draft.optional:
        draft.done.append(f"made optional (0 points, as the notebook says): {', '.join(draft.optional)}")
    draft.files["source.ipynb"] = notebook_of(cells)
    code = [(i, c.source) for i, c in enumerate(cells) if c.cell_type == "code" and "setup" not in c.tags]
    equivalents = equivalents_text(name, code, list(draft.questions), draft.optional,
                                   recordings[-1].shapes if recordings else {}, _given(cells))
    if equivalents is not None:
        draft.files[EQUIVALENTS] = equivalents
        notes.append(f"{EQUIVALENTS}: mutants that behave like the solution listed as equivalent, "
                     "each with its reason (review them)")
    draft.files["reference.py"] = derived.reference
    draft.files["examples.py"] = derived.examples
    draft.files.update(derived.checks)
    data = data_files(blank_path)
    draft.files.update(data)
    draft.notes = notes + derived.notes
    draft.todo = derived.todo
    if data:
        draft.done.append(f"copied {len(data)} data file(s) from {blank_path.parent / DATA_NAME}")
    draft.requirements = derived.packages
    return draft
