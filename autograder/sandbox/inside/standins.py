"""Inside the jail: stand-ins for the graders' own cells (otter's and ours), and checkpoints.

Notebooks made for otter-grader start with ``import otter`` / ``grader =
otter.Notebook(...)`` and call ``grader.check("q1")`` after each answer. Here ``otter``
is a tiny module put in ``sys.modules`` before the notebook runs (the real one is never
imported in the jail: it costs a third of a second and runs the tests in the student's
process): ``Notebook(...)`` and all its methods do nothing and show nothing, except
that ``check("q1")`` keeps the notebook's state at that point as checkpoint ``q1``.

Our own notebooks' ``check("relu")`` and ``check_all()`` (the setup cell's ``student``
package) are quiet while grading too, when the package is the one the zygote built (the
setup cell as generated): they run no example and print nothing, returning an empty
``Result``. The grader runs the very same public examples itself, through the jail
(``autograder/public.py``), and reports them; running them in the student's process as
well was a third of an ``activations`` worker's CPU. The rest of a check cell runs.

A checkpoint is a shallow copy of the notebook's globals, in which the notebook's own
functions are re-bound to the copy: a name rebound by a later cell (``x = ...``) does
not change what the tests of ``q1`` see, nor what the student's functions read from
their globals. Objects changed in place later (``lst.append``) are shared: that is the
limit of a copy that costs microseconds.

The grader (``autograder.importers.runtime``) reaches checkpoints through the ordinary
call and get requests, by target name: ``"q1@x"`` is ``x`` as checkpoint ``q1`` saw it
(the notebook's current ``x`` when there is no such checkpoint), and ``"@assign"``,
``"@delete"``, ``"@reached"``, ``"@defines"`` are the tools below (an imported test that deletes or
rebinds a notebook name, as nbgrader's tests do, does it in the jail). nbgrader's test
cells are replaced by the grader with ``checkpoint("<grade_id>")`` (importers/rules.py).
"""

from __future__ import annotations

import sys
import types
from typing import Any

MODULE = "_autograder_standins"
SEP = "@"


class Checkpoints:
    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self.saved: dict[str, dict[str, Any]] = {}

    def save(self, label: Any) -> None:
        if type(label) is not str:
            return
        snapshot = dict(self.namespace)
        for key, value in snapshot.items():
            if type(value) is types.FunctionType and value.__globals__ is self.namespace:
                copy = types.FunctionType(value.__code__, snapshot, value.__name__, value.__defaults__,
                                          value.__closure__)
                copy.__kwdefaults__ = value.__kwdefaults__
                copy.__dict__.update(value.__dict__)
                copy.__qualname__ = value.__qualname__
                snapshot[key] = copy
        self.saved[label] = snapshot

    def scope(self, label: Any) -> dict[str, Any]:
        return self.saved.get(label, self.namespace) if type(label) is str and label else self.namespace

    def resolve(self, target: str) -> Any:
        """What a target with ``@`` names; LookupError when it names nothing."""
        label, _, name = target.partition(SEP)
        if not label:
            if name not in _TOOLS:
                raise LookupError(target)
            return getattr(self, _TOOLS[name])
        scope = self.scope(label)
        if name not in scope:
            raise LookupError(target)
        return scope[name]

    def _assign(self, label: Any, name: Any, value: Any) -> None:
        self.scope(label)[str(name)] = value

    def _delete(self, label: Any, name: Any) -> None:
        scope = self.scope(label)
        if name not in scope:
            raise NameError(f"name {name!r} is not defined")
        del scope[name]

    def _reached(self, label: Any) -> bool:
        return label in self.saved

    def _defines(self, label: Any, name: Any) -> bool:
        return name in self.scope(label)


_TOOLS = {"assign": "_assign", "delete": "_delete", "reached": "_reached", "defines": "_defines"}


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _otter(checkpoints: Checkpoints) -> types.ModuleType:
    class Notebook:
        """otter's ``Notebook``: every method does nothing; ``check`` keeps a checkpoint.
        (When otter grades, ``check_all`` and ``export`` do nothing either; a
        ``Notebook("hw.ipynb")`` is taken as naming the notebook being graded, as it is
        when the student submits the file under that name.)"""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def check(self, question: Any = None, *args: Any, **kwargs: Any) -> None:
            checkpoints.save(question)

        def __getattr__(self, name: str) -> Any:  # check_all, export, to_pdf, submit, run_plugin...
            if name.startswith("__"):
                raise AttributeError(name)
            return _nothing

        init_grading_mode = staticmethod(_nothing)

    module = types.ModuleType("otter", "A stand-in: the grader runs otter's tests itself.")
    module.Notebook = Notebook  # type: ignore[attr-defined]
    module.__version__ = "7"  # type: ignore[attr-defined]
    return module


def quiet_checker(package: types.ModuleType) -> None:
    """Make the ``check``/``check_all`` that ``package.checker.make_checker`` returns
    quiet (see above); a package without that API is left as it is."""
    checker = getattr(package, "checker", None)
    result = getattr(checker, "Result", None)
    if checker is None or not callable(getattr(checker, "make_checker", None)) or result is None:
        return

    def make_checker(examples: Any, namespace: Any, language: str = "ru") -> tuple[Any, Any]:
        """``check`` and ``check_all`` that grading makes quiet: the grader runs the examples."""

        def check(name: Any = None) -> Any:
            return result(0, 0)

        def check_all() -> Any:
            return result(0, 0)

        return check, check_all

    checker.make_checker = make_checker


def install(namespace: dict[str, Any]) -> Checkpoints:
    """Put the stand-ins in ``sys.modules`` for the notebook run in ``namespace``."""
    checkpoints = Checkpoints(namespace)
    own = types.ModuleType(MODULE)
    own.checkpoint = checkpoints.save  # type: ignore[attr-defined]
    sys.modules[MODULE] = own
    sys.modules["otter"] = _otter(checkpoints)
    return checkpoints
