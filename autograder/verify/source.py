"""One master cell as text and as a tree: spans of nodes, edits, solution regions.

Mutations are edits of the cell's *text* (so a mutant differs from the solution only
where it was changed: comments and layout stay), located through the tree. ``ast``
gives columns in UTF-8 bytes; the master's comments and strings are often Russian,
so offsets are converted per line.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

_MARKER = re.compile(r"^\s*#+\s*(BEGIN|END)\s+SOLUTION\s*$")


@dataclass(frozen=True)
class Edit:
    """Replace ``source[start:end]`` with ``text``."""

    start: int
    end: int
    text: str


def apply(source: str, edits: tuple[Edit, ...]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        source = source[:edit.start] + edit.text + source[edit.end:]
    return source


def solution_lines(source: str) -> set[int]:
    """The 1-based numbers of the lines strictly inside ``### BEGIN/END SOLUTION`` markers."""
    inside, lines = False, set()
    for number, line in enumerate(source.splitlines(), 1):
        marker = _MARKER.match(line)
        if marker is not None:
            inside = marker.group(1) == "BEGIN"
        elif inside:
            lines.add(number)
    return lines


def unmark(source: str) -> str:
    """``source`` without its solution marker lines (the solution as a student writes it)."""
    kept = [line for line in source.splitlines(keepends=True) if _MARKER.match(line.rstrip("\n")) is None]
    return "".join(kept)


class Cell:
    """A parsed master cell: where each node is, and its text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tree = ast.parse(source)
        self.region = solution_lines(source)
        self.negated = {id(node.operand) for node in ast.walk(self.tree)  # the 1 of -1
                        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)}
        self._lines = source.splitlines(keepends=True)
        self._starts = [0]
        for line in self._lines:
            self._starts.append(self._starts[-1] + len(line))

    def offset(self, lineno: int, col_bytes: int) -> int:
        line = self._lines[lineno - 1] if lineno - 1 < len(self._lines) else ""
        return self._starts[lineno - 1] + len(line.encode("utf-8")[:col_bytes].decode("utf-8", "replace"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return start, end

    def text(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.source[start:end]

    def inside(self, node: ast.AST) -> bool:
        """Whether ``node`` lies wholly on solution lines."""
        first, last = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        if first is None or last is None:
            return False
        return all(line in self.region for line in range(first, last + 1))

    def indent(self, node: ast.stmt) -> str | None:
        """The indentation of the line ``node`` starts, when it is the first thing on it."""
        line = self._lines[node.lineno - 1]
        prefix = line[: self.offset(node.lineno, node.col_offset) - self._starts[node.lineno - 1]]
        return prefix if not prefix.strip() else None

    def line_span(self, node: ast.stmt) -> tuple[int, int]:
        """A statement's span with the comment that ends its last line (what moves with it)."""
        start, end = self.span(node)
        line_end = self._starts[node.end_lineno] if node.end_lineno is not None else end
        rest = self.source[end:line_end].rstrip("\n")
        if not rest.strip() or rest.strip().startswith("#"):
            end += len(rest)
        return start, end

    def replace(self, node: ast.AST, text: str) -> Edit:
        start, end = self.span(node)
        return Edit(start, end, text)

    def between(self, left: ast.AST, right: ast.AST) -> Edit:
        """The text between two sibling nodes (an operator and its spaces)."""
        start, _ = self.span(right)
        _, end = self.span(left)
        return Edit(end, start, self.source[end:start])


ATOMS = (ast.Name, ast.Constant, ast.Call, ast.Attribute, ast.Subscript, ast.List, ast.Dict,
         ast.Set, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)


def grouped(text: str, node: ast.AST) -> str:
    """``text`` (the source of ``node``) safe to put where an operand goes."""
    if isinstance(node, ATOMS) and not (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
                                        and not isinstance(node.value, bool) and node.value < 0):
        return text
    return f"({text})"


def same_tree(first: str, second: str) -> bool:
    """Whether two sources are the same program (parentheses and layout aside)."""
    try:
        return ast.dump(ast.parse(first)) == ast.dump(ast.parse(second))
    except SyntaxError:
        return False
