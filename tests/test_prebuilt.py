"""The setup cell's ``student`` package, built once by the jail's zygote and lent to each
worker whose setup cell carries exactly the same sources (sandbox/inside/prebuilt.py);
an edited setup cell runs as written; and the zygote preloads what every worker uses."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder import embedded
from autograder.assign import generate_student_notebook
from autograder.config import Limits, load_settings
from autograder.notebook import CodeCell
from autograder.sandbox.jail import Jail
from autograder.session import Session
from autograder.sandbox.inside.prebuilt import Prebuilt
from tests.helpers import ROOT

LENT = "print(getattr(__import__('sys').modules.get('_autograder_prebuilt'), 'lent', tuple)())"
# a notebook's own cells after the setup cell: one wrong function, one right, their checks
STUDENT = [
    "import numpy as np\ndef relu(x):\n    return np.minimum(np.asarray(x, dtype=float), 0.0)\n",
    'check("relu")\n',
    "def sigmoid(x):\n    x = np.asarray(x, dtype=float)\n    return 1 / (1 + np.exp(-x))\n",
    'check("sigmoid")\n',
    "check_all()\n",
]


def setup_cell() -> str:
    notebook = generate_student_notebook("activations", load_settings(ROOT / "grading_config.yaml"))
    return next(c.source for c in notebook.cells if "setup" in c.metadata.get("tags", []))


def outputs(jail: Jail, sources: list[str], limits: Limits) -> list[tuple[str, str, str]]:
    """Each cell's status, output and error message."""
    with Session(jail.spawn, [CodeCell(i, s) for i, s in enumerate(sources)], limits) as session:
        return [(c.status, c.stdout, c.message) for c in session.run.cells]


@pytest.fixture(scope="module")
def plain_jail() -> Iterator[Jail]:
    """A jail that prebuilds nothing: every setup cell builds its own package."""
    with Jail.start("auto", ("numpy",), prebuilt=()) as started:
        started.ready()
        yield started


def test_the_setup_cell_borrows_the_zygotes_package(jail: Jail, fast_limits: Limits) -> None:
    cells = outputs(jail, [setup_cell(), LENT], fast_limits)
    assert cells == [("ok", "", ""), ("ok", "('student',)\n", "")]


def test_the_borrowed_package_checks_quietly_the_built_one_as_written(jail: Jail, plain_jail: Jail,
                                                                    fast_limits: Limits) -> None:
    """The same notebook, its setup cell served from the zygote and built in the worker:
    served, ``check``/``check_all`` run nothing and print nothing (the grader runs the
    examples itself); built, they report the wrong ``relu`` as in the student's notebook.
    The rest of a cell that calls them runs either way."""
    sources = [setup_cell(), *STUDENT, "result = check('relu')\nprint('after', result.passed, result.total)\n"]
    lent = outputs(jail, [*sources, LENT], fast_limits)
    built = outputs(plain_jail, [*sources, LENT], fast_limits)
    assert lent[-1][1] == "('student',)\n" and built[-1][1] == "()\n"
    assert [c[0] for c in lent] == [c[0] for c in built] == ["ok"] * len(lent)
    assert [c[1] for c in lent[:-2]] == [""] * (len(sources) - 1)
    assert lent[-2][1] == "after 0 0\n"
    assert "relu" in built[2][1] and built[2][1] != built[4][1]  # the wrong relu is reported, not sigmoid
    assert built[-2][1].endswith("after 0 2\n")


def test_an_edited_setup_cell_runs_as_written(jail: Jail, fast_limits: Limits,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A student who changed one line of the embedded package gets their own package."""
    real = embedded.sources

    def edited(submit: bool = False) -> dict[str, str]:
        found = real(submit)
        found["checker"] += "\nEDITED = 'mine'\n"
        return found

    monkeypatch.setattr(embedded, "sources", edited)
    probe = "import sys\nprint(getattr(sys.modules['student.checker'], 'EDITED', None))\n"
    cells = outputs(jail, [setup_cell(), probe, LENT], fast_limits)
    assert cells == [("ok", "", ""), ("ok", "mine\n", ""), ("ok", "()\n", "")]


def test_a_setup_cell_run_twice_builds_its_second_package(jail: Jail, fast_limits: Limits) -> None:
    setup = setup_cell()
    keep = "import sys\nfirst = sys.modules['student.checker']\n"
    again = "print(sys.modules['student.checker'] is first)\n"
    cells = outputs(jail, [setup, keep, setup, again, LENT], fast_limits)
    assert [c[1] for c in cells] == ["", "", "", "False\n", "('student',)\n"]


def _loader(future: str) -> object:
    """A setup cell's kind of loader: it asks ``lend`` first (compiled with ``future``)."""
    code = f"{future}\ndef load(lend, sources):\n    return lend('pkg', sources)\n"
    namespace: dict[str, object] = {}
    exec(compile(code, "<cell>", "exec", dont_inherit=True), namespace)
    return namespace["load"]


def test_lend_only_exactly_the_same_sources_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "fresh_module_for_prebuilt.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    prebuilt = Prebuilt()
    modules = [["a", "import json\nA = json.dumps([1])\n"], ["b", "from pkg import a\nB = a.A + '!'\n"]]
    assert prebuilt.build("pkg", modules)
    assert not prebuilt.build("other", [["c", "import fresh_module_for_prebuilt\n"]])  # not imported yet
    assert "fresh_module_for_prebuilt" not in sys.modules and "pkg" not in sys.modules
    load = _loader("")
    assert load(prebuilt.lend, {"b": modules[1][1], "a": modules[0][1]}) is None  # another order
    assert load(prebuilt.lend, {"a": modules[0][1], "b": modules[1][1] + " "}) is None  # one space more
    assert _loader("from __future__ import annotations")(prebuilt.lend, dict(modules)) is None
    package = load(prebuilt.lend, dict(modules))
    try:
        assert package is not None and package.b.B == '[1]!'  # type: ignore[attr-defined]
        assert sys.modules["pkg"] is package and sys.modules["pkg.b"] is package.b  # type: ignore[attr-defined]
        assert load(prebuilt.lend, dict(modules)) is None  # lent once
        assert prebuilt.lent_here() == ("pkg",)
    finally:
        for name in ("pkg", "pkg.a", "pkg.b"):
            sys.modules.pop(name, None)


def test_the_zygote_preloads_numpy_random() -> None:
    """Every worker seeds numpy.random before each cell: imported once in the zygote, not
    by every worker (NumPy 2 imports it lazily)."""
    code = textwrap.dedent("""
        import sys
        sys.path.insert(0, sys.argv[1])
        from inside import zygote
        zygote.preload(["numpy"])
        print("numpy.random" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", code, str(ROOT / "autograder" / "sandbox")],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def test_builtins_a_student_adds_or_removes_stay_theirs(jail: Jail, fast_limits: Limits) -> None:
    """The worker swaps the student's builtins for its own around their code (a shortcut
    when both have the same names): a name added or removed by a cell stays so for the
    next cells and calls, and never reaches the worker's own code."""
    cells = ["import builtins\nbuiltins.extra = 41\ndel builtins.copyright\n",
             "def f():\n    return extra + 1, 'copyright' in dir(builtins)\n",
             "print(f())\n"]
    with Session(jail.spawn, [CodeCell(i, s) for i, s in enumerate(cells)], fast_limits) as session:
        assert [c.status for c in session.run.cells] == ["ok", "ok", "ok"]
        assert session.run.cells[2].stdout == "(42, False)\n"
        assert session.call("f") == (42, False)
        assert session.call("f") == (42, False)


def test_a_function_ending_the_process_on_a_public_example_costs_only_its_question(
        jail: Jail, tmp_path: Path) -> None:
    """The notebook's ``check("relu")`` cell no longer calls ``relu`` while grading: the
    grader's own call of the public example finds what it does, and the cells after it
    run (when the check cell ran it, the process ended there and every later question
    scored nothing)."""
    from autograder.grading import Grader, Submission
    from tests.helpers import write_notebook

    reference = (ROOT / "assignments" / "activations" / "reference.py").read_text(encoding="utf-8")
    ends = ("import os\n_right_relu = relu\ndef relu(x):\n"
            "    if np.asarray(x).size == 5:  # the public example's input\n        os._exit(3)\n"
            "    return _right_relu(x)\n")
    cells = [setup_cell(), reference, ends, 'check("relu")\n', 'check("tanh")\n', 'check_all()\n']
    settings = load_settings(ROOT / "grading_config.yaml")
    result = Grader("activations", settings, jail).grade(Submission("s", write_notebook(tmp_path / "s.ipynb", cells)))
    scores = {q.name: q.score for q in result.questions}
    points = settings.assignment("activations").questions
    assert scores == {name: (0.0 if name == "relu" else float(points[name])) for name in points}, result.errors
    relu = [c.message for q in result.questions if q.name == "relu" for c in q.checks if not c.passed]
    assert relu and all("relu(" in m for m in relu), relu
    assert not result.errors
