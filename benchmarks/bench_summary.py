"""The class summary's cost, this checkout against another one, side by side in one run.

Run by hand (never in tests):

    git -C /work/main archive <commit> | tar -x -C /tmp/before
    .venv/bin/python benchmarks/bench_summary.py --compare /tmp/before            # render alone
    .venv/bin/python benchmarks/bench_summary.py --compare /tmp/before --grade 100
        # also the whole `autograder grade` of a folder of 100 activations notebooks

``render``: a fresh interpreter per measure imports ``summary_html`` and renders the page of
100 results (8 questions, 5 checks each, scores spread over the range), everything it
imports on the way counted, as a batch pays it. ``grade``: the whole command on a folder
of correct and broken notebooks (``bench_batch.make_submissions``), after one warm-up run
per checkout (master timed, templates compiled). The checkouts run in turn, each round.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RENDER = r"""
import random, time
start = time.perf_counter()
from autograder.reports.base import ReportContext
from autograder.reports.summary_html import render_summary
from autograder.results import CheckResult, QuestionResult, SubmissionResult
imported = time.perf_counter()
rng = random.Random(0)
questions = ["step", "sigmoid", "sigmoid_grad", "relu", "relu_grad", "tanh", "tanh_grad", "softmax"]
checks = ["совпадает с эталоном на случайных входах", "открытые примеры", "не изменяет свой аргумент",
          "работает для массива любой формы и возвращает float64", "устойчива при |x| до 1e4"]
results = []
for i in range(100):
    skill = rng.random()
    qs = tuple(QuestionResult(q, tuple(CheckResult(c, ok, float(ok), 1.0, "hidden", "" if ok else "неверно")
                                       for c in checks for ok in [rng.random() < skill]), 2.0)
               for q in questions)
    results.append(SubmissionResult("activations", f"s{i:04d}", qs, duration_s=0.1, sha256="x"))
context = ReportContext("activations", "Функции активации", "ru", tuple(questions))
begin = time.perf_counter()
page = render_summary(results, context)
print(imported - start, time.perf_counter() - begin, len(page))
"""


def render_seconds(checkout: Path) -> tuple[float, float, int]:
    """Importing ``summary_html`` (and what it imports), and the call (and what it imports
    then: matplotlib, before); the page's size."""
    env = os.environ | {"PYTHONPATH": str(checkout)}
    done = subprocess.run([sys.executable, "-c", RENDER], cwd=tempfile.gettempdir(), env=env,
                          capture_output=True, text=True, check=True)
    imports, call, size = done.stdout.split()
    return float(imports), float(call), int(size)


def grade_seconds(checkout: Path, folder: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU (the command and its jail) of one whole ``grade`` of ``folder``."""
    shutil.rmtree(out, ignore_errors=True)
    env = os.environ | {"PYTHONPATH": str(checkout)}
    before = os.times()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "autograder", "grade", "-a", "activations", str(folder),
                    "--out", str(out)], cwd=checkout, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare", type=Path, required=True, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--grade", type=int, default=0, metavar="N",
                        help="also the whole command on a folder of N activations notebooks")
    args = parser.parse_args()
    checkouts = {"other": args.compare.resolve(), "this": ROOT}
    print("load", os.getloadavg())
    renders: dict[str, list[tuple[float, float, int]]] = {k: [] for k in checkouts}
    for _ in range(args.rounds):
        for name, checkout in checkouts.items():
            renders[name].append(render_seconds(checkout))
    for name, values in renders.items():
        calls = [c for _, c, _ in values]
        print(f"render_summary of 100, {name:5s}: call median {1000 * statistics.median(calls):7.1f} ms "
              f"({', '.join(f'{1000 * v:.0f}' for v in calls)}); importing summary_html "
              f"{1000 * statistics.median(i for i, _, _ in values):.0f} ms; page {values[0][2] // 1024} KiB")
    if args.grade:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        sys.path.insert(0, str(ROOT))
        from bench_batch import make_submissions
        from autograder.config import load_settings
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "class"
            folder.mkdir()
            make_submissions("activations", load_settings(ROOT / "grading_config.yaml"), args.grade, folder)
            for name, checkout in checkouts.items():   # warm-up: master timed, templates compiled
                grade_seconds(checkout, folder, Path(tmp) / name)
            times: dict[str, list[tuple[float, float]]] = {k: [] for k in checkouts}
            for _ in range(args.rounds):
                for name, checkout in checkouts.items():
                    times[name].append(grade_seconds(checkout, folder, Path(tmp) / name))
            print("load", os.getloadavg())
            for name, values in times.items():
                walls, cpus = [w for w, _ in values], [c for _, c in values]
                print(f"grade a folder of {args.grade}, {name:5s}: wall median {statistics.median(walls):.2f} s "
                      f"({', '.join(f'{w:.2f}' for w in walls)}), CPU median {statistics.median(cpus):.2f} s "
                      f"({', '.join(f'{c:.2f}' for c in cpus)})")
            same = (Path(tmp) / "other" / "grades.csv").read_bytes() == (Path(tmp) / "this" / "grades.csv").read_bytes()
            print("grades.csv identical:", same)


if __name__ == "__main__":
    main()
