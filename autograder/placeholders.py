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

With the stubs of an assignment (``autograder.stubs``: an empty body of what it asks
for), those are made stubs too, in the same pass. A cell that does not parse as a whole
is read statement by statement (``sandbox/inside/salvage``, as the worker runs it), so
the functions of its statements that parse are rewritten as usual.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterable, Sequence

from autograder.sandbox.inside import salvage
from autograder.stubs import RAISE, Stubs, definitions, empty_body

DEFAULT_PHRASES: tuple[str, ...] = ("Ваш код здесь", "Ваш код", "Your code here", "Your code")
# an expression that raises, usable wherever an expression is: `return <...>`, `f(<...>)`
RAISE_EXPRESSION = '(_ for _ in ()).throw(NotImplementedError("{text}"))'
INDENT = "    "


def _alternatives(phrases: Sequence[str]) -> str:
    ordered = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered)


class Placeholders:
    """The blanks of one course: ``<phrase ...>`` in code and ``# phrase ...`` comments;
    with ``stubs``, also the empty bodies of those functions (qualified names)."""

    def __init__(self, phrases: Sequence[str] = DEFAULT_PHRASES, stubs: Iterable[str] = ()) -> None:
        self.phrases = tuple(phrases)
        alternatives = _alternatives(phrases)
        self.enabled = bool(alternatives)
        self._inline = re.compile(rf"<\s*(?:{alternatives})[^<>\n]*>", re.IGNORECASE)
        self._comment = re.compile(rf"^(\s*)#+\s*(?:{alternatives})\b.*$", re.IGNORECASE)
        # any line a rewrite could touch: without one, a cell is left as it is, unparsed
        self._anywhere = re.compile(rf"{self._inline.pattern}|{self._comment.pattern}",
                                    re.IGNORECASE | re.MULTILINE)
        self._stubs = Stubs(stubs)

    @property
    def stubs(self) -> frozenset[str]:
        return self._stubs.names

    def asking(self, stubs: Iterable[str]) -> Placeholders:
        """These blanks, with the empty bodies of ``stubs`` not done too."""
        return Placeholders(self.phrases, stubs)

    def rewrite(self, source: str) -> str:
        """``source`` with its blanks turned into code that raises NotImplementedError."""
        blanks = self.enabled and self._anywhere.search(source) is not None
        if not blanks and not self._stubs.may_be_in(source):
            return source  # nothing to rewrite: most cells, parsed here up to three times else
        if blanks and not _parses(source):
            source = self._inline.sub(lambda m: RAISE_EXPRESSION.format(text=_quoted(m.group(0))), source)
            source = self._empty_bodies(source)
        return self._blank_bodies(source, blanks)

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

    def _blank_bodies(self, source: str, blanks: bool) -> str:
        """A function holding only a docstring, ``pass`` or ``...``: under a ``# phrase``
        (``blanks``), or one of the stubs, it raises NotImplementedError."""
        lines = source.split("\n")
        changed = False
        for tree in salvage.trees(source):
            for node, qualname in definitions(tree):
                if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not empty_body(node.body):
                    continue
                if blanks and self._comment_body(lines, node) or self._stubs.mark(lines, node, qualname):
                    changed = True
        return "\n".join(lines) if changed else source

    def _comment_body(self, lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """The ``# phrase`` in the body's lines, or in the comments after its last
        statement (ast leaves them out), made the raise; whether there was one."""
        after = _neighbour(lines, (node.end_lineno or node.lineno) - 1, 1)
        for number in range(node.lineno, len(lines) if after is None else after):
            line = lines[number]
            if self._is_comment(line) and len(_indent(line)) > node.col_offset:
                lines[number] = " " * node.body[0].col_offset + RAISE.format(text=_quoted(line.strip()))
                return True
        return False


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
