"""The complete statements of a cell that does not compile as a whole.

One typo in one ``def`` used to cost a student every function of its cell: Python
compiles a cell as a whole, so the cell defined nothing and all its functions were
reported missing. Here such a cell is cut into its top-level statements, so the
statements that compile can run (in order, in the cell's namespace) and only the
broken one is skipped and named.

A top-level statement starts at a line that begins in column 0 with code (not a
blank line, not a comment), does not continue the previous one (``else``, ``elif``,
``except``, ``finally``, a closing bracket, a line after a backslash) and does not
follow a decorator (which belongs to its ``def``). Lines inside a multi-line string or
bracket can look the same; a piece that ends open (the compiler says "incomplete
input", as at the interactive prompt) is joined with the next ones while that lasts,
within a budget, so such lines stay in their statement. Consecutive broken pieces are one skipped region.

Every piece is compiled with its own line numbers (``ast.increment_lineno``), so
tracebacks and messages point at the real lines of the cell. Standard library only:
the jail's worker uses it, and the grader's placeholder rewrite cuts cells the same way.
"""

from __future__ import annotations

import ast
import codeop
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_CONTINUES = re.compile(r"(?:else|elif|except|finally)\b|[)\]}]")
# characters parsed to join pieces that end open, per character of the cell (a safety net)
JOIN_BUDGET = 32
JOIN_FLOOR = 1 << 16


@dataclass(frozen=True)
class Piece(Generic[T]):
    """Lines ``first``..``last`` (1-based, inclusive) of a cell: compiled (``code``), or
    broken (``error``: the first error Python reports in them, with the cell's line)."""

    first: int
    last: int
    code: T | None = None
    error: SyntaxError | ValueError | None = None

    @property
    def line(self) -> int:
        """The line of the error, within the piece (Python may point just past it)."""
        number = getattr(self.error, "lineno", None) or self.first
        return min(max(number, self.first), self.last)

    @property
    def message(self) -> str:
        error = self.error
        if isinstance(error, SyntaxError):
            return str(error.msg)
        return str(error) if error is not None else ""


def lines_of(source: str) -> list[str]:
    """The lines as Python counts them (only ``\\n`` ends one), each with its ending."""
    parts = source.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def statement_starts(lines: Sequence[str]) -> list[int]:
    """The 0-based lines that may start a top-level statement (see the module's text)."""
    starts: list[int] = []
    glued = False  # the previous code line ended with a backslash or is a decorator
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line[0] not in " \t\f" and not glued and _CONTINUES.match(stripped) is None:
            starts.append(number)
        glued = stripped.endswith("\\") or (line[0] == "@")
    return starts


def chunks(source: str) -> list[str]:
    """``source`` cut before each line that may start a top-level statement (joined
    back, they are ``source``): what the IPython transformer gets one by one when the
    whole cell does not parse."""
    lines = lines_of(source)
    bounds = sorted({0, *statement_starts(lines)}) + [len(lines)]
    return ["".join(lines[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]


def trees(source: str) -> list[ast.Module]:
    """The syntax trees of what parses in ``source``: the whole when it parses, else the
    pieces that do (with the cell's line numbers). For the grader's reading of cells."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [ast.parse(source)]
    except (SyntaxError, ValueError):
        pass
    except (RecursionError, MemoryError):
        return []
    try:
        return [piece.code for piece in split(source, lambda tree: tree) if piece.code is not None]
    except (RecursionError, MemoryError):
        return []


def split(source: str, compile_tree: Callable[[ast.Module], T]) -> list[Piece[T]]:
    """``source`` as pieces in order, each compiled by ``compile_tree`` or broken.

    ``compile_tree`` gets the piece's tree with the cell's line numbers and may raise
    SyntaxError too (``return`` outside a function is found only by the compiler).
    """
    lines = lines_of(source)
    bounds = sorted({0, *statement_starts(lines)}) + [len(lines)]
    budget = max(JOIN_BUDGET * len(source), JOIN_FLOOR)
    pieces: list[Piece[T]] = []
    at = 0
    while at < len(bounds) - 1:
        first = bounds[at]
        code, error = _compile(lines[first:bounds[at + 1]], first, compile_tree)
        end = at + 1
        # a piece that ends open (in a string, a bracket) may end at a later start
        later = at + 2
        while error is not None and later < len(bounds) and _incomplete(lines[first:bounds[later - 1]]):
            budget -= sum(map(len, lines[first:bounds[later]]))
            if budget < 0:
                break
            if _parses(lines[first:bounds[later]]):
                code, error = _compile(lines[first:bounds[later]], first, compile_tree)
                end = later if error is None else end
                break
            later += 1
        pieces.append(Piece(*_code_lines(lines, first, bounds[end]), code, error))
        at = end
    return _merged(pieces, lines, compile_tree)


def _compile(lines: Sequence[str], offset: int, compile_tree: Callable[[ast.Module], T]
             ) -> tuple[T | None, SyntaxError | ValueError | None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the whole cell's compile already warned, if at all
        try:
            tree = ast.parse("".join(lines))
        except SyntaxError as error:  # numbered from the piece's first line: the cell's, please
            if error.lineno is not None:
                error.lineno += offset
                error.end_lineno = None if error.end_lineno is None else error.end_lineno + offset
            return None, error
        except ValueError as error:  # a null byte
            return None, error
        ast.increment_lineno(tree, offset)
        try:
            return compile_tree(tree), None
        except (SyntaxError, ValueError) as error:  # the tree's lines are the cell's already
            return None, error


def _code_lines(lines: Sequence[str], first: int, end: int) -> tuple[int, int]:
    """The 1-based first and last lines of ``lines[first:end]`` with code on them."""
    code = [n + 1 for n in range(first, end) if lines[n].strip() and not lines[n].lstrip().startswith("#")]
    return (code[0], code[-1]) if code else (first + 1, max(end, first + 1))


# the compiler's own "this could go on" (the interactive prompt's "..."), as codeop uses it
_ALLOW_INCOMPLETE = getattr(codeop, "PyCF_ALLOW_INCOMPLETE_INPUT", 0)


def _state(lines: Sequence[str]) -> str:
    """"ok" when the text parses, "incomplete" when it ends open (inside a bracket or a
    string, after a backslash, a decorator or ``def f():``), else "broken"."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile("".join(lines), "<piece>", "exec", ast.PyCF_ONLY_AST | _ALLOW_INCOMPLETE)
    except SyntaxError as error:
        incomplete = error.msg == "incomplete input" or type(error).__name__ == "_IncompleteInputError"
        return "incomplete" if incomplete else "broken"
    except ValueError:
        return "broken"
    return "ok"


def _incomplete(lines: Sequence[str]) -> bool:
    return _state(lines) == "incomplete"


def _parses(lines: Sequence[str]) -> bool:
    return _state(lines) == "ok"


def _merged(pieces: list[Piece[T]], lines: Sequence[str], compile_tree: Callable[[ast.Module], T]
            ) -> list[Piece[T]]:
    """Consecutive broken pieces as one, with the first error Python finds in them all
    (``def f():`` alone ends early; with the line after it, Python names that line)."""
    out: list[Piece[T]] = []
    joined = False
    for piece in pieces:
        if out and piece.code is None and out[-1].code is None:
            out[-1] = Piece(out[-1].first, piece.last, None, out[-1].error)
            joined = True
        else:
            out.append(piece)
    if joined:
        for number, piece in enumerate(out):
            if piece.code is None:
                error = _compile(lines[piece.first - 1:piece.last], piece.first - 1, compile_tree)[1]
                out[number] = Piece(piece.first, piece.last, None, error or piece.error)
    return out
