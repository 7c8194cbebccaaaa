"""`autograder similarity`: what is compared, how copies rank, and the files written.

The class is generated (tests/similarity_class.py) from the bundled `activations`
starter notebook: independent students who write each function their own way, and four
who copied one of them, hiding it by renaming, by reordering, by reformatting, or by
copying only two functions of eight.
"""

from __future__ import annotations

import csv
import re
import zipfile
from functools import cache
from pathlib import Path

import nbformat
import pytest
from tests.helpers import ROOT, run_cli as run
from tests.similarity_class import planted_class, write_class

from autograder.config import load_settings
from autograder.similarity.compare import compare_class
from autograder.similarity.extract import StudentCode, question_code
from autograder.similarity.run import compare_paths, starter_cells

CONFIG = ROOT / "grading_config.yaml"
QUESTIONS = ["step", "sigmoid", "Net.forward"]


@cache
def starter() -> tuple[str, ...]:
    return tuple(starter_cells("activations", load_settings(CONFIG)))


@cache
def starter_notebook() -> nbformat.NotebookNode:
    from autograder.assign import generate_student_notebook

    return generate_student_notebook("activations", load_settings(CONFIG))


def test_only_the_question_cells_the_student_changed_in_question_order() -> None:
    stub = "def step(x):\n    raise NotImplementedError"
    cells = ["import numpy as np", stub, "class Net:\n    def forward(self, x):\n        return x",
             "print(sigmoid(0))", "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))",
             "def helper(:\ndef sigmoid(x): pass", "%timeit sigmoid(1)", 'def step(x):\n    return "\\d"']
    text, count = question_code(list(enumerate(cells, 1)), QUESTIONS, starter=[stub])  # a markdown cell first
    assert count == 4
    assert text.index("# cell 9") < text.index("# cell 6") < text.index("# cell 7") < text.index("# cell 4")
    assert "raise NotImplementedError" not in text and "print(" not in text and "timeit" not in text


def score(pairs: list, a: str, b: str) -> float:
    return next(p.score for p in pairs if {p.a, p.b} == {a, b})


def test_renaming_comments_formatting_and_order_do_not_hide_a_copy() -> None:
    original = ("def sigmoid(x):\n    x = np.clip(np.asarray(x, dtype=float), -700, 700)\n"
                "    neg = x < 0\n    e = np.exp(np.where(neg, x, -x))\n"
                "    return np.where(neg, e / (1 + e), 1 / (1 + e))\n\n"
                "def step(x):\n    out = np.zeros(np.shape(x))\n    out[np.asarray(x) >= 0] = 1.0\n    return out\n")
    disguised = ("def step(v):  # mine\n    res=np.zeros(np.shape(v))\n\n    res[np.asarray(v)>=0]=1.0\n"
                 "    return res\n\n\ndef sigmoid(t):\n    # stable\n    t=np.clip(np.asarray(t,dtype=float),-700,700)\n"
                 "    m=t<0\n    q=np.exp(np.where(m,t,-t))\n    return np.where(m,q/(1+q),1/(1+q))\n")
    other = ("def sigmoid(x):\n    return 0.5 * (1 + np.tanh(x / 2))\n\n"
             "def step(x):\n    return np.heaviside(np.asarray(x, dtype=float), 1.0)\n")
    codes = [StudentCode("a", original, 2), StudentCode("b", disguised, 2), StudentCode("c", other, 2)]
    pairs = list(compare_class(codes, "").pairs)
    assert score(pairs, "a", "b") == 1.0
    assert score(pairs, "a", "c") == score(pairs, "b", "c") == 0.0


def test_two_nearly_empty_notebooks_sharing_a_few_lines_are_not_copies() -> None:
    """A student who wrote one short function the obvious way, like another who wrote only
    that: what they share is too little to be all of their work."""
    step = "def step(x):\n    x = np.asarray(x, dtype=float)\n    return np.where(x >= 0, 1.0, 0.0)\n"
    codes = [StudentCode("a", step, 1), StudentCode("b", step.replace("x", "v"), 1)]
    assert 0 < compare_class(codes, "").pairs[0].score < 0.5


def test_the_starter_code_is_left_out(tmp_path: Path) -> None:
    """Two students who handed in the notebook as they got it share all of it, and none
    of it is theirs."""
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("ann", "bob"):
        nbformat.write(starter_notebook(), str(folder / f"{name}.ipynb"))
    run_ = compare_paths([folder], "activations", load_settings(CONFIG), tmp_path / "out")
    assert [(p.a, p.b, p.score) for p in run_.comparison.pairs] == [("ann", "bob", 0.0)]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[list, dict[str, str], Path]:
    students, copies = planted_class(36)
    folder = tmp_path_factory.mktemp("class")
    write_class(starter_notebook(), students, folder)
    out = tmp_path_factory.mktemp("out")
    assert run("similarity", "--config", str(CONFIG), "-a", "activations", str(folder), "--out", str(out)) == 0
    with (out / "similarity.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    return rows, copies, out


def test_the_copies_rank_on_top_and_independent_work_stays_low(planted: tuple[list, dict[str, str], Path]) -> None:
    rows, copies, _ = planted
    n = 40
    assert len(rows) == n * (n - 1) // 2
    scores = [float(row["score"]) for row in rows]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    rank = {frozenset((row["a"], row["b"])): i for i, row in enumerate(rows)}
    full = [rank[frozenset((copier, source))] for copier, source in copies.items() if copier != "copy_partial"]
    assert sorted(full) == [0, 1, 2]  # renamed, reordered, reformatted: the three most alike pairs
    partial = rank[frozenset(("copy_partial", copies["copy_partial"]))]
    assert partial < 0.02 * len(rows)  # two functions of eight: in the top 2% of 780 pairs
    independent = [float(row["score"]) for row in rows if "copy" not in row["a"] + row["b"]]
    assert sum(s >= 0.5 for s in independent) <= 0.01 * len(independent)  # no flood
    assert sorted(independent)[len(independent) // 2] < 0.1  # most pairs share nothing beyond idioms


def test_the_page_shows_the_pairs_side_by_side_with_matches_marked(
        planted: tuple[list, dict[str, str], Path]) -> None:
    rows, _, out = planted
    page = (out / "similarity.html").read_text()
    top = rows[0]
    assert page.count('class="pair"') == 30
    assert f"1. {top['a']} — {top['b']}" in page and "<mark>" in page
    assert "<script" not in page


def test_archives_and_folders_as_grade_reads_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    students, _ = planted_class(4)
    folder = tmp_path / "notebooks"
    paths = write_class(starter_notebook(), students[:3], folder)
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(paths[0], f"Ann Lee_101_assignsubmission_file_/{paths[0].name}")
        zf.write(paths[1], f"Bob Ray_102_assignsubmission_file_/{paths[1].name}")
    (tmp_path / "class" / "carol").mkdir(parents=True)
    paths[2].rename(tmp_path / "class" / "carol" / "homework.ipynb")
    (tmp_path / "dan.ipynb").write_text("not json")
    out = tmp_path / "out"
    assert run("similarity", "--config", str(CONFIG), "-a", "activations", str(archive),
               str(tmp_path / "class"), str(tmp_path / "dan.ipynb"), "--out", str(out)) == 0
    with (out / "similarity.csv").open() as handle:
        ids = {name for row in csv.DictReader(handle) for name in (row["a"], row["b"])}
    assert ids == {"101", "102", "carol"}  # Moodle's participant ids, grade's folder id
    assert "not compared: dan" in capsys.readouterr().err


def test_fewer_than_two_notebooks_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nbformat.write(starter_notebook(), str(tmp_path / "ann.ipynb"))
    assert run("similarity", "--config", str(CONFIG), "-a", "activations", str(tmp_path / "ann.ipynb"),
               "--out", str(tmp_path / "out")) == 2
    assert "at least two readable notebooks" in capsys.readouterr().err


def test_each_unreadable_notebook_is_its_own_line_on_the_page(tmp_path: Path) -> None:
    """The reasons end in full stops and name files: run together with commas they read as
    one sentence ("...Colab., empty: ..."); each stands on its own line, names as they are."""
    students, _ = planted_class(4)
    folder = tmp_path / "class"
    write_class(starter_notebook(), students[:2], folder)
    (folder / "Иванов [копия].ipynb").write_text('{"cells": [', encoding="utf-8")
    (folder / "пустой.ipynb").write_bytes(b"")
    out = tmp_path / "out"
    assert run("similarity", "--config", str(CONFIG), "-a", "activations", str(folder), "--out", str(out)) == 0
    page = (out / "similarity.html").read_text(encoding="utf-8")
    items = re.findall(r"<li>(.*?)</li>", page, re.DOTALL)
    assert [item.split(":", 1)[0] for item in items] == ["Иванов [копия]", "пустой"]
    assert all(item.rstrip().endswith(".") for item in items)
