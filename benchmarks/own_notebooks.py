"""Correct notebooks as one checkout generates them, for benchmarks that compare checkouts.

A student notebook's setup cell embeds the ``student`` package of the version that
generated it, and a jail lends its prebuilt package only to setup cells carrying exactly
its own sources: graded by another version, the setup cell builds its own (about 15 ms
of jail CPU). So each checkout grades the notebooks it generates itself, as a class's
notebooks are the ones the instructor's version handed out.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Run by a child whose PYTHONPATH is the checkout and a folder with a bench_batch.py;
# argv: assignment, folder, count. Each notebook is the master's answers with one more
# newline than the last: its own content, its own hidden inputs.
_WRITE = """
import sys
from pathlib import Path
import nbformat
import autograder
from autograder.config import load_settings
from bench_batch import correct_notebook
code = Path(autograder.__file__).resolve().parent.parent
notebook = correct_notebook(sys.argv[1], load_settings(code / "grading_config.yaml"))
folder = Path(sys.argv[2])
folder.mkdir(parents=True, exist_ok=True)
for i in range(int(sys.argv[3])):
    notebook.cells[-1].source += "\\n"
    nbformat.write(notebook, str(folder / f"s{i:04d}.ipynb"))
"""


def write_own(code: Path, assignment: str, folder: Path, count: int,
              env: dict[str, str] | None = None) -> list[Path]:
    """``count`` correct ``assignment`` notebooks in ``folder``, written by checkout ``code``
    (with its ``bench_batch.py``, or this folder's when it has none); their paths, in order."""
    benchmarks = code / "benchmarks" if (code / "benchmarks" / "bench_batch.py").is_file() else HERE
    path = os.pathsep.join([str(code), str(benchmarks)])
    subprocess.run([sys.executable, "-P", "-c", _WRITE, assignment, str(folder), str(count)],  # -P: PYTHONPATH decides
                   env={**(env if env is not None else os.environ), "PYTHONPATH": path}, check=True)
    return sorted(folder.glob("*.ipynb"))
