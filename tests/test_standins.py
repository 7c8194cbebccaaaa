"""The jail's stand-ins for otter's cells and the checkpoints imported tests read
(autograder/sandbox/inside/standins.py), run here as plain Python: no jail needed."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from autograder.sandbox.inside import standins


@pytest.fixture
def namespace() -> Iterator[dict[str, Any]]:
    saved = {name: sys.modules.get(name) for name in ("otter", standins.MODULE)}
    yield {"__name__": "__main__", "__builtins__": __builtins__}
    for name, module in saved.items():
        if module is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = module


def _run(namespace: dict[str, Any], source: str) -> None:
    exec(compile(source, "<cell>", "exec"), namespace)


def test_otters_cells_do_nothing_and_check_keeps_the_state(namespace: dict[str, Any]) -> None:
    checkpoints = standins.install(namespace)
    _run(namespace, "import otter\ngrader = otter.Notebook('hw.ipynb')\nk = 2\n"
                    "def f(x):\n    return x * k\n")
    _run(namespace, "grader.check('q1')")
    _run(namespace, "k = 10\nf = None\ngrader.check_all()\ngrader.export(pdf=False)\ngrader.to_pdf()")
    snapshot_f = checkpoints.resolve("q1@f")
    assert snapshot_f(3) == 6  # the function and the global it reads, as at the check
    assert checkpoints.resolve("q1@k") == 2 and namespace["k"] == 10
    assert checkpoints.resolve("q2@k") == 10  # never checked: the notebook as it is
    with pytest.raises(LookupError):
        checkpoints.resolve("q1@missing")
    assert checkpoints.resolve("@reached")("q1") is True and checkpoints.resolve("@reached")("q2") is False


def test_tests_rebind_and_delete_names_at_a_checkpoint(namespace: dict[str, Any]) -> None:
    checkpoints = standins.install(namespace)
    _run(namespace, "def squares(n):\n    return [i * i for i in range(1, n + 1)]\n"
                    "def total(n):\n    return sum(squares(n))\n")
    _run(namespace, f"__import__({standins.MODULE!r}).checkpoint('test_total')")
    keep = checkpoints.resolve("test_total@squares")
    checkpoints.resolve("@delete")("test_total", "squares")
    with pytest.raises(NameError):
        checkpoints.resolve("test_total@total")(2)  # total reads squares from the checkpoint
    assert "squares" in namespace  # the notebook's own globals are untouched
    checkpoints.resolve("@assign")("test_total", "squares", keep)
    assert checkpoints.resolve("test_total@total")(2) == 5
    with pytest.raises(NameError):
        checkpoints.resolve("@delete")("test_total", "nothing")
    with pytest.raises(LookupError):
        checkpoints.resolve("@unknown_tool")
