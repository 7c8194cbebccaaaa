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


KNOWN_CYCLES: list[set[str]] = []  # the sandbox's (calls, proxy, session, values) went with the split
KNOWN_DODGES: set[tuple[str, str]] = set()  # autograder/sandbox/__init__.py imports nothing since issue 22


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _names(node: ast.Import | ast.ImportFrom, package: str) -> set[str]:
    """Absolute names an import statement imports (relative ones resolved)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    base = node.module or ""
    if node.level:
        anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    return {base} | {f"{base}.{alias.name}" for alias in node.names}


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """What ``path`` imports at module level (``if TYPE_CHECKING:`` and ``try:`` blocks
    included: mypy follows the first, Python runs the second), and inside functions."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    module_level: set[str] = set()
    in_functions: set[str] = set()

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                (in_functions if nested else module_level).update(_names(child, package))
            else:
                visit(child, nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return module_level, in_functions


def _ours(name: str, targets: set[str], modules: set[str]) -> set[str]:
    """Our modules among ``targets``; importing a.b.c runs a/__init__ and a/b/__init__ too,
    unless they are this module's own packages (already being imported when it runs)."""
    found = {t for t in targets if t in modules}
    found |= {".".join(t.split(".")[:i]) for t in found for i in range(1, t.count(".") + 1)}
    own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
    return {t for t in found if t in modules and t != name and t not in own}


def _graphs() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Our modules' imports: at module level, and inside functions."""
    files = [*ROOT.glob("autograder/**/*.py"), *ROOT.glob("student/**/*.py")]
    paths = {_module_name(path): path for path in files if "templates" not in path.parts}
    modules = set(paths)
    module_level, in_functions = {}, {}
    for name, path in paths.items():
        top, nested = _imports(path)
        module_level[name] = _ours(name, top, modules)
        in_functions[name] = _ours(name, nested, modules)
    return module_level, in_functions


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import each other (strongly connected, more than one)."""
    reach = {name: _reachable(graph, name) for name in graph}
    groups: list[set[str]] = []
    for name in sorted(graph):
        group = {other for other in reach[name] if name in reach[other]}
        if group and not any(name in g for g in groups):
            groups.append(group | {name})
    return groups


def test_no_import_cycles() -> None:
    """Module-level imports (``TYPE_CHECKING`` ones included) form no cycle."""
    cycles = [sorted(group) for group in _cycles(_graphs()[0]) if group not in KNOWN_CYCLES]
    assert cycles == [], "modules that import each other: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_imports_inside_functions_never_dodge_a_cycle() -> None:
    """An import inside a function is for start-up time only: at module level, it would
    not make a cycle."""
    module_level, in_functions = _graphs()
    dodges = sorted((name, target) for name, targets in in_functions.items() for target in targets
                    if name in _reachable(module_level, target) and (name, target) not in KNOWN_DODGES)
    assert dodges == [], "imports inside functions that dodge a cycle: " + "; ".join(
        f"{name} -> {target}" for name, target in dodges)


# what the sandbox may import of ours outside itself: errors, limits, cells, messages, and
# the sources of the student package the setup cell embeds (prebuilt once in the zygote)
SANDBOX_NEEDS = {"autograder.config", "autograder.embedded", "autograder.exceptions", "autograder.hints",
                 "autograder.i18n", "autograder.notebook", "autograder.sandbox_names"}


def _in_sandbox(name: str) -> bool:
    return name == "autograder.sandbox" or name.startswith("autograder.sandbox.")


def test_the_sandbox_knows_nothing_of_grading() -> None:
    """``autograder/sandbox/`` is the jail and its client: nothing about questions,
    checks or what a call may cost (that is ``autograder.session``'s), so the jail can
    be read and changed on its own."""
    module_level, in_functions = _graphs()
    wider = sorted((name, target) for name, targets in module_level.items() if _in_sandbox(name)
                   for target in targets | in_functions[name]
                   if not _in_sandbox(target) and target not in SANDBOX_NEEDS)
    assert wider == [], "the sandbox imports the grading side: " + "; ".join(f"{a} -> {b}" for a, b in wider)


def test_the_sandbox_package_imports_nothing() -> None:
    """Importing one small part of the sandbox (``inside.salvage``: standard library
    only; ``values``) does not start loading the jail: its package imports nothing."""
    module_level, _ = _graphs()
    assert module_level["autograder.sandbox"] == set()


def test_the_cycle_tests_find_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [{"a", "b", "c"}]
    assert _cycles({"a": {"b"}, "b": set()}) == []


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


def test_grading_does_not_import_pytest() -> None:
    """pytest is how instructors run checks; the grader's own runner needs none of it (a
    fifth of a command's start-up), unless a check file imports it."""
    code = ("import sys; from pathlib import Path; import autograder.cli, autograder.grading, autograder.batch\n"
            "from autograder.config import load_settings; from autograder.checks.suite import CheckSuite\n"
            "settings = load_settings(Path('grading_config.yaml'))\n"
            "[CheckSuite(name, settings).specs for name in settings.config.assignments]\n"
            "print('pytest' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert found.stdout.strip() == "False"
