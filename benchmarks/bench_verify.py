"""`autograder verify` benchmark: how long proving an assignment's checks takes.

Run by hand (never in tests):

    .venv/bin/python benchmarks/bench_verify.py                     # every bundled assignment
    .venv/bin/python benchmarks/bench_verify.py activations --jobs 2
    .venv/bin/python benchmarks/bench_verify.py --real          # a real-notebook-sized homework

``--real`` builds, in a temporary course, the assignment ``autograder new --from``
makes of tests/files/real_pairs/neuron (relu, leaky_relu, elu and their derivatives,
three Neuron classes, each trained 10,000 epochs on CSV data in the notebook, ELU
optional) and verifies it twice in the same run, side by side: as before (every
mutant, each graded with the whole notebook: ``fast=False``) and as now (no mutants
of top-level code or optional parts, mutants graded without the cells no check
depends on). ``--before-sample N`` times the old way on N mutants only and scales.

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
from autograder.sandbox.jail import Jail  # noqa: E402
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


def real_course(folder: Path) -> Path:
    """A course with the `neuron` assignment `new --from` makes of the real-shaped pair."""
    from autograder.scaffold.course import init_course, write_draft
    from autograder.scaffold.pair import draft_from_pair

    pair = ROOT / "tests" / "files" / "real_pairs" / "neuron"
    init_course(folder)
    started = time.perf_counter()
    draft = draft_from_pair("neuron", pair / "[homework]neuron.ipynb", pair / "[hw_solution]neuron.ipynb", None)
    write_draft(folder, draft)
    print(f"new --from (records the solution's run): {time.perf_counter() - started:.1f} s")
    return folder


def bench_real(jobs: int, sample: int) -> None:
    import random
    import tempfile

    import autograder.verify.run as run

    with tempfile.TemporaryDirectory(prefix="bench-verify-") as tmp:
        settings = load_settings(real_course(Path(tmp) / "course") / "grading_config.yaml")
        rows: list[tuple[str, float]] = []
        for label, fast in (("before", False), ("now", True)):
            original = run.mutants
            if not fast and sample:
                def sampled(cells: object) -> list[object]:
                    made = original(cells)  # type: ignore[arg-type]
                    rows.append(("mutants in all", len(made)))
                    return random.Random(0).sample(made, min(sample, len(made)))
                run.mutants = sampled  # type: ignore[assignment]
            try:
                with Jail.start(settings.config.sandbox, settings.preload("neuron"),
                                settings.data_dir("neuron")) as jail:
                    jail.ready()
                    own, children, jail_cpu = (cpu_seconds(resource.RUSAGE_SELF),
                                               cpu_seconds(resource.RUSAGE_CHILDREN), tree_cpu_seconds())
                    at = time.perf_counter()
                    report = verify_assignment("neuron", settings, jail, jobs=jobs, fast=fast)
                    wall = time.perf_counter() - at
                    cpu = (cpu_seconds(resource.RUSAGE_SELF) - own + cpu_seconds(resource.RUSAGE_CHILDREN)
                           - children + tree_cpu_seconds() - jail_cpu)
            finally:
                run.mutants = original
            caught, counted = report.score()
            total = len(report.mutants)
            cores = report.jobs
            if not fast and sample:
                every = int(next(n for name, n in rows if name == "mutants in all"))
                scale = (every + 2) / (total + 2)
                print(f"{label:7s} {total} of {every} mutants sampled: wall {wall:.1f} s, CPU {cpu:.1f} s; "
                      f"x{scale:.1f} for all: wall {wall * scale:.1f} s, CPU {cpu * scale:.1f} s "
                      f"(idle {cores} cores: {cpu * scale / cores:.1f} s); {caught}/{counted} caught")
                wall, cpu = wall * scale, cpu * scale
            else:
                print(f"{label:7s} {total} mutants: wall {wall:.1f} s, CPU {cpu:.1f} s (idle {cores} cores: "
                      f"{cpu / cores:.1f} s); {caught}/{counted} caught, ok={report.ok}")
            rows.append((label, wall))
            rows.append((label + " cpu", cpu))
        values = dict((name, value) for name, value in rows if isinstance(value, float))
        print(f"verify of the real-shaped homework: wall before {values['before']:.1f} s, now {values['now']:.1f} s "
              f"({values['before'] / values['now']:.1f}x); CPU before {values['before cpu']:.1f} s, "
              f"now {values['now cpu']:.1f} s ({values['before cpu'] / values['now cpu']:.1f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--jobs", type=int, default=0, help="notebooks at a time [default: one per core]")
    parser.add_argument("--real", action="store_true", help="the real-shaped homework, before and now")
    parser.add_argument("--before-sample", type=int, default=0, help="time the old way on this many mutants")
    args = parser.parse_args()
    if args.real:
        bench_real(args.jobs, args.before_sample)
        return
    settings = load_settings(ROOT / "grading_config.yaml")
    for name in args.assignments or list(settings.config.assignments):
        bench(name, args.jobs)


if __name__ == "__main__":
    main()
