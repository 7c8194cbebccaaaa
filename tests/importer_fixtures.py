"""otter-grader and nbgrader notebooks built by code, after their documented formats.

otter (otter-assign v1): raw cells ``# BEGIN QUESTION`` (YAML: name, points, manual),
``# BEGIN SOLUTION``, ``# BEGIN TESTS`` and their ``# END ...``; a test cell's output in
the master is its expected output; ``# HIDDEN`` or a ``BEGIN TEST CONFIG`` block hides a
test. nbgrader: ``metadata.nbgrader`` with ``solution``, ``grade``, ``points``,
``grade_id``; ``### BEGIN SOLUTION`` and ``### BEGIN HIDDEN TESTS`` regions.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np

new_raw = nbformat.v4.new_raw_cell
new_md = nbformat.v4.new_markdown_cell


def code(source: str, output: str | None = None, **nbgrader: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    if output is not None:
        cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": output}, execution_count=1)]
    if nbgrader:
        cell.metadata["nbgrader"] = {"schema_version": 3, "locked": False, **nbgrader}
    return cell


def otter_master(path: Path) -> Path:
    true_repr = repr(np.isclose(2.25, 2.25))  # what the instructor's kernel showed
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        new_raw("# ASSIGNMENT CONFIG\nname: hw1\ninit_cell: false\nexport_cell: false\ncheck_all_cell: false"),
        new_md("# Homework 1"),
        code("import numpy as np"),
        new_raw("# BEGIN QUESTION\nname: q1\npoints: 2"),
        new_md("**Question 1.** Write `square(x)`."),
        new_raw("# BEGIN SOLUTION"),
        code("def square(x):\n    # BEGIN SOLUTION\n    return x ** 2\n    # END SOLUTION"),
        new_raw("# END SOLUTION"),
        new_raw("# BEGIN TESTS"),
        code("square(3)", "9"),
        code("# HIDDEN\nnp.isclose(square(1.5), 2.25)", true_repr),
        new_raw("# END TESTS"),
        new_raw("# END QUESTION"),
        new_raw("# BEGIN QUESTION\nname: q2\npoints: 3"),
        new_md("**Question 2.** Set `answer` to `square(4) + 1`."),
        new_raw("# BEGIN SOLUTION"),
        code("answer = square(4) + 1 # SOLUTION"),
        new_raw("# END SOLUTION"),
        new_raw("# BEGIN TESTS"),
        code("answer == 17", "True"),
        code('""" # BEGIN TEST CONFIG\nhidden: true\npoints: 2\n""" # END TEST CONFIG\n'
             "assert isinstance(answer, int)\nassert answer - 1 == square(4)"),
        new_raw("# END TESTS"),
        new_raw("# END QUESTION"),
        new_raw("# BEGIN QUESTION\nname: q3\nmanual: true\npoints: 1"),
        new_md("**Question 3.** Why?"),
        new_raw("# BEGIN SOLUTION"),
        new_md("Because squares grow."),
        new_raw("# END SOLUTION"),
        new_raw("# END QUESTION"),
    ]
    nbformat.write(notebook, str(path))
    return path


def nbgrader_source(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        new_md("# Lab 1"),
        code("import numpy as np"),
        new_md("Write `squares(n)`: the squares of 1..n."),
        code("def squares(n):\n    ### BEGIN SOLUTION\n    return [i ** 2 for i in range(1, n + 1)]\n    ### END SOLUTION",
             solution=True, grade=False, grade_id="squares"),
        code("assert squares(3) == [1, 4, 9]\n### BEGIN HIDDEN TESTS\nassert squares(1) == [1]\n"
             "assert np.allclose(squares(4), [1, 4, 9, 16])\n### END HIDDEN TESTS",
             solution=False, grade=True, points=2, grade_id="test_squares", locked=True),
        code("def norm(v):\n    ### BEGIN SOLUTION\n    return float(np.sqrt(np.sum(np.asarray(v) ** 2)))\n"
             "    ### END SOLUTION", solution=True, grade=False, grade_id="norm"),
        code("assert abs(norm([3, 4]) - 5) < 1e-9\n### BEGIN HIDDEN TESTS\nassert abs(norm([1, 2, 2]) - 3) < 1e-9\n"
             "### END HIDDEN TESTS", solution=False, grade=True, points=3, grade_id="test_norm", locked=True),
        new_md("Because squares grow."),
    ]
    notebook.cells[-1].metadata["nbgrader"] = {"schema_version": 3, "solution": True, "grade": True,
                                               "points": 1, "grade_id": "explain", "locked": False}
    nbformat.write(notebook, str(path))
    return path


def submission_from(master: Path, path: Path, replace: dict[str, str] | None = None,
                    extra_cells: list[str] | None = None) -> Path:
    """A student's notebook: the master's code without its setup cell, edited."""
    notebook = nbformat.read(master, as_version=4)
    cells = [c for c in notebook.cells if "setup" not in c.metadata.get("tags", [])]
    for cell in cells:
        for old, new in (replace or {}).items():
            cell.source = cell.source.replace(old, new)
    cells += [nbformat.v4.new_code_cell(s) for s in extra_cells or []]
    notebook.cells = cells
    nbformat.write(notebook, str(path))
    return path
