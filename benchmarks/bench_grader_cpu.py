"""CPU per correct submission, grader and jail, in one grading process (by hand, never in tests).

    .venv/bin/python benchmarks/bench_grader_cpu.py                       # 100 activations
    .venv/bin/python benchmarks/bench_grader_cpu.py --n 60 --profile      # and where it goes
    .venv/bin/python benchmarks/bench_grader_cpu.py --compare /tmp/old    # an older checkout too

Every submission is the master's solutions (each with its own content, so each draws
its own hidden inputs), graded one after another by one ``Grader`` with its checks
collected once, after three graded first (start-up: collection, the master's run
time, the reference's time per call site, pytest's first pass over the session
fixtures). "Grader CPU" is this process's CPU time for each ``grade_one``; "jail CPU"
the zygote's and its workers' (forks, the cells, the student's side of every call),
read from /proc. On a machine that other work shares, CPU time still grows with the
load (caches and cores are shared), so the minimum and the quartile are printed with
the mean, and ``--compare DIR`` measures another checkout (``git archive REV | tar -x
-C DIR``) in turn with this one, round after round, on the same notebooks.
``--profile`` prints where the grader's CPU goes (cProfile, by area and by function).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

AREAS = (  # where a profiled function's own time is counted: first match wins
    ("jail protocol and session", ("autograder/sandbox/", "json/encoder", "json/decoder", "select.select",
                                   "recv' of", "sendall' of")),
    ("pytest and pluggy", ("_pytest/", "pluggy/")),
    ("the checks' fixtures and helpers", ("autograder/checks/",)),
    ("the course's checks and reference", ("/assignments/",)),
    ("public examples", ("autograder/public.py", "/student/")),
    ("numpy", ("numpy", "ufunc")),
    ("reading the notebook", ("autograder/notebook.py", "placeholders.py", "json/__init__")),
)


def measure(root: Path, name: str, notebooks: list[Path], profile: bool) -> dict[str, object]:
    """Grade the notebooks with the code under ``root`` (in this process)."""
    sys.path.insert(0, str(root))
    import cProfile
    import time

    from autograder.config import load_settings
    from autograder.grading import Grader, Submission
    from autograder.sandbox import Jail

    sys.path.insert(1, str(HERE / "benchmarks"))  # after ``root``'s autograder is imported
    from bench_batch import tree_cpu_seconds

    settings = load_settings(root / "grading_config.yaml")
    submissions = [Submission(path.stem, path) for path in notebooks]
    grader_ms: list[float] = []
    profiler = cProfile.Profile(time.process_time) if profile else None
    with Jail.start(settings.config.sandbox, settings.preload(name), settings.data_dir(name)) as jail:
        jail.ready()
        grader = Grader(name, settings, jail)
        with grader.suite.runner() as run_checks:
            for submission in submissions[:3]:
                grader.grade_one(submission, run_checks)
            jail_before = tree_cpu_seconds()
            for submission in submissions[3:]:
                if profiler is not None:
                    profiler.enable()
                started = time.process_time()
                result = grader.grade_one(submission, run_checks)
                grader_ms.append(1000 * (time.process_time() - started))
                if profiler is not None:
                    profiler.disable()
                if result.percent != 100:
                    raise SystemExit(f"{submission.id} scored {result.percent}%: the benchmark needs correct ones")
            jail_ms = 1000 * (tree_cpu_seconds() - jail_before) / len(grader_ms)
    if profiler is not None:
        report(profiler, len(grader_ms))
    ordered = sorted(grader_ms)
    return {"mean": statistics.fmean(ordered), "median": statistics.median(ordered), "min": ordered[0],
            "p25": ordered[len(ordered) // 4], "jail": jail_ms}


def report(profiler: object, count: int) -> None:
    import pstats

    stats = pstats.Stats(profiler)  # type: ignore[arg-type]
    areas: dict[str, float] = {}
    rows = []
    for (path, line, function), (_, calls, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{path}:{function}" if path != "~" else function
        area = next((label for label, marks in AREAS if any(m in where for m in marks)), "other")
        areas[area] = areas.get(area, 0.0) + own
        rows.append((own, calls, where))
    total = sum(areas.values())
    print(f"  profiled: {1000 * total / count:.1f} ms per submission (cProfile's own cost included)")
    for area, own in sorted(areas.items(), key=lambda item: -item[1]):
        print(f"    {100 * own / total:5.1f}%  {area}")
    print("  functions with the most own time:")
    for own, calls, where in sorted(rows, reverse=True)[:15]:
        print(f"    {100 * own / total:5.1f}%  {calls / count:6.1f} calls  {where.replace(str(HERE) + '/', '')}")


def notebooks(name: str, count: int, folder: Path) -> list[Path]:
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE / "benchmarks"))
    import nbformat

    from bench_batch import correct_notebook

    from autograder.config import load_settings

    notebook = correct_notebook(name, load_settings(HERE / "grading_config.yaml"))
    paths = []
    for number in range(count + 3):
        notebook.cells[-1].source += "\n"  # its own content, its own hidden inputs
        path = folder / f"s{number:04d}.ipynb"
        nbformat.write(notebook, str(path))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignment", default="activations")
    parser.add_argument("--n", type=int, default=100, help="submissions measured [default: 100]")
    parser.add_argument("--profile", action="store_true", help="also where the grader's CPU goes")
    parser.add_argument("--compare", type=Path, metavar="DIR", help="also this checkout, in turn")
    parser.add_argument("--rounds", type=int, default=2, help="rounds with --compare [default: 2]")
    parser.add_argument("--one", nargs=2, metavar=("ROOT", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # a child: one checkout, the notebooks already written
        root, folder = Path(args.one[0]), Path(args.one[1])
        found = measure(root, args.assignment, sorted(folder.glob("*.ipynb")), args.profile)
        print(json.dumps(found))
        return
    with tempfile.TemporaryDirectory() as tmp:
        paths = notebooks(args.assignment, args.n, Path(tmp))
        roots = [HERE] + ([args.compare.resolve()] if args.compare else [])
        runs: dict[Path, list[dict[str, float]]] = {root: [] for root in roots}
        for _ in range(args.rounds if args.compare else 1):
            for root in roots:
                command = [sys.executable, __file__, "--assignment", args.assignment,
                           "--one", str(root), tmp] + (["--profile"] if args.profile else [])
                env = dict(os.environ, PYTHONPATH=str(root))
                done = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True)
                *printed, last = done.stdout.strip().splitlines()
                if printed:
                    print(f"== {root}", *printed, sep="\n")
                runs[root].append(json.loads(last))
    print(f"\n{args.assignment}: {args.n} correct submissions, one grading process, load "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for root, found in runs.items():
        for run in found:
            print(f"  {str(root):40} grader CPU/subm.: mean {run['mean']:5.1f} ms, median {run['median']:5.1f}, "
                  f"quartile {run['p25']:5.1f}, min {run['min']:5.1f};  jail CPU/subm. {run['jail']:5.1f} ms")


if __name__ == "__main__":
    main()
