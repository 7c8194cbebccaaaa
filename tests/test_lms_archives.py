"""LMS archives as PATHs for `grade`: Moodle and Canvas naming, hostile members refused."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from autograder.batch import find_submissions
from autograder.exceptions import UsageError
from autograder.gradebook import Gradebook
from autograder.lms.archives import ArchiveLimits, read_archive
from autograder.submissions import unpack_folder
from tests.helpers import make_mini_project, run_cli
from tests.lms_fixtures import (GOOD, HALF, moodle_members, notebook_bytes, with_raw_name,
                                write_special_zip, write_zip)

NB = notebook_bytes(GOOD)


def _files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_moodle_archive_in_folders_gives_participant_ids_and_names(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "moodle.zip", moodle_members({
        "123456": ("Иван Петров", NB), "234567": ("Anna Smith", notebook_bytes(HALF)),
        "345678": ("Participant", NB),  # blind marking
    }))
    result = read_archive(archive, tmp_path / "unpacked")
    assert result.system == "moodle"
    by_id = {e.id: e for e in result.entries}
    assert sorted(by_id) == ["123456", "234567", "345678"]
    assert by_id["123456"].name == "Иван Петров" and by_id["345678"].name == ""
    assert by_id["234567"].path is not None and by_id["234567"].path.read_bytes() == notebook_bytes(HALF)
    assert all(e.problem is None for e in result.entries)


def test_moodle_flat_names_without_folders(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "flat.zip", moodle_members({"42": ("Ann_Lee", NB)}, folders=False))
    (entry,) = read_archive(archive, tmp_path / "u").entries
    assert (entry.id, entry.name) == ("42", "Ann_Lee")
    assert entry.path is not None and entry.path.read_bytes() == NB


def test_canvas_keeps_the_latest_resubmission_and_the_late_flag(tmp_path: Path) -> None:
    old, new = notebook_bytes(HALF), NB
    archive = write_zip(tmp_path / "canvas.zip", {
        "smithjohn_1001_5001_hw1.ipynb": old,
        "smithjohn_1001_5002_hw1-1.ipynb": old,
        "smithjohn_1001_5003_hw1-2.ipynb": new,
        "doejane_late_1002_5004_hw1.ipynb": new,
        "roeann_1003_5005_report.pdf": b"%PDF-1.4",
    })
    result = read_archive(archive, tmp_path / "u")
    assert result.system == "canvas"
    by_id = {e.id: e for e in result.entries}
    assert by_id["1001"].name == "smithjohn" and by_id["1001"].path is not None
    assert by_id["1001"].path.read_bytes() == new and by_id["1001"].member.endswith("hw1-2.ipynb")
    assert by_id["1002"].late and not by_id["1001"].late
    assert by_id["1003"].path is None and by_id["1003"].problem is not None
    assert "report.pdf" in by_id["1003"].problem.en  # no notebook: says what was found


def test_zip_slip_members_are_refused_and_nothing_lands_outside(tmp_path: Path) -> None:
    into = tmp_path / "inside" / "unpacked"
    archive = write_zip(tmp_path / "slip.zip", {
        "Eve Evil_666_assignsubmission_file_/../../../escaped.ipynb": NB,
        "Bob Good_777_assignsubmission_file_/hw.ipynb": NB,
        "../../orphan.ipynb": NB,
        "/etc/absolute.ipynb": NB,
    })
    result = read_archive(archive, into)
    by_id = {e.id: e for e in result.entries}
    assert by_id["777"].path is not None and by_id["777"].problem is None
    assert by_id["666"].path is None and by_id["666"].problem is not None
    assert "leaves the archive" in by_id["666"].problem.en
    assert any("orphan" in w for w in result.warnings) and any("absolute" in w for w in result.warnings)
    assert all(f == "slip.zip" or f.startswith("inside/unpacked/") for f in _files_under(tmp_path))
    assert not any("escaped" in f or "orphan" in f for f in _files_under(tmp_path))


def test_zip_bombs_are_refused_by_ratio_size_and_total(tmp_path: Path) -> None:
    bomb = b'{"cells": []}' + b" " * (4 << 20)  # 4 MB of spaces packs to a few KB
    archive = write_zip(tmp_path / "bomb.zip", moodle_members({"1": ("A", bomb), "2": ("B", NB)}))
    by_id = {e.id: e for e in read_archive(archive, tmp_path / "u").entries}
    assert by_id["1"].path is None and by_id["1"].problem is not None and "x its packed size" in by_id["1"].problem.en
    assert by_id["2"].path is not None

    small = ArchiveLimits(member_bytes=len(NB) - 1)
    by_id = {e.id: e for e in read_archive(archive, tmp_path / "v", small).entries}
    assert by_id["2"].problem is not None and "more than" in by_id["2"].problem.en

    total = ArchiveLimits(total_bytes=len(NB) + 10)
    three = write_zip(tmp_path / "three.zip", moodle_members({"1": ("A", NB), "2": ("B", NB), "3": ("C", NB)}))
    entries = read_archive(three, tmp_path / "w", total).entries
    assert [e.problem is None for e in entries] == [True, False, False]
    assert entries[1].problem is not None and "in total" in entries[1].problem.en


def test_a_member_whose_header_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "liar.zip", moodle_members({"5": ("Liar", NB)}))
    with zipfile.ZipFile(archive) as zf:
        info = zf.infolist()[0]
    data = bytearray(archive.read_bytes())
    # shrink the declared size in the central directory: the stream no longer matches it
    central = data.rfind(b"PK\x01\x02")
    size_at = central + 24
    data[size_at:size_at + 4] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    (entry,) = read_archive(archive, tmp_path / "u").entries
    assert entry.path is None and entry.problem is not None, info


def test_russian_names_as_windows_zips_them_are_read_and_other_undeclared_names_refused(tmp_path: Path) -> None:
    """Windows' "compressed folder" writes names in the DOS code page without the UTF-8
    flag: a Russian one (cp866) is read as Russian; a Western one cannot be told from a
    wrong guess and is refused, as it was."""
    archive = write_zip(tmp_path / "names.zip", {
        "QQQQ QQQQQQ_9_assignsubmission_file_/QQQQQQQQ.ipynb": NB,
        "WWWWWWWW_11_assignsubmission_file_/hw.ipynb": NB,
        "Ok Name_10_assignsubmission_file_/hw.ipynb": NB})
    with_raw_name(archive, "QQQQ QQQQQQ", "Иван Петров".encode("cp866"))
    with_raw_name(archive, "QQQQQQQQ", "домашка".encode("cp866") + b"1")
    with_raw_name(archive, "WWWWWWWW", "François".encode("cp850"))
    result = read_archive(archive, tmp_path / "u")
    by_id = {e.id: e for e in result.entries}
    russian = by_id["9"]
    assert russian.problem is None and russian.path is not None and russian.path.read_bytes() == NB
    assert russian.name == "Иван Петров" and russian.member.endswith("/домашка1.ipynb")
    assert by_id["11"].path is None and by_id["11"].problem is not None and "UTF-8" in by_id["11"].problem.en
    assert by_id["10"].path is not None


def test_encrypted_members_and_links_are_refused(tmp_path: Path) -> None:

    special = write_special_zip(
        tmp_path / "special.zip",
        normal={"C_3_assignsubmission_file_/hw.ipynb": NB},
        encrypted={"A_1_assignsubmission_file_/hw.ipynb": NB},
        links={"B_2_assignsubmission_file_/hw.ipynb": "/etc/passwd"})
    by_id = {e.id: e for e in read_archive(special, tmp_path / "s").entries}
    assert by_id["1"].problem is not None and "encrypted" in by_id["1"].problem.en
    assert by_id["2"].problem is not None and "link" in by_id["2"].problem.en
    assert by_id["3"].path is not None and by_id["3"].path.read_bytes() == NB


def test_several_notebooks_of_one_student_are_not_guessed(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "two.zip", {
        "A B_4_assignsubmission_file_/hw.ipynb": NB, "A B_4_assignsubmission_file_/scratch.ipynb": NB})
    (entry,) = read_archive(archive, tmp_path / "u").entries
    assert entry.path is None and entry.problem is not None
    assert "hw.ipynb, scratch.ipynb" in entry.problem.en


def test_a_plain_zip_is_read_like_a_folder(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "plain.zip", {
        "alice.ipynb": NB, "bob/work.ipynb": NB, "__MACOSX/._alice.ipynb": b"junk",
        "bob/.ipynb_checkpoints/work-checkpoint.ipynb": NB})
    result = read_archive(archive, tmp_path / "u")
    assert result.system == "zip" and [e.id for e in result.entries] == ["alice", "bob"]


def test_an_unpack_folder_is_made_only_for_archives_and_removed_after(tmp_path: Path) -> None:
    notebook = tmp_path / "alice.ipynb"
    notebook.write_bytes(NB)
    with unpack_folder([notebook, tmp_path], "autograder-test-") as folder:
        assert folder is None  # nothing to unpack: nothing a killed run could leave behind
    archive = write_zip(tmp_path / "plain.zip", {"bob.ipynb": NB})
    with unpack_folder([notebook, archive], "autograder-test-") as folder:
        assert folder is not None and folder.is_dir() and folder.name.startswith("autograder-test-")
        found = find_submissions([notebook, archive], unpack_dir=folder)
        assert [s.id for s in found] == ["alice", "bob"] and found[1].path.is_relative_to(folder)
    assert not folder.exists()


def test_a_file_that_is_not_a_zip_is_a_usage_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"not a zip at all")
    with pytest.raises(UsageError, match="not a readable zip"):
        find_submissions([fake], unpack_dir=tmp_path / "u")


@pytest.mark.slow
def test_grade_a_moodle_archive_end_to_end(tmp_path: Path) -> None:
    config = make_mini_project(tmp_path / "course")
    archive = write_zip(tmp_path / "subs.zip", {
        **moodle_members({"111": ("Ann Lee", NB), "222": ("Bo Chen", notebook_bytes(HALF))}),
        "Eve X_333_assignsubmission_file_/../../evil.ipynb": NB,
    })
    out = tmp_path / "out"
    code = run_cli("grade", "--config", str(config), "--assignment", "mini", str(archive),
                   "--out", str(out), "--jobs", "1", "--notebook-feedback")
    assert code == 0
    results = {p.stem: json.loads(p.read_text()) for p in out.glob("*.json")}
    assert sorted(results) == ["111", "222", "333"]
    assert results["111"]["score"] == 3.0 and results["111"]["student_name"] == "Ann Lee"
    assert results["222"]["score"] == 2.0  # double wrong (1 of 2), halve right
    assert results["333"]["score"] == 0.0 and "leaves the archive" in " ".join(results["333"]["errors"])
    assert results["111"]["lms"] == {"system": "moodle", "late": False,
                                     "file": "subs.zip:Ann Lee_111_assignsubmission_file_/homework.ipynb"}
    with Gradebook.open(out) as book:
        names = {r.submission: r.extra.get("student_name") for r in book.latest("mini")}
    assert names == {"111": "Ann Lee", "222": "Bo Chen", "333": "Eve X"}
    grades = (out / "grades.csv").read_text(encoding="utf-8")
    assert "Ann Lee" in grades
    # the student's own notebook, annotated, from the archive's temporary copy
    annotated = (out / "feedback" / "222.ipynb").read_text(encoding="utf-8")
    assert "Feedback on `double`: 1 of 2" in annotated and "Bo Chen (222)" in annotated
    assert (out / "feedback" / "222.notebook.html").is_file()
    assert not (out / "feedback" / "333.ipynb").exists()  # refused: nothing to annotate


@pytest.mark.slow
def test_a_class_of_30_from_moodle_and_canvas_graded_and_exported_into_their_files(tmp_path: Path) -> None:
    """The issue's "done when": 30 notebooks per LMS, one command each, the grades written
    into the LMS's own download, every untouched cell read back unchanged."""
    import csv
    import io

    config = make_mini_project(tmp_path / "course")
    kinds = [notebook_bytes(GOOD), notebook_bytes(HALF), b"{not json"]
    moodle = write_zip(tmp_path / "moodle.zip", moodle_members(
        {str(100 + i): (f"Student {i}", kinds[i % 3]) for i in range(30)}))
    canvas = write_zip(tmp_path / "canvas.zip", {
        f"student{i}{'_late' if i % 5 == 0 else ''}_{200 + i}_{9000 + i}_hw.ipynb": kinds[i % 3] for i in range(30)})
    for name, archive in (("moodle", moodle), ("canvas", canvas)):
        assert run_cli("grade", "--config", str(config), "--assignment", "mini", str(archive),
                       "--out", str(tmp_path / name), "--jobs", "2") == 0
        assert len(list((tmp_path / name).glob("*.json"))) == 30

    worksheet = "\ufeffIdentifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed," \
                "Last modified (submission),Last modified (grade),Feedback comments\r\n" + "".join(
                    f'Participant {100 + i},"Student {i}",s{i}@example.org,Submitted for grading,,"10,00",Yes,'
                    f'"Tuesday, 1 December 2026, 11:59 PM",-,\r\n' for i in range(31))
    gradebook = "Student,ID,SIS User ID,SIS Login ID,Section,mini (77),Current Score\n" \
                "    Points Possible,,,,,6.00,(read only)\n" + "".join(
                    f'"Last{i}, First",{200 + i},S{i},login{i},A,,0\n' for i in range(31))
    for name, template, column in (("moodle", worksheet, "Grade"), ("canvas", gradebook, "mini (77)")):
        path = tmp_path / f"{name}-template.csv"
        path.write_bytes(template.encode("utf-8"))
        out = tmp_path / f"{name}-upload.csv"
        assert run_cli("export", "--results", str(tmp_path / name), "--format", name, "--template", str(path),
                       "--out", str(out)) == 0
        before = list(csv.reader(io.StringIO(template.lstrip("\ufeff"), newline="")))
        after = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
        filled = {before[0].index(column)} | ({before[0].index("Feedback comments")} if name == "moodle" else set())
        assert len(after) == len(before) and after[0] == before[0]
        for row_before, row_after in zip(before, after):
            assert [v for c, v in enumerate(row_before) if c not in filled] == \
                [v for c, v in enumerate(row_after) if c not in filled]
        grades = [row[before[0].index(column)] for row in after[1:] if row[1]]  # students, not Points Possible
        if name == "moodle":
            assert grades[:4] == ["10,00", "6,67", "0,00", "10,00"] and grades[30] == ""  # no result: untouched
        else:
            assert grades[:4] == ["6", "4", "0", "6"] and grades[30] == ""
