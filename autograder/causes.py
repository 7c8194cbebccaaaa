"""Why a question's function could not be called, said once for the question.

When every check of a question fails because its function is not there (a cell with
a syntax error, a cell that raised before the ``def``, a placeholder left in), a
student reading "`sigmoid` is not defined" five times learns nothing five times. The
grader knows more: it has the cells and how each one ran. This module finds the cell
that should have defined the name and says what happened to it, once; the checks
are still listed, each with a short note that points to that cause.

Only the cells' text is searched (a regular expression per line): nothing of the
student's is parsed, imported or run in the grader.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from autograder import exceptions as ex
from autograder.hints import sentences, with_hint
from autograder.i18n import Text, msg
from autograder.notebook import CodeCell, kept_per_text
from autograder.outcomes import Blocker
from autograder.sandbox.report import CellOutcome, RunReport

_NAME_ERROR = re.compile(r"name '([A-Za-z_][A-Za-z0-9_]*)' is not defined")


def blocker_of(error: BaseException) -> Blocker | None:
    """The blocker behind a check's failure, or None when the function did run."""
    if isinstance(error, ex.MissingName):
        return Blocker("missing", str(error.name))
    if isinstance(error, ex.NotCallable):
        return Blocker("not_callable", error.name, error.type_name)
    if isinstance(error, ex.StudentException):
        if error.not_implemented:
            return Blocker("not_implemented", error.unfinished)
        name = undefined_name(error.exc_type, error.message)
        if name:
            return Blocker("name_error", name)
    return None


def _defines(name: str) -> re.Pattern[str]:
    word = re.escape(name)
    return re.compile(rf"^[ \t]*(?:(?:async[ \t]+)?def[ \t]+{word}[ \t]*\(|class[ \t]+{word}\b"
                      rf"|{word}[ \t]*(?::[^=\n]*)?=(?!=))", re.MULTILINE)


def defining_cells(cells: Sequence[CodeCell], name: str) -> list[CodeCell]:
    """The cells whose text defines ``name`` (a def, a class, an assignment)."""
    return [cell for cell in cells if _text_defines(cell.source, name)]


@kept_per_text(maxsize=1024)  # the setup cell names every question: read once, not per submission
def _text_defines(source: str, name: str) -> bool:
    """Whether a cell's text defines ``name``."""
    return name in source and _defines(name).search(source) is not None  # (the text first: in C)


def definition_lines(cell: CodeCell, name: str) -> list[int]:
    """The 1-based lines of ``cell`` that define ``name``."""
    return [cell.source.count("\n", 0, found.start()) + 1 for found in _defines(name).finditer(cell.source)]


def defined_below(name: str, cells: Sequence[CodeCell], index: int) -> Text | None:
    """"`helper` is defined in cell 5, below the cell that uses it: move it up", when no
    cell up to the one at ``index`` defines ``name`` and a later one does. Colab lets a
    student run cells in any order; the grader runs them top to bottom, so a NameError
    there of a name written further down is a cell in the wrong place, not a missing name."""
    if any(_text_defines(cell.source, name) for cell in cells if cell.index <= index):
        return None
    below = next((cell for cell in cells if cell.index > index and _text_defines(cell.source, name)), None)
    return None if below is None else msg("cause.defined_below", name=name, cell=below.index + 1)


def undefined_name(exc_type: str, message: str) -> str | None:
    """The name of a NameError's message ("name 'helper' is not defined"), else None."""
    found = _NAME_ERROR.search(message) if exc_type == "NameError" else None
    return found.group(1) if found else None


def cell_errors(cells: Sequence[CodeCell], run: RunReport) -> list[Text]:
    """The run's cell errors (``RunReport.errors``), a NameError of a name that a cell
    further down defines saying so: the one list ``grade`` and ``validate`` show."""
    notes: dict[int, Text] = {}
    for outcome in run.cells:
        name = undefined_name(outcome.exc_type, outcome.message) if outcome.status == "error" else None
        note = defined_below(name, cells, outcome.index) if name else None
        if note is not None:
            notes[outcome.index] = note
    return run.errors(notes)


def _uses(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.]){re.escape(name)}\b")


def failed_cell_using(name: str, cells: Sequence[CodeCell], run: RunReport) -> CellOutcome | None:
    """The first cell whose text uses ``name`` and that did not run to its end (it raised,
    was stopped, or did not compile at all): what left ``name`` as it is."""
    uses = _uses(name)
    using = {cell.index for cell in cells if name in cell.source and uses.search(cell.source)}
    stopped = ("error", "timeout", "syntax_error")
    return next((outcome for outcome in run.cells if outcome.index in using and outcome.status in stopped
                 and not (outcome.status == "syntax_error" and outcome.skipped)), None)


def cell_trouble(name: str, cells: Sequence[CodeCell], run: RunReport) -> Text | None:
    """"Cell 17, which uses `model`, raised RuntimeError (...)": said instead of advice
    about the value itself (train longer), which cannot help while the cell that makes
    the value fails. None when every cell using ``name`` ran to its end."""
    outcome = failed_cell_using(name, cells, run)
    if outcome is None:
        return None
    number, first = outcome.index + 1, (outcome.message.splitlines() or [""])[0][:200]
    if outcome.status == "timeout":
        return msg("cause.using_timeout", name=name, cell=number)
    if outcome.status == "syntax_error":
        return msg("cause.using_syntax", name=name, cell=number, message=first)
    said = with_hint(msg("cause.using_raised", name=name, cell=number, exc_type=outcome.exc_type, message=first),
                     outcome.exc_type, outcome.message)
    return sentences(said, msg("cause.using_left", name=name))


def _why(name: str, cells: Sequence[CodeCell], run: RunReport) -> Text:
    """What happened to the cell that should have defined ``name``."""
    outcomes = {outcome.index: outcome for outcome in run.cells}
    for cell in defining_cells(cells, name):
        outcome = outcomes.get(cell.index, CellOutcome(cell.index, "not_run"))
        number = cell.index + 1
        first = (outcome.message.splitlines() or [""])[0][:200]
        lines = definition_lines(cell, name) if outcome.skipped else []
        skipped = next((part for part in outcome.skipped if any(map(part.holds, lines))), None)
        if skipped is not None:
            return msg("cause.syntax_skipped", cell=number, line=skipped.line, message=skipped.message[:200],
                       first=skipped.first, last=skipped.last)
        if outcome.status == "syntax_error" and outcome.skipped:
            continue  # the rest of that cell ran: its definition of `name` is not the one skipped
        if outcome.status == "syntax_error":
            return msg("cause.syntax", name=name, cell=number, message=first)
        if outcome.status == "error":
            return msg("cause.raised", name=name, cell=number, exc_type=outcome.exc_type, message=first)
        if outcome.status == "timeout":
            return msg("cause.timeout", name=name, cell=number)
        if outcome.status in ("not_run", "ended_process"):
            return msg("cause.not_run", name=name, cell=number)
    nowhere = msg("cause.nowhere_class" if name[:1].isupper() else "cause.nowhere", name=name)
    near = near_name(name, cells)
    return nowhere if near is None else nowhere + Text.plain(" ") + msg("cause.near", near=near, name=name)


_DEFINED = re.compile(r"^[ \t]*(?:(?:async[ \t]+)?def|class)[ \t]+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)


@kept_per_text()
def _defined(source: str) -> tuple[str, ...]:
    """The functions and classes a cell's text defines, in order."""
    return tuple(_DEFINED.findall(source))


def near_name(name: str, cells: Sequence[CodeCell]) -> str | None:
    """A function or class the cells define under a name close to ``name`` (another
    case, a typo: ``ELU`` for ``elu``), found in the cells' text with difflib."""
    defined = list(dict.fromkeys(found for cell in cells for found in _defined(cell.source)))
    if name in defined:
        return None
    folded = {d.lower(): d for d in reversed(defined)}
    close = difflib.get_close_matches(name.lower(), list(folded), n=1, cutoff=0.8)
    return folded[close[0]] if close else None


def explain(blocker: Blocker, question: str, cells: Sequence[CodeCell], run: RunReport) -> Text:
    """The cause, in words a student can act on: what is wrong and in which cell."""
    if blocker.kind == "not_callable":
        return msg("call.not_callable", name=blocker.name, type_name=blocker.detail)
    if blocker.kind == "not_implemented":
        where = defining_cells(cells, blocker.name)
        if where:
            return msg("cause.not_implemented", name=blocker.name, cell=where[-1].index + 1)
        return msg("call.not_implemented", name=blocker.name)
    if blocker.kind == "name_error":
        head = msg("cause.name_error", question=question, name=blocker.name)
    else:
        head = msg("cause.missing", name=blocker.name)
    return head + Text.plain(" ") + _why(blocker.name, cells, run)
