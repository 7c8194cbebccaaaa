"""Mutants graded without the cells no check depends on.

A real homework notebook trains its models in cells of its own (``%%time``, three
fits of 10,000 epochs each), prints answers and draws plots; its checks call the
functions and classes it defines. A mutant changes one function, so rerunning those
training cells for each of hundreds of mutants is most of ``verify``'s time and tells
nothing: no check reads what they leave behind.

:func:`slim` drops, from a notebook about to be graded as a mutant, each code cell
that defines no function or class, imports nothing, and binds no name that a kept
cell or the checks use (the checks' names are every identifier and word of a string
in ``checks/``: more than they use, never less). It works backwards from the end, so
a cell that feeds a kept cell (``data = pd.read_csv(...)`` before ``X = data[...]``
that a check reads) is kept with it. The solution and the student notebook are still
graded whole, exactly as students are.

A method call may change the object it is called on (``neuron.fit(X, y)`` changes
``neuron``), so it counts as binding that name, except a module's function called for
its value (``NeuronReLU(np.array(...))`` does not change ``np``): a cell that only
builds a demo object from ``np.array`` would otherwise be kept because the checks use
``np``, and with it the 10,000-epoch fit that made the object it rebinds. A module's
function called as a statement of its own (``np.random.seed(0)``,
``torch.set_default_dtype(...)``) is called for its effect and still binds the module.

The setup cell ``assign`` writes (tagged ``setup``: the student's ``check`` and
``check_all``, some 35 KB of checker compiled in every worker) is the grader's own,
the same in every mutant, and the hidden checks and public examples do not use it
(they call the student's code from the grader): it is dropped unless a kept cell
reads what it defines (``check("relu")`` in a cell that also binds a needed name).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from autograder.assign import SETUP_TAG
from autograder.notebook import cell_source, parse_cell
from autograder.scopes import global_reads

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_names(folder: Path) -> frozenset[str]:
    """Every identifier, and every word inside a string, of the assignment's checks."""
    names: set[str] = set()
    for path in sorted(folder.rglob("*.py")):
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
        except (OSError, UnicodeDecodeError, tokenize.TokenError, SyntaxError):
            names.update(_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
            continue
        for token in tokens:
            if token.type == tokenize.NAME:
                names.add(token.string)
            elif token.type == tokenize.STRING:
                names.update(_WORD.findall(token.string))
    return frozenset(names)


@dataclass(frozen=True)
class Facts:
    """What slimming needs to know of one cell."""

    keep: bool                  # defines a function or class, imports, declares global...
    bound: frozenset[str]       # names it assigns, deletes, or changes (attribute set, call for effect)
    called: frozenset[str]      # names a method is called on for its value: changed, unless a module
    read: frozenset[str]        # names it reads from the notebook's namespace
    modules: frozenset[str]     # names its ``import`` statements bind (``import numpy as np``: np)


def _receivers(call: ast.Call) -> set[str]:
    assert isinstance(call.func, ast.Attribute)
    return {n.id for n in ast.walk(call.func.value) if isinstance(n, ast.Name)}


@lru_cache(maxsize=4096)
def _facts(source: str) -> Facts | None:
    """The facts of a cell; None when it does not parse."""
    tree = parse_cell(source)
    if tree is None:
        return None
    keep = any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom,
                              ast.Global, ast.Nonlocal, ast.Delete))
               for n in ast.walk(tree))
    for_effect = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    bound: set[str] = set()
    called: set[str] = set()
    read = global_reads(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            bound.update(n.id for n in ast.walk(node.value) if isinstance(n, ast.Name))  # obj.w = ... changes obj
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            (bound if id(node) in for_effect else called).update(_receivers(node))  # may change it
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # a name the cell may read through a string when it runs in the jail
            # (globals()["name"]): counted as read; the text is only matched, never run
            read.update(_WORD.findall(node.value))
    modules = {(alias.asname or alias.name).split(".")[0] for node in ast.walk(tree)
               if isinstance(node, ast.Import) for alias in node.names}
    return Facts(keep, frozenset(bound), frozenset(called), frozenset(read), frozenset(modules))


def kept_cells(sources: Iterable[str], needed: Iterable[str], setup: Iterable[int] = ()) -> list[bool]:
    """For each cell, whether it stays: it defines or imports, or binds a needed name.
    A ``setup`` cell (by position: the one ``assign`` writes, defining the student's
    ``check``) stays only when a kept cell reads a name it binds."""
    facts = [_facts(source) for source in sources]
    modules = set().union(*(f.modules for f in facts if f is not None))
    grader_cells = set(setup)
    wanted, read_by_cells = set(needed), set[str]()
    keep = [True] * len(facts)
    for index in range(len(facts) - 1, -1, -1):
        cell = facts[index]
        if cell is None:
            continue  # not Python we can read: kept
        changed = cell.bound | (cell.called - modules)
        if index in grader_cells and not changed & read_by_cells:
            keep[index] = False
        elif index in grader_cells or cell.keep or changed & wanted:
            wanted |= cell.read
            read_by_cells |= cell.read
        else:
            keep[index] = False
    return keep


def _tags(cell: dict[str, Any]) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    return [str(t) for t in tags] if isinstance(tags, list) else []


def slim(notebook: dict[str, Any], needed: frozenset[str]) -> dict[str, Any]:
    """``notebook`` without the code cells no check depends on (see the module)."""
    cells = notebook["cells"]
    code = [i for i, cell in enumerate(cells) if cell.get("cell_type") == "code"]
    setup = [position for position, i in enumerate(code) if SETUP_TAG in _tags(cells[i])]
    keep = kept_cells((cell_source(cells[i]) for i in code), needed, setup)
    dropped = {i for i, kept in zip(code, keep) if not kept}
    if not dropped:
        return notebook
    return {**notebook, "cells": [cell for i, cell in enumerate(cells) if i not in dropped]}
