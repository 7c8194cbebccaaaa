"""Stubs without a placeholder comment: an empty body is "not done yet", for what is asked.

A student who leaves ``def relu(x): pass`` (or ``...``, or only the docstring) used to
read that relu "returned None" or computed wrong values. Such a body is a stub like the
``raise NotImplementedError`` that ``autograder assign`` writes, so it is made one:
``; raise NotImplementedError("pass")`` after its last statement, on the same line
(line numbers stay), and the function is reported by name as not done yet.

Only for what the assignment asks students to write (:func:`asked`): each question's
function (``relu``) or method (``Perceptron.fit``), and the methods of a question's
class; not when the reference solution's own body is empty too. Other code keeps its
meaning: ``def __init__(self): pass`` of a helper class, a hook meant to do nothing.

The grader reads every cell of every submission, so the text is looked at first
(:meth:`Stubs.may_be_in`) and a cell is parsed only when an asked function in it may be
empty; a finished function with a docstring, the common case, is not parsed.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterable, Iterator

RAISE = 'raise NotImplementedError("{text}")'
Function = ast.FunctionDef | ast.AsyncFunctionDef


def empty_body(body: list[ast.stmt]) -> bool:
    """Only ``pass``, ``...`` and a docstring (first)."""
    for index, statement in enumerate(body):
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and (
                statement.value.value is Ellipsis or (index == 0 and isinstance(statement.value.value, str))):
            continue
        return False
    return True


def definitions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[ast.AST, str]]:
    """Every function and class under ``tree`` with its qualified name (``P.fit``); only
    statements are visited (a ``def`` is never inside an expression)."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield child, prefix + child.name
            yield from definitions(child, f"{prefix}{child.name}.<locals>.")
        elif isinstance(child, ast.ClassDef):
            yield child, prefix + child.name
            yield from definitions(child, f"{prefix}{child.name}.")
        elif isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
            yield from definitions(child, prefix)


def asked(questions: Iterable[str], reference: str | None) -> frozenset[str]:
    """The qualified names whose empty body is a stub: each question's function or
    method, and the methods of a question's class, except those the reference solution
    (its source; None when it cannot be read) leaves empty itself."""
    found: dict[str, ast.AST] = {}
    if reference is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found = {name: node for node, name in definitions(ast.parse(reference))}
        except (SyntaxError, ValueError):
            found = {}
    names: set[str] = set()
    for question in questions:
        node = found.get(question)
        if isinstance(node, ast.ClassDef):
            names.update(f"{question}.{method.name}" for method in node.body
                         if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef))
                         and not empty_body(method.body))
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not empty_body(node.body):
            names.add(question)
    return frozenset(names)


class Stubs:
    """The asked names of one assignment, and how their empty bodies are made stubs."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names = frozenset(names)
        # a name's last part -> the classes it is a method of ("" for a function)
        self._owners: dict[str, set[str]] = {}
        for name in self.names:
            owner, _, own = name.rpartition(".")
            self._owners.setdefault(own, set()).add(owner)
        alternatives = "|".join(map(re.escape, sorted(self._owners)))
        self._defs = re.compile(rf"def[ \t]+({alternatives})\b") if alternatives else None  # literal first: fast

    def may_be_in(self, source: str) -> bool:
        """A ``def`` of an asked name whose body may be empty, read from the text.
        Whatever is unsure says yes; only a body with code (after its docstring) says no."""
        if self._defs is None:
            return False
        lines: list[str] = []
        classes: dict[str, bool] = {}
        number = position = 0
        for found in self._defs.finditer(source):
            start = source.rfind("\n", 0, found.start()) + 1
            before = source[start:found.start()]
            if before.strip() not in ("", "async"):
                continue  # not where a statement starts
            owners = self._owners[found.group(1)]
            for owner in owners - classes.keys():
                classes[owner] = owner == "" or re.search(rf"class[ \t]+{re.escape(owner)}\b", source) is not None
            if not any(classes[owner] for owner in owners):
                continue  # `def __init__` of some other class
            lines = lines or source.split("\n")
            number += source.count("\n", position, start)
            position = start
            if _may_be_empty(lines, number, len(before), lines[number][found.end() - start:]):
                return True
        return False

    def mark(self, lines: list[str], node: ast.AST, qualname: str) -> bool:
        """Make ``node`` raise NotImplementedError if it is an asked function with an
        empty body (``lines``: the cell's, changed in place); whether it was one."""
        if qualname not in self.names or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or \
                not empty_body(node.body):
            return False
        _raise_after(lines, node)
        return True


def _raise_after(lines: list[str], node: Function) -> None:
    """``; raise NotImplementedError(...)`` right after the body's last statement (a
    simple statement: ``pass``, ``...``, a docstring), on its line: numbers stay."""
    first, last = node.body[0], node.body[-1]
    shown = _from_byte(lines[first.lineno - 1], first.col_offset)
    if first.end_lineno == first.lineno and first.end_col_offset is not None:
        shown = _from_byte(shown, first.end_col_offset - first.col_offset, before=True)
    shown = shown.strip()[:60].replace("\\", "\\\\").replace('"', '\\"')
    number = (last.end_lineno or last.lineno) - 1
    line = lines[number]
    at = len(_from_byte(line, last.end_col_offset or 0, before=True))
    lines[number] = line[:at] + "; " + RAISE.format(text=shown) + line[at:]


def _from_byte(line: str, offset: int, before: bool = False) -> str:
    """``line`` from (or, ``before``, up to) a UTF-8 byte offset, as ast counts columns."""
    data = line.encode("utf-8")
    return (data[:offset] if before else data[offset:]).decode("utf-8", "replace")


_SIMPLE_HEADER = re.compile(r"^[^#'\"]*\)[^#'\"]*:[ \t]*(#.*)?$")  # `(x, y=1) -> int:`, nothing after
_QUOTE = re.compile(r"^[rRuU]?(\"\"\"|'''|\"|')")
_EMPTY_STATEMENT = re.compile(r"^(?:pass|\.\.\.)(?:[ \t;#]|$)")


def _may_be_empty(lines: list[str], number: int, indent: int, header: str) -> bool:
    """Whether the function whose ``def`` is line ``number`` may have an empty body."""
    if _SIMPLE_HEADER.match(header) is None:
        return True  # a header over several lines, or a body on the def's line: unsure
    first = _next_code(lines, number)
    if first is None or _width(lines[first]) <= indent:
        return True
    text = lines[first].strip()
    quote = _QUOTE.match(text)
    if quote is None:
        return _EMPTY_STATEMENT.match(text) is not None
    mark, end = quote.group(1), first
    if len(mark) == 3 and mark not in text[quote.end():]:  # a docstring over several lines
        end = next((n for n in range(first + 1, len(lines)) if mark in lines[n]), -1)
        if end < 0:
            return True
    after = _next_code(lines, end)
    return after is None or _width(lines[after]) <= indent or \
        _EMPTY_STATEMENT.match(lines[after].strip()) is not None


def _width(line: str) -> int:
    return len(line) - len(line.lstrip())


def _next_code(lines: list[str], number: int) -> int | None:
    """The first line after ``number`` with code on it (not blank, not only a comment)."""
    for later in range(number + 1, len(lines)):
        stripped = lines[later].strip()
        if stripped and not stripped.startswith("#"):
            return later
    return None
