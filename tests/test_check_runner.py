"""The grader's check runner (``checks/suite.py``, ``checks/collect.py``): fixtures live as
long as their scope, are set up in pytest's order and torn down last-first; a fixture's
failure, skip or broken teardown fails the check that uses it, with its reason; what
the runner would not run as pytest does is refused when the checks load, one line each.
The same files still run under plain pytest (``--notebook``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autograder import grading
from autograder.checks.suite import CheckSuite
from autograder.config import load_settings
from autograder.exceptions import AssignmentError
from autograder.sandbox.jail import Jail
from tests.helpers import ROOT, make_mini_project, write_notebook

GOOD = ("import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2")

CONFTEST = '''
import os

import pytest
from autograder.checks import fixture


def log(line):
    with open(os.environ["CHECK_RUNNER_LOG"], "a") as handle:
        handle.write(line + "\\n")


@fixture(scope="session")
def table():
    log("table")
    return {"scale": 3.0}


@fixture(scope="session")
def broken_table():
    log("broken_table")
    raise ValueError("no table here")


@fixture
def c(submission):
    log("c up")
    yield "c"
    log("c down")


@fixture
def b(c):
    log("b up")
    yield c + "b"
    log("b down")


@fixture
def a(b, c, table):
    log("a up")
    return b + c + str(table["scale"])


@fixture
def fresh():
    log("fresh")
    return []


@fixture
def bad_teardown():
    yield 1
    log("bad_teardown down")
    raise RuntimeError("teardown broke")


@fixture
def skipping():
    pytest.skip("no data for this check")


@fixture
def twice():
    yield 1
    yield 2


@fixture
def never_yields():
    if False:
        yield
'''

CHECKS = '''
from autograder.checks import Mistake, check, expect_close, fail


def halves(submission):
    got = submission.halve(2.0)
    if got != 1.0:
        raise fail("halve(2.0) gave {got}", "halve(2.0) дала {got}", got=got)


@check("double", en="random inputs", ru="случайные входы")
def test_double_random(submission, reference, rng, tol):
    x = rng.normal(size=4)
    expect_close("double(x)", (x,), submission.double(x), reference.double(x), tol,
                 mistakes=[Mistake(x, en="you returned x", ru="вы вернули x")])


@check("double", en="fixed inputs", ru="фиксированные входы")
def test_double_fixed(submission, reference, fixed_rng, tol, a, fresh):
    x = fixed_rng.normal(size=3)
    assert a == "cbc3.0"
    fresh.append(1)
    assert fresh == [1]  # a fresh value for every check of every submission
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
def test_halve(submission, reference, tol, b, fresh):
    fresh.append(2)
    assert fresh == [2]
    expect_close("halve(4.0)", (4.0,), submission.halve(4.0), reference.halve(4.0), tol)


@check("halve", en="teardown breaks", ru="ломается после")
def test_halve_teardown(submission, bad_teardown):
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

NOTEBOOKS = {
    "good": [GOOD],
    "wrong": ["import numpy as np\ndef double(x):\n    return np.asarray(x, dtype=float)\n"
              "def halve(x):\n    return x / 3"],
    "raises": ["def double(x):\n    raise ValueError(\'nope\')\ndef halve(x):\n    return x / 2"],
}


def _project(root: Path, conftest: str = CONFTEST, checks: str = CHECKS) -> Path:
    config = make_mini_project(root)
    folder = root / "assignments" / "mini" / "checks"
    (folder / "test_mini.py").unlink()
    (folder / "conftest.py").write_text(conftest)
    (folder / "test_runner.py").write_text(checks)
    return config


def test_fixtures_follow_their_scope_and_order_and_their_failures_fail_the_check(
        tmp_path: Path, jail: Jail, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "log.txt"
    monkeypatch.setenv("CHECK_RUNNER_LOG", str(log))
    config = _project(tmp_path / "p")
    grader = grading.Grader("mini", load_settings(config), jail)
    submissions = [grading.Submission(name, write_notebook(tmp_path / f"{name}.ipynb", cells))
                   for name, cells in NOTEBOOKS.items()]
    results: list = []
    grader.grade_many(submissions, results.append)

    lines = log.read_text().splitlines()
    assert lines.count("table") == 1 and lines.count("broken_table") == 1  # once a run, errors too
    assert lines.count("fresh") == 2 * len(NOTEBOOKS)  # each check that asks, each submission
    # a(b, c, table), b(c): the session fixture first, then each fixture after what it asks for
    assert lines[:7] == ["table", "c up", "b up", "a up", "fresh", "b down", "c down"]
    assert lines.count("bad_teardown down") == len(NOTEBOOKS)
    good = {c.name: c for q in results[0].questions for c in q.checks}
    passed = {name for name, c in good.items() if c.passed}
    assert passed == {"random inputs", "fixed inputs", "pooled inputs", "halves"}
    assert "no table here" in good["uses a broken table"].message
    assert "teardown broke" in good["teardown breaks"].message
    assert "no data for this check" in good["a fixture skips"].message
    assert "yielded more than once" in good["a fixture yields twice"].message
    assert "did not yield a value" in good["a fixture never yields"].message
    assert "ZeroDivisionError" in good["fails by itself"].message
    wrong = {c.name: c for q in results[1].questions for c in q.checks}
    assert not wrong["random inputs"].passed and "you returned x" in wrong["random inputs"].message
    assert "halve(6) is not 3" in wrong["fails by itself"].message
    raises = {c.name: c for q in results[2].questions for c in q.checks}
    assert "ValueError" in raises["random inputs"].message and "nope" in raises["random inputs"].message


REFUSED = {
    "a plain @pytest.fixture": ("@pytest.fixture\ndef helper():\n    return 1\n",
                                "def test_x(submission, helper):\n    pass\n", "a plain @pytest.fixture"),
    "pytest's request": ("", "def test_x(submission, request):\n    pass\n",
                         "asks for `request`, which the grader does not provide"),
    "an unknown fixture": ("", "def test_x(submission, tmp_path):\n    pass\n", "asks for `tmp_path`"),
    "a skip mark": ("", "@pytest.mark.skip(reason=\'later\')\ndef test_x(submission):\n    pass\n",
                    "@pytest.mark.skip: the grader does not apply pytest marks"),
    "parametrize": ("", "@pytest.mark.parametrize(\'n\', [1, 2])\ndef test_x(submission, n):\n    pass\n",
                    "@pytest.mark.parametrize"),
    "a conftest hook": ("def pytest_runtest_setup(item):\n    pass\n", "def test_x(submission):\n    pass\n",
                        "conftest.py::pytest_runtest_setup: the grader does not run pytest hooks"),
    "a session fixture asking for a check's": (
        "@fixture(scope=\'session\')\ndef table(submission):\n    return 1\n",
        "def test_x(table):\n    pass\n", "the session fixture `table` asks for `submission`"),
    "fixtures asking for each other": (
        "@fixture\ndef one(two):\n    return 1\n\n@fixture\ndef two(one):\n    return 2\n",
        "def test_x(one):\n    pass\n", "the fixtures one -> two -> one ask for each other"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_the_runner_would_not_run_is_refused_at_load(case: str, tmp_path: Path) -> None:
    conftest, body, message = REFUSED[case]
    config = make_mini_project(tmp_path)
    checks = tmp_path / "assignments" / "mini" / "checks"
    (checks / "conftest.py").write_text("import pytest\nfrom autograder.checks import fixture\n\n" + conftest)
    (checks / "test_other.py").write_text(
        "import pytest\nfrom autograder.checks import check\n\n"
        "@check(\'halve\', en=\'other\', ru=\'другая\')\n" + body)
    with pytest.raises(AssignmentError, match=message.replace("(", r"\(").replace(")", r"\)")) as refused:
        CheckSuite("mini", load_settings(config)).specs
    assert len(str(refused.value).splitlines()) == 1, str(refused.value)
    (checks / "test_other.py").unlink()  # the rest of the suite loads
    (checks / "conftest.py").write_text("")
    assert len(CheckSuite("mini", load_settings(config)).specs) == 3


def test_instructors_still_run_the_checks_with_pytest(tmp_path: Path) -> None:
    """``pytest checks --notebook nb.ipynb`` (plugin.py): the course's ``@fixture`` helpers too."""
    notebook = ROOT / "samples" / "perceptron" / "ivanov.ipynb"
    done = subprocess.run([sys.executable, "-m", "pytest", str(ROOT / "assignments" / "perceptron" / "checks"),
                           "--notebook", str(notebook), "-q", "-p", "no:cacheprovider", "-W", "default",
                           "-k", "train_defaults or one_epoch or learns_logic"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert "3 passed" in done.stdout, done.stdout + done.stderr


def test_a_wrong_value_message_keeps_multi_line_arrays_aligned_under_their_labels() -> None:
    import numpy as np

    from autograder.checks.api import CheckFailed
    from autograder.checks.compare import expect_close
    from autograder.config import Tolerance

    params = {"W1": np.full((2, 2), 1.5), "b1": np.zeros(2)}
    with pytest.raises(CheckFailed) as failed:
        expect_close("backward(params)", (params,), np.ones((2, 2)), np.zeros((2, 2)), Tolerance())
    text = failed.value.text
    assert text.en.splitlines()[1:] == [
        "  input:     ({'W1': [[1.5, 1.5],",
        "                      [1.5, 1.5]],",
        "               'b1': [0., 0.]},)",
        "  expected:  [[0., 0.],",
        "              [0., 0.]]",
        "  got:       [[1., 1.],",
        "              [1., 1.]]",
    ]
    assert [line.index("[") for line in text.ru.splitlines()[4:]] == [13, 14, 13, 14]


def test_a_check_s_message_names_the_student_s_values_not_our_stand_ins() -> None:
    """A check that names a value's type as Python does (``type(got).__name__``) would tell
    the student their function "returned TensorValue": the outcome names what it stands
    for, in each language."""
    import numpy as np

    from autograder.checks import fail, shown_type
    from autograder.checks.suite import outcome_of
    from autograder.i18n import Text
    from autograder.outcomes import CheckSpec
    from autograder.sandbox.values import TensorValue

    spec = CheckSpec("relu", Text(en="returns an array", ru="возвращает массив"), 1.0)
    got = TensorValue(np.zeros(3))
    failed = fail("`relu(x)` returned {kind}; object: {other}.", "`relu(x)` вернула {kind}; объект: {other}.",
                  kind=type(got).__name__, other="RemoteObject")
    message = outcome_of(spec, failed).message
    assert message.en == "`relu(x)` returned torch.Tensor; object: object of the notebook."
    assert message.ru == "`relu(x)` вернула torch.Tensor; объект: объект блокнота."
    assert shown_type(got) == "torch.Tensor"  # what checks call instead


def test_the_bundled_checks_name_a_tensor_returned_for_an_array_as_a_tensor() -> None:
    """The activations checks' own type message (``expect_float_array``) for a relu that
    returns a PyTorch tensor, as a student of the later seminars writes it."""
    import importlib.util

    import numpy as np

    from autograder.checks import CheckFailed
    from autograder.sandbox.values import TensorValue

    path = Path(__file__).resolve().parent.parent / "assignments" / "activations" / "checks" / "conftest.py"
    spec = importlib.util.spec_from_file_location("activations_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(CheckFailed) as failed:
        module.expect_float_array("relu(x)", TensorValue(np.zeros(3), "torch.float64"), (3,))
    assert failed.value.text.en == "`relu(x)` returned torch.Tensor; expected a NumPy array of shape (3,)."


def test_a_class_of_the_notebook_is_named_as_the_student_wrote_it(tmp_path: Path, jail: Jail) -> None:
    """A function that returns an object of the student's own class: the message names the
    class as the notebook does (``W``), not as the worker's module sees it (``__main__.W``)."""
    grader = grading.Grader("mini", load_settings(make_mini_project(tmp_path / "p")), jail)
    own = ("import numpy as np\nclass W:\n    pass\ndef double(x):\n    return W()\n"
           "def halve(x):\n    return np.asarray(x, dtype=float) / 2")
    results: list = []
    grader.grade_many([grading.Submission("own", write_notebook(tmp_path / "own.ipynb", [own]))], results.append)
    double = next(q for q in results[0].questions if q.name == "double")
    assert double.checks[0].message == "`double` returned W; expected numpy.ndarray."


PYTEST_STYLE = '''
import numpy as np
import pytest

from autograder.checks import check


@check("double", en="plain assert", ru="assert")
def test_double_assert(submission):
    assert submission.double(1.0) == 2.0


@check("double", en="approx", ru="approx")
def test_double_approx(submission, reference):
    x = np.array([0.5, 1.5])
    assert submission.double(x) == pytest.approx(reference.double(x))


@check("double", en="numpy testing", ru="numpy testing")
def test_double_numpy(submission):
    np.testing.assert_allclose(submission.double(np.ones(2)), [2.0, 2.0])


@check("halve", en="raises", ru="raises")
def test_halve_raises(submission):
    with pytest.raises(TypeError):
        submission.halve("text")


@check("halve", en="reference asserts", ru="эталон")
def test_halve_reference(submission, reference):
    assert reference.halve_checked(4.0) == submission.halve(4.0)
'''


def test_a_failed_assert_in_a_check_fails_the_student_not_the_grader(tmp_path: Path, jail: Jail) -> None:
    """A check written as a pytest test (a plain ``assert``, ``pytest.approx``,
    ``np.testing``, ``pytest.raises``) that a wrong answer fails tells the student which
    condition does not hold, as an imported nbgrader test does, and no "check bug" (not
    "not your fault; tell your instructor"); an assert failing in ``reference.py`` is still
    the grader's bug."""
    config = _project(tmp_path / "p", conftest="", checks=PYTEST_STYLE)
    reference = tmp_path / "p" / "assignments" / "mini" / "reference.py"
    reference.write_text(reference.read_text() + "\ndef halve_checked(x):\n    assert x < 0, 'only negatives'\n")
    grader = grading.Grader("mini", load_settings(config), jail)
    wrong = "import numpy as np\ndef double(x):\n    return np.asarray(x, dtype=float)\ndef halve(x):\n    return 0.0"
    results: list = []
    grader.grade_many([grading.Submission("wrong", write_notebook(tmp_path / "wrong.ipynb", [wrong]))],
                      results.append)
    messages = {c.name: c.message for q in results[0].questions for c in q.checks}
    unmet = "The check's condition does not hold: "
    assert messages["plain assert"] == unmet + "assert submission.double(1.0) == 2.0"
    assert messages["approx"] == unmet + "assert submission.double(x) == pytest.approx(reference.double(x))"
    assert messages["numpy testing"].startswith(unmet + "Not equal to tolerance")
    assert messages["raises"] == unmet + "DID NOT RAISE TypeError"
    assert "problem in the grader (AssertionError: only negatives)" in messages["reference asserts"]


BUGGY = '''
from autograder.checks import check, fixture


@fixture
def table():
    return {}["missing"]


@check("double", en="the reference raises", ru="эталон падает")
def test_double_reference(submission, reference):
    submission.double(1.0)
    reference.broken(1.0)


@check("halve", en="a fixture raises", ru="фикстура падает")
def test_halve_table(submission, table):
    submission.halve(1.0)


@check("halve", en="the check raises", ru="проверка падает")
def test_halve_itself(submission):
    submission.halve(1.0) + None
'''


def test_a_check_bug_names_the_file_and_line_that_raised(tmp_path: Path, jail: Jail,
                                                          capfd: pytest.CaptureFixture[str]) -> None:
    """An author reads ``check bug`` on stderr with no traceback: the line names where in
    the assignment's files the exception was raised (the reference, a fixture, the check)."""
    config = _project(tmp_path / "p", conftest="", checks=BUGGY)
    folder = (tmp_path / "p" / "assignments" / "mini").resolve()
    reference = folder / "reference.py"
    lines = reference.read_text().count("\n")
    reference.write_text(reference.read_text() + "\ndef broken(x):\n    raise ValueError('reference bug')\n")
    grader = grading.Grader("mini", load_settings(config), jail)
    results: list = []
    grader.grade_many([grading.Submission("good", write_notebook(tmp_path / "good.ipynb", [GOOD]))],
                      results.append)
    err = capfd.readouterr().err
    checks = folder / "checks" / "test_runner.py"
    assert (f"check bug in double/the reference raises ({reference}:{lines + 3}): ValueError: reference bug"
            in err), err
    assert f"check bug in halve/a fixture raises ({checks}:7): KeyError: 'missing'" in err, err
    assert f"check bug in halve/the check raises ({checks}:23): TypeError: unsupported operand" in err, err


def test_pytest_refuses_the_checks_grade_would_refuse(tmp_path: Path) -> None:
    """``pytest checks --notebook nb.ipynb`` with a check of a question the configuration
    lacks (a typo) and a test without ``@check``: ``grade`` refuses the assignment, so
    pytest must not pass them; it stops with grade's lines, and no traceback."""
    _project(tmp_path / "p", conftest="", checks=(
        "from autograder.checks import check\n\n"
        "@check('dubble', en='typo', ru='опечатка')\ndef test_typo(submission):\n    submission.double(1.0)\n\n"
        "def test_unmarked(submission):\n    submission.halve(1.0)\n"))
    notebook = write_notebook(tmp_path / "good.ipynb", [GOOD])
    checks = (tmp_path / "p" / "assignments" / "mini" / "checks").resolve()
    done = subprocess.run([sys.executable, "-m", "pytest", str(checks), "--notebook", str(notebook), "-q",
                           "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert f"{checks / 'test_runner.py'}::test_typo: @check('dubble'): " in output
    assert "has no question 'dubble' (configured: double, halve)" in output
    assert f"{checks / 'test_runner.py'}::test_unmarked: a test function without @check" in output
    assert "Traceback" not in output and " passed" not in output


GRADE_REFUSES = {
    "conftest.py": "import pytest\n\n@pytest.fixture\ndef shared():\n    return 1\n",
    "test_runner.py": """import pytest
from autograder.checks import check


@pytest.fixture
def plain():
    return 4.0


@check('halve', en='once and rng', ru='once и rng')
def test_once_with_rng(submission, reference, once, rng):
    x = rng.normal(size=3)
    assert submission.halve(x) == once('ref', lambda: reference.halve(x))


@pytest.mark.slow
@check('halve', en='marked', ru='с меткой')
def test_marked(submission, plain):
    assert submission.halve(plain) == 2.0


@check('double', en='fine', ru='в порядке')
def test_fine(submission):
    assert submission.double(1.0) == 2.0
""",
}


def test_pytest_refuses_what_grade_refuses_at_load_in_its_words(tmp_path: Path) -> None:
    """A check asking for `once` with `rng`, a plain `@pytest.fixture` (in the check file and
    in conftest.py) and a pytest mark stop ``grade`` when the checks load; ``pytest checks
    --notebook nb.ipynb`` stops too (usage error, nothing run), with each of grade's lines."""
    config = make_mini_project(tmp_path / "p").resolve()
    checks = config.parent / "assignments" / "mini" / "checks"
    (checks / "test_mini.py").unlink()
    for name, text in GRADE_REFUSES.items():
        (checks / name).write_text(text)
    with pytest.raises(AssignmentError) as refused:
        CheckSuite("mini", load_settings(config)).specs
    said = str(refused.value).splitlines()
    assert len(said) == 4 and all(line.startswith(str(checks)) for line in said), said
    notebook = write_notebook(tmp_path / "good.ipynb", [GOOD])
    done = subprocess.run([sys.executable, "-m", "pytest", str(checks), "--notebook", str(notebook), "-q",
                           "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestUnknownMarkWarning"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert all(line in output.splitlines() or f"ERROR: {line}" in output for line in said), output
    assert "Traceback" not in output and " passed" not in output


UNIMPORTABLE = {
    "a missing module": ("conftest.py", "import numpy as np\nimport no_such_module_here\n",
                         "conftest.py:2: ModuleNotFoundError: No module named 'no_such_module_here' "
                         "(install no_such_module_here where the grader runs, or remove the import)"),
    "a helper beside the checks": ("test_other.py", "\nfrom shared_bits import helper\n",
                                   "test_other.py:2: ModuleNotFoundError: No module named 'shared_bits' "
                                   "(shared_bits is in the checks' folder, which is not on sys.path"),
    "a syntax error": ("test_other.py", "def test_x(submission)\n    pass\n",
                       "test_other.py:1: SyntaxError: expected ':'"),
}


@pytest.mark.parametrize("case", sorted(UNIMPORTABLE))
def test_a_check_file_that_does_not_import_is_named_with_its_line_and_what_to_do(case: str,
                                                                                  tmp_path: Path) -> None:
    name, text, said = UNIMPORTABLE[case]
    config = make_mini_project(tmp_path)
    checks = (tmp_path / "assignments" / "mini" / "checks").resolve()
    (checks / "shared_bits.py").write_text("def helper():\n    return 1\n")
    (checks / name).write_text(text)
    with pytest.raises(AssignmentError) as refused:
        CheckSuite("mini", load_settings(config)).specs
    assert str(refused.value).startswith(f"the checks in {checks} could not be collected: {checks / said}"), \
        str(refused.value)
    assert len(str(refused.value).splitlines()) == 1


def test_a_fixture_nobody_provides_is_said_of_who_asks_with_the_name_meant(tmp_path: Path) -> None:
    """``rgn`` asked by a conftest fixture, not by the check: the line names that fixture
    and where it is (the check's own parameters do not show ``rgn``) and the close name."""
    config = make_mini_project(tmp_path)
    checks = (tmp_path / "assignments" / "mini" / "checks").resolve()
    (checks / "conftest.py").write_text("from autograder.checks import fixture\n\n\n@fixture\ndef data(rgn):\n"
                                        "    return rgn.normal(size=3)\n")
    (checks / "test_other.py").write_text("from autograder.checks import check\n\n"
                                          "@check('halve', en='other', ru='другая')\n"
                                          "def test_x(submission, data, fixed_rgn):\n    pass\n")
    with pytest.raises(AssignmentError) as refused:
        CheckSuite("mini", load_settings(config)).specs
    lines = str(refused.value).splitlines()
    where = f"{checks / 'test_other.py'}::test_x: "
    assert lines[1].startswith(f"{where}uses the fixture `data` ({checks / 'conftest.py'}:4), which asks for "
                               "`rgn`, which the grader does not provide (did you mean `rng`? fixtures: "), lines
    assert lines[0].startswith(f"{where}asks for `fixed_rgn`, which the grader does not provide "
                               "(did you mean `fixed_rng`? "), lines


def test_a_check_bug_is_told_to_the_author_once_however_many_notebooks_hit_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    """``verify`` grades dozens of notebooks: a check that breaks on each said the same line
    for each; a different bug is still said."""
    from autograder.checks.suite import outcome_of
    from autograder.i18n import Text
    from autograder.outcomes import CheckSpec

    spec = CheckSpec("relu", Text(en="once-only check", ru="проверка"), 1.0)
    for _ in range(3):
        outcome = outcome_of(spec, KeyError("missing-key-once"))
        assert not outcome.passed and "missing-key-once" in outcome.message.en
    outcome_of(spec, KeyError("another-key-once"))
    err = capsys.readouterr().err
    assert err.count("missing-key-once") == 1 and err.count("another-key-once") == 1


def test_a_methods_failure_says_how_its_object_was_made_and_called() -> None:
    """`new --from`'s check of `Car.new_cost` makes the object as the notebook did
    (`Car('BMW', 'red')`, then `set_cost(1000.0)`): its failure shows those steps as code,
    in both languages; a score in bands passes through as it is."""
    import pytest as _pytest

    from autograder.checks import Scored, fail, made_as, on_object

    how = made_as("Car", ("BMW", "red"), {}, [("set_cost", (1000.0,), {})], "new_cost", (2,), {})
    assert how.en == "The object and its calls: `Car('BMW', 'red')`, then `.set_cost(1000.0)`, then `.new_cost(2)`."
    assert how.ru == "Объект и его вызовы: `Car('BMW', 'red')`, затем `.set_cost(1000.0)`, затем `.new_cost(2)`."
    with _pytest.raises(AssertionError) as failure, on_object(how):
        raise fail("`Car.new_cost` returned wrong values.", "`Car.new_cost` вернула неверные значения.")
    assert str(failure.value) == "`Car.new_cost` returned wrong values.\n" + how.en
    with _pytest.raises(Scored) as scored, on_object(how):
        raise Scored(0.5, how)
    assert scored.value.fraction == 0.5


@pytest.mark.parametrize(("exc_type", "said", "blocker"), [
    ("ZeroDivisionError", "`Car.new_cost(2)` raised ZeroDivisionError: division by zero", None),
    ("NotImplementedError", "`Car.new_cost` is not implemented yet", "not_implemented"),
])
def test_a_method_that_raised_also_says_how_its_object_was_made(exc_type: str, said: str,
                                                               blocker: str | None) -> None:
    """A wrong value of `Car.new_cost` said how the object was made and called; the same
    method raising said only that it raised. Now it says both, and a method still `raise
    NotImplementedError` keeps its cause (the question's "not implemented yet")."""
    from autograder.checks import made_as, on_object
    from autograder.checks.suite import outcome_of
    from autograder.exceptions import student_exception
    from autograder.i18n import Text
    from autograder.outcomes import CheckSpec

    how = made_as("Car", ("BMW", "red"), {}, [("set_cost", (1000.0,), {})], "new_cost", (2,), {})
    spec = CheckSpec("Car.new_cost", Text(en="returns what the reference does", ru="возвращает то же"), 1.0)
    with pytest.raises(Exception) as raised, on_object(how):
        raise student_exception("Car.new_cost(2)", exc_type, "division by zero", builtin=exc_type)
    outcome = outcome_of(spec, raised.value)
    assert outcome.message.en.startswith(said) and outcome.message.en.endswith("\n" + how.en)
    assert outcome.message.ru.endswith("\n" + how.ru)
    assert (outcome.blocker.kind if outcome.blocker else None) == blocker
