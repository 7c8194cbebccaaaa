"""`autograder verify` benchmark: how long proving an assignment's checks takes.

Run by hand (never in tests):

    .venv/bin/python benchmarks/bench_verify.py                     # every bundled assignment
    .venv/bin/python benchmarks/bench_verify.py activations --jobs 2

For each assignment: the number of notebooks graded (solution, student notebook,
mutants), the wall time of ``verify_assignment`` with the jail already up (and the
whole thing with the jail's start), the grader's CPU (the grading processes: checks,
references, comparisons) and the jail's CPU (the zygote and its workers), each also
per notebook. The machine is shared: CPU per notebook is the steadier figure; the wall
time on an idle machine is close to (grader + jail CPU) / cores.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_batch import cpu_seconds, tree_cpu_seconds  # noqa: E402

from autograder.config import load_settings  # noqa: E402
from autograder.sandbox import Jail  # noqa: E402
from autograder.verify.run import verify_assignment  # noqa: E402


def bench(name: str, jobs: int) -> None:
    settings = load_settings(ROOT / "grading_config.yaml")
    started = time.perf_counter()
    with Jail.start(settings.config.sandbox, settings.preload(name), settings.data_dir(name)) as jail:
        jail.ready()
        ready = time.perf_counter() - started
        own, children, jail_cpu = (cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN),
                                   tree_cpu_seconds())
        at = time.perf_counter()
        report = verify_assignment(name, settings, jail, jobs=jobs)
        wall = time.perf_counter() - at
        grader = cpu_seconds(resource.RUSAGE_SELF) - own + cpu_seconds(resource.RUSAGE_CHILDREN) - children
        jail_cpu = tree_cpu_seconds() - jail_cpu
    count = len(report.mutants) + 2
    caught, counted = report.score()
    print(f"{name}: {len(report.mutants)} mutants ({caught}/{counted} caught), {count} notebooks, "
          f"{report.jobs} at a time")
    print(f"  verify, jail up       {wall:8.1f} s   ({1000 * wall / count:.0f} ms per notebook)")
    print(f"  with the jail's start {time.perf_counter() - started:8.1f} s   (jail ready after {ready:.1f} s)")
    print(f"  grader CPU            {grader:8.1f} s   ({1000 * grader / count:.0f} ms per notebook)")
    print(f"  jail CPU              {jail_cpu:8.1f} s   ({1000 * jail_cpu / count:.0f} ms per notebook)")
    print(f"  idle-machine estimate {(grader + jail_cpu) / report.jobs:8.1f} s   (CPU / {report.jobs} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--jobs", type=int, default=0, help="notebooks at a time [default: one per core]")
    args = parser.parse_args()
    settings = load_settings(ROOT / "grading_config.yaml")
    for name in args.assignments or list(settings.config.assignments):
        bench(name, args.jobs)


if __name__ == "__main__":
    main()
