"""CPU per correct submission, grader and jail, in one grading process (by hand, never in tests).

    .venv/bin/python benchmarks/bench_grader_cpu.py                       # 100 activations
    .venv/bin/python benchmarks/bench_grader_cpu.py --n 60 --profile      # and where it goes
    .venv/bin/python benchmarks/bench_grader_cpu.py --compare /tmp/old    # an older checkout too
    .venv/bin/python benchmarks/bench_grader_cpu.py --replay [0.0003]     # the work without waiting
    .venv/bin/python benchmarks/bench_grader_cpu.py --jail                # the jail's CPU, cell by cell

Every submission is the master's solutions (each with its own content, so each draws
its own hidden inputs), graded one after another by one ``Grader`` with its checks
collected once, after three graded first (start-up: collection, the master's run
time, the reference's time per call site, pytest's first pass over the session
fixtures). "Grader CPU" is this process's CPU time for each ``grade_one``; "jail CPU"
the zygote's and its workers' (forks, the cells, the student's side of every call),
read from /proc. On a machine that other work shares, CPU time still grows with the
load (caches and cores are shared), so the minimum and the quartile are printed with
the mean, and ``--compare DIR`` measures another checkout (``git archive REV | tar -x
-C DIR``) in turn with this one, round after round, on the same answers (each checkout's
own notebooks: its setup cell embeds its own ``student`` package, which only its own jail
lends prebuilt).
``--profile`` prints where the grader's CPU goes (cProfile, by area and by function).
``--replay`` grades the last notebook again with the jail's replies replayed from a
recording (no socket, no waiting): the grader's own work, apart from what waiting
for the jail costs it (given a sleep, a wait without the jail's work in between).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from own_notebooks import write_own  # this script's folder, first on sys.path

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
    ("scores and the result", ("autograder/grading.py", "autograder/scoring.py", "autograder/outcomes.py",
                               "autograder/results.py", "autograder/causes.py", "autograder/i18n.py")),
)


def measure(root: Path, name: str, notebooks: list[Path], profile: bool,
            replay: float | None = None) -> dict[str, float]:
    """Grade the notebooks with the code under ``root`` (in this process)."""
    sys.path.insert(0, str(root))
    import cProfile
    import time

    from autograder.config import load_settings
    from autograder.grading import Grader, Submission
    from autograder.sandbox.jail import Jail

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
            replayed = replayed_ms(grader, run_checks, submissions[-1], replay) if replay is not None else None
    if profiler is not None:
        report(profiler, len(grader_ms))
    ordered = sorted(grader_ms)
    found = {"mean": statistics.fmean(ordered), "median": statistics.median(ordered), "min": ordered[0],
             "p25": ordered[len(ordered) // 4], "jail": jail_ms}
    if replayed is not None:
        found["replayed"], found["frames"], found["waits"] = replayed
    return found


def jail_parts(root: Path, name: str, notebook: Path, runs: int = 30) -> None:
    """The jail's CPU per session of the notebook's first cells: where a submission's goes."""
    sys.path.insert(0, str(root))
    from autograder.config import load_settings
    from autograder.notebook import CodeCell, read_submission
    from autograder.sandbox.jail import Jail
    from autograder.session import Session

    sys.path.insert(1, str(HERE / "benchmarks"))
    from bench_batch import tree_cpu_seconds

    settings = load_settings(root / "grading_config.yaml")
    cells = read_submission(notebook, settings.placeholders)
    limits = settings.limits(name)
    parts = (("a worker and an empty cell", [CodeCell(0, "pass\n")]),
             (f"the first cell ({len(cells[0].source) // 1000} kB)", cells[:1]), ("all the cells", cells))
    with Jail.start(settings.config.sandbox, settings.preload(name), settings.data_dir(name)) as jail:
        from autograder.grading import Grader

        Grader(name, settings, jail)  # as grading has it: the jail taught the setup cell (newer checkouts)
        jail.ready()
        for label, part in parts:
            for _ in range(3):
                Session(jail.spawn, part, limits).close()
            before = tree_cpu_seconds()
            for _ in range(runs):
                Session(jail.spawn, part, limits).close()
            print(f"  jail CPU per session, {label:28} {1000 * (tree_cpu_seconds() - before) / runs:6.1f} ms")


def replayed_ms(grader: Any, run_checks: Any, submission: Any, sleep_s: float,
                runs: int = 30) -> tuple[float, int, int]:
    """The grader's CPU for one submission when the jail's replies are replayed: its frames
    recorded once, then handed back with no socket and no wait (``sleep_s`` > 0: a sleep
    before each, a wait without the jail's work). The least of ``runs``, with how many
    frames the jail sent and how many times the grader waited for one in the recording."""
    import time
    from unittest import mock

    from autograder.sandbox.channel import WorkerChannel
    from autograder.sandbox.inside import protocol

    frames: list[tuple[bytes, int]] = []
    parse = protocol._parse_frame

    def recording(data: bytes, head_len: int) -> Any:
        frames.append((data, head_len))
        return parse(data, head_len)

    select = protocol.select.select
    waits = 0

    def counting(read: Any, write: Any, error: Any, timeout: float | None = None) -> Any:
        nonlocal waits  # a wait: the reply was not there yet
        ready = select(read, write, error, 0)
        if ready[0]:
            return ready
        waits += 1
        return select(read, write, error, timeout)

    with mock.patch.object(protocol, "_parse_frame", recording), \
            mock.patch.object(protocol.select, "select", counting):
        grader.grade_one(submission, run_checks)
    position = 0

    def read(self: Any, deadline: float | None = None, alarm: Any = None) -> Any:
        nonlocal position
        data, head_len = frames[position]
        position += 1
        if sleep_s:
            time.sleep(sleep_s)
        return parse(data, head_len)

    channel = WorkerChannel.__new__(WorkerChannel)
    channel.reader, channel.status, channel.pid, channel._detail = protocol.FrameReader(None), None, 0, None  # type: ignore[arg-type]
    channel.queue = collections.deque()  # the frames inside a frame of frames (older code: unused)
    channel.holds, channel.known = frozenset(), {}  # the cells it holds compiled: none, the text goes (older: unused)
    best = float("inf")
    with mock.patch.object(protocol.FrameReader, "read", read), \
            mock.patch.object(WorkerChannel, "send", lambda self, header, blobs=None: None), \
            mock.patch.object(WorkerChannel, "send_body", lambda self, body, blobs: None, create=True), \
            mock.patch.object(WorkerChannel, "close", lambda self: None), \
            mock.patch.object(grader.jail, "spawn", lambda limits: channel):
        for _ in range(runs):
            position = 0
            started = time.process_time()
            result = grader.grade_one(submission, run_checks)
            best = min(best, time.process_time() - started)
            if position != len(frames) or result.percent != 100:
                raise SystemExit("the replay did not follow the recorded run")
    return 1000 * best, len(frames), waits


def _area(key: tuple[str, int, str]) -> str | None:
    path, _, function = key
    where = f"{path}:{function}" if path != "~" else function
    return next((label for label, marks in AREAS if any(m in where for m in marks)), None)


def report(profiler: object, count: int) -> None:
    """Own time by area; a built-in's or the standard library's own time goes to the
    areas of its callers (one level up), in proportion to the time each call site spent."""
    import pstats

    stats = pstats.Stats(profiler)  # type: ignore[arg-type]
    areas: dict[str, float] = {}
    rows = []
    for key, (_, calls, own, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        area = _area(key)
        if area is None and (key[0] == "~" or "/lib/python3" in key[0]) and callers:
            for caller, (_, _, spent, _) in callers.items():
                share = _area(caller) or "other"
                areas[share] = areas.get(share, 0.0) + spent
        else:
            areas[area or "other"] = areas.get(area or "other", 0.0) + own
        where = f"{key[0]}:{key[2]}" if key[0] != "~" else key[2]
        rows.append((own, calls, where))
    total = sum(areas.values())
    print(f"  profiled: {1000 * total / count:.1f} ms per submission (cProfile's own cost included)")
    for area, own in sorted(areas.items(), key=lambda item: -item[1]):
        print(f"    {100 * own / total:5.1f}%  {area}")
    print("  functions with the most own time:")
    for own, calls, where in sorted(rows, reverse=True)[:15]:
        print(f"    {100 * own / total:5.1f}%  {calls / count:6.1f} calls  {where.replace(str(HERE) + '/', '')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignment", default="activations")
    parser.add_argument("--n", type=int, default=100, help="submissions measured [default: 100]")
    parser.add_argument("--profile", action="store_true", help="also where the grader's CPU goes")
    parser.add_argument("--compare", type=Path, metavar="DIR", help="also this checkout, in turn")
    parser.add_argument("--rounds", type=int, default=2, help="rounds with --compare [default: 2]")
    parser.add_argument("--replay", type=float, nargs="?", const=0.0, metavar="SLEEP_S",
                        help="also the grader's CPU with the jail's replies replayed (no waiting; "
                             "or a sleep of SLEEP_S before each reply)")
    parser.add_argument("--jail", action="store_true", help="also the jail's CPU for the notebook's "
                        "cells alone (no calls): an empty cell, the first cell, all of them")
    parser.add_argument("--one", nargs=2, metavar=("ROOT", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # a child: one checkout, the notebooks already written
        root, folder = Path(args.one[0]), Path(args.one[1])
        found = measure(root, args.assignment, sorted(folder.glob("*.ipynb")), args.profile, args.replay)
        print(json.dumps(found))
        return
    with tempfile.TemporaryDirectory() as tmp:
        roots = [HERE] + ([args.compare.resolve()] if args.compare else [])
        folders = {root: Path(tmp) / str(index) for index, root in enumerate(roots)}
        paths = {root: write_own(root, args.assignment, folders[root], args.n + 3) for root in roots}  # 3: warm-up
        if args.jail:
            jail_parts(HERE, args.assignment, paths[HERE][0])
        runs: list[tuple[Path, dict[str, float]]] = []
        for _ in range(args.rounds if args.compare else 1):
            for root in roots:
                command = [sys.executable, __file__, "--assignment", args.assignment,
                           "--one", str(root), str(folders[root])] + (["--profile"] if args.profile else []) \
                    + (["--replay", str(args.replay)] if args.replay is not None else [])
                env = dict(os.environ, PYTHONPATH=str(root))
                done = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True)
                *printed, last = done.stdout.strip().splitlines()
                if printed:
                    print(f"== {root}", *printed, sep="\n")
                runs.append((root, json.loads(last)))
    print(f"\n{args.assignment}: {args.n} correct submissions, one grading process, load "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for root, run in runs:  # in the order they ran
        print(f"  {str(root):40} grader CPU/subm.: mean {run['mean']:5.1f} ms, median {run['median']:5.1f}, "
              f"quartile {run['p25']:5.1f}, min {run['min']:5.1f};  jail CPU/subm. {run['jail']:5.1f} ms")
        if "replayed" in run:
            waited = f" after a {args.replay:g} s sleep each" if args.replay else ", no waiting"
            print(f"  {'':40} the jail's replies replayed{waited}: grader CPU {run['replayed']:5.1f} ms "
                  f"({run['frames']:.0f} frames from the jail, {run['waits']:.0f} waits for one)")


if __name__ == "__main__":
    main()
