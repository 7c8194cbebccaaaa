"""A course is a folder (CONTRACT §2): --course, the current folder, the bundled course;
its requirements.txt checked before student code runs; a missing module named."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.config import PROJECT_ROOT, find_config, find_course_of, load_settings
from autograder.exceptions import ConfigError
from autograder.requirements import check_requirements, read_requirements
from autograder.sandbox.report import CellOutcome, RunReport
from autograder.session import Session
from tests.helpers import make_mini_project, run_cli


@pytest.fixture
def course(tmp_path: Path) -> Path:
    make_mini_project(tmp_path / "course")
    return tmp_path / "course"


@pytest.fixture(autouse=True)
def no_course_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTOGRADER_CONFIG", raising=False)
    monkeypatch.delenv("AUTOGRADER_COURSE", raising=False)


def test_course_option_then_current_folder_then_bundled(course: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert find_config() == PROJECT_ROOT / "grading_config.yaml"
    assert find_config(course=course) == course / "grading_config.yaml"
    assert find_config(course / "grading_config.yaml") == course / "grading_config.yaml"
    assert find_config(course) == course / "grading_config.yaml"  # --config DIR means the course
    monkeypatch.setenv("AUTOGRADER_COURSE", str(course))
    assert find_config() == course / "grading_config.yaml"
    monkeypatch.delenv("AUTOGRADER_COURSE")
    monkeypatch.chdir(course)
    assert find_config() == Path.cwd() / "grading_config.yaml"
    settings = load_settings()
    assert settings.course_dir == course and list(settings.config.assignments) == ["mini"]


def test_a_folder_that_is_not_a_course_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a course folder.*autograder init"):
        find_config(course=tmp_path)
    with pytest.raises(ConfigError, match="no such folder"):
        find_config(course=tmp_path / "missing")


def test_course_of_a_checks_folder_or_a_master_notebook(course: Path, tmp_path: Path) -> None:
    assert find_course_of(course / "assignments" / "mini" / "checks") == course / "grading_config.yaml"
    assert find_course_of(tmp_path) is None


@pytest.mark.parametrize("extra, fragment", [
    ([], "unknown assignment 'nope' (known: mini)"),
    (["--config", "x.yaml"], "either --course or --config"),
])
def test_every_command_takes_course(course: Path, tmp_path: Path, extra: list[str], fragment: str,
                                    capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code = run_cli("assign", "nope", "--course", str(course), *extra, "--out", str(tmp_path / "o"))
    err = capsys.readouterr().err
    assert code == 2 and fragment in err and "Traceback" not in err


def test_course_option_on_grade_and_validate(course: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["grade", "-a", "nope", str(tmp_path), "--out", str(tmp_path / "o")],
                 ["validate", "-a", "nope", str(course / "grading_config.yaml")]):
        assert run_cli(*args, "--course", str(course)) == 2
        assert "unknown assignment 'nope' (known: mini)" in capsys.readouterr().err
    assert run_cli("grade", "-a", "mini", str(tmp_path), "--out", "o", "--course", str(tmp_path / "no")) == 2
    assert "no such folder" in capsys.readouterr().err


def test_requirements_are_checked_before_student_code_runs(course: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    requirements = course / "requirements.txt"
    requirements.write_text("# what the notebooks import\nnumpy>=1.20  # arrays\n--index-url https://x\n"
                            "pytest\nnot-a-real-package-autograder==1.0\nnumpy<1.0\n"
                            "colorama; python_version < '3'\n")
    assert [str(r) for r in read_requirements(requirements)][:2] == ["numpy>=1.20", "pytest"]
    settings = load_settings(course)
    with pytest.raises(ConfigError) as error:
        check_requirements(settings)
    text = str(error.value)
    assert "not-a-real-package-autograder is not installed" in text
    assert "the course wants numpy<1.0" in text and "colorama" not in text
    assert f"-m pip install -r {requirements}" in text
    notebook = tmp_path / "alice.ipynb"
    notebook.write_text("{}")
    assert run_cli("grade", "--course", str(course), "-a", "mini", str(notebook), "--out",
                   str(tmp_path / "out")) == 2
    assert "not-a-real-package-autograder" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    requirements.write_text("numpy\npytest>=7\n")
    check_requirements(settings)  # all there: no error


def test_a_bad_requirement_line_names_the_file_and_line(course: Path) -> None:
    (course / "requirements.txt").write_text("numpy\nthis is not ! a requirement\n")
    with pytest.raises(ConfigError, match="requirements.txt: line 2"):
        check_requirements(load_settings(course))


def test_importing_a_package_the_course_lacks_names_it_and_requirements() -> None:
    report = RunReport((
        CellOutcome(2, "error", "ModuleNotFoundError", "No module named 'seaborn'"),
        CellOutcome(3, "error", "ModuleNotFoundError", "No module named 'numpy.missing_part'"),
    ), 0.1, False)
    missing, present = report.errors()
    assert "`seaborn`" in missing.en and "requirements.txt" in missing.en and "Cell 3" in missing.en
    assert "`seaborn`" in missing.ru and "requirements.txt" in missing.ru
    assert "requirements.txt" not in present.en and "numpy.missing_part" in present.en


@pytest.mark.slow
def test_a_missing_import_in_a_graded_notebook(jail, fast_limits) -> None:
    from autograder.notebook import CodeCell

    cells = [CodeCell(0, "import seaborn_is_not_here as sns\n"), CodeCell(1, "x = 1\n")]
    with Session(jail.spawn, cells, fast_limits) as session:
        errors = session.run.errors()
    assert len(errors) == 1 and "`seaborn_is_not_here`" in errors[0].en
    assert "requirements.txt" in errors[0].ru
