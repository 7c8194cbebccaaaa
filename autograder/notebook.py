"""Read a submitted notebook into plain-Python code cells.

A student's file is never trusted to be well formed: each way it can be unreadable
has its own :class:`NotebookError` kind (and student-facing message), while what
Colab commonly breaks (ids, metadata, ``source`` as a string) does not stop grading.
IPython syntax is turned into plain Python by IPython's own transformer, so the
worker can run it without IPython.
"""

from __future__ import annotations

import ast
import errno
import functools
import json
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from autograder.exceptions import NotebookError
from autograder.i18n import Text, msg
from autograder.placeholders import Placeholders
from autograder.sandbox.inside import salvage

if TYPE_CHECKING:
    from nbformat import NotebookNode

COURSE_BLANKS = Placeholders()


@dataclass(frozen=True)
class CodeCell:
    index: int  # position in the notebook's cell list, 0-based (messages show index + 1)
    source: str  # plain Python after IPython transformation


def _text(data: bytes) -> str:
    if not data.strip():
        raise NotebookError("empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotebookError("not_utf8", offset=error.start) from None


def decline_iri_grammar() -> None:
    """Keep jsonschema (under nbformat) from building its RFC 3987 grammar at import.

    With ``rfc3987-syntax`` installed (jupyter_server pulls it in), importing nbformat
    compiles a Lark grammar for IRIs: 2-3 s of CPU on every command that reads a
    notebook with nbformat, for a string format no notebook schema uses. Called by the
    command line before anything imports jsonschema; a no-op once it has been imported.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _parse(text: str) -> dict[str, Any]:
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise NotebookError("invalid_json", _json_problem(error)) from None
    if not isinstance(raw, dict):
        raise NotebookError("not_notebook", msg("notebook.detail.top_level", what=_json_kind(raw)))
    major = raw.get("nbformat")
    if major == 3 and isinstance(raw.get("worksheets"), list):
        return _upgrade(text)
    if not isinstance(raw.get("cells"), list):
        raise NotebookError("not_notebook", msg("notebook.detail.no_cells"))
    return raw


def _json_problem(error: ValueError | RecursionError) -> Text:
    """Where the JSON breaks, in the student's language: the json module's own words
    ("Expecting ',' delimiter") are English, its line and column are not."""
    if isinstance(error, json.JSONDecodeError):
        return msg("notebook.detail.json_at", line=error.lineno, column=error.colno)
    if isinstance(error, RecursionError):
        return msg("notebook.detail.json_nested")
    return msg("notebook.detail.json_value")  # a number too long for Python to read, say


def _json_kind(value: object) -> Text:
    """What a JSON value is, as a student would call it (JSON's words, not Python's ``list``)."""
    if isinstance(value, list):
        return msg("notebook.detail.json.array")
    if isinstance(value, str):
        return msg("notebook.detail.json.string")
    if isinstance(value, bool):
        return msg("notebook.detail.json.boolean")
    return msg("notebook.detail.json.null" if value is None else "notebook.detail.json.number")


# Why a file could not be opened, for the errors a student can act on; any other is named by its code
_OS_PROBLEMS = {errno.ENOENT: "missing", errno.EACCES: "denied", errno.EPERM: "denied", errno.EISDIR: "folder"}


def _os_problem(error: OSError) -> Text:
    """The system's reason, in the student's language (its own ``strerror`` is English)."""
    key = _OS_PROBLEMS.get(error.errno or 0)
    if key is not None:
        return msg(f"notebook.detail.{key}")
    return msg("notebook.detail.os_error", code=errno.errorcode.get(error.errno or 0, str(error.errno)))


def _upgrade(text: str) -> dict[str, Any]:
    """An nbformat 3 notebook converted to 4 by nbformat's own reader, which first joins
    the lines its file keeps as lists (converting the parsed JSON as it is fails on a
    heading cell, v3's title, whose source is such a list)."""
    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            converted = nbformat.reads(text, as_version=4)
        except Exception:  # nbformat raises many kinds on odd v3 files, in English
            raise NotebookError("not_notebook", msg("notebook.detail.old_format")) from None
    return dict(converted)


def read_with_nbformat(path: Path) -> NotebookNode:
    """nbformat's own reader (version 4, converted from 3), after a byte-order mark, which
    Windows editors write and nbformat refuses, and with cells that share an id told apart
    the same way every time: a course's master, another grader's notebook, a notebook the
    feedback is written into. Raises what nbformat raises; a submission is graded from
    :func:`load_notebook`."""
    import nbformat

    from autograder.cell_ids import distinct

    text = Path(path).read_bytes().decode("utf-8-sig")
    raw = json.loads(text)
    if isinstance(raw, dict) and isinstance(raw.get("cells"), list) and distinct(raw["cells"]):
        text = json.dumps(raw)
    notebook: NotebookNode = nbformat.from_dict(nbformat.reads(text, as_version=4))
    return notebook


def cell_source(cell: dict[str, Any]) -> str:
    """A cell's source as one string (nbformat allows a list of lines; v3 says ``input``)."""
    source = cell.get("source", cell.get("input", ""))
    if isinstance(source, list):
        try:
            return "".join(source)  # lines are strings, but for a broken file's
        except TypeError:
            return "".join(part for part in source if isinstance(part, str))
    return source if isinstance(source, str) else ""


def load_notebook(path: Path) -> dict[str, Any]:
    """A notebook's JSON, read as leniently as a submission (v3 converted to v4), or
    NotebookError saying why it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise NotebookError("unreadable", _os_problem(error)) from None
    return parse_notebook(data)


def parse_notebook(data: bytes) -> dict[str, Any]:
    """A notebook's JSON from its bytes, as leniently as :func:`load_notebook` reads a
    file (a byte-order mark, v3): the course server accepts exactly what grading reads."""
    return _parse(_text(data))


def assignment_named_in(path: Path) -> str | None:
    """The assignment a student notebook was made for (``autograder assign`` names it in
    the notebook's metadata, which Colab and Jupyter keep), or None when it names none.
    NotebookError when the file is not a readable notebook."""
    named = load_notebook(path).get("metadata", {})
    named = named.get("autograder") if isinstance(named, dict) else None
    name = named.get("assignment") if isinstance(named, dict) else None
    return name if isinstance(name, str) and name else None


def read_submission(path: Path, placeholders: Placeholders = COURSE_BLANKS) -> list[CodeCell]:
    """The non-empty code cells of a notebook, with IPython syntax made plain Python and
    the course's blanks (``<Ваш код здесь>``) made code that raises NotImplementedError."""
    notebook = load_notebook(path)
    cells = []
    for index, cell in enumerate(notebook["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell_source(cell)
        if source.strip():
            cells.append(CodeCell(index, plain_code(source, placeholders)))
    return cells


CACHED_CELL_CHARS = 200_000  # larger cells are rare, and kept out of the cache's memory

Result = TypeVar("Result")


def kept_per_text(maxsize: int = 256) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """For a pure function of a cell's text (its first argument, then any hashable ones):
    its answers kept for the texts every notebook of a batch shares (the setup cell, 44 kB
    in ``activations``, read for each submission otherwise); a text over
    ``CACHED_CELL_CHARS`` is worked out each time, kept out of the cache's memory."""
    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        kept = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def answer(source: str, *rest: Any) -> Result:
            return kept(source, *rest) if len(source) <= CACHED_CELL_CHARS else function(source, *rest)

        return answer

    return decorate


@kept_per_text()
def plain_code(source: str, placeholders: Placeholders = COURSE_BLANKS) -> str:
    """A cell's source as the worker runs it: IPython syntax made plain, blanks made code
    that raises."""
    return placeholders.rewrite(transform_ipython(source))


def parse_cell(source: str) -> ast.Module | None:
    """A code cell's syntax tree, IPython syntax read as IPython runs it; ``None`` when
    it does not parse (the worker is the one that reports syntax errors)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(transform_ipython(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def imported_modules(tree: ast.AST, *, when_run: bool = False) -> list[str]:
    """The modules code imports by absolute name (``import a.b`` and ``from a.b import c``
    give ``a.b``; relative imports are left out), in ``ast.walk``'s order. ``when_run``:
    only what runs when the code runs, not inside the functions and classes it defines."""
    found: list[str] = []
    pending = [tree]
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
        pending += [child for child in ast.iter_child_nodes(node)
                    if not (when_run and isinstance(child, DEFINITIONS))]
    return found


def transform_ipython(source: str) -> str:
    """``%magic``/``!cmd``/``x?`` -> ``get_ipython()`` calls; unchanged when it fails.

    A cell that is already plain Python is returned as it is without importing IPython
    (a tenth of a second, on the path of every single-notebook grade): IPython syntax
    is never valid Python, and IPython leaves valid Python unchanged.
    """
    source = _running_magic_as_comment(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "\d" in a string: the worker warns, not us
            ast.parse(source)
        return source if source.endswith("\n") else source + "\n"  # as IPython ends it
    except (SyntaxError, ValueError):
        pass
    from IPython.core.inputtransformer2 import TransformerManager

    manager = TransformerManager()
    whole = _transformed(manager, source)
    if _parses(whole) or source.lstrip().startswith("%%"):
        return whole
    # a real syntax error (the worker runs the rest of the cell): after an unclosed
    # bracket IPython reads every line as inside it, so each top-level statement is
    # transformed on its own, kept only where the lines keep their numbers
    out = []
    for chunk in salvage.chunks(source):
        done = _transformed(manager, chunk)
        out.append(done if done.count("\n") == chunk.count("\n") + (not chunk.endswith("\n")) else chunk)
    joined = "".join(out)
    return joined if joined.endswith("\n") else joined + "\n"


# cell magics that only run their cell (timing it, capturing its output): the jail's
# IPython stand-in runs their body once, so the body is the cell's code
_RUNNING_CELL_MAGIC = re.compile(r"\A[ \t]*%%(?:time|timeit|capture|prun)\b[^\n]*(?=\n|\Z)")


def _running_magic_as_comment(source: str) -> str:
    """``%%time`` and its kind made a comment, so the cell's body is read as the student
    wrote it, lines kept: a blank or a syntax error in it is reported in the cell's own
    words (not "SyntaxError (<magic>, line 2)"), and the rest of the cell still runs."""
    return _RUNNING_CELL_MAGIC.sub(lambda found: "# " + found.group(0).strip(), source, count=1)


def _transformed(manager: Any, source: str) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return str(manager.transform_cell(source))
    except Exception:  # a cell IPython cannot parse: the worker reports the SyntaxError
        return source


def _parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
