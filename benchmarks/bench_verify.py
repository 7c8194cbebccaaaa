"""`autograder verify` benchmark: how long proving an assignment's checks takes.

Run by hand (never in tests):

    .venv/bin/python benchmarks/bench_verify.py                     # every bundled assignment
    .venv/bin/python benchmarks/bench_verify.py activations --jobs 2
    .venv/bin/python benchmarks/bench_verify.py activations --before main
    .venv/bin/python benchmarks/bench_verify.py --real              # a real-notebook-sized homework
    .venv/bin/python benchmarks/bench_verify.py --real --before main --slow-sample 30

``--real`` builds, in a temporary course, the assignment ``autograder new --from``
makes of tests/files/real_pairs/neuron (relu, leaky_relu, elu and their derivatives,
three Neuron classes, each trained 10,000 epochs on CSV data in the notebook, ELU
optional) and verifies it with this checkout's code ("now").

``--before REF`` also verifies the same assignment, in the same run, with the code of
git revision REF (``main``: what the main branch does today; the tree of REF's
``autograder/`` is unpacked into a temporary folder and run in a process of its own,
as "now" is, with this virtualenv). ``--slow-sample N`` adds the slowest way,
``fast=False`` (every mutant, top-level code and optional parts too, each graded with
the whole notebook and every check), timed on N sampled mutants and scaled.

For each: the number of notebooks graded (solution, student notebook, mutants), the
wall time of ``verify_assignment`` with the jail already up, the grader's CPU (the
grading processes: checks, references, comparisons) and the jail's CPU (the zygote
and its workers). The machine is shared: CPU is the steadier figure; the wall time on
an idle machine is close to CPU / cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--code" in sys.argv:  # another revision's code, unpacked by --before: imported instead of ours
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])
else:
    sys.path.insert(0, str(ROOT))
import autograder  # noqa: E402,F401  -- first, from the path chosen above

sys.path.insert(1, str(ROOT / "benchmarks"))

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
    print(f"new --from (records the solution's run): {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def measure(config: Path, name: str, jobs: int, fast: bool, sample: int) -> dict[str, float]:
    """One verify of ``name`` with the code imported here, the jail already up: wall, CPU
    (this process, its grader processes, the jail's tree), mutants. ``sample`` > 0 with
    ``fast`` False: on that many sampled mutants, scaled to all of them."""
    import random

    import autograder.verify.run as run

    settings = load_settings(config)
    original, every = run.mutants, [0]
    if sample:
        def sampled(cells: object) -> list[object]:
            made = original(cells)  # type: ignore[arg-type]
            every[0] = len(made)
            return random.Random(0).sample(made, min(sample, len(made)))
        run.mutants = sampled  # type: ignore[assignment]
    try:
        with Jail.start(settings.config.sandbox, settings.preload(name), settings.data_dir(name)) as jail:
            jail.ready()
            own, children, jail_cpu = (cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN),
                                       tree_cpu_seconds())
            at = time.perf_counter()
            report = verify_assignment(name, settings, jail, jobs=jobs) if fast else \
                verify_assignment(name, settings, jail, jobs=jobs, fast=False)
            wall = time.perf_counter() - at
            cpu = (cpu_seconds(resource.RUSAGE_SELF) - own + cpu_seconds(resource.RUSAGE_CHILDREN) - children
                   + tree_cpu_seconds() - jail_cpu)
    finally:
        run.mutants = original
    caught, counted = report.score()
    scale = (every[0] + 2) / (len(report.mutants) + 2) if sample else 1.0
    return {"wall": wall * scale, "cpu": cpu * scale, "mutants": every[0] if sample else len(report.mutants),
            "sampled": len(report.mutants) if sample else 0, "caught": caught, "counted": counted,
            "ok": report.ok, "jobs": report.jobs}


def unpacked(ref: str, into: Path) -> tuple[Path, str]:
    """The ``autograder/`` package of git revision ``ref``, unpacked under ``into``."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", ref], check=True,
                            capture_output=True, text=True).stdout.strip()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "autograder"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into, commit


def in_process(config: Path, name: str, jobs: int, fast: bool, sample: int, code: Path | None) -> dict[str, float]:
    """:func:`measure` in a process of its own, importing ``code`` (None: this checkout)."""
    command = [sys.executable, __file__, name, "--measure", str(config), "--jobs", str(jobs)]
    command += ["--slow-sample", str(sample)] if not fast else []
    command += ["--code", str(code)] if code is not None else []
    done = subprocess.run(command, check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ""})
    return json.loads(done.stdout.strip().splitlines()[-1])


def side_by_side(config: Path, name: str, jobs: int, before: str | None, slow_sample: int) -> None:
    """Verify ``name`` the ways asked for, one after the other, and print them side by side."""
    rows: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-verify-code-") as tmp:
        if slow_sample:
            rows.append((f"fast=False ({slow_sample} sampled)", in_process(config, name, jobs, False, slow_sample, None)))
        if before:
            code, commit = unpacked(before, Path(tmp))
            rows.append((f"before ({before} {commit})", in_process(config, name, jobs, True, 0, code)))
        rows.append(("now", in_process(config, name, jobs, True, 0, None)))
    load = os.getloadavg()
    now = rows[-1][1]
    print(f"verify {name} (load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}):")
    for label, row in rows:
        ratio = f"  {row['cpu'] / now['cpu']:.1f}x CPU, {row['wall'] / now['wall']:.1f}x wall of now" \
            if row is not now else ""
        print(f"  {label:30s} {row['mutants']:4.0f} mutants  wall {row['wall']:7.1f} s  CPU {row['cpu']:7.1f} s  "
              f"idle {row['jobs']:.0f} cores {row['cpu'] / row['jobs']:6.1f} s  "
              f"{row['caught']:.0f}/{row['counted']:.0f} caught, ok={row['ok']}{ratio}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--jobs", type=int, default=0, help="notebooks at a time [default: one per core]")
    parser.add_argument("--real", action="store_true", help="the real-shaped homework (`new --from` of neuron)")
    parser.add_argument("--before", default=None, help="also verify with this git revision's code (main)")
    parser.add_argument("--slow-sample", type=int, default=0,
                        help="also time fast=False (every mutant, whole notebooks) on this many mutants")
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)  # one run, as JSON
    parser.add_argument("--code", type=Path, default=None, help=argparse.SUPPRESS)  # read before argparse
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.assignments[0], args.jobs, not args.slow_sample,
                                 args.slow_sample)))
        return
    if args.real:
        with tempfile.TemporaryDirectory(prefix="bench-verify-") as tmp:
            config = real_course(Path(tmp) / "course") / "grading_config.yaml"
            side_by_side(config, "neuron", args.jobs, args.before, args.slow_sample)
        return
    settings = load_settings(ROOT / "grading_config.yaml")
    for name in args.assignments or list(settings.config.assignments):
        if args.before or args.slow_sample:
            side_by_side(ROOT / "grading_config.yaml", name, args.jobs, args.before, args.slow_sample)
        else:
            bench(name, args.jobs)


if __name__ == "__main__":
    main()
