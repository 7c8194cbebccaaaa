"""Inside the jail: cells most notebooks carry verbatim, compiled once in the zygote.

Every notebook an assignment hands out starts with the same generated setup cell (44 kB
for ``activations``: the embedded ``check()`` package as text). Compiling it cost every
worker about 1.3 ms of CPU, most of it the parser's memory, fresh pages in a fresh
process. The grader sends the zygote the setup cells it generated (``Jail.teach``); the
zygote compiles them here once, and a worker whose cell is exactly one of them, character
for character, takes a copy of that code under its own cell's name instead of compiling.
A worker's hello lists the digests of the cells it holds (:data:`hello`), so the grader
sends such a cell by its digest instead of its 44 kB of text (``{"known": digest}``).
The code is what ``compile(source, name, "exec", dont_inherit=True)`` gives (only the
file name differs, and it is replaced in every nested code object too), so a cell runs
the same either way; any other text, an edited setup cell included, is compiled as before.
"""

from __future__ import annotations

import hashlib
import json
import types
from typing import Any

MAX_CELLS = 8  # sources kept at most (an assignment's setup cell, with and without `submit`)
MAX_CHARS = 1 << 20  # and their total length

_known: dict[str, tuple[types.CodeType, list[str]]] = {}
_lengths: set[int] = set()  # a cheap first test: most cells' lengths are none of these
_by_digest: dict[str, str] = {}
hello = b"[]"  # what a worker's hello says it holds: the JSON list of the digests


def digest(source: str) -> str:
    """What the grader and a worker call a known cell by (the grader computes it too)."""
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def learn(sources: Any) -> None:
    """Compile each of ``sources`` (a list of str) once; what does not compile, or does not
    fit, is left out (a worker compiles it as it always did)."""
    if type(sources) is not list:
        return
    for source in sources:
        if (type(source) is not str or source in _known or len(_known) >= MAX_CELLS
                or sum(map(len, _known)) + len(source) > MAX_CHARS):
            continue
        try:
            code = compile(source, "<known cell>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        _known[source] = (code, source.splitlines(True))
        _lengths.add(len(source))
        _by_digest[digest(source)] = source
    global hello
    hello = json.dumps(list(_by_digest)).encode()


def source_of(reference: Any) -> str | None:
    """The text of the known cell a run request names (``{"known": digest}``), else None."""
    name = reference.get("known") if type(reference) is dict and len(reference) == 1 else None
    return _by_digest.get(name) if type(name) is str else None


def compiled(source: str, name: str) -> tuple[types.CodeType, list[str]] | None:
    """The code of ``source`` as cell ``name`` and its lines, when it is a known cell."""
    if len(source) not in _lengths:
        return None
    found = _known.get(source)
    if found is None:
        return None
    code, lines = found
    return renamed(code, name), lines


def renamed(code: types.CodeType, name: str) -> types.CodeType:
    """``code`` and every code object inside it with ``co_filename`` ``name``."""
    constants = tuple(renamed(c, name) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=name, co_consts=constants)
