"""From a master notebook's code to the rest of an assignment: its questions (the
functions and ``Class.method``s its solution regions define), ``reference.py`` (the
solution's definitions those need), the packages it imports, and a ``check("q")``
cell after each question that has public examples (:mod:`.starters`).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from autograder.notebook import imported_modules, parse_cell, transform_ipython
from autograder.scaffold.cells import MasterCell, cell_label
from autograder.scaffold.given import definition_of, given_questions
from autograder.scaffold.regions import BEGIN, END
from autograder.scaffold.starters import checks_for, examples_for
from autograder.scopes import global_reads

if TYPE_CHECKING:
    from autograder.scaffold.cases import Recorder

PROVIDED = {"numpy", "torch", "autograder", "student", "google", "IPython", "ipykernel"}  # the grader has these
# pip names of modules named otherwise, for the packages not installed where `new` runs
# (installed ones are read from their metadata: importlib.metadata.packages_distributions)
KNOWN_DISTRIBUTIONS = {"sklearn": "scikit-learn", "cv2": "opencv-python", "PIL": "pillow",
                       "skimage": "scikit-image", "yaml": "PyYAML", "bs4": "beautifulsoup4",
                       "Bio": "biopython", "dateutil": "python-dateutil", "attr": "attrs"}


@dataclass
class Derived:
    cells: list[MasterCell]
    questions: dict[str, float]
    reference: str
    examples: str
    checks: dict[str, str | bytes]
    notes: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)



def regions_of(source: str) -> list[tuple[int, int]]:
    """The 1-based line ranges (inclusive) between each BEGIN/END SOLUTION pair."""
    found, start = [], None
    for number, line in enumerate(source.split("\n"), 1):
        if line.strip() == BEGIN:
            start = number + 1
        elif line.strip() == END and start is not None:
            found.append((start, number - 1))
            start = None
    return found


def _span(node: ast.stmt) -> tuple[int, int]:
    decorators = [d.lineno for d in getattr(node, "decorator_list", [])]
    return min([node.lineno, *decorators]), node.end_lineno or node.lineno


def _methods(node: ast.ClassDef) -> list[str]:
    names = [f"{node.name}.{m.name}" for m in node.body
             if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and not m.name.startswith("__")]
    return names or [node.name]


def questions_in(tree: ast.Module, region: tuple[int, int]) -> list[str]:
    """What a region defines or is part of: ``f``, ``Class.method`` or ``Class``."""
    start, end = region
    found: list[str] = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        first, last = _span(node)
        if start <= first and last <= end:  # defined wholly by the region
            found += _methods(node) if isinstance(node, ast.ClassDef) else [node.name]
        elif first <= start and end <= last:  # the region is inside it
            if isinstance(node, ast.ClassDef):
                inner = [m for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                         and _span(m)[0] <= start and end <= _span(m)[1]]
                found += [f"{node.name}.{inner[0].name}"] if inner else [node.name]
            else:
                found.append(node.name)
    return found


def _used_names(node: ast.stmt) -> set[str]:
    """The global names a statement needs: a function's own parameters and locals are
    not (``def f(x, b): return x + b`` does not need a top-level ``b = 2.``)."""
    return global_reads(node)


def _bound(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        try:
            ast.literal_eval(node.value)
        except ValueError:
            return []
        return [node.targets[0].id]
    return []


def _without_markers(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if line.strip() not in (BEGIN, END))


def reference_source(name: str, trees: list[tuple[ast.Module, str]], roots: list[str]) -> str:
    """``reference.py``: the solution's imports, definitions and constants that the
    questions' top-level names need, each last definition of a name winning."""
    latest: dict[str, tuple[int, ast.stmt, str]] = {}
    order = 0
    for tree, source in trees:
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "google":
                continue  # Colab's own modules
            for bound in _bound(node):
                latest[bound] = (order, node, source)
                order += 1
    wanted, queue = set(), [r for r in roots if r in latest]
    while queue:
        current = queue.pop()
        if current in wanted:
            continue
        wanted.add(current)
        queue += [n for n in _used_names(latest[current][1]) if n in latest and n not in wanted]
    chosen: dict[int, tuple[ast.stmt, str]] = {}
    for bound in wanted:
        _, node, source = latest[bound]
        chosen.setdefault(id(node), (node, source))
    nodes = sorted(chosen.values(), key=lambda item: min(latest[b][0] for b in _bound(item[0]) if b in latest))
    imports = [n for n in nodes if isinstance(n[0], (ast.Import, ast.ImportFrom))]
    rest = [n for n in nodes if not isinstance(n[0], (ast.Import, ast.ImportFrom))]
    parts = [f'"""Reference solution of `{name}`, taken from the solution notebook (trusted: runs in\n'
             'the grader, never shipped to students). Check it; it is what every answer is compared with."""']
    if imports:
        parts.append("\n".join(_segment(node, source) for node, source in imports))
    parts += [_segment(node, source) for node, source in rest]
    return "\n\n\n".join(parts) + "\n"


def _segment(node: ast.stmt, source: str) -> str:
    lines = transform_ipython(source).split("\n")
    first, last = _span(node)
    return _without_markers("\n".join(lines[first - 1:last]))


def packages_of(trees: list[tuple[ast.Module, str]]) -> list[str]:
    """The installable packages the notebook imports beyond the standard library and
    what the grader provides, as distribution names (``sklearn`` -> ``scikit-learn``)."""
    from importlib.metadata import packages_distributions

    modules: dict[str, None] = {}
    for tree, _ in trees:
        modules.update((module.split(".")[0], None) for module in imported_modules(tree))
    distributions = packages_distributions()
    found: dict[str, None] = {}
    for module in modules:
        if module in sys.stdlib_module_names or module in PROVIDED:
            continue
        found[(distributions.get(module) or [KNOWN_DISTRIBUTIONS.get(module, module)])[0]] = None
    return list(found)


def derive(name: str, cells: list[MasterCell], recorder: Recorder | None = None) -> Derived:
    """``recorder``: runs the solution and records its calls to the questions (:mod:`.record`)."""
    from autograder.scaffold.cases import apply_recording

    notes: list[str] = []
    questions: dict[str, None] = {}
    defined_in: dict[str, int] = {}
    definitions: dict[str, str] = {}  # question -> how its last region defines it
    trees: list[tuple[ast.Module, str]] = []
    for number, cell in enumerate(cells):
        if cell.cell_type != "code" or "setup" in cell.tags:
            continue
        tree = parse_cell(cell.source)
        regions = regions_of(cell.source)
        if tree is None:
            if regions:
                notes.append(f"{cell_label(cell.source)} is not valid Python: its questions are not found")
            continue
        trees.append((tree, cell.source))
        for region in regions:
            found = questions_in(tree, region)
            if not found:
                notes.append(f"{cell_label(cell.source)}: a solution region outside any function or class "
                             "(graded only through what uses it)")
            for question in found:
                questions.setdefault(question, None)
                defined_in[question] = number
                definitions[question] = definition_of(tree, question) or ""
    for question, label in given_questions(cells, definitions).items():
        del questions[question]
        notes.append(f"{question}: {label} gives it to students as it is: not a question")
    if not questions:
        notes.append("no function or method is defined in a solution region: add questions by hand")
    roots = list(dict.fromkeys(q.split(".")[0] for q in questions))
    reference = reference_source(name, trees, roots)
    examples, example_notes, with_examples = examples_for(name, trees, list(questions), reference)
    notes += example_notes
    recorded, files = apply_recording(name, examples, with_examples, recorder, list(questions), reference, notes)
    checks, todo = checks_for(list(questions), trees, reference, examples, recorded)
    cells = list(cells)
    ordered = [q for q in questions if q in with_examples]  # as they appear
    for question in reversed(ordered):  # from the end, so earlier positions stay put
        cells.insert(defined_in[question] + 1, MasterCell("code", f'check("{question}")'))
    if with_examples:
        cells.append(MasterCell("code", "check_all()"))
    return Derived(cells, {q: 1.0 for q in questions}, reference, examples.source, {**checks, **files}, notes,
                   todo, packages_of(trees))
