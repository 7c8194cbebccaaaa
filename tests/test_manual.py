"""Scores of questions graded by hand (``grade --manual``), read as instructors save them."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.exceptions import UsageError
from autograder.manual import Score, read_scores

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
