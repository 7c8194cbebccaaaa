"""Mutants of a master notebook: each a copy of the solution with one mistake in it.

Only code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` is changed (what a
student writes); every operator of :mod:`autograder.verify.operators` is tried on every
node there. A mutant's id is built from the function it is in, the operator and the
lines it changes (not their line numbers), so it stays the same when the notebook is
edited elsewhere, and an ``equivalent_mutants.yaml`` entry keeps applying.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from autograder.notebook import transform_ipython
from autograder.verify.operators import OPERATORS, WHOLE_TREE, Candidate
from autograder.verify.source import Cell, Edit, apply, same_tree, unmark


@dataclass(frozen=True)
class Mutant:
    id: str
    operator: str
    scope: str          # the function (``Perceptron.fit``) or "<cell N>" holding the change
    cell: int           # index of the master cell
    source: str         # the whole mutated cell, solution markers removed
    diff: str           # unified diff against the solution's cell
    change: str         # the changed lines, one line ("old -> new"), for reading

    @property
    def description(self) -> str:
        return OPERATORS[self.operator][0]


def _scopes(tree: ast.Module) -> dict[int, str]:
    """For every node, the dotted name of the innermost function or class holding it."""
    found: dict[int, str] = {}

    def visit(node: ast.AST, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = f"{scope}.{child.name}" if scope else child.name
            found[id(child)] = inner if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                ast.ClassDef)) else scope
            visit(child, inner)

    visit(tree, "")
    return found


def _in_fstring(tree: ast.Module) -> set[int]:
    return {id(sub) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
            for sub in ast.walk(node)}


def _render(cell: Cell, candidate: Candidate) -> str | None:
    """The mutated source: the plainest rendering that means what the reference one does."""
    reference = apply(cell.source, candidate.renderings[-1])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(reference, "<mutant>", "exec")
    except (SyntaxError, ValueError):
        return None
    for rendering in candidate.renderings[:-1]:
        for edits in (_unwrapped(cell.source, rendering), rendering):
            text = apply(cell.source, edits)
            if edits and same_tree(text, reference):
                return text
    return reference


def _unwrapped(source: str, rendering: tuple[Edit, ...]) -> tuple[Edit, ...]:
    """The rendering with the parentheses around a single replaced span taken along
    (``1.0 / e`` rather than ``1.0 / (e)``); empty when there are none."""
    if len(rendering) != 1:
        return ()
    edit = rendering[0]
    if edit.start > 0 and source[edit.start - 1] == "(" and source[edit.end:edit.end + 1] == ")":
        return (Edit(edit.start - 1, edit.end + 1, edit.text),)
    return ()


class _NoSelfAssign(ast.NodeTransformer):
    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        target = node.targets[0] if len(node.targets) == 1 else None
        if isinstance(target, ast.Name) and isinstance(node.value, ast.Name) and target.id == node.value.id:
            return ast.Pass()
        return node


def _meaning(source: str) -> str:
    """What a source does, for telling duplicate mutants apart: its tree, with ``x = x``
    read as ``pass`` (a conversion left out of ``x = np.asarray(x)`` is the statement
    left out)."""
    return ast.dump(_NoSelfAssign().visit(ast.parse(source)))


def _changed_lines(before: str, after: str, context: int = 0) -> tuple[list[str], list[str]]:
    """The lines a change removes and adds (with ``context`` lines on both sides), stripped."""
    old, new = [], []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=context, lineterm=""):
        if line.startswith(("---", "+++", "@@")):
            continue
        if line[:1] in "- ":
            old.append(line[1:].strip())
        if line[:1] in "+ ":
            new.append(line[1:].strip())
    return old, new


def _moved(before: str, after: str) -> str:
    """``A moved after B`` (when A went down) or ``A moved before B`` (when it went up)."""
    old_lines, new_lines = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag not in ("insert", "replace") or j1 >= j2:
            continue
        moved = " / ".join(line.strip() for line in new_lines[j1:j2])
        previous = new_lines[j1 - 1] if j1 > 0 else None
        if previous is not None and previous in old_lines and new_lines[j1] in old_lines \
                and old_lines.index(previous) > old_lines.index(new_lines[j1]):
            return f"{moved}  moved after  {previous.strip()}"
        following = new_lines[j2].strip() if j2 < len(new_lines) else "the end"
        return f"{moved}  moved before  {following}"
    return "lines reordered"


def mutants_of_cell(index: int, source: str) -> Iterator[Mutant]:
    """Every mutant of one master cell (none when it has no solution region or is not Python)."""
    plain = transform_ipython(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cell = Cell(plain)
    except (SyntaxError, ValueError):
        return
    if not cell.region:
        return
    solution = unmark(plain)
    scopes, skipped = _scopes(cell.tree), _in_fstring(cell.tree)
    seen: set[str] = {_meaning(solution)}
    counts: dict[str, int] = {}
    every = [n for n in ast.walk(cell.tree) if id(n) not in skipped]
    inside = [n for n in every if cell.inside(n)]
    for name, (_, operator) in OPERATORS.items():
        for node in every if name in WHOLE_TREE else inside:
            for candidate in operator(cell, node):
                text = _render(cell, candidate)
                if text is None:
                    continue
                mutated = unmark(text)
                meaning = _meaning(mutated)
                if meaning in seen:
                    continue
                seen.add(meaning)
                scope = scopes.get(id(candidate.anchor or node), "") or f"<cell {index + 1}>"
                old, new = _changed_lines(solution, mutated)
                moved = sorted(old) == sorted(new)
                if moved:  # a move: where to is part of what it is
                    old, new = _changed_lines(solution, mutated, context=1)
                fingerprint = "\n".join([scope, name, *("-" + o for o in old), *("+" + n for n in new)])
                counts[fingerprint] = counts.get(fingerprint, 0) + 1
                digest = hashlib.sha256(f"{fingerprint}\n#{counts[fingerprint]}".encode()).hexdigest()[:8]
                yield Mutant(
                    id=f"{scope}/{name}/{digest}", operator=name, scope=scope, cell=index,
                    source=mutated, diff=_diff(solution, mutated, index),
                    change=_moved(solution, mutated) if moved else
                    f"{' / '.join(old) or '(nothing)'}  ->  {' / '.join(new) or '(nothing)'}")


def _diff(before: str, after: str, index: int) -> str:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), f"cell {index + 1}",
                                 f"cell {index + 1}", n=1, lineterm="")
    return "\n".join(list(lines)[2:])


def mutants(cells: Sequence[tuple[int, str]]) -> list[Mutant]:
    """Every mutant of the master's code cells, given as (cell index, source)."""
    return [m for index, source in cells for m in mutants_of_cell(index, source)]
