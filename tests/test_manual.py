"""Scores of questions graded by hand (``grade --manual``), read as instructors save them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.exceptions import UsageError
from autograder.manual import Score, read_scores
from tests.helpers import graded_essay_class, make_mini_project, run_cli, write_notebook

MANUAL = {"Вывод (объяснение)": 3.0, "plot": 2.0}


def test_a_table_saved_by_a_russian_excel_is_read(tmp_path: Path) -> None:
    """Excel in Russian saves ``;`` between columns, a decimal comma and Windows-1251:
    the file was refused as missing every column, and ``2,5`` as not a number."""
    scores = tmp_path / "scores.csv"
    scores.write_bytes("Student;Question;Points;Comment\r\n"
                       "ivanov;Вывод (объяснение);2,5;Хорошо, но без графика\r\n"
                       "petrova;plot;2;\r\n".encode("cp1251"))
    assert read_scores(scores, MANUAL) == {
        ("ivanov", "Вывод (объяснение)"): Score(2.5, "Хорошо, но без графика"),
        ("petrova", "plot"): Score(2.0, ""),
    }


@pytest.mark.parametrize(("points", "error"), [
    ("2,5,1", "scores.csv:2: points '2,5,1' is not a number"),
    ("3,5", "scores.csv:2: points 3.5 outside 0..3 for 'Вывод (объяснение)'"),
])
def test_a_bad_number_in_an_excel_table_is_one_line_naming_the_row(
        tmp_path: Path, points: str, error: str) -> None:
    scores = tmp_path / "scores.csv"
    scores.write_text(f"student;question;points\nivanov;Вывод (объяснение);{points}\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_scores(scores, MANUAL)
    assert str(caught.value) == f"{tmp_path}/{error}"


def test_a_score_for_a_student_no_submission_has_is_warned_about(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A misspelt student (``sidorv``) matched no result, and the score was dropped
    without a word; now one warning names the file, the row and the student, and the
    scores that match are merged as before."""
    _, scores, out = graded_essay_class(tmp_path, ("ivanov", "sidorov"),
                                        "student;question;points\nivanov;essay;2\nsidorv;essay;1,5\n")
    warnings = [line for line in capfd.readouterr().err.splitlines() if "warning" in line]
    assert warnings == [f"autograder: warning: {scores}: row 3 ('sidorv') names no submission "
                        "graded here: those scores are not used"]
    assert "ivanov,2,0,2,4,5," in (out / "grades.csv").read_text()  # his essay, merged


SOLVED = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
          "def halve(x):\n    return np.asarray(x, dtype=float) / 2.0\n"]


def test_a_question_graded_by_hand_reads_as_the_instructors_score_in_russian(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Russian course's feedback read "graded by hand (открытый пример)": the check's name
    was English and its kind the public examples'; a partial score was the class table's
    "first error" and the feedback's "what to fix", and a comment on full marks was never
    shown. Now it is the instructor's score, graded by hand, with their note always."""
    config = make_mini_project(tmp_path / "course")
    config.write_text(config.read_text().replace("language: en", "language: ru") + "    manual: {essay: 2}\n")
    folder = tmp_path / "in"
    for student in ("ivanov", "petrova", "sidorov"):
        write_notebook(folder / f"{student}.ipynb", SOLVED)
    scores = tmp_path / "scores.csv"
    scores.write_text("student,question,points,comment\nivanov,essay,1.5,Нет графика\npetrova,essay,2,Отлично\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    capsys.readouterr()
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(folder), "--out", str(out),
                   "--manual", str(scores)) == 0
    table = capsys.readouterr().out
    essay = json.loads((out / "ivanov.json").read_text())["questions"][-1]
    assert essay["checks"][0]["name"] == "оценка преподавателя" and essay["checks"][0]["visibility"] == "manual"
    ivanov, petrova, sidorov = ((out / "feedback" / f"{s}.md").read_text() for s in ("ivanov", "petrova", "sidorov"))
    assert "- ❌ оценка преподавателя (ручная проверка): 1.5 / 2\n  Оценено вручную: 1.5 из 2." in ivanov
    assert "Нет графика" in ivanov and "Что исправить" not in ivanov
    assert "- ✅ оценка преподавателя (ручная проверка): 2 / 2\n  Оценено вручную: 2 из 2." in petrova
    assert "Отлично" in petrova
    assert "- ⏳ оценка преподавателя (ручная проверка): 0 / 0\n  Оценивается вручную (2 балла): ещё не оценено" in sidorov  # not scored: no ✅
    for feedback in (ivanov, petrova, sidorov):
        assert "graded by hand" not in feedback and "открытый пример)" not in feedback.split("`essay`")[1]
    ivanov_row = next(line for line in table.splitlines() if line.startswith("ivanov"))
    assert ivanov_row.split() == ["ivanov", "4.5", "5", "90", "оценено"], table  # no "first error"
    assert "Оценено вручную" not in (out / "summary.html").read_text()  # nor a common failure


MOODLE_WORKSHEET = ("Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
                    "Last modified (submission),Last modified (grade),Feedback comments\n"
                    "Participant 101,Ann,a@x,Submitted,,5.00,Yes,-,-,\n"
                    "Participant 102,Bob,b@x,Submitted,,5.00,Yes,-,-,\n")
CANVAS_GRADEBOOK = ("Student,ID,SIS User ID,SIS Login ID,Section,mini (77)\n"
                    "    Points Possible,,,,,5.00\n\"Ann, A\",101,,,,\n\"Bob, B\",102,,,,\n")


def test_an_lms_export_counts_the_points_still_to_grade_by_hand_and_shows_the_comment(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Both students solved every automatic question (3 points); the essay (2) is scored
    1 for 101 and not yet for 102. Moodle and Canvas took 102's 3 of 3 to their maximum
    of 5 (full marks for an essay nobody read) while 101 got 4; and the instructor's
    comment never reached the LMS, nor did a note at full marks. Now 102 has 3 of 5 and
    the feedback carries the note with its comment."""
    config = make_mini_project(tmp_path / "course")
    config.write_text(config.read_text() + "    manual: {essay: 2}\n")
    for student in ("101", "102"):
        write_notebook(tmp_path / "in" / f"{student}.ipynb", SOLVED)
    scores = tmp_path / "scores.csv"
    scores.write_text("student,question,points,comment\n101,essay,1,Нет графика\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(tmp_path / "in"), "--out", str(out),
                   "--manual", str(scores)) == 0
    (tmp_path / "moodle.csv").write_text(MOODLE_WORKSHEET)
    (tmp_path / "canvas.csv").write_text(CANVAS_GRADEBOOK)
    for kind in ("moodle", "canvas"):
        assert run_cli("export", "--results", str(out), "--format", kind, "--out", str(tmp_path / f"{kind}.out.csv"),
                       "--template", str(tmp_path / f"{kind}.csv")) == 0
    moodle = (tmp_path / "moodle.out.csv").read_text(encoding="utf-8").splitlines()
    assert moodle[1].startswith("Participant 101,Ann,a@x,Submitted,4.00,5.00,"), moodle
    assert moodle[1].endswith("<br>essay: Graded by hand: 1 of 2. Нет графика"), moodle
    assert moodle[2].startswith("Participant 102,Bob,b@x,Submitted,3.00,5.00,"), moodle
    assert "essay: Graded by hand (2 points): not scored yet" in moodle[2]
    canvas = (tmp_path / "canvas.out.csv").read_text(encoding="utf-8").splitlines()
    assert canvas[2:] == ['"Ann, A",101,,,,4', '"Bob, B",102,,,,3']

    capsys.readouterr()
    assert run_cli("export", "--results", str(out), "--format", "canvas", "--out", str(tmp_path / "fresh.csv")) == 0
    fresh = (tmp_path / "fresh.csv").read_text(encoding="utf-8-sig").splitlines()
    assert fresh[1] == '"    Points Possible",,,,,5'  # the assignment's total, the essay's 2 included


def test_every_bad_row_of_a_table_is_said_in_the_courses_language(tmp_path: Path) -> None:
    """The reader stopped at the first bad row, in English only: the server's page lists
    every bad row at once, one line each, in Russian for a Russian course."""
    from autograder.manual import ScoresError

    scores = tmp_path / "scores.csv"
    scores.write_text("student;question;points\nivanov;plot;два\nivanov;essay;1\n"
                      "petrova;plot;2\npetrova;plot;1\n", encoding="utf-8")
    with pytest.raises(ScoresError) as caught:
        read_scores(scores, MANUAL)
    assert str(caught.value) == f"{scores}:2: points 'два' is not a number"  # the command line's, as before
    assert caught.value.lines("ru") == [
        "строка 2: баллы 'два' — не число",
        "строка 3: 'essay' — не вопрос с ручной проверкой (такие вопросы: Вывод (объяснение), plot)",
        "строка 5: вторая оценка для 'plot'",
    ]
