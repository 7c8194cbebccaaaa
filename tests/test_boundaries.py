"""Module boundaries (docs/architecture.md): who may import whom, checked on the source.

Imports at a module's top level are what makes a cycle or drags pytest in; imports
inside functions and under ``if TYPE_CHECKING:`` are left out, as Python runs them
later or never.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path) -> set[str]:
    """Absolute names imported when ``path`` is imported (relative ones resolved)."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    files = [*ROOT.glob("autograder/**/*.py"), *ROOT.glob("student/**/*.py")]
    modules = {_module_name(path): path for path in files}
    graph = {}
    for name, path in modules.items():
        targets = {t for t in _top_level_imports(path) if t in modules}
        # importing a.b.c runs a/__init__ and a/b/__init__ too, unless they are this
        # module's own packages (already being imported when this module runs)
        own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
        targets |= {".".join(t.split(".")[:i]) for t in targets for i in range(1, t.count(".") + 1)}
        graph[name] = {t for t in targets if t in modules and t != name and t not in own}
    return graph


def test_no_import_cycles() -> None:
    graph = _graph()
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str], done: set[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in path:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, [*path, nxt], done)
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start], done)
    assert cycles == []


def test_student_is_a_leaf() -> None:
    """``student/`` is embedded in notebooks: it must not need the ``autograder`` package."""
    for path in ROOT.glob("student/**/*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not [n for n in names if n.split(".")[0] == "autograder"], path


def test_outcome_types_do_not_import_pytest() -> None:
    code = "import sys, autograder.outcomes, autograder.scoring; print('pytest' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                           check=True)
    assert found.stdout.strip() == "False"
