"""Lines for the assignment's author about the checks themselves (``check bug in ...``,
``check skipped in ...``), on stderr, each once per command.

A broken check breaks on every notebook, so each line is told once however many it
hits. ``grade --jobs N`` grades in N forked processes: told in each, a line came out
once per process; a forked grader process sends its lines to the command instead
(:func:`sent_to`), and the command prints each the first time any process tells it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_told: set[str] = set()  # the lines told in this process (a forked one inherits its parent's)
_sinks: list[Callable[[str], None]] = []  # where lines go instead of stderr, innermost last


def tell(line: str) -> None:
    """Say ``line`` to the author, unless this process said it already."""
    if line in _told:
        return
    _told.add(line)
    if _sinks:
        _sinks[-1](line)
    else:
        print(line, file=sys.stderr)


@contextmanager
def sent_to(sink: Callable[[str], None]) -> Iterator[None]:
    """Within the block, lines told here go to ``sink`` (the command's process) instead
    of this process's stderr."""
    _sinks.append(sink)
    try:
        yield
    finally:
        _sinks.pop()
