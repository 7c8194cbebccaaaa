"""`autograder verify` end to end: a throwaway course, and every bundled assignment.

The user's story: checks that look only at shapes let wrong solutions through, verify
says which (exit 1); a check of values catches them, and once the one mutant that
behaves like the solution is listed as equivalent, verify passes (exit 0).
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import nbformat
import pytest

from autograder.config import Settings, load_settings
from autograder.sandbox.jail import Jail
from autograder.verify.report import VerifyReport
from autograder.verify.run import verify_assignment
from tests.helpers import run_cli

CONFIG = """
language: en
limits: {cell_timeout_s: 5, call_timeout_s: 5, run_timeout_s: 30, memory_mb: 512}
assignments:
  scale:
    questions: {double: 2}
"""

REFERENCE = """
import numpy as np

def double(x):
    return 2.0 * np.asarray(x, dtype=float)
"""

# The public example is at zero: it cannot tell 2 * x from 3 * x or from zeros.
EXAMPLES = """
from autograder.examples import Example

EXAMPLES = [Example("double", args=([0.0, 0.0],))]
"""

SHAPE_CHECK = '''
import numpy as np
from autograder.checks import check, expect_shape


@check("double", en="keeps the shape", ru="сохраняет форму")
def test_double_shape(submission):
    x = np.ones((2, 3))
    expect_shape("double(x)", submission.double(x), x.shape)
'''

VALUE_CHECK = '''
from autograder.checks import Mistake, check, expect_close


@check("double", en="matches the reference on a list", ru="совпадает с эталоном на списке")
def test_double_values(submission, reference, tol):
    x = [1.0, -2.5, 4.0]
    expect_close("double(x)", (x,), submission.double(x), reference.double(x), tol,
                 mistakes=[Mistake([0.0, 0.0, 0.0], en="You return zeros.", ru="Вы возвращаете нули.")])
'''

EQUIVALENT = """
- id: {id}
  reason: np.asarray of ints gives an int array, and 2.0 * it is float64 all the same
"""


def make_course(root: Path, checks: str) -> Path:
    folder = root / "assignments" / "scale"
    (folder / "checks").mkdir(parents=True)
    (folder / "reference.py").write_text(textwrap.dedent(REFERENCE))
    (folder / "examples.py").write_text(textwrap.dedent(EXAMPLES))
    (folder / "checks" / "test_double.py").write_text(checks)
    master = nbformat.v4.new_notebook()
    setup = nbformat.v4.new_code_cell('from student import make_checker_for\n'
                                      'check, check_all = make_checker_for("scale", globals())')
    setup.metadata["tags"] = ["setup"]
    master.cells = [
        nbformat.v4.new_markdown_cell("# Doubling"), setup,
        nbformat.v4.new_code_cell("import numpy as np"),
        nbformat.v4.new_code_cell('def double(x):\n    """2 * x as float64."""\n    ### BEGIN SOLUTION\n'
                                  '    return 2.0 * np.asarray(x, dtype=float)\n    ### END SOLUTION'),
        nbformat.v4.new_code_cell('check("double")'),
    ]
    nbformat.write(master, folder / "source.ipynb")
    config = root / "grading_config.yaml"
    config.write_text(CONFIG)
    return config


@pytest.mark.slow
def test_shape_only_checks_fail_verify_and_a_value_check_fixes_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_course(tmp_path, SHAPE_CHECK)
    report_file = tmp_path / "verify.json"
    assert run_cli("verify", "scale", "--config", str(config), "--json", str(report_file)) == 1
    out = capsys.readouterr().out
    assert "solution: full marks on every question" in out
    assert "student notebook (unchanged): 0 on every question" in out
    assert "SURVIVED double/constant/" in out and "+    return 3.0 * np.asarray(x, dtype=float)" in out
    assert "SURVIVED double/zeros/" in out and "NOT verified" in out
    data = json.loads(report_file.read_text())[0]
    survivors = {m["id"]: m for m in data["mutants"] if m["status"] == "survived"}
    assert len(survivors) >= 3 and not data["ok"]
    assert data["mutation_score"]["caught"] < data["mutation_score"]["counted"]

    (tmp_path / "assignments" / "scale" / "checks" / "test_values.py").write_text(VALUE_CHECK)
    assert run_cli("verify", "scale", "--config", str(config), "--json", str(report_file)) == 1
    out = capsys.readouterr().out
    left = [m for m in json.loads(report_file.read_text())[0]["mutants"] if m["status"] == "survived"]
    assert [m["change"] for m in left] == ["return 2.0 * np.asarray(x, dtype=float)  ->  "
                                           "return 2.0 * np.asarray(x)"], out
    assert "matches the reference on a list" in out

    (tmp_path / "assignments" / "scale" / "equivalent_mutants.yaml").write_text(EQUIVALENT.format(id=left[0]["id"]))
    assert run_cli("verify", "scale", "--course", str(tmp_path), "-v") == 0
    out = capsys.readouterr().out
    assert "verified: the solution scores full marks" in out and "1 marked equivalent" in out
    assert "caught double/constant/" in out and "  equivalent double/argument/" in out  # -v: all of them


BROKEN_CHECK = '''
import numpy as np
from autograder.checks import check, expect_close, fail


@check("double", en="is defined", ru="определена")
def test_defined(submission):
    if not submission.has("double"):
        raise fail("double is missing", "double не определена")


@check("double", en="triples", ru="утраивает")
def test_triples(submission, tol):
    x = np.arange(3.0)
    expect_close("double(x)", (x,), submission.double(x), 3 * x, tol)
'''


@pytest.mark.slow
def test_a_wrong_check_and_a_check_the_stub_passes_are_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_course(tmp_path, BROKEN_CHECK)
    assert run_cli("verify", "--course", str(tmp_path)) == 1
    out = capsys.readouterr().out
    assert "solution: NOT full marks" in out and "triples" in out
    assert "student notebook (unchanged): NOT zero" in out and "passed: is defined" in out
    assert "the solution does not score full marks; the unchanged student notebook scores points" in out


def test_unknown_assignment_is_a_usage_error(tmp_path: Path) -> None:
    config = make_course(tmp_path, SHAPE_CHECK)
    assert run_cli("verify", "nope", "--config", str(config)) == 2


BROKEN = {
    "a check asking for once and rng": ("checks/test_double.py", VALUE_CHECK + """

@check("double", en="once with rng", ru="once и rng")
def test_double_once(submission, reference, once, rng):
    x = rng.normal(size=3)
    expect_close("double(x)", (x,), submission.double(x), once("r", lambda: reference.double(x)), 1e-9)
""", "uses both `once` and the per-submission `rng`"),
    "an example the reference fails": ("examples.py", EXAMPLES.replace("[0.0, 0.0]", "'text'"),
                                       "examples.py: example 1 (double)"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_assignment_is_refused_before_any_progress_line(
        case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`verify scale twice` where `twice` is broken: one error (exit 2) and nothing else on
    stderr, not "verify scale: grading..." first; the working `scale` is not graded either."""
    file, text, said = BROKEN[case]
    config = make_course(tmp_path, VALUE_CHECK)
    shutil.copytree(tmp_path / "assignments" / "scale", tmp_path / "assignments" / "twice")
    (tmp_path / "assignments" / "twice" / file).write_text(text)
    config.write_text(CONFIG + "  twice:\n    questions: {double: 2}\n")
    assert run_cli("verify", "scale", "twice", "--config", str(config)) == 2
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("autograder: error: ") and said in lines[0], captured.err
    assert not captured.out


# ---- the bundled course ------------------------------------------------------------

PROJECT_CONFIG = Path(__file__).resolve().parent.parent / "grading_config.yaml"
BUNDLED = list(load_settings(PROJECT_CONFIG).config.assignments)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(PROJECT_CONFIG)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", BUNDLED)
def test_bundled_assignment_verifies(assignment: str, settings: Settings) -> None:
    """Every non-equivalent mutant of the solution is caught, the solution is full, the stub 0."""
    # the jail `autograder verify` starts: the assignment's preload (matplotlib, for most:
    # without it each of the hundreds of workers imports it again) and its ./data
    with Jail.start("auto", settings.preload(assignment), settings.data_dir(assignment)) as jail:
        report: VerifyReport = verify_assignment(assignment, settings, jail)
    assert report.ok, report.render()
    assert report.mutants and not report.stale_equivalents, report.render()
    assert not report.idle_checks, report.render()


@pytest.mark.slow
def test_the_course_init_makes_verifies_as_its_ci_example_runs_it(tmp_path: Path) -> None:
    """`autograder init`'s CI runs `verify` on every assignment: it must pass out of the box."""
    course = tmp_path / "course"
    assert run_cli("init", str(course)) == 0
    workflow = (course / ".github" / "workflows" / "autograder.yml").read_text()
    assert 'autograder verify "$(basename "$folder")" --course .' in workflow
    for folder in sorted((course / "assignments").iterdir()):
        assert run_cli("verify", folder.name, "--course", str(course)) == 0, folder.name
