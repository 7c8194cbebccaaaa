"""Load an assignment's checks, and refuse at load what the grader's runner would not run.

The runner (``suite.py``) is small on purpose: it knows the framework's fixtures
(``fixtures.MAKERS``) and the course's fixtures declared with ``@fixture`` in
``conftest.py`` or a check's own file, and it calls module-level ``test*``
functions. Everything else pytest can do (its ``request``, plain ``@pytest.fixture``,
marks, classes, hooks, sub-folders) would be run differently or silently not at all,
so it is one clear line each when the assignment loads (fail closed), never a wrong
grade later. Each check's fixtures are planned here, once: which to set up, in the
order pytest would set them up (session-scoped first, a fixture after those it asks for).
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import inspect
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from types import FunctionType, ModuleType
from typing import Any

from autograder.checks.api import FIXTURE_ATTRIBUTE, MARK, FixtureSpec, spec_of
from autograder.checks.fixtures import AFTER, MAKERS, SESSION_SCOPED, CheckId
from autograder.exceptions import AssignmentError
from autograder.instructor import raised_at
from autograder.outcomes import CheckSpec

CONFTEST = "conftest.py"
PATTERNS = ("test_*.py", "*_test.py")  # pytest's default python_files
XUNIT = {"setup_module", "teardown_module", "setup_function", "teardown_function", "setUpModule",
         "tearDownModule", "setup", "teardown"}


@dataclass(frozen=True)
class Fixture:
    """One fixture a check uses: the course's function, or one of the framework's."""

    name: str
    argnames: tuple[str, ...]
    session: bool
    function: Callable[..., Any] | None = None  # None: fixtures.MAKERS[name]
    generator: bool = False  # the course's fixture yields its value; the rest is its teardown


@dataclass(frozen=True)
class Check:
    """One collected test function and its plan."""

    where: str  # "/path/to/test_x.py::test_y", in load-time messages
    id: CheckId
    function: Callable[..., Any]
    spec: CheckSpec | None
    argnames: tuple[str, ...]
    steps: tuple[Fixture, ...]  # every fixture it uses, in set-up order


def argnames_of(function: Callable[..., Any]) -> tuple[str, ...]:
    """The names a function asks for, as pytest reads them: parameters without a default."""
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return tuple(name for name, p in inspect.signature(function).parameters.items()
                 if p.kind in kinds and p.default is inspect.Parameter.empty)


def check_files(checks_dir: Path) -> list[Path]:
    """The check files, in pytest's order (by name)."""
    return sorted({path for pattern in PATTERNS for path in checks_dir.glob(pattern)
                   if path.name != CONFTEST}, key=lambda path: path.name)


def forget_modules(checks_dir: Path) -> None:
    """Drop modules named like our check files from ``sys.modules``: another
    assignment's ``test_forward.py`` or ``conftest`` graded earlier in this process,
    or a file whose import failed, must never stand in for ours."""
    names = {path.stem for path in checks_dir.glob("*.py")}
    for name in [n for n in sys.modules if n in names]:
        del sys.modules[name]


def import_file(path: Path) -> ModuleType:
    """Import a check file under its own name, as pytest's importlib mode does (the
    folder is not put on ``sys.path``); ``AssignmentError`` when it does not import."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    try:
        spec.loader.exec_module(module)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - any error of the file (pytest.skip too) is one line
        del sys.modules[path.stem]
        raise AssignmentError(f"the checks in {path.parent} could not be collected: "
                              f"{import_failure(path, error)}") from None
    return module


def import_failure(path: Path, error: BaseException) -> str:
    """Why a check file did not import, in one line that says where (the file and line:
    the check file's, or the assignment's own module it imports) and, for a module the
    grader's Python lacks, what to do; the grader shows authors no traceback."""
    if isinstance(error, SyntaxError) and error.filename and error.lineno:
        return f"{error.filename}:{error.lineno}: SyntaxError: {error.msg}"
    at = raised_at(error, path.parent.parent) or str(path)
    said = f"{at}: {type(error).__name__}: {error}"
    if not isinstance(error, ModuleNotFoundError) or not error.name:
        return said
    top = error.name.partition(".")[0]
    if (path.parent / f"{top}.py").is_file() or (path.parent / top).is_dir():
        return said + (f" ({top} is in the checks' folder, which is not on sys.path, as in pytest's importlib "
                       "mode: share helpers through conftest.py with @fixture)")
    return said + f" (install {top} where the grader runs, or remove the import)"


def declared_fixtures(module: ModuleType) -> dict[str, FixtureSpec]:
    found = (getattr(value, FIXTURE_ATTRIBUTE, None) for value in vars(module).values())
    return {spec.name: spec for spec in found if isinstance(spec, FixtureSpec)}


@functools.cache
def fixture_type_of(pytest: Any) -> type:
    return type(pytest.fixture(lambda: None))  # what a plain @pytest.fixture makes (pytest >= 8.4)


def is_undeclared_fixture(value: Any) -> bool:
    """A plain ``@pytest.fixture`` (the grader would not know its scope or run it); only a
    file that imports pytest can make one."""
    pytest = sys.modules.get("pytest")
    if pytest is None:
        return False
    kind = fixture_type_of(pytest)
    return kind is not FunctionType and isinstance(value, kind) and getattr(value, FIXTURE_ATTRIBUTE, None) is None


def undeclared_fixtures(module: ModuleType) -> set[str]:
    return {name for name, value in vars(module).items() if is_undeclared_fixture(value)}


def module_problems(module: ModuleType, path: Path) -> list[str]:
    """What in a check file or conftest the runner would not run as pytest would."""
    problems = []
    for name, value in vars(module).items():
        where = f"{path}::{name}"
        if is_undeclared_fixture(value):
            problems.append(f"{where}: a plain @pytest.fixture; the grader runs the fixtures declared with "
                            "`from autograder.checks import fixture` (@fixture or @fixture(scope='session'))")
        elif name.startswith("pytest_") or name == "pytestmark" or name in XUNIT:
            problems.append(f"{where}: the grader does not run pytest hooks, module marks or setup/teardown "
                            "functions; use fixtures declared with @fixture")
        elif inspect.isclass(value) and name.startswith("Test") and value.__module__ == module.__name__:
            problems.append(f"{where}: a class of tests; the grader runs module-level test functions only")
    return problems


def test_functions(module: ModuleType) -> list[tuple[str, Callable[..., Any]]]:
    """The module's test functions, in definition order (pytest's rule: ``test`` prefix)."""
    return [(name, value) for name, value in vars(module).items()
            if name.startswith("test") and inspect.isfunction(value) and getattr(value, "__test__", True)]


class Planner:
    """Plans each check's fixtures from the fixtures its file can see."""

    def __init__(self, own: dict[str, FixtureSpec], refused: set[str]) -> None:
        self.own = own  # conftest's, overridden by the check file's own (pytest's "closest")
        self.refused = refused  # plain @pytest.fixture names, refused once where defined

    def fixture(self, name: str) -> Fixture | None:
        spec = self.own.get(name)
        if spec is not None:
            return Fixture(name, argnames_of(spec.function), spec.scope == "session", spec.function,
                           inspect.isgeneratorfunction(spec.function))
        if name in MAKERS:
            return Fixture(name, (), name in SESSION_SCOPED)
        return None

    def plan(self, where: str, argnames: tuple[str, ...]) -> tuple[tuple[Fixture, ...], list[str]]:
        """The fixtures a check with these arguments uses, in set-up order, and what is
        wrong with them (a name nobody provides, a cycle, a scope mismatch)."""
        found: dict[str, Fixture] = {}
        closure = list(argnames)  # pytest's closure: breadth first, in the order asked
        asker: dict[str, Fixture] = {}  # who asked for a name, when not the check itself
        problems: list[str] = []
        missing = False
        for name in closure:
            fixture = self.fixture(name)
            if fixture is None:
                problems += [] if name in self.refused else [self._unknown(where, name, asker.get(name))]
                missing = True
                continue
            found[name] = fixture
            for arg in fixture.argnames:
                if arg not in closure:
                    closure.append(arg)
                    asker[arg] = fixture
        for name, after in AFTER.items():  # `once` follows `variant` when the check uses both
            if name in found and after in found and found[name].function is None:
                found[name] = replace(found[name], argnames=(after,))
        if missing:
            return (), problems
        order: list[str] = []
        ranked = sorted(closure, key=lambda name: not found[name].session)  # stable: session first
        for name in ranked:
            problems += self._visit(where, name, found, order, [])
        return tuple(found[name] for name in order), problems

    def _visit(self, where: str, name: str, found: dict[str, Fixture], order: list[str],
               path: list[str]) -> list[str]:
        if name in order:
            return []
        if name in path:
            return [f"{where}: the fixtures {' -> '.join([*path[path.index(name):], name])} ask for each other"]
        fixture = found[name]
        problems = []
        for arg in fixture.argnames:
            if fixture.session and not found[arg].session:
                problems.append(f"{where}: the session fixture `{name}` asks for `{arg}`, which is set up "
                                "for each check (a session fixture may ask for session fixtures only)")
            problems += self._visit(where, arg, found, order, [*path, name])
        order.append(name)
        return problems

    def _unknown(self, where: str, name: str, asker: Fixture | None) -> str:
        """A name no fixture provides, said of whoever asks for it: the check, or the
        course's fixture it uses (named with its file and line: the check's own
        parameters do not show the name), with the close name meant, if one is."""
        names = [*MAKERS, *sorted(set(self.own) - set(MAKERS))]
        close = difflib.get_close_matches(name, names, n=1)
        meant = f"did you mean `{close[0]}`? " if close else ""
        who = "asks"
        if asker is not None and asker.function is not None:
            code = asker.function.__code__
            who = f"uses the fixture `{asker.name}` ({code.co_filename}:{code.co_firstlineno}), which asks"
        return (f"{where}: {who} for `{name}`, which the grader does not provide ({meant}fixtures: "
                f"{', '.join(names)}; declare helpers with `from autograder.checks import fixture` in conftest.py)")


def load_checks(checks_dir: Path) -> tuple[list[Check], list[str]]:
    """Import the checks (raising ``AssignmentError`` for a file that does not import)
    and judge them (:func:`judge_checks`)."""
    forget_modules(checks_dir)
    conftest = checks_dir / CONFTEST
    shared = import_file(conftest) if conftest.is_file() else None
    return judge_checks(checks_dir, shared, [(path, import_file(path)) for path in check_files(checks_dir)])


def judge_checks(checks_dir: Path, conftest: ModuleType | None,
                 files: Iterable[tuple[Path, ModuleType]]) -> tuple[list[Check], list[str]]:
    """Plan the checks of modules already imported (``conftest`` and each check file), and
    what the grader's runner would refuse in them, one line each.

    The one judgement of the checks ``grade`` loads and of those ``pytest checks
    --notebook`` collects (``plugin.py``), so pytest never passes a check that ``grade``
    would refuse, and says so in the same words."""
    problems = [f"{path}: checks in sub-folders are not run by the grader; move them into {checks_dir}"
                for path in sorted(checks_dir.glob("*/**/*.py")) if any(path.match(p) for p in PATTERNS)]
    shared: dict[str, FixtureSpec] = {}
    plain: set[str] = set()
    if conftest is not None:
        shared, plain = declared_fixtures(conftest), undeclared_fixtures(conftest)
        problems += module_problems(conftest, checks_dir / CONFTEST)
    checks = []
    for path, module in files:
        problems += module_problems(module, path)
        planner = Planner({**shared, **declared_fixtures(module)}, plain | undeclared_fixtures(module))
        for name, function in test_functions(module):
            check, found = _planned(planner, path, name, function)
            checks.append(check)
            problems += found
    problems += authoring_problems(checks)
    return checks, list(dict.fromkeys(problems))


def _planned(planner: Planner, path: Path, name: str, function: Callable[..., Any]) -> tuple[Check, list[str]]:
    """One test function as a check, with its plan, and what is wrong with it."""
    where = f"{path}::{name}"
    refused = [f"{where}: @pytest.mark.{mark}: the grader does not apply pytest marks to checks"
               for mark in _marks(function) if mark != MARK]
    if inspect.iscoroutinefunction(function) or inspect.isgeneratorfunction(function):
        refused.append(f"{where}: a check must be a plain function (not async, no yield)")
    argnames = argnames_of(function)
    steps, found = planner.plan(where, argnames) if not refused else ((), [])
    check = Check(where, CheckId(name, f"{path.name}::{name}"), function, spec_of(function), argnames, steps)
    return check, refused + found


def _marks(function: Callable[..., Any]) -> Iterable[str]:
    return [getattr(mark, "name", str(mark)) for mark in getattr(function, "pytestmark", [])]


def authoring_problems(checks: list[Check]) -> list[str]:
    """What is wrong in how checks use their fixtures, found when they load.

    ``once`` keeps the first submission's value for every later one; with inputs from
    the per-submission ``rng`` it would hand one student's expected values to the
    next. Costly expected values take their inputs from ``variant.rng`` instead.
    """
    return [f"{check.where} uses both `once` and the per-submission `rng`: `once` would reuse one "
            "submission's expected values for the next; draw the inputs from `variant.rng` (or "
            "`fixed_rng`) instead" for check in checks if {"once", "rng"} <= {s.name for s in check.steps}]
