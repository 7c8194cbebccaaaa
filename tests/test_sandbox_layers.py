"""The sandbox's modules import one another in layers: no cycle (not even one hidden
behind ``TYPE_CHECKING``). That they know nothing of the call policy above them
(``autograder.session``) is ``tests/test_boundaries.py``'s."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

SANDBOX = ROOT / "autograder" / "sandbox"


def imported(path: Path) -> set[str]:
    """The sandbox modules a file imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("autograder.sandbox."):
            found.add(node.module.split(".")[2])
        elif isinstance(node, ast.ImportFrom) and node.module == "autograder.sandbox":
            found.update(alias.name for alias in node.names if (SANDBOX / f"{alias.name}.py").exists())
    return found


def test_no_import_cycle_among_the_sandbox_modules() -> None:
    graph = {p.stem: imported(p) - {p.stem} for p in SANDBOX.glob("*.py") if p.stem != "__init__"}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join([*path, module])
        if module in done:
            return
        for other in graph.get(module, ()):
            visit(other, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())
    assert "client" in graph["jail"] or "channel" in graph["jail"]  # the graph is read, not empty
