"""The lean check path (``autograder/checks/lean.py``) against pytest's own: the same
results, byte for byte, and fixtures set up and torn down in the same order, for
fixtures that pass, fail, skip, yield twice or fail in their teardown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder import grading
from autograder.checks import lean
from autograder.checks.suite import CheckSuite
from autograder.config import load_settings
from autograder.sandbox import Jail
from tests.helpers import make_mini_project, write_notebook

CONFTEST = '''
import os

import pytest


def log(line):
    with open(os.environ["LEAN_LOG"], "a") as handle:
        handle.write(line + "\\n")


@pytest.fixture(scope="session")
def table():
    log("table")
    return {"scale": 3.0}


@pytest.fixture(scope="session")
def broken_table():
    log("broken_table")
    raise ValueError("no table here")


@pytest.fixture
def c(submission):
    log("c up")
    yield "c"
    log("c down")


@pytest.fixture
def b(c):
    log("b up")
    yield c + "b"
    log("b down")


@pytest.fixture
def a(b, c, table):
    log("a up")
    return b + c + str(table["scale"])


@pytest.fixture
def bad_teardown():
    yield 1
    log("bad_teardown down")
    raise RuntimeError("teardown broke")


@pytest.fixture
def worse_teardown(bad_teardown):
    yield 2
    raise KeyError("worse")


@pytest.fixture
def skipping():
    pytest.skip("no data for this check")


@pytest.fixture
def twice():
    yield 1
    yield 2


@pytest.fixture
def never_yields():
    if False:
        yield
'''

CHECKS = '''
import numpy as np
import pytest
from autograder.checks import Mistake, check, expect_close, fail


def halves(submission):  # no bare assert: its rewritten message would show addresses
    got = submission.halve(2.0)
    if got != 1.0:
        raise fail("halve(2.0) gave {got}", "halve(2.0) дала {got}", got=got)


@check("double", en="random inputs", ru="случайные входы")
def test_double_random(submission, reference, rng, tol):
    x = rng.normal(size=4)
    expect_close("double(x)", (x,), submission.double(x), reference.double(x), tol,
                 mistakes=[Mistake(x, en="you returned x", ru="вы вернули x")])


@check("double", en="fixed inputs", ru="фиксированные входы")
def test_double_fixed(submission, reference, fixed_rng, tol, a):
    x = fixed_rng.normal(size=3)
    assert a == "cbc3.0"
    expect_close("double(x)", (x,), submission.double(x), reference.double(x), tol)


@check("double", en="pooled inputs", ru="входы из набора")
def test_double_pooled(submission, reference, variant, once, tol):
    x = variant.rng.normal(size=3)
    want = once("want", lambda: reference.double(x))
    expect_close("double(x)", (x,), submission.double(x), want, tol)


@check("double", en="uses a broken table", ru="таблица сломана")
def test_double_table(submission, broken_table):
    submission.double(1.0)


@check("halve", en="halves", ru="делит пополам")
def test_halve(submission, reference, tol, b):
    expect_close("halve(4.0)", (4.0,), submission.halve(4.0), reference.halve(4.0), tol)


@check("halve", en="teardown breaks", ru="ломается после")
def test_halve_teardown(submission, bad_teardown):
    halves(submission)


@check("halve", en="two teardowns break", ru="ломаются два")
def test_halve_two_teardowns(submission, worse_teardown):
    halves(submission)


@check("halve", en="a fixture skips", ru="фикстура пропускает")
def test_halve_skipped(submission, skipping):
    halves(submission)


@check("halve", en="a fixture yields twice", ru="фикстура дважды")
def test_halve_twice(submission, twice):
    halves(submission)


@check("halve", en="a fixture never yields", ru="фикстура без yield")
def test_halve_never(submission, never_yields):
    halves(submission)


@check("halve", en="fails by itself", ru="падает сама")
def test_halve_fails(submission, c):
    if submission.halve(6.0) != 3.0:
        raise fail("halve(6) is not 3", "halve(6) не 3")
    raise ZeroDivisionError("a bug in the check")
'''

GOOD = ("import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2")
NOTEBOOKS = {
    "good": [GOOD],
    "wrong": ["import numpy as np\ndef double(x):\n    return np.asarray(x, dtype=float)\n"
              "def halve(x):\n    return x / 3"],
    "raises": ["def double(x):\n    raise ValueError('nope')\ndef halve(x):\n    return x / 2"],
    "missing": ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)"],
}


def _project(root: Path) -> Path:
    config = make_mini_project(root)
    checks = root / "assignments" / "mini" / "checks"
    (checks / "test_mini.py").unlink()
    (checks / "conftest.py").write_text(CONFTEST)
    (checks / "test_lean.py").write_text(CHECKS)
    return config


def _grade(config: Path, jail: Jail, submissions: list[grading.Submission],
           lean_path: bool) -> tuple[list[str], bool]:
    grader = grading.Grader("mini", load_settings(config), jail)
    grader.suite.lean_path = lean_path
    texts = []
    with grader.suite.runner() as run_checks:
        planned = run_checks.plans is not None
        for submission in submissions:
            data = grader.grade_one(submission, run_checks).to_json()
            data.pop("duration_s")
            texts.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
        planned = planned and all(plan.ready() for plan in run_checks.plans or [])
    return texts, planned


def test_lean_path_gives_pytest_results_and_fixture_order(tmp_path: Path, jail: Jail,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    config = _project(tmp_path / "p")
    submissions = [grading.Submission(f"{name}{i}", write_notebook(tmp_path / f"{name}{i}.ipynb", cells))
                   for i in range(2) for name, cells in NOTEBOOKS.items()]  # cell ids are random
    runs = {}
    for lean_path in (False, True):
        log = tmp_path / f"log-{lean_path}.txt"
        monkeypatch.setenv("LEAN_LOG", str(log))
        texts, planned = _grade(config, jail, submissions, lean_path)
        assert planned is lean_path
        runs[lean_path] = (texts, log.read_text().splitlines())
    assert runs[True][0] == runs[False][0]  # the results, byte for byte
    assert runs[True][1] == runs[False][1]  # set-up and teardown, in the same order
    lines = runs[True][1]
    assert lines.count("table") == 1 and lines.count("broken_table") == 1  # cached, errors too
    assert lines[:6] == ["table", "c up", "b up", "a up", "b down", "c down"]  # a(b, c, table), b(c)
    good = json.loads(runs[True][0][0])
    messages = {c["name"]: c["message"] for q in good["questions"] for c in q["checks"]}
    assert "no table here" in messages["uses a broken table"]
    assert "teardown broke" in messages["teardown breaks"]
    assert "ExceptionGroup" in messages["two teardowns break"]
    assert "no data for this check" in messages["a fixture skips"]
    assert "more than one 'yield'" in messages["a fixture yields twice"]
    assert "did not yield a value" in messages["a fixture never yields"]
    assert "ZeroDivisionError" in messages["fails by itself"]


FALLBACKS = {
    "a course fixture that asks for request": (
        "@pytest.fixture\ndef named(request):\n    return request.node.name\n",
        "def test_x(submission, named):\n    pass\n"),
    "a skip mark": ("", "@pytest.mark.skip(reason='later')\ndef test_x(submission):\n    pass\n"),
    "a parametrized fixture": (
        "@pytest.fixture(params=[1, 2])\ndef p(request):\n    return request.param\n",
        "def test_x(submission, p):\n    pass\n"),
    "a module-scoped fixture": ("@pytest.fixture(scope='module')\ndef m():\n    return 1\n",
                                "def test_x(submission, m):\n    pass\n"),
    "a conftest hook around set-up": ("def pytest_runtest_setup(item):\n    pass\n",
                                      "def test_x(submission):\n    pass\n"),
    "a conftest hook around the call": ("def pytest_pyfunc_call(pyfuncitem):\n    return None\n",
                                        "def test_x(submission):\n    pass\n"),
}


@pytest.mark.parametrize("case", sorted(FALLBACKS))
def test_anything_else_runs_through_pytest(case: str, tmp_path: Path) -> None:
    conftest, body = FALLBACKS[case]
    config = make_mini_project(tmp_path)
    checks = tmp_path / "assignments" / "mini" / "checks"
    (checks / "conftest.py").write_text("import pytest\n\n" + conftest)
    (checks / "test_other.py").write_text(
        "import pytest\nfrom autograder.checks import check\n\n"
        "@check('halve', en='other', ru='другая')\n" + body)
    suite = CheckSuite("mini", load_settings(config))
    with suite.runner() as run_checks:
        assert run_checks.plans is None
    (checks / "conftest.py").write_text("")  # without them, the same suite is planned
    (checks / "test_other.py").unlink()
    with suite.runner() as run_checks:
        assert run_checks.plans is not None and lean.AVAILABLE
