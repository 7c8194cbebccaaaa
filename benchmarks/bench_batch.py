"""Batch grading benchmark: submissions per second, grader overhead, peak memory.

Run by hand (never in tests):

    .venv/bin/python benchmarks/bench_batch.py                    # 200 activations, 50 torch_xor
    .venv/bin/python benchmarks/bench_batch.py --n 1000 --assignments activations
    .venv/bin/python benchmarks/bench_batch.py --baseline 5        # also time nbclient on 5 notebooks

The submissions are a realistic mix built from the master notebook: 60% correct,
25% with one function broken, 10% untouched student notebooks, 5% unreadable files.
"Grader CPU per submission" is the CPU time of the grading processes (not the jailed
workers, where the student's own code runs) divided by the number of submissions: the
grader's overhead beyond the student's compute. The baseline is the simplest thing a
user could write: execute each notebook with nbclient in a fresh kernel (the checks
would still have to run after it, so this is a lower bound of its cost).
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.assign import generate_student_notebook  # noqa: E402
from autograder.batch import find_submissions, grade_batch  # noqa: E402
from autograder.config import Settings, load_settings  # noqa: E402
from autograder.sandbox import Jail  # noqa: E402


def correct_notebook(name: str, settings: Settings) -> nbformat.NotebookNode:
    """The master's solutions with the student notebook's self-contained setup cell."""
    master = nbformat.read(str(settings.assignment_dir(name) / "source.ipynb"), as_version=4)
    student = generate_student_notebook(name, settings)
    setup = next(c for c in student.cells if "setup" in c.get("metadata", {}).get("tags", []))
    cells = []
    for cell in master.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "instructor" in tags:
            continue
        cells.append(copy.deepcopy(setup) if "setup" in tags else cell)
    master.cells = cells
    return master


def broken_variant(notebook: nbformat.NotebookNode, rng: random.Random) -> nbformat.NotebookNode:
    """One solution cell made wrong: its last `return` returns zeros of the right shape."""
    variant = copy.deepcopy(notebook)
    candidates = [c for c in variant.cells if c.cell_type == "code" and "return " in c.source]
    if candidates:
        cell = rng.choice(candidates)
        cell.source = cell.source.replace("return ", "return 0 * ", 1)
    return variant


def make_submissions(name: str, settings: Settings, count: int, folder: Path) -> None:
    rng = random.Random(0)
    correct = correct_notebook(name, settings)
    stub = generate_student_notebook(name, settings)
    for i in range(count):
        path = folder / f"s{i:04d}.ipynb"
        roll = rng.random()
        if roll < 0.05:
            path.write_text("{ this is not a notebook")
        elif roll < 0.15:
            nbformat.write(stub, str(path))
        elif roll < 0.40:
            nbformat.write(broken_variant(correct, rng), str(path))
        else:
            nbformat.write(correct, str(path))


class MemorySampler:
    """Peak of the summed RSS of this process and all its descendants (jail included)."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak_kb = max(self.peak_kb, self._tree_rss_kb())

    @staticmethod
    def _tree_rss_kb() -> int:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                status = Path(f"/proc/{entry}/status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            parents[int(entry)] = int(fields.get("PPid", "0").strip())
            rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
        mine = {os.getpid()}
        changed = True
        while changed:
            changed = False
            for pid, parent in parents.items():
                if parent in mine and pid not in mine:
                    mine.add(pid)
                    changed = True
        return sum(rss.get(pid, 0) for pid in mine)


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench(name: str, count: int, jobs: int, settings: Settings, baseline: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subs, out = Path(tmp) / "subs", Path(tmp) / "out"
        subs.mkdir()
        make_submissions(name, settings, count, subs)
        submissions = find_submissions([subs])
        started = time.perf_counter()
        with MemorySampler() as memory, Jail.start(settings.config.sandbox) as jail:
            jail_ready = time.perf_counter() - started
            cpu_before = cpu_seconds()
            graded_at = time.perf_counter()
            results = grade_batch(submissions, name, settings, out, jobs=jobs, jail=jail, resume=False)
            grading = time.perf_counter() - graded_at
            cpu = cpu_seconds() - cpu_before
        total = time.perf_counter() - started
        mean = sum(r.percent for r in results) / len(results)
        print(f"\n== {name}: {count} submissions, {jobs} jobs, sandbox {jail.backend}")
        print(f"  jail start            {jail_ready:8.2f} s")
        print(f"  grading               {grading:8.2f} s  ({count / grading:.1f} submissions/s)")
        print(f"  whole batch           {total:8.2f} s")
        print(f"  grader CPU / subm.    {1000 * cpu / count:8.1f} ms  (jailed student code excluded)")
        print(f"  peak memory (tree)    {memory.peak_kb / 1024:8.0f} MB")
        print(f"  mean score            {mean:8.1f} %")
        if baseline:
            per = nbclient_baseline(sorted(subs.glob("*.ipynb"))[:baseline])
            ours = grading / count
            print(f"  nbclient baseline     {per:8.2f} s per notebook (execution only, {baseline} notebooks)")
            print(f"  ratio                 {per / ours:8.1f}x slower than this grader per submission")


def nbclient_baseline(paths: list[Path]) -> float:
    from nbclient import NotebookClient

    started = time.perf_counter()
    for path in paths:
        try:
            notebook = nbformat.read(str(path), as_version=4)
        except Exception:  # an unreadable file costs the baseline nothing
            continue
        NotebookClient(notebook, timeout=60, kernel_name="python3", allow_errors=True).execute()
    return (time.perf_counter() - started) / max(1, len(paths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignments", nargs="+", default=["activations", "torch_xor"])
    parser.add_argument("--n", type=int, default=0, help="submissions per assignment "
                        "[default: 200 activations, 50 torch_xor]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline", type=int, default=0, help="also time nbclient on this many notebooks")
    args = parser.parse_args()
    settings = load_settings(ROOT / "grading_config.yaml")
    for name in args.assignments:
        count = args.n or (50 if name == "torch_xor" else 200)
        bench(name, count, args.jobs, settings, args.baseline)


if __name__ == "__main__":
    main()
