"""A class of otter-made notebooks against the same class without otter's cells.

Run by hand (never in tests):

    .venv/bin/python benchmarks/bench_otter.py              # 100 notebooks per class, 3 rounds
    .venv/bin/python benchmarks/bench_otter.py --n 200 --rounds 5
    .venv/bin/python benchmarks/bench_otter.py --otter 3    # also `otter run` on 3 notebooks
    .venv/bin/python benchmarks/bench_otter.py --versus 2 --batch 100
        # `otter run` on 2 correct activations notebooks against our whole `autograder grade`
        # command on one, and on a folder of 100 (per notebook), side by side
    .venv/bin/python benchmarks/bench_otter.py --versus 3 --batch 100 --before /tmp/before --batch-runs 3
        # the same, with another checkout's command in turn with this one's

The course imports the otter suite of tests/importer_suites.py (an autograder.zip laid
out as `otter generate` writes it: OK and exception-based tests, a seed, a support
file). Class A: the students' notebooks as otter makes them (`import otter`,
`grader = otter.Notebook(...)`, a `grader.check("qN")` cell after each answer,
`check_all`, `export`); class B: the same answers without those cells. Both are graded
by the same jail, alternately, each round from scratch (no resume); the figure is the
median wall time per notebook. Target (DESIGN.md): A within 1.2x of B.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.batch import find_submissions, grade_batch  # noqa: E402
from autograder.config import load_settings  # noqa: E402
from autograder.importers.otter_tests import read_otter_suite  # noqa: E402
from autograder.importers.writer import write_assignment  # noqa: E402
from autograder.sandbox.jail import Jail  # noqa: E402
from tests.helpers import make_mini_project  # noqa: E402
from tests.importer_suites import OTTER_STUDENTS, otter_student, otter_suite  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from own_notebooks import write_own  # noqa: E402
from process_tree import adopt_orphans, machine_busy, tree_cpu  # noqa: E402


def make_class(folder: Path, n: int, checks: bool) -> Path:
    """``n`` notebooks cycling through the comparison students; each differs (its own id cell)."""
    folder.mkdir(parents=True)
    kinds = [k for k in OTTER_STUDENTS if k not in ("no_otter_cells", "changed_after_check")]  # same scores both ways
    for i in range(n):
        how = dict(OTTER_STUDENTS[kinds[i % len(kinds)]])
        how["after"] = [*how.get("after", []), f"student = {i}"]  # type: ignore[list-item]
        otter_student(folder / f"s{i:04d}.ipynb", checks=checks, **how)  # type: ignore[arg-type]
    return folder


def grade_class(folder: Path, out: Path, settings, jail: Jail) -> tuple[float, list]:  # type: ignore[no-untyped-def]
    shutil.rmtree(out, ignore_errors=True)
    submissions = find_submissions([folder])
    started = time.perf_counter()
    results = grade_batch(submissions, "hw", settings, out, jail=jail, resume=False)
    return (time.perf_counter() - started) / len(submissions), results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--otter", type=int, default=0, help="also time `otter run` on this many notebooks")
    parser.add_argument("--versus", type=int, default=0, metavar="K",
                        help="only the side by side on activations: `otter run` on K correct notebooks "
                             "against our whole command on one and on a folder of --batch")
    parser.add_argument("--batch", type=int, default=100, help="notebooks in our folder with --versus")
    parser.add_argument("--runs", type=int, default=3, help="runs of our one-notebook command with --versus")
    parser.add_argument("--batch-runs", type=int, default=1, help="runs of our folder command with --versus")
    parser.add_argument("--before", type=Path, default=None,
                        help="with --versus: also another checkout's command (a source tree), in turn with ours")
    args = parser.parse_args()
    if args.versus:
        versus_otter(args.versus, args.batch, args.runs, args.before, args.batch_runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = make_mini_project(root / "course")
        suite = otter_suite(root / "suite")
        write_assignment(read_otter_suite(suite, "hw"), root / "course")
        settings = load_settings(config)
        with_otter = make_class(root / "otter-made", args.n, checks=True)
        without = make_class(root / "plain", args.n, checks=False)
        times: dict[str, list[float]] = {"otter-made": [], "without otter's cells": []}
        with Jail.start(settings.config.sandbox, preload=settings.preload("hw"), data=settings.data_dir("hw")) as jail:
            grade_class(without, root / "warm", settings, jail)  # the checks collected, the caches warm
            for _ in range(args.rounds):
                a, results_a = grade_class(with_otter, root / "out-a", settings, jail)
                b, results_b = grade_class(without, root / "out-b", settings, jail)
                times["otter-made"].append(a)
                times["without otter's cells"].append(b)
        scores_a = {r.submission: r.score for r in results_a}
        scores_b = {r.submission: r.score for r in results_b}
        assert scores_a == scores_b, "the two classes must get the same scores"
        assert not any(r.errors for r in results_a), "otter's cells must not show errors"
        print(f"{args.n} notebooks per class, {args.rounds} rounds, jobs={settings.config.jobs or 'cores'}, "
              f"sandbox={jail.backend}")
        for label, rounds in times.items():
            print(f"  {label + ':':28s} {statistics.median(rounds) * 1000:7.1f} ms per notebook "
                  f"(rounds: {', '.join(f'{t * 1000:.1f}' for t in rounds)})")
        a_ms, b_ms = (statistics.median(rounds) * 1000 for rounds in times.values())
        print(f"  {'ratio otter-made / plain:':28s} {a_ms / b_ms:7.2f}x  (target: within 1.2x)")
        if args.otter:
            print(f"  otter run (otter-grader 7):  {_otter_run(suite, with_otter, root, args.otter):7.1f} ms per notebook")


def _otter_run(suite: Path, notebooks: Path, root: Path, count: int) -> float:
    """``otter run`` with the autograder.zip of the same suite, on ``count`` notebooks."""
    otter = Path(sys.executable).parent / "otter"
    archive = root / "autograder.zip"
    subprocess.run([str(otter), "generate", "-t", "../tests", "-c", "../otter_config.json", "words.txt",
                    "-o", str(archive)], cwd=suite / "files", check=True, capture_output=True)
    started = time.perf_counter()
    for notebook in sorted(notebooks.glob("*.ipynb"))[:count]:
        folder = root / "otter" / notebook.stem
        folder.mkdir(parents=True)
        shutil.copy(notebook, folder / "hw.ipynb")
        subprocess.run([str(otter), "run", "-a", str(archive), "-o", str(folder), str(folder / "hw.ipynb")],
                       check=True, capture_output=True)
        json.loads((folder / "results.json").read_text())
    return (time.perf_counter() - started) / count * 1000


# ---- otter run against our whole command, on the bundled `activations` ----------------------

VERSUS_INPUTS = ([-2.0, -0.5, 0.0, 0.5, 3.0], [-800.0, -1.0, 0.0, 1.0, 800.0])


def activations_otter_tests(folder: Path) -> None:
    """otter's OK-format tests for the bundled ``activations``, one per question: each
    function on two inputs against the reference's values (what a course would write)."""
    from autograder.config import load_settings
    from autograder.instructor import load_reference

    settings = load_settings(ROOT / "grading_config.yaml")
    reference = load_reference(settings.assignment_dir("activations"))
    folder.mkdir(parents=True)
    for name in settings.config.assignments["activations"].questions:
        cases = []
        for values in VERSUS_INPUTS:
            inputs = [values, [values, values]] if name == "softmax" else [values]
            for x in inputs:
                expected = getattr(reference, name)(x).tolist()
                code = (f">>> import numpy as np\n>>> bool(np.allclose({name}(np.array({x!r})), {expected!r}, "
                        f"atol=1e-6))\nTrue")
                cases.append({"code": code, "hidden": False, "locked": False})
        test = {"name": name, "points": 1, "suites": [{"cases": cases, "scored": True, "setup": "",
                                                          "teardown": "", "type": "doctest"}]}
        (folder / f"{name}.py").write_text(f"OK_FORMAT = True\n\ntest = {test!r}\n")


def _command_seconds(command: list[str], env: dict[str, str], runs: int,
                     cpu: list[float] | None = None, busy: list[float] | None = None) -> list[float]:
    """Wall times of ``runs`` runs of ``command``; each run's CPU (the command and every process
    it started, orphans included: ``process_tree``) appended to ``cpu``, and the machine's busy
    CPU-seconds over it (everyone's) to ``busy``."""
    times = []
    for _ in range(runs):
        started, used, machine = time.perf_counter(), tree_cpu(), machine_busy()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(tree_cpu() - used)
        if busy is not None:
            busy.append(machine_busy() - machine)
    return times


def versus_otter(count: int, batch: int, runs: int = 3, before: Path | None = None, batch_runs: int = 1) -> None:
    """``otter run`` on ``count`` correct ``activations`` notebooks, one at a time, against
    our whole ``autograder grade`` command on one of them (median of ``runs``) and on a
    folder of ``batch`` (per notebook), in one run. Each tool as a user has it installed:
    our command runs without ``PYTHONDONTWRITEBYTECODE`` (a pip-installed package has its
    bytecode, as otter's has) after one warm-up run that also measures the master notebook
    once (``master_time``: per course version) and caches the report templates. With
    ``before`` (another checkout's source tree), its command too, the two in turn.

    CPU is every process each command started, the jail's and otter's kernel included
    (``process_tree``: this process adopts their orphans); the machine's busy CPU over the
    same time, everyone's, is printed beside it."""
    adopted = adopt_orphans()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    otter = Path(sys.executable).parent / "otter"
    sides = {"this checkout": ROOT, **({"before": before.resolve()} if before else {})}
    envs = {side: {**env, "PYTHONPATH": str(code)} for side, code in sides.items()}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        classes = {side: root / f"class-{index}" for index, side in enumerate(sides)}
        firsts = {side: write_own(code, "activations", classes[side], max(batch, count), env)[0]
                  for side, code in sides.items()}  # each checkout its own notebooks (own_notebooks)
        folder = classes["this checkout"]  # otter grades this checkout's notebooks
        activations_otter_tests(root / "tests")
        subprocess.run([str(otter), "generate", "-t", "tests", "-o", "autograder.zip", "--no-requirements",
                        "--no-config", "--no-environment"], cwd=root, check=True, capture_output=True)
        # each checkout its own course and its own code: -P, or `-m` would put the current folder
        # (this checkout, when run from it) before PYTHONPATH and both sides would run this code
        grades = {side: [sys.executable, "-P", "-m", "autograder", "grade", "--course", str(code), "-a",
                         "activations", "--regrade"] for side, code in sides.items()}
        for side in sides:
            _command_seconds([*grades[side], str(firsts[side]), "--out", str(root / "warm")], envs[side], 1)
        load_before = os.getloadavg()[0]
        one: dict[str, list[float]] = {side: [] for side in sides}
        one_cpu: dict[str, list[float]] = {side: [] for side in sides}
        for _ in range(runs):
            for side in sides:
                one[side] += _command_seconds([*grades[side], str(firsts[side]), "--out", str(root / "one")],
                                              envs[side], 1, one_cpu[side])
        started, otter_used, otter_busy = time.perf_counter(), tree_cpu(), machine_busy()
        for path in sorted(folder.glob("*.ipynb"))[:count]:
            out = root / "otter" / path.stem
            out.mkdir(parents=True)
            shutil.copy(path, out / "activations.ipynb")
            subprocess.run([str(otter), "run", "-a", str(root / "autograder.zip"), "-o", str(out),
                            str(out / "activations.ipynb")], check=True, capture_output=True, env=env)
            results = json.loads((out / "results.json").read_text())
            scored = [t for t in results["tests"] if "max_score" in t]
            assert scored and all(t["score"] == t["max_score"] for t in scored), "otter must pass the correct notebook"
        otter_s = (time.perf_counter() - started) / count
        otter_cpu = (tree_cpu() - otter_used) / count
        otter_machine = (machine_busy() - otter_busy) / count
        whole: dict[str, list[float]] = {side: [] for side in sides}
        whole_cpu: dict[str, list[float]] = {side: [] for side in sides}
        whole_busy: dict[str, list[float]] = {side: [] for side in sides}
        for _ in range(batch_runs):
            for side in sides:
                whole[side] += _command_seconds([*grades[side], str(classes[side]), "--out", str(root / "batch")],
                                                envs[side], 1, whole_cpu[side], whole_busy[side])
        load_after = os.getloadavg()[0]
    print(f"activations, correct notebooks, load {load_before:.1f}-{load_after:.1f} on {os.cpu_count()} cores"
          f"  (wall; CPU of the command and every process it started{'' if adopted else ' EXCEPT orphans: no subreaper'})")
    print(f"  otter run (otter-grader 7), one notebook  {otter_s:8.2f} s  CPU {otter_cpu:6.2f} s  "
          f"({count} notebooks, one at a time; machine busy {otter_machine:.2f} CPU-s per notebook, all users)")
    for side in sides:
        single, cpu = statistics.median(one[side]), statistics.median(one_cpu[side])
        per, per_cpu = statistics.median(whole[side]) / batch, statistics.median(whole_cpu[side]) / batch
        busy = statistics.median(whole_busy[side]) / batch
        print(f"  {side}: autograder grade, one notebook  {single:6.2f} s  CPU {cpu:5.2f} s  (median of {runs}: "
              f"{', '.join(f'{t:.2f}' for t in one[side])})   otter / ours: {otter_s / single:5.1f}x wall, "
              f"{otter_cpu / cpu:5.1f}x CPU")
        print(f"  {side}: autograder grade, a folder of {batch:<4d} {1000 * per:6.1f} ms CPU {1000 * per_cpu:5.1f} ms "
              f"per notebook (the whole command; runs {', '.join(f'{t:.2f}' for t in whole[side])} s; machine busy "
              f"{1000 * busy:.1f} ms)   otter / ours: {otter_s / per:5.1f}x wall, {otter_cpu / per_cpu:5.1f}x CPU")


if __name__ == "__main__":
    main()
