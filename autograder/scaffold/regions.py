"""One cell of a blank/solution pair -> the master's cell with solution regions.

The solution's lines are kept; where they differ from the blank's, they go between
``### BEGIN SOLUTION`` / ``### END SOLUTION``. The blank's own lines there are the
course's placeholder (``<Ваш код здесь>``, ``# Ваш код здесь``, ``...``, ``pass``,
``raise NotImplementedError``) and are dropped, except comments that are hints, which
stay above the region. In code, a region always covers whole statements (a changed
``if`` header takes its block with it), so the student's version, with a stub in
place of each region, is valid Python too.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from autograder.notebook import parse_cell
from autograder.placeholders import DEFAULT_PHRASES
from autograder.scaffold.cells import BEGIN, END

ANSWER_PHRASES = ("Ваш ответ", "Your answer")  # the blanks of questions in markdown
_STUB_LINES = {"...", "pass", "raise NotImplementedError", "raise NotImplementedError()"}


class Blanks:
    """What the course writes where students are to write their own code."""

    def __init__(self, phrases: Sequence[str] = (*DEFAULT_PHRASES, *ANSWER_PHRASES)) -> None:
        alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) or "(?!)"
        self._phrase = re.compile(rf"(?:{alternatives})", re.IGNORECASE)

    def is_blank(self, line: str) -> bool:
        """A line that only marks a blank (a hint comment is not one)."""
        stripped = line.strip()
        if not stripped:
            return False
        if stripped in _STUB_LINES or stripped.startswith("raise NotImplementedError("):
            return True
        if stripped.startswith("#"):
            return self._phrase.match(stripped.lstrip("#").strip()) is not None
        if re.search(rf"<\s*{self._phrase.pattern}[^<>]*>", stripped, re.IGNORECASE):
            return True
        return stripped.endswith(("...", "…")) and bool(self._phrase.search(stripped))  # "Ответ: Ваш ответ..."


@dataclass
class CellRegions:
    """A master cell's source and the solution lines (0-based, end excluded) in regions."""

    source: str
    regions: list[tuple[int, int]] = field(default_factory=list)  # in the solution's lines
    notes: list[str] = field(default_factory=list)



Statement = tuple[int, int, int | None]  # first line, end (0-based, excluded), where its body starts


def _statements(tree: ast.Module, lines: list[str]) -> list[Statement]:
    """Every statement's lines, in any body, and where a compound one's body starts
    (comments above its first statement are in its body)."""
    found: list[Statement] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            body = [n for n in getattr(node, "body", []) if isinstance(n, ast.stmt)]
            start = body[0].lineno - 1 if body else None
            while start is not None and start - 1 > node.lineno - 1 and \
                    (not lines[start - 1].strip() or lines[start - 1].lstrip().startswith("#")):
                start -= 1
            found.append((node.lineno - 1, node.end_lineno or node.lineno, start))
    return found


def widen(region: tuple[int, int], statements: list[Statement]) -> tuple[int, int] | None:
    """``region`` grown to whole statements: a statement it touches is taken whole
    unless the region lies within that statement's body. None when the region holds
    no statement at all (only comments)."""
    start, end = region
    changed = True
    while changed:
        changed = False
        for first, last, body in statements:
            overlaps = first < end and start < last
            inside_body = body is not None and body <= start and end <= last
            if overlaps and not inside_body and (first < start or last > end):
                start, end, changed = min(start, first), max(end, last), True
    if not any(start <= first and last <= end for first, last, _ in statements):
        return None
    return start, end


def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching regions as one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(regions):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _indent(lines: list[str]) -> str:
    code = [line for line in lines if line.strip()]
    return min((line[: len(line) - len(line.lstrip())] for line in code), key=len, default="")


def cell_regions(blank: str, solution: str, code: bool, blanks: Blanks) -> CellRegions:
    """The master version of a cell the blank and the solution both have."""
    old, new = blank.split("\n"), solution.split("\n")
    matcher = difflib.SequenceMatcher(None, [line.rstrip() for line in old], [line.rstrip() for line in new],
                                      autojunk=False)
    regions: list[tuple[int, int]] = []
    hints: dict[int, list[str]] = {}  # solution line -> the blank's hint comments above it
    notes: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        kept = [line for line in old[i1:i2] if line.strip() and not blanks.is_blank(line)]
        comments = [line for line in kept if line.strip().startswith("#")]
        if len(comments) < len(kept):
            notes.append("the blank's line(s) " + "; ".join(l.strip() for l in kept if l not in comments)[:120]
                         + " are not in the solution and were left out")
        if comments and code:
            hints.setdefault(j1, []).extend(comments)
        while j2 > j1 and not new[j2 - 1].strip():  # Colab's trailing blank lines are not the answer
            j2 -= 1
        while j2 > j1 and not new[j1].strip():
            j1 += 1
        if j2 > j1:
            regions.append((j1, j2))
    tree = parse_cell(solution) if code else None
    if code and tree is not None:
        statements = _statements(tree, new)
        regions = [w for w in (widen(r, statements) for r in regions) if w is not None]
    elif code:
        notes.append("the solution's cell is not valid Python: regions are whole changed lines")
    regions = _merge(regions)
    return CellRegions(_render(new, regions, hints, code), regions, notes)


def _render(lines: list[str], regions: list[tuple[int, int]], hints: dict[int, list[str]],
            code: bool) -> str:
    out: list[str] = []
    starts = {start: end for start, end in regions}
    number = 0
    while number < len(lines):
        if number in starts:
            end = starts[number]
            indent = _indent(lines[number:end]) if code else ""
            for at in range(number, end):
                out.extend(indent + hint.strip() for hint in hints.pop(at, []))
            out += [indent + BEGIN, *lines[number:end], indent + END]
            number = end
            continue
        out.extend(hints.pop(number, []))
        out.append(lines[number])
        number += 1
    for rest in hints.values():
        out.extend(rest)
    return "\n".join(out)
