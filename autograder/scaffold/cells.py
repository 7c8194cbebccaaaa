"""A master notebook's cells as the scaffold builds them (``pair``) and reads them (``derive``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class MasterCell:
    cell_type: str
    source: str
    tags: tuple[str, ...] = ()
    regions: tuple[tuple[int, int], ...] = ()  # solution regions of a code cell (its lines)
    student: str | None = None  # the blank's own cell, which students get instead of stubs


def cell_label(source: str) -> str:
    """A cell named by its first line, for notes (cell numbers move as cells are added)."""
    first = next((line.strip() for line in source.split("\n") if line.strip()), "")
    return f"the cell {first[:50] + ('...' if len(first) > 50 else '')!r}"
