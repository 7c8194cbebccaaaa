"""What running a notebook's cells produced, as data, and its student-facing errors."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from autograder.hints import asked_for_input, with_hint
from autograder.i18n import Text, msg

CellStatus = Literal["ok", "error", "syntax_error", "timeout", "ended_process", "not_run"]


@dataclass(frozen=True)
class Skipped:
    """Lines ``first``..``last`` of a cell that did not compile (a syntax error at
    ``line``): skipped, while the cell's other statements ran (``inside/salvage.py``)."""

    first: int
    last: int
    line: int
    message: str

    def holds(self, line: int) -> bool:
        return self.first <= line <= self.last


@dataclass(frozen=True)
class CellOutcome:
    """How one cell ran. A ``syntax_error`` cell with ``skipped`` lines ran the rest of
    its statements; its status says a later one raised or timed out, if one did."""

    index: int
    status: CellStatus
    exc_type: str = ""
    message: str = ""
    traceback: str = ""
    stdout: str = ""
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True)
class RunReport:
    """Outcome of the first run. ``stopped_at`` is the position (in ``cells``) of the
    cell where the run-wide time limit stopped the run, or -1."""

    cells: tuple[CellOutcome, ...]
    duration_s: float
    output_truncated: bool
    cell_timeout_s: float = 0.0
    run_timeout_s: float = 0.0
    output_kb: int = 0
    stopped_at: int = -1

    @property
    def ok(self) -> bool:
        return all(cell.status == "ok" for cell in self.cells)

    def errors(self, notes: Mapping[int, Text] | None = None) -> list[Text]:
        """One message per cell that did not run cleanly, in notebook numbering. ``notes``:
        a sentence to add to a raising cell's message, by cell index, for what only the
        grading side can tell from the cells' text (``causes.cell_errors``: a name the
        notebook defines further down)."""
        out: list[Text] = []
        for position, cell in enumerate(self.cells):
            number = cell.index + 1
            out.extend(msg("cell.syntax_skipped", cell=number, line=part.line, message=part.message,
                           first=part.first, last=part.last) for part in cell.skipped)
            if position == self.stopped_at:
                out.append(msg("run.timeout", limit=self.run_timeout_s, cell=number))
            elif cell.status == "error" and missing_module(cell):
                out.append(msg("cell.missing_module", cell=number, module=missing_module(cell)))
            elif cell.status == "error" and asked_for_input(cell.exc_type):
                out.append(msg("cell.input", cell=number))
            elif cell.status == "error" and cell.exc_type == "NotImplementedError":
                out.append(msg("cell.not_done", cell=number, message=cell.message or cell.exc_type))
            elif cell.status == "error":
                said = with_hint(msg("cell.raised", cell=number, exc_type=cell.exc_type, message=cell.message),
                                 cell.exc_type, cell.message)
                note = (notes or {}).get(cell.index)
                out.append(said if note is None else said + Text.plain(" ") + note)
            elif cell.status == "syntax_error" and not cell.skipped:
                out.append(msg("cell.syntax", cell=number, message=cell.message))
            elif cell.status == "timeout":
                out.append(msg("cell.timeout", cell=number, limit=self.cell_timeout_s))
            elif cell.status == "ended_process":
                out.append(msg("cell.ended_process", cell=number, detail=cell.message))
        if self.output_truncated:
            out.append(msg("run.output_truncated", limit=self.output_kb))
        return out


_NO_MODULE = re.compile(r"No module named '([\w.]+)'")


def missing_module(cell: CellOutcome) -> str:
    """The top-level package a cell could not import because it is not installed (the
    jail sees the grader's own Python), or "" when that is not what failed."""
    found = _NO_MODULE.match(cell.message) if cell.exc_type == "ModuleNotFoundError" else None
    if found is None:
        return ""
    top = found.group(1).split(".")[0]
    try:
        installed = importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        installed = False
    return "" if installed else top


def outcome_from_wire(data: Any, index: int) -> CellOutcome:
    """A CellOutcome from a worker's report, keeping only well-typed fields."""
    if not isinstance(data, dict) or data.get("status") not in ("ok", "error", "syntax_error", "timeout"):
        return CellOutcome(index, "error", "ProtocolError", "malformed cell report")

    def text(key: str, limit: int = 4000) -> str:
        value = data.get(key, "")
        return value[:limit] if isinstance(value, str) else ""

    return CellOutcome(index, data["status"], text("exc_type", 200), text("message"),
                       text("traceback"), text("stdout", 1 << 20), _skipped(data.get("skipped")))


MAX_SKIPPED = 50


def _skipped(data: Any) -> tuple[Skipped, ...]:
    """The well-formed entries of a worker's ``skipped`` list (at most MAX_SKIPPED)."""
    if not isinstance(data, list):
        return ()
    found = []
    for entry in data[:MAX_SKIPPED]:
        if not isinstance(entry, dict):
            continue
        numbers = [entry.get(key) for key in ("first", "last", "line")]
        message = entry.get("message")
        if all(type(n) is int and 0 < n < 1 << 31 for n in numbers) and isinstance(message, str):
            first, last, line = (int(n) for n in numbers if isinstance(n, int))
            found.append(Skipped(first, last, line, message[:4000]))
    return tuple(found)
