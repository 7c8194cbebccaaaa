"""`autograder export`: Moodle worksheet and Canvas gradebook, fresh and filled into the
LMS's own download with every other cell kept byte for byte."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

import pytest

from autograder.exceptions import UsageError
from autograder.late import read_manifest
from autograder.lms.csvfile import CsvFile
from autograder.lms.export import ExportRequest, export
from autograder.results import CheckResult, LateInfo, QuestionResult, SubmissionResult, save_result
from tests.helpers import run_cli

NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)


def _result(ident: str, name: str, points: tuple[float, float], language: str = "en",
            late: LateInfo | None = None) -> SubmissionResult:
    first, second = points
    return SubmissionResult(
        assignment="activations", submission=ident, language=language, late=late,
        questions=(
            QuestionResult("sigmoid", (CheckResult("values", first == 2, first, 2.0, "hidden",
                                                   "" if first == 2 else "`sigmoid` returned wrong values."),), 2.0),
            QuestionResult("relu", (CheckResult("values", second == 2, second, 2.0, "hidden",
                                                "" if second == 2 else "`relu` is not defined."),), 2.0),
        ),
        extra={"student_name": name} if name else {},
    )


@pytest.fixture
def results_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    folder.mkdir()
    for result in (_result("123456", "Иван Петров", (2, 2)), _result("234567", "Anna, Smith", (2, 0)),
                   _result("345678", "", (0, 0))):
        save_result(result, folder)
    (folder / "results.json").write_text('{"score": 1}')  # a Gradescope file: not a result
    return folder


MOODLE_TEMPLATE = (
    '\ufeffIdentifier,"Full name","Email address","ID number",Status,Grade,"Maximum Grade",'
    '"Grade can be changed","Last modified (submission)","Online text","Last modified (grade)","Feedback comments"\r\n'
    '"Participant 123456","Иван Петров",ivan@example.org,S-1,"Submitted for grading",,"100,00",Yes,'
    '"Tuesday, 1 December 2026, 11:59 PM","<p>see ""attached""</p>","-",\r\n'
    '"Participant 234567","Anna, Smith",anna@example.org,,"Submitted for grading",,"100,00",Yes,'
    '"Wednesday, 2 December 2026, 9:05 AM",,"-",\r\n'
    '"Participant 999999","Not Graded",ng@example.org,,"No submission",,"100,00",Yes,-,,-,\r\n'
)


def _rows(data: bytes, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


def test_csv_file_round_trips_byte_for_byte() -> None:
    for text in (MOODLE_TEMPLATE.encode("utf-8"), b'a;"b ""q"";c"\n1;"multi\nline";\n2;x;y',
                 b"\xff\xfeS\x00,\x00I\x00D\x00\r\x00\n\x00", "Имя;Балл\r\nИван;1".encode("cp1251")):
        assert CsvFile.parse(text).dumps() == text


def test_moodle_template_is_filled_and_every_other_cell_kept(results_dir: Path, tmp_path: Path) -> None:
    template = tmp_path / "worksheet.csv"
    template.write_bytes(MOODLE_TEMPLATE.encode("utf-8"))
    out = tmp_path / "filled.csv"
    outcome = export(ExportRequest(results_dir, "moodle", out, template), now=NOW)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 4  # BOM and CRLF kept
    before, after = _rows(MOODLE_TEMPLATE.encode("utf-8")), _rows(data)
    header = before[0]
    grade, feedback = header.index("Grade"), header.index("Feedback comments")
    assert after[1][grade] == "100,00" and after[2][grade] == "50,00"  # scaled to Maximum Grade, its decimal comma
    assert after[1][feedback].startswith("Score: 4 of 4") and "relu: 0/2 — `relu` is not defined." in after[2][feedback]
    for row_before, row_after in zip(before, after):
        for column, (was, now) in enumerate(zip(row_before, row_after)):
            if column not in (grade, feedback) or row_before is before[3] or row_before is header:
                assert was == now, (header[column], was, now)
    assert before[3] == after[3]  # a student without a result: untouched
    lines_before, lines_after = MOODLE_TEMPLATE.encode().split(b"\r\n"), data.split(b"\r\n")
    assert lines_after[0] == lines_before[0] and lines_after[3] == lines_before[3]
    assert b'"<p>see ""attached""</p>"' in lines_after[1]  # quoting of untouched cells as read
    assert outcome.filled == 2 and any("345678" in w for w in outcome.warnings)


def test_moodle_worksheet_gives_submission_times_for_late_penalties(tmp_path: Path) -> None:
    template = tmp_path / "worksheet.csv"
    template.write_bytes(MOODLE_TEMPLATE.encode("utf-8"))
    times = read_manifest(template)
    assert times == {"123456": datetime(2026, 12, 1, 23, 59), "234567": datetime(2026, 12, 2, 9, 5)}


def test_fresh_moodle_worksheet(results_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "fresh.csv"
    export(ExportRequest(results_dir, "moodle", out), now=NOW)
    rows = _rows(out.read_bytes())
    assert rows[0] == ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                       "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                       "Feedback comments"]
    assert rows[1][:2] == ["Participant 123456", "Иван Петров"] and rows[1][4:6] == ["4.00", "4.00"]
    assert rows[2][1] == "Anna, Smith" and rows[2][4] == "2.00"
    assert rows[1][8] == "Wednesday, 02 December 2026, 10:30 AM"
    assert len(rows) == 4


CANVAS_TEMPLATE = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Homework 0 (1001),activations (1002),"
    "Current Points,Final Points,Current Score,Final Score\n"
    "    Points Possible,,,,,10.00,20.00,(read only),(read only),(read only),(read only)\n"
    '"Petrov, Ivan",123456,S-1,ivan,"Group A",9.00,,9.00,9.00,90.00,45.00\n'
    '"Smith, Anna",234567,S-2,anna,"Group A",10.00,,10.00,10.00,100.00,50.00\n'
    '"Student, Test",777,,,"Group A",,,0.00,0.00,,\n'
)


def test_canvas_template_is_filled_in_its_assignment_column(results_dir: Path, tmp_path: Path) -> None:
    template = tmp_path / "gradebook.csv"
    template.write_bytes(CANVAS_TEMPLATE.encode("utf-8"))
    out = tmp_path / "import.csv"
    export(ExportRequest(results_dir, "canvas", out, template), now=NOW)
    before, after = _rows(CANVAS_TEMPLATE.encode()), _rows(out.read_bytes())
    column = before[0].index("activations (1002)")
    assert after[2][column] == "20" and after[3][column] == "10"  # scaled to Points Possible 20
    for r, (row_before, row_after) in enumerate(zip(before, after)):
        for c, (was, now) in enumerate(zip(row_before, row_after)):
            if not (c == column and r in (2, 3)):
                assert was == now, (before[0][c], was, now)
    lines_before, lines_after = CANVAS_TEMPLATE.split("\n"), out.read_text(encoding="utf-8").split("\n")
    assert lines_after[2] == lines_before[2].replace("9.00,,9.00", "9.00,20,9.00")
    assert lines_after[3] == lines_before[3].replace("10.00,,10.00", "10.00,10,10.00")
    assert [l for i, l in enumerate(lines_after) if i not in (2, 3)] == \
        [l for i, l in enumerate(lines_before) if i not in (2, 3)]


def test_canvas_column_must_be_clear(results_dir: Path, tmp_path: Path) -> None:
    template = tmp_path / "gradebook.csv"
    template.write_bytes(CANVAS_TEMPLATE.replace("activations (1002)", "Homework 1 (1002)").encode())
    with pytest.raises(UsageError, match="--column"):
        export(ExportRequest(results_dir, "canvas", tmp_path / "x.csv", template), now=NOW)
    export(ExportRequest(results_dir, "canvas", tmp_path / "y.csv", template, column="Homework 1 (1002)"), now=NOW)
    rows = _rows((tmp_path / "y.csv").read_bytes())
    assert rows[2][6] == "20" and rows[2][5] == "9.00"


def test_fresh_canvas_file_has_points_possible(results_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "canvas.csv"
    export(ExportRequest(results_dir, "canvas", out, title="Activations"), now=NOW)
    rows = _rows(out.read_bytes())
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Activations"]
    assert rows[1][0].strip() == "Points Possible" and rows[1][5] == "4"
    assert rows[2][:2] == ["Иван Петров", "123456"] and rows[3][5] == "2"


def test_plain_csv_and_cli_errors(results_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "grades.csv"
    assert run_cli("export", "--results", str(results_dir), "--format", "csv", "--out", str(out)) == 0
    rows = _rows(out.read_bytes(), "utf-8")
    assert rows[0][:3] == ["submission", "student_name", "score"] and rows[2][:3] == ["234567", "Anna, Smith", "2"]
    wrong = tmp_path / "not-moodle.csv"
    wrong.write_text("a,b\n1,2\n")
    assert run_cli("export", "--results", str(results_dir), "--format", "moodle", "--out",
                   str(tmp_path / "m.csv"), "--template", str(wrong)) == 2
    assert run_cli("export", "--results", str(tmp_path / "nowhere"), "--format", "csv", "--out", str(out)) == 2


def test_feedback_hides_hidden_details_when_configured(tmp_path: Path) -> None:
    from autograder.lms.base import grade_of

    result = _result("1", "", (0, 2), language="ru")
    assert "`sigmoid` returned wrong values." in grade_of(result).feedback
    hidden = grade_of(result, show_hidden=False).feedback
    assert "returned wrong values" not in hidden and hidden.startswith("Баллы: 2 из 4")


def test_a_russian_worksheet_saved_by_excel_is_filled_in_its_own_encoding(results_dir: Path, tmp_path: Path) -> None:
    """Windows-1251 without a BOM (Excel in Russian): read as Latin-1, its names were
    mojibake to us and it could not hold the feedback's dash (a usage error)."""
    template = tmp_path / "ведомость.csv"
    text = ("Идентификатор;Полное имя;Оценка;Последнее изменение (оценка);Отзыв в виде комментария\r\n"
            "Участник 123456;Иван Петров;;-;\r\nУчастник 234567;Анна Смирнова;;-;\r\n")
    template.write_bytes(text.encode("cp1251"))
    export(ExportRequest(results_dir, "moodle", tmp_path / "out.csv", template), now=NOW)
    data = (tmp_path / "out.csv").read_bytes()
    rows = [line.split(";") for line in data.decode("cp1251").strip().split("\r\n")]
    assert [r[:2] for r in rows] == [r.split(";")[:2] for r in text.strip().split("\r\n")]  # names kept
    assert rows[2][2] and "—" in data.decode("cp1251")  # a grade, and feedback with its dash
    timed = tmp_path / "manifest.csv"  # the same worksheet as a manifest of submission times
    timed.write_bytes("Идентификатор;Последнее изменение (ответ)\r\nУчастник 123456;"
                      "вторник, 1 декабря 2026, 23:59\r\n".encode("cp1251"))
    assert read_manifest(timed) == {"123456": datetime(2026, 12, 1, 23, 59)}


def test_a_russian_moodle_worksheet_is_filled_and_gives_times(results_dir: Path, tmp_path: Path) -> None:
    template = tmp_path / "ведомость.csv"
    template.write_bytes((
        "Идентификатор,Полное имя,Состояние,Оценка,Максимальная оценка,Последнее изменение (ответ),"
        "Последнее изменение (оценка),Отзыв в виде комментария\n"
        'Участник 123456,Иван Петров,Отправлено,,"10,00","вторник, 1 декабря 2026, 23:59",-,\n'
        "Участник 234567,Anna,Отправлено,,\"10,00\",-,-,\n").encode("utf-8"))
    export(ExportRequest(results_dir, "moodle", tmp_path / "out.csv", template), now=NOW)
    rows = _rows((tmp_path / "out.csv").read_bytes())
    assert rows[1][3] == "10,00" and rows[2][3] == "5,00" and rows[1][7].startswith("Score: 4 of 4")
    assert read_manifest(template) == {"123456": datetime(2026, 12, 1, 23, 59)}


CANVAS_SPLIT_NAMES = (
    "LastName,FirstName,ID,SIS User ID,SIS Login ID,Section,activations (1002),Current Score\r\n"
    ",,,,,,Manual Posting,\r\n"
    "    Points Possible,,,,,,\"10,00\",(read only)\r\n"
    "Петров,Иван,123456,S-1,ivan,\"Group A\",,\"0,00\"\r\n"
    "Smith,Anna,234567,S-2,anna,\"Group A\",,\"0,00\"\r\n"
)


def test_canvas_export_with_first_and_last_names_apart_is_filled(results_dir: Path, tmp_path: Path) -> None:
    """Canvas's gradebook with split student names exports ``LastName, FirstName`` and no
    ``Student`` column; its importer takes that file back, so export fills it."""
    template = tmp_path / "gradebook.csv"
    template.write_bytes(CANVAS_SPLIT_NAMES.encode("utf-8"))
    out = tmp_path / "import.csv"
    written = export(ExportRequest(results_dir, "canvas", out, template), now=NOW)
    assert written.filled == 2
    lines = out.read_bytes().decode("utf-8").split("\r\n")
    assert lines[3] == 'Петров,Иван,123456,S-1,ivan,"Group A",10,"0,00"'   # 4 of 4, out of 10
    assert lines[4] == 'Smith,Anna,234567,S-2,anna,"Group A",5,"0,00"'
    assert lines[:3] == CANVAS_SPLIT_NAMES.split("\r\n")[:3]


@pytest.mark.parametrize("start, kind", [
    (b"PK\x03\x04\x14\x00\x06\x00", ".xlsx or .ods"),        # Excel 2007+, LibreOffice
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", ".xls"),    # Excel 97-2003
])
def test_a_workbook_given_for_a_csv_is_named_as_such(results_dir: Path, tmp_path: Path,
                                                      start: bytes, kind: str) -> None:
    """The worksheet opened in Excel and saved as a workbook: every reader of CSV files
    quoted the zip's bytes as the file's "header"; now one line says what to save."""
    from autograder.manual import read_scores
    from autograder.server.roster import read_roster

    workbook = tmp_path / "worksheet.xlsx"
    workbook.write_bytes(start + "Идентификатор,Оценка\r\n".encode("utf-8") * 40 + bytes(range(256)))
    readers = [
        lambda: export(ExportRequest(results_dir, "moodle", tmp_path / "out.csv", workbook), now=NOW),
        lambda: read_manifest(workbook), lambda: read_roster(workbook),
        lambda: read_scores(workbook, {"essay": 2.0}),
    ]
    for read in readers:
        with pytest.raises(UsageError) as caught:
            read()
        message = str(caught.value)
        assert f"a spreadsheet workbook ({kind}), not a CSV file" in message and str(workbook) in message
        assert "PK" not in message and "\\x" not in message and "\x00" not in message
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("kind", ["moodle", "csv"])
def test_control_characters_of_a_students_message_never_reach_an_lms_file(tmp_path: Path, kind: str) -> None:
    """A student's exception printed in colour with a NUL in it: the feedback column held the
    raw NUL, escape and bell, and a CSV reader stops at a NUL ("line contains NUL", Python's
    csv before 3.11, and tools built like it)."""
    folder = tmp_path / "results"
    folder.mkdir()
    message = "`relu(1)` raised ValueError: \x1b[31mbad\x1b[0m\x00 value\x07"
    result = SubmissionResult("activations", "123456", (
        QuestionResult("relu", (CheckResult("values", False, 0.0, 2.0, "hidden", message),), 2.0),))
    save_result(result, folder)
    out = tmp_path / "out.csv"
    export(ExportRequest(folder, kind, out), now=NOW)
    data = out.read_bytes()
    assert not any(byte in data for byte in (b"\x00", b"\x1b", b"\x07")), data
    assert "raised ValueError: bad\ufffd value\ufffd" in data.decode("utf-8-sig")
