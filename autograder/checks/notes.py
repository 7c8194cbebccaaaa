"""Lines for the assignment's author about the checks themselves (``check bug in ...``,
``check skipped in ...``), on stderr, each once per command.

A broken check breaks on every notebook, so each line is told once however many it
hits. ``grade --jobs N`` grades in N forked processes: told in each, a line came out
once per process; a forked grader process sends its lines to the command instead
(:func:`sent_to`), and the command prints each the first time any process tells it.
A Dask worker does the same through each task's reply (:mod:`autograder.cluster`),
with a record of its own per task (``fresh``): it outlives the command, and a line it
told for an earlier command is news to the next one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_told: set[str] = set()  # the lines told in this process (a forked one inherits its parent's)
# where lines go instead of stderr, innermost last, each with the lines it was sent already
_sinks: list[tuple[Callable[[str], None], set[str]]] = []


def tell(line: str) -> None:
    """Say ``line`` to the author, unless it was said already (in this process, or
    through the innermost sink)."""
    send, seen = _sinks[-1] if _sinks else (_print, _told)
    if line in seen:
        return
    seen.add(line)
    send(line)


def _print(line: str) -> None:
    print(line, file=sys.stderr)


@contextmanager
def sent_to(sink: Callable[[str], None], *, fresh: bool = False) -> Iterator[None]:
    """Within the block, lines told here go to ``sink`` (the command's process) instead
    of this process's stderr: each once per process, or with ``fresh`` once per block
    (whatever the process told before), for a sink whose receiver keeps no record of
    this process's."""
    _sinks.append((sink, set() if fresh else _told))
    try:
        yield
    finally:
        _sinks.pop()
