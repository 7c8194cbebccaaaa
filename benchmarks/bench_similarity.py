"""`autograder similarity` on a generated class: seconds for 50 and 200 students.

Run by hand (never in tests):

    .venv/bin/python benchmarks/bench_similarity.py            # 50 and 200 students
    .venv/bin/python benchmarks/bench_similarity.py --sizes 200 400

The class is tests/similarity_class.py's: `activations` notebooks from the starter that
``assign`` writes, independent students plus four planted copies. Side by side in the
same run, on the same texts:

- ours: the whole ``compare_paths`` (read the notebooks, take the question cells,
  fingerprint, leave out the starter and the idioms, score the pairs that share
  anything, write similarity.csv and similarity.html);
- baseline: copydetect used plainly, as its CopyDetector does: a fingerprint of each
  text with its defaults (k 25, window 6) and ``compare_files`` on every pair.

Wall and CPU seconds are both printed: the machine is shared, and CPU time is the one
that does not depend on the neighbours.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from copydetect import CodeFingerprint, compare_files  # noqa: E402
from tests.similarity_class import planted_class, write_class  # noqa: E402

from autograder.assign import generate_student_notebook  # noqa: E402
from autograder.config import load_settings  # noqa: E402
from autograder.similarity.extract import read_student_code  # noqa: E402
from autograder.similarity.run import compare_paths, starter_cells  # noqa: E402


def timed(action: Callable[[], T]) -> tuple[T, float, float]:
    """The action's value, wall seconds and CPU seconds of this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = action()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def baseline(texts: list[str]) -> int:
    prints = [CodeFingerprint(f"s{i}.py", 25, 6, language="python", fp=io.StringIO(text))
              for i, text in enumerate(texts)]
    for a, b in combinations(prints, 2):
        compare_files(a, b)
    return len(prints)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200], help="independent students")
    args = parser.parse_args()
    settings = load_settings(ROOT / "grading_config.yaml")
    starter = generate_student_notebook("activations", settings)
    cells = starter_cells("activations", settings)
    questions = list(settings.assignment("activations").questions)
    print(f"{'students':>8} {'pairs':>7} | {'ours wall':>9} {'ours CPU':>8} | "
          f"{'copydetect wall':>15} {'CPU':>6} | {'CPU ours/cd':>11} | copies ranked")
    for size in args.sizes:
        students, copies = planted_class(size)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "class"
            paths = write_class(starter, students, folder)
            run, wall, cpu = timed(lambda: compare_paths([folder], "activations", settings, Path(tmp) / "out"))
            texts = [read_student_code(p.stem, p, questions, cells).text for p in paths]
            _, base_wall, base_cpu = timed(lambda: baseline(texts))
        pairs = run.comparison.pairs
        rank = {frozenset((p.a, p.b)): i + 1 for i, p in enumerate(pairs)}
        ranks = " ".join(f"{copier.removeprefix('copy_')}:{rank[frozenset((copier, source))]}"
                         for copier, source in copies.items())
        print(f"{len(students):>8} {len(pairs):>7} | {wall:>8.2f}s {cpu:>7.2f}s | {base_wall:>14.2f}s "
              f"{base_cpu:>5.2f}s | {cpu / base_cpu:>10.2f}x | {ranks}")


if __name__ == "__main__":
    main()
