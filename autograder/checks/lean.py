"""A check's fixtures set up and torn down directly, when that is what pytest would do.

pytest resolves every fixture of every check through its generic request machinery:
a ``SubRequest`` per fixture, a fresh ``FixtureDef`` (and an ``inspect.signature``)
for every fixture that asks for ``request``, scope checks, finalizer chains. For
``activations`` (32 checks) that was about a third of the grader's CPU per
submission. Most hidden checks use only plain fixtures, so for those the work is
planned once, when the checks are collected: each check's fixtures, in the order
pytest would set them up; each run then calls the fixture functions as pytest's
``call_fixture_func`` does (a generator fixture's rest is its teardown, through
pytest's own ``_teardown_yield_fixture``) and tears them down in the order pytest
would, raising what pytest would raise.

A check is planned only when everything it uses is within that plain subset (see
:func:`plan_of`): module-level test functions without skip/xfail marks or
parameters, fixtures of function or session scope without params, ``request`` asked
for only by this framework's own fixtures (``plugin.py``, which use the part of it
:class:`LeanRequest` has), and no conftest hook around set-up or the call. Session-scoped values
are pytest's own: the first submission runs through pytest's path, which computes and
caches them (an exception included, raised again for every later check as pytest
does), and the plans read that cache. Anything else, and every run before that cache
is full, goes through pytest's path (``suite.CheckRunner``); the two give the same
outcomes (``tests/test_lean_checks.py`` grades a batch both ways).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

try:  # pytest's own pieces, so generator fixtures and teardown errors are pytest's
    from _pytest.fixtures import FixtureDef, _teardown_yield_fixture
    from _pytest.main import Dir
    from _pytest.outcomes import TEST_OUTCOME
    from _pytest.python import pytest_pyfunc_call
    from _pytest.runner import _update_current_test_var
    from _pytest.scope import Scope
except ImportError:  # another pytest: every check runs through pytest's path
    AVAILABLE = False
else:
    AVAILABLE = True

PLUGIN_MODULE = "autograder.checks.plugin"
# the only hook implementations around a check's set-up that the plan stands in for:
# fixtures (runner), skip marks (skipping: planned checks have none) and output capture
# (off: the suite runs pytest with -s)
PLAIN_SETUP_HOOKS = {"runner", "skipping", "capturemanager"}
SKIP_MARKS = {"skip", "skipif", "xfail"}


@dataclass(frozen=True)
class Step:
    """One fixture of a plan: its function and arguments, or pytest's cached session value."""

    name: str
    function: Callable[..., Any]
    argnames: tuple[str, ...]
    session: FixtureDef[Any] | None  # set for a session-scoped fixture: read its cache
    generator: bool = False  # a fixture that yields its value (its rest is its teardown)


class LeanRequest:
    """The ``request`` a planned check's framework fixtures get: the part of pytest's
    ``SubRequest`` that ``plugin.py`` uses."""

    scope = "function"

    def __init__(self, run: PlanRun, fixturename: str, finalizers: list[Callable[[], object]]) -> None:
        self._run, self.fixturename, self._finalizers = run, fixturename, finalizers

    @property
    def node(self) -> pytest.Item:
        return self._run.plan.item

    @property
    def config(self) -> pytest.Config:
        return self._run.plan.item.config

    @property
    def fixturenames(self) -> list[str]:
        return list(self._run.plan.item.fixturenames)

    def getfixturevalue(self, argname: str) -> Any:
        return self._run.value(argname)

    def addfinalizer(self, finalizer: Callable[[], object]) -> None:
        self._finalizers.append(finalizer)


class Plan:
    """One check's fixtures, planned at collection; :meth:`run` sets up, runs, tears down."""

    def __init__(self, item: pytest.Function, steps: dict[str, Step]) -> None:
        self.item, self.steps = item, steps
        self.order = [name for name in item.fixturenames if name != "request"]
        self.argnames = tuple(item._fixtureinfo.argnames)

    def ready(self) -> bool:
        """Whether pytest has computed (or failed) every session fixture this check uses."""
        return all(step.session.cached_result is not None
                   for step in self.steps.values() if step.session is not None)

    def run(self) -> BaseException | None:
        """Set up, run and tear down the check, as ``suite.CheckRunner`` does through
        pytest; what ended it (None: it passed)."""
        run = PlanRun(self)
        item = self.item
        error: BaseException | None = None
        _update_current_test_var(item, "setup")  # as pytest's set-up hook does
        try:
            for name in self.order:
                run.value(name)
            item.funcargs = {name: run.values[name] for name in self.argnames}
            pytest_pyfunc_call(item)  # Function.runtest's hook: pytest's is its only implementation
        except TEST_OUTCOME as raised:
            error = raised
        finally:
            try:
                run.teardown()
            except TEST_OUTCOME as raised:
                error = error or raised
            item.funcargs = None  # type: ignore[assignment]
        return error


class PlanRun:
    """The fixture values of one run of a plan, and each fixture's finalizers in the
    order the fixtures were set up (a fixture after those it asks for)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.values: dict[str, Any] = {}
        self.finalizers: list[tuple[str, list[Callable[[], object]]]] = []

    def value(self, name: str) -> Any:
        """A fixture's value, set up now (after the fixtures it asks for) unless it is."""
        if name in self.values:
            return self.values[name]
        step = self.plan.steps[name]
        if step.session is not None:
            cached = step.session.cached_result
            assert cached is not None  # Plan.ready
            if cached[2] is not None:  # pytest raises a failed session fixture's error again
                raise cached[2][0].with_traceback(cached[2][1])
            value = self.values[name] = cached[0]
            return value
        kwargs = {arg: None if arg == "request" else self.value(arg) for arg in step.argnames}
        finalizers: list[Callable[[], object]] = []
        self.finalizers.append((name, finalizers))  # torn down even if its set-up fails, as in pytest
        if "request" in kwargs:
            kwargs["request"] = LeanRequest(self, name, finalizers)
        if not step.generator:
            value = self.values[name] = step.function(**kwargs)
            return value
        # as pytest's call_fixture_func, without its run-time type cast and inspection
        generator = step.function(**kwargs)
        try:
            value = next(generator)
        except StopIteration:
            raise ValueError(f"{name} did not yield a value") from None
        finalizers.append(functools.partial(_teardown_yield_fixture, step.function, generator))
        self.values[name] = value
        return value

    def teardown(self) -> None:
        """Finalizers in pytest's order (the last fixture set up first, each fixture's
        own finalizers last-added first), errors raised as ``SetupState`` raises them."""
        errors: list[BaseException] = []
        while self.finalizers:
            name, own = self.finalizers.pop()
            failed: list[BaseException] = []
            while own:
                finalizer = own.pop()
                try:
                    finalizer()
                except BaseException as raised:  # noqa: BLE001 - FixtureDef.finish collects everything
                    failed.append(raised)
            if not failed:
                continue
            error = failed[0] if len(failed) == 1 else BaseExceptionGroup(
                f'errors while tearing down fixture "{name}" of {self.plan.item}', failed[::-1])
            if not isinstance(error, TEST_OUTCOME):
                raise error  # SetupState lets a KeyboardInterrupt through at once
            errors.append(error)
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise BaseExceptionGroup(f"errors while tearing down {self.plan.item!r}", errors[::-1])


def hooks_are_plain(config: pytest.Config) -> bool:
    """Whether nothing but pytest's own plugins hooks a check's set-up and fixtures."""
    hook = config.pluginmanager.hook
    setup = {impl.plugin_name for impl in hook.pytest_runtest_setup.get_hookimpls()}
    fixture = {impl.plugin_name for impl in hook.pytest_fixture_setup.get_hookimpls()}
    call = {impl.plugin_name for impl in hook.pytest_pyfunc_call.get_hookimpls()}
    return (AVAILABLE and setup <= PLAIN_SETUP_HOOKS and fixture == {"fixtures"} and call == {"python"}
            and not hook.pytest_fixture_post_finalizer.get_hookimpls())


def plan_of(item: pytest.Item) -> Plan | None:
    """The check's plan, or None when it uses something only pytest's path does right."""
    if not AVAILABLE or type(item) is not pytest.Function or hasattr(item, "callspec"):
        return None
    if item.cls is not None or any(mark.name in SKIP_MARKS for mark in item.iter_markers()):
        return None
    if not all(type(node) in (pytest.Session, Dir, pytest.Module, pytest.Function)
               for node in item.listchain()):
        return None  # a package's setup_module, a class: pytest's path
    info = item._fixtureinfo
    if "request" in info.argnames:
        return None
    steps: dict[str, Step] = {}
    for name in item.fixturenames:
        if name == "request":
            continue
        step = _step(name, info.name2fixturedefs.get(name, ()))
        if step is None:
            return None
        steps[name] = step
    return Plan(item, steps)


def _step(name: str, definitions: Any) -> Step | None:
    if not definitions:
        return None
    definition = definitions[-1]  # the closest one, as pytest picks it
    function = definition.func
    if (definition.params is not None or name in definition.argnames
            or hasattr(function, "__self__") or not inspect.isfunction(function)
            or inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)):
        return None
    if "request" in definition.argnames and function.__module__ != PLUGIN_MODULE:
        return None  # a course's fixture may use any part of pytest's request
    if definition._scope is Scope.Session:
        return Step(name, function, tuple(definition.argnames), definition)
    if definition._scope is not Scope.Function:
        return None
    return Step(name, function, tuple(definition.argnames), None, inspect.isgeneratorfunction(function))
