"""The course's own blanks, read as "not done yet" rather than as a syntax error.

The course hands out code with ``<Ваш код здесь>`` where an expression belongs
(``return <Ваш код здесь>``, ``self.w = <Ваш код здесь>``) and ``# Ваш код здесь`` as
the only line of a body. Neither is valid Python, so a student who left one blank
lost the whole cell: every function in it, done or not, was reported missing after a
bare syntax error. Here each blank becomes code that raises ``NotImplementedError``
when it runs, exactly like the stub ``autograder assign`` writes, so the finished
functions of the cell work and the unfinished one is reported by name as not done.

Only cells that do not parse are rewritten (a blank never parses), except a body that
holds nothing but a docstring, ``pass`` or ``...`` under a blank comment: that one
parses, and is marked not done too. Lines keep their numbers. The phrases are
configurable per course (``placeholders:`` in ``grading_config.yaml``).
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Sequence

DEFAULT_PHRASES: tuple[str, ...] = ("Ваш код здесь", "Ваш код", "Your code here", "Your code")
RAISE = 'raise NotImplementedError("{text}")'
# an expression that raises, usable wherever an expression is: `return <...>`, `f(<...>)`
RAISE_EXPRESSION = '(_ for _ in ()).throw(NotImplementedError("{text}"))'
INDENT = "    "


def _alternatives(phrases: Sequence[str]) -> str:
    ordered = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered)


class Placeholders:
    """The blanks of one course: ``<phrase ...>`` in code and ``# phrase ...`` comments."""

    def __init__(self, phrases: Sequence[str] = DEFAULT_PHRASES) -> None:
        alternatives = _alternatives(phrases)
        self.enabled = bool(alternatives)
        self._inline = re.compile(rf"<\s*(?:{alternatives})[^<>\n]*>", re.IGNORECASE)
        self._comment = re.compile(rf"^(\s*)#+\s*(?:{alternatives})\b.*$", re.IGNORECASE)
        # any line a rewrite could touch: without one, a cell is left as it is, unparsed
        self._anywhere = re.compile(rf"{self._inline.pattern}|{self._comment.pattern}",
                                    re.IGNORECASE | re.MULTILINE)

    def rewrite(self, source: str) -> str:
        """``source`` with its blanks turned into code that raises NotImplementedError."""
        if not self.enabled or self._anywhere.search(source) is None:
            return source  # nothing to rewrite: most cells, parsed here up to three times else
        if not _parses(source):
            source = self._inline.sub(lambda m: RAISE_EXPRESSION.format(text=_quoted(m.group(0))), source)
            source = self._empty_bodies(source)
        if _parses(source):
            source = self._blank_bodies(source)
        return source

    def _is_comment(self, line: str) -> bool:
        return self._comment.match(line) is not None

    def _empty_bodies(self, source: str) -> str:
        """``# phrase`` as the only line of a block becomes ``raise NotImplementedError``."""
        lines = source.split("\n")
        for number, line in enumerate(lines):
            if not self._is_comment(line):
                continue
            opener = _neighbour(lines, number, -1)
            if opener is None or not _opens_block(lines[opener]):
                continue
            after = _neighbour(lines, number, 1)
            outer = _indent(lines[opener])
            if after is not None and len(_indent(lines[after])) > len(outer):
                continue  # the block has code: the student wrote it under the comment
            own = _indent(line)
            lines[number] = (own if len(own) > len(outer) else outer + INDENT) + \
                RAISE.format(text=_quoted(line.strip()))
        return "\n".join(lines)

    def _blank_bodies(self, source: str) -> str:
        """A function holding only a docstring, ``pass`` or ``...`` and a ``# phrase``."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
        lines = source.split("\n")
        changed = False
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not _blank(node.body):
                continue
            # the body's lines, and the comments after its last statement (ast leaves them out)
            after = _neighbour(lines, (node.end_lineno or node.lineno) - 1, 1)
            for number in range(node.lineno, len(lines) if after is None else after):
                line = lines[number]
                if self._is_comment(line) and len(_indent(line)) > node.col_offset:
                    lines[number] = " " * node.body[0].col_offset + RAISE.format(text=_quoted(line.strip()))
                    changed = True
                    break
        return "\n".join(lines) if changed else source


def _parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return True


def _quoted(text: str) -> str:
    """``text`` safe inside a double-quoted string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _neighbour(lines: list[str], number: int, step: int) -> int | None:
    """The nearest line before (-1) or after (+1) that holds code, not only a comment."""
    number += step
    while 0 <= number < len(lines):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            return number
        number += step
    return None


def _opens_block(line: str) -> bool:
    code = line.split("#", 1)[0].rstrip() if "#" in line and "'" not in line and '"' not in line else line.rstrip()
    return code.endswith(":")


def _blank(body: list[ast.stmt]) -> bool:
    for index, statement in enumerate(body):
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and (
                statement.value.value is Ellipsis or (index == 0 and isinstance(statement.value.value, str))):
            continue
        return False
    return True
