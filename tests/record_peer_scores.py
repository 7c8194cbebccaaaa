"""Record what otter-grader and nbgrader give the comparison notebooks (tests/peer_scores.json).

Run by hand, once, when the comparison notebooks change (the tests then compare with
the file; they never run the peers, which take seconds per notebook):

    .venv/bin/python tests/record_peer_scores.py otter            # otter-grader 7 (the dev extra)
    NBGRADER_PYTHON=/path/to/venv/bin/python .venv/bin/python tests/record_peer_scores.py nbgrader

otter: ``otter generate`` makes the autograder.zip of the suite (tests/, otter_config.json,
files/words.txt) and ``otter run`` grades each notebook, saved as ``hw.ipynb`` (the name
its ``otter.Notebook("hw.ipynb")`` cell gives, as a student submits it). nbgrader 0.9.6
(in its own virtualenv: it is not a dependency): ``generate_assignment`` on the source,
each notebook as ``submitted/<name>/lab/lab.ipynb``, ``autograde``, and each test cell's
score read from the gradebook. For otter, each test case's outcome too, read from the
per-question output of ``otter run`` ("q1 - 2 result: ✅/❌").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from autograder.importers.otter_tests import parse_test_file  # noqa: E402
from tests.importer_suites import nbgrader_notebook, nbgrader_students, otter_students, otter_suite  # noqa: E402

OUT = HERE / "peer_scores.json"


CASE = re.compile(r"(\S+) - (\d+) result:\n\s+(✅|❌)")


def _cases(results: dict[str, Any], counts: dict[str, int]) -> dict[str, list[bool]]:
    """Each test case passed or not, in order, read from otter's per-question output."""
    out: dict[str, list[bool]] = {}
    for test in results["tests"]:
        name = test["name"]
        if name not in counts:
            continue
        if "All test cases passed!" in test["output"]:
            out[name] = [True] * counts[name]
            continue
        found = {int(n): mark == "✅" for q, n, mark in CASE.findall(test["output"]) if q == name}
        out[name] = [found[i] for i in range(1, counts[name] + 1)]
    return out


def record_otter(work: Path) -> dict[str, Any]:
    otter = Path(sys.executable).parent / "otter"
    suite = otter_suite(work / "suite")
    zip_path = work / "autograder.zip"
    subprocess.run([str(otter), "generate", "-t", "../tests", "-c", "../otter_config.json", "words.txt",
                    "-o", str(zip_path)], cwd=suite / "files", check=True, capture_output=True)
    counts = {}
    for file in sorted((suite / "tests").glob("*.py")):
        parsed = parse_test_file(file.read_text(), file.name)
        counts[parsed.name] = len(parsed.cases)
    scores: dict[str, Any] = {}
    for name, notebook in otter_students(work / "students").items():
        folder = work / "runs" / name
        folder.mkdir(parents=True)
        shutil.copy(notebook, folder / "hw.ipynb")
        subprocess.run([str(otter), "run", "-a", str(zip_path), "-o", str(folder), str(folder / "hw.ipynb")],
                       check=True, capture_output=True)
        results = json.loads((folder / "results.json").read_text())
        scores[name] = {"scores": {t["name"]: float(t["score"]) for t in results["tests"] if "score" in t},
                        "cases": _cases(results, counts)}
        print(name, scores[name])
    return scores


GRADEBOOK = """
import json, sys
from nbgrader.api import Gradebook
out = {}
with Gradebook("sqlite:///gradebook.db") as gb:
    for name in sys.argv[1:]:
        nb = gb.find_submission_notebook("lab", "lab", name)
        out[name] = {g.name: float(g.score) for g in nb.grades if g.auto_score is not None or g.cell_type == "code"}
print(json.dumps(out))
"""


def record_nbgrader(work: Path) -> dict[str, dict[str, float]]:
    python = os.environ.get("NBGRADER_PYTHON")
    if not python:
        raise SystemExit("set NBGRADER_PYTHON to the python of a virtualenv with nbgrader==0.9.6")
    course = work / "course"
    nbgrader_notebook(Path(_mkdirs(course / "source" / "lab")) / "lab.ipynb")
    (course / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'compare'\n")
    os.environ["PATH"] = f"{Path(python).parent}{os.pathsep}{os.environ['PATH']}"  # its alembic
    run = [python, "-m", "nbgrader"]
    subprocess.run(run + ["db", "assignment", "add", "lab"], cwd=course, check=True, capture_output=True)
    subprocess.run(run + ["generate_assignment", "lab", "--force"], cwd=course, check=True, capture_output=True)
    students = nbgrader_students(work / "students")
    for name, notebook in students.items():
        subprocess.run(run + ["db", "student", "add", name], cwd=course, check=True, capture_output=True)
        shutil.copy(notebook, Path(_mkdirs(course / "submitted" / name / "lab")) / "lab.ipynb")
    done = subprocess.run(run + ["autograde", "lab", "--force"], cwd=course, capture_output=True, text=True)
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-3000:])
    printed = subprocess.run([python, "-c", GRADEBOOK, *students], cwd=course, check=True,
                             capture_output=True, text=True).stdout
    scores: dict[str, dict[str, float]] = json.loads(printed)
    return scores


def _mkdirs(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def main() -> None:
    which = sys.argv[1]
    recorded = json.loads(OUT.read_text()) if OUT.is_file() else {}
    with tempfile.TemporaryDirectory() as tmp:
        recorded[which] = record_otter(Path(tmp)) if which == "otter" else record_nbgrader(Path(tmp))
    OUT.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
