"""Names and messages print as they are: rich never reads them as console markup.

The course names its notebooks ``[seminar]perceptron.ipynb`` and
``[sem_solution]perceptron.ipynb``; rich took the brackets for style tags and printed
both as ``dls_perceptron``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from autograder import reports
from autograder.results import CheckResult, QuestionResult, SubmissionResult
from tests.helpers import make_mini_project, run_cli, write_notebook

NAMES = ["dls_[seminar]perceptron", "dls_[sem_solution]perceptron", "Иванов [b]Пётр[/b]",
         "[bold red]x[/]"]
MESSAGE = "`step([0])` вернула [bold]неверные[/bold] значения <b>[1, 0]</b>"


def result(name: str) -> SubmissionResult:
    checks = (CheckResult("совпадает с эталоном", False, 0.0, 1.0, "hidden", MESSAGE),)
    return SubmissionResult("activations", name, (QuestionResult("step", checks, 1.0),),
                            duration_s=0.1)


def printed(renderable: object, width: int = 200) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_table_prints_bracketed_and_cyrillic_ids_as_they_are() -> None:
    text = printed(reports.terminal_table([result(n) for n in NAMES], "ru"))
    for name in NAMES:
        assert name in text
    assert "[bold]неверные[/bold] значения <b>[1, 0]</b>" in text


def test_the_rest_line_of_a_big_class_keeps_the_path_as_it_is() -> None:
    table = reports.terminal_table([result(n) for n in NAMES], "en", limit=1,
                                   csv_path="out/[seminar] группа 1/grades.csv")
    assert "out/[seminar] группа 1/grades.csv" in printed(table)


@pytest.mark.slow
def test_grade_prints_the_course_file_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_mini_project(tmp_path / "project")
    subs = tmp_path / "subs"
    good = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"]
    for stem in ("dls_[seminar]perceptron", "dls_[sem_solution]perceptron", "Домашка [1] Петров"):
        write_notebook(subs / f"{stem}.ipynb", good)
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(subs),
                   "--out", str(tmp_path / "[out]")) == 0
    out = capsys.readouterr().out
    for stem in ("dls_[seminar]perceptron", "dls_[sem_solution]perceptron", "Домашка [1] Петров"):
        assert stem in out
