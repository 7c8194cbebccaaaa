"""What a notebook expects from Jupyter, made harmless: output capture, ``input()``,
``display()``, a ``get_ipython()`` stub for the calls IPython's transformer emits, and
Colab's own ``google.colab`` (see ``colab.py``)."""

from __future__ import annotations

import builtins
import io
from typing import Any

from . import colab

INPUT_MESSAGE = "input() cannot be used during grading: there is nobody to type an answer"


class Capture(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int) -> None:
        self.limit, self.dropped = limit, 0
        self.kept: list[str] = []
        self._size = 0

    def writable(self) -> bool:
        return True

    def write(self, text: Any) -> int:
        text = text if type(text) is str else str(text)
        room = self.limit - self._size
        if room > 0:
            self.kept.append(text[:room])
            self._size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    @property
    def truncated(self) -> bool:
        return self.dropped > 0

    def getvalue(self) -> str:
        return "".join(self.kept)


class GradingInputError(RuntimeError):
    pass


def _input(prompt: Any = "") -> str:
    raise GradingInputError(INPUT_MESSAGE)


def _display(*objects: Any, **_: Any) -> None:
    for obj in objects:
        print(repr(obj))


class IPythonStub:
    """Enough of ``InteractiveShell`` for transformed magics: timing magics run their
    code once, everything else (``%matplotlib``, ``!pip``, ``?``) does nothing."""

    _RUN = {"time", "timeit", "capture", "prun"}

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.user_ns = namespace

    def _exec(self, code: str) -> None:
        exec(compile(code, "<magic>", "exec", dont_inherit=True), self.user_ns)

    def run_line_magic(self, name: str, line: str, _stack_depth: int = 1) -> None:
        if name in self._RUN and line.strip():
            self._exec(_strip_options(line))

    def run_cell_magic(self, name: str, line: str, cell: str) -> None:
        if name in self._RUN:
            self._exec(cell)

    def system(self, command: str) -> None:
        return None

    def getoutput(self, command: str) -> list[str]:
        return []

    def magic(self, line: str) -> None:
        return None


def _strip_options(line: str) -> str:
    """``%timeit -n 10 f()`` -> ``f()``."""
    words = line.split()
    while words and words[0].startswith("-"):
        takes_value = words[0] in ("-n", "-r", "-p", "-s", "-l", "-T", "-D")
        words = words[2:] if takes_value else words[1:]
    return " ".join(words)


def install(namespace: dict[str, Any]) -> None:
    stub = IPythonStub(namespace)
    builtins.input = _input
    setattr(builtins, "display", _display)
    setattr(builtins, "get_ipython", lambda: stub)
    colab.install()
