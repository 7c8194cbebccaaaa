"""A master notebook's cells as the scaffold builds them (``pair``) and reads them (``derive``)."""

from __future__ import annotations

from dataclasses import dataclass

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"  # the markers of a solution region


@dataclass
class MasterCell:
    cell_type: str
    source: str
    tags: tuple[str, ...] = ()
    regions: tuple[tuple[int, int], ...] = ()  # solution regions of a code cell (its lines)
    student: str | None = None  # the blank's own cell, which students get instead of stubs


def cell_label(source: str) -> str:
    """A cell named by its first line of code, for notes (cell numbers move as cells are
    added): not a solution marker or a ``%%time`` magic, which many cells share."""
    lines = [line.strip() for line in source.split("\n") if line.strip()]
    first = next((line for line in lines if not line.startswith(("%", "!")) and
                  line not in (BEGIN, END)), lines[0] if lines else "")
    return f"the cell {first[:50] + ('...' if len(first) > 50 else '')!r}"
