"""Feedback inside the student's own notebook (feedback/<id>.ipynb and its HTML)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from autograder.reports.base import ReportContext
from autograder.reports.notebook_feedback import (CSP, TAG, HtmlRenderer, annotate, md, question_cells,
                                                   write_notebook_feedback)
from autograder.results import CheckResult, QuestionResult, SubmissionResult

CONTEXT = ReportContext("mini", "Mini", "en", ("double", "halve", "Model.fit"))


def _notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    first = nbformat.v4.new_code_cell("import numpy as np\ndef double(x):\n    return x")
    first.outputs = [nbformat.v4.new_output("stream", name="stdout", text="kept output\n")]
    script = nbformat.v4.new_code_cell("display(js)")
    script.outputs = [nbformat.v4.new_output("display_data", data={
        "application/javascript": "alert('student')", "text/html": "<img src=x onerror=alert(1)>",
        "text/plain": "js"})]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Homework"), first, script,
                      nbformat.v4.new_code_cell("class Model:\n    def fit(self):\n        pass"),
                      nbformat.v4.new_code_cell("def double(x):\n    return 2 * x")]
    return notebook


def _result() -> SubmissionResult:
    hostile = "`double(x)` returned <script>alert(1)</script> **bold**\ninput: [1]\n```\nexpected: [2]"
    return SubmissionResult("mini", "alice", (
        QuestionResult("double", (CheckResult("values", False, 0.0, 1.0, "hidden", hostile),
                                  CheckResult("shape", True, 1.0, 1.0, "hidden"),), 2.0),
        QuestionResult("halve", (CheckResult("values", False, 0.0, 1.0, "hidden", "`halve` is not defined."),), 1.0),
        QuestionResult("Model.fit", (CheckResult("values", True, 2.0, 2.0, "hidden"),), 2.0),
    ), language="en", extra={"student_name": "Alice Liddell"})


def test_feedback_cells_follow_the_cell_that_defines_each_question() -> None:
    annotated = annotate(_notebook(), _result(), CONTEXT)
    sources = [c.source for c in annotated.cells]
    assert TAG in annotated.cells[0].metadata["tags"] and "Alice Liddell (alice)" in sources[0]
    assert "Score: 3 of 5 (60%)" in sources[0] and "halve" in sources[0].split("Not found")[1]
    # the later definition of double wins (cell 5 of the original), Model.fit after the class
    after_double = sources.index("def double(x):\n    return 2 * x") + 1
    assert "Feedback on `double`: 1 of 2" in sources[after_double]
    assert "Feedback on `Model.fit`: 2 of 2" in sources[sources.index("class Model:\n    def fit(self):\n        pass") + 1]
    assert annotated.cells[2].outputs[0]["text"] == "kept output\n"  # the student's outputs stay
    assert len(annotated.cells) == len(_notebook().cells) + 3


def test_the_feedback_notebook_is_the_same_bytes_for_the_same_result() -> None:
    student = _notebook()
    made = [nbformat.writes(annotate(student, _result(), CONTEXT)) for _ in range(2)]
    assert made[0] == made[1]  # nbformat's own new cells have random ids
    ids = [c.id for c in annotate(student, _result(), CONTEXT).cells if TAG in c.metadata.get("tags", [])]
    assert ids[0] == "autograder-feedback-summary" and ids[2] == "autograder-feedback-question-double"
    assert re.fullmatch(r"autograder-[0-9a-f]{16}", ids[1])  # "Model.fit": not a plain id, its digest
    nbformat.validate(nbformat.reads(made[0], as_version=4))


def test_cells_sharing_an_id_get_the_same_ids_every_time(tmp_path: Path) -> None:
    """nbformat's reader gives the second of two cells with one id a random one."""
    student = _notebook()
    student.cells[2].id = student.cells[1].id = "copied"
    path = tmp_path / "alice.ipynb"
    path.write_text(json.dumps(student))
    made = [write_notebook_feedback([_result()], {"alice": path}, CONTEXT, tmp_path / run, html=False)[0]
            for run in ("first", "second")]
    assert made[0].read_bytes() == made[1].read_bytes()
    assert [c.id for c in nbformat.read(made[0], as_version=4).cells][2:4] == ["copied", "copied-2"]


def test_a_notebook_saved_before_cell_ids_gets_feedback_cells_without_ids() -> None:
    """Colab and older Jupyter save nbformat 4.0-4.4, where a cell id is invalid (Jupyter
    says so when it opens the notebook)."""
    old = _notebook()
    old.nbformat_minor = 4
    for cell in old.cells:
        cell.pop("id")
    annotated = annotate(old, _result(), CONTEXT)
    assert len(annotated.cells) == len(old.cells) + 3 and not any("id" in c for c in annotated.cells)
    nbformat.validate(annotated)


@pytest.mark.parametrize("saved", ["as nbformat writes it", "with a byte-order mark", "as nbformat 3"])
def test_every_notebook_graded_gets_its_feedback_notebook(tmp_path: Path, saved: str) -> None:
    """Read as grading reads it: a byte-order mark (Windows editors) and nbformat 3 were
    graded, and then skipped without a word here (nbformat refuses the one, and returns
    the other as its v3 module's own node class)."""
    path = tmp_path / "alice.ipynb"
    if saved == "as nbformat 3":
        nbformat.write(nbformat.convert(_notebook(), 3), str(path), version=3)
    else:
        nbformat.write(_notebook(), str(path))
        if saved == "with a byte-order mark":
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    written = write_notebook_feedback([_result()], {"alice": path}, CONTEXT, tmp_path / "out", html=False)
    assert [p.name for p in written] == ["alice.ipynb"]
    annotated = nbformat.read(written[0], as_version=4)
    assert "Feedback on `double`: 1 of 2" in "".join(c.source for c in annotated.cells)
    assert "def double(x):\n    return 2 * x" in [c.source for c in annotated.cells]  # the lines joined
    nbformat.validate(annotated)


def test_student_text_is_escaped_in_markdown() -> None:
    annotated = annotate(_notebook(), _result(), CONTEXT)
    double = next(c.source for c in annotated.cells if "Feedback on `double`" in c.source)
    assert "<script>" not in double and "&lt;script&gt;" in double and "\\*\\*bold\\*\\*" in double
    assert "````" in double  # the tail's own ``` cannot close its fence
    assert md("a `<b>` <b>") == "a `<b>` &lt;b&gt;"


def test_question_cells_use_nbgrader_ids() -> None:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("assert squares(3) == [1, 4, 9]")
    cell.metadata["nbgrader"] = {"grade_id": "test_squares", "grade": True}
    notebook.cells = [nbformat.v4.new_code_cell("x = 1"), cell]
    assert question_cells(notebook, ["test_squares", "x", "nothing"]) == {"test_squares": 1, "x": 0}


def test_html_page_runs_no_script_of_the_student() -> None:
    page = HtmlRenderer().render(annotate(_notebook(), _result(), CONTEXT))
    head = page.split("</head>", 1)[0]
    scripts = head.find("<script")
    assert CSP in head and (scripts == -1 or head.index(CSP) < scripts)  # the policy comes first
    assert "alert('student')" not in page  # script outputs dropped
    assert "Feedback on" in page and "celltag_autograder-feedback" in page
