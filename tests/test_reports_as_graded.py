"""`grade` writes each submission's feedback as soon as its result is known, the class's
files at the end, with the bytes `write_reports` writes after the fact; an interrupted
batch leaves whole pages only, and a rerun finishes them."""

from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Callable
from typing import Any

import pytest

from autograder import atomic, batch, reports
from autograder.config import load_settings
from autograder.reports.feedback import FOLDER
from autograder.results import SubmissionResult
from autograder.submissions import find_submissions
from tests.helpers import make_mini_project, run_cli, write_notebook

GOOD = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2"]
HALF = [GOOD[0].split("def halve")[0]]
WRONG = ["def double(x):\n    return x\ndef halve(x):\n    return x"]
CLASS_FILES = ("grades.csv", "junit.xml", "summary.html")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_mini_project(tmp_path / "project")


@pytest.fixture
def subs(tmp_path: Path) -> Path:
    for name, cells in (("a", GOOD), ("b", HALF), ("c", WRONG)):
        write_notebook(tmp_path / "subs" / f"{name}.ipynb", cells)
    return tmp_path / "subs"


def grade(project: Path, subs: Path, out: Path, *args: str) -> int:
    return run_cli("grade", "--config", str(project), "-a", "mini", str(subs), "--out", str(out), *args)


def report_files(out: Path) -> dict[str, bytes]:
    """Every report file under ``out`` (not the results, not the gradebook), by relative path."""
    names = [*(f"{FOLDER}/{p.name}" for p in (out / FOLDER).iterdir()), *(n for n in CLASS_FILES if (out / n).exists())]
    return {name: (out / name).read_bytes() for name in sorted(names)}


def after_the_fact(results: list[SubmissionResult], project: Path, folder: Path) -> dict[str, bytes]:
    """The reports :func:`reports.write_reports` writes from ``results`` once all are known
    (what `grade` did with all of its reports before)."""
    reports.write_reports(results, load_settings(project), "mini", folder)
    return report_files(folder)


def saved_results(monkeypatch: pytest.MonkeyPatch,
                  before: Callable[[SubmissionResult, Path], None] = lambda r, f: None) -> list[SubmissionResult]:
    """The results the batch saves, as it saves them (``before`` runs first)."""
    saved: list[SubmissionResult] = []
    real_save = batch.save_result

    def save(result: SubmissionResult, folder: Path) -> Path:
        before(result, folder)
        saved.append(result)
        return real_save(result, folder)

    monkeypatch.setattr(batch, "save_result", save)
    return saved


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_feedback_is_written_as_each_result_comes(project: Path, subs: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    out = tmp_path / "out"
    seen: list[tuple[set[str], set[str]]] = []  # at each result saved: the pages and class files there

    def look(result: SubmissionResult, folder: Path) -> None:
        pages = {p.name for p in (folder / FOLDER).iterdir()} if (folder / FOLDER).is_dir() else set()
        seen.append((pages, {n for n in CLASS_FILES if (folder / n).exists()}))

    results = saved_results(monkeypatch, look)
    assert grade(project, subs, out, "--jobs", jobs) == 0
    assert [len(pages) for pages, _ in seen] == [0, 2, 4]  # .md and .html of each earlier result
    assert all(not class_files for _, class_files in seen)  # those wait for the whole class
    order = {s.id: i for i, s in enumerate(find_submissions([subs]))}  # grade_batch returns this order
    results.sort(key=lambda r: order[r.submission])
    assert report_files(out) == after_the_fact(results, project, tmp_path / "after")
    assert {"a.md", "a.html", "c.md", "c.html"} <= {p.name for p in (out / FOLDER).iterdir()}


@pytest.mark.slow
def test_an_interrupted_batch_leaves_whole_pages_and_a_rerun_finishes_them(
        project: Path, subs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    real_replace = os.replace
    interrupted: list[str] = []

    def replace(source: Any, target: Any) -> None:
        if Path(target) == out / FOLDER / "b.html":  # Ctrl-C while b's page is being written
            interrupted.append(str(target))
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", replace)
    results = saved_results(monkeypatch)
    assert grade(project, subs, out, "--jobs", "1") == 130
    assert interrupted
    assert sorted(p.name for p in (out / FOLDER).iterdir()) == ["a.html", "a.md", "b.md"]  # no temp file
    assert not any((out / name).exists() for name in CLASS_FILES)
    assert not (out / "c.json").exists()
    whole = after_the_fact(results, project, tmp_path / "after")
    assert all(whole[name] == data for name, data in report_files(out).items())  # each page complete

    monkeypatch.setattr(atomic.os, "replace", real_replace)
    results = saved_results(monkeypatch)
    assert grade(project, subs, out, "--jobs", "1") == 0  # resumes: a and b from the gradebook
    assert [r.submission for r in results] == ["a", "b", "c"]
    assert report_files(out) == after_the_fact(results, project, tmp_path / "after-rerun")
    assert len(list((out / FOLDER).iterdir())) == 6
