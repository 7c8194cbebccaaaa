"""CPU of one call into the student's code, both ends of the wire, without the jail (by hand).

    .venv/bin/python benchmarks/bench_round_trip.py                          # this checkout
    .venv/bin/python benchmarks/bench_round_trip.py --compare /tmp/old --rounds 3

One process plays both ends over a socket pair: the worker's side of a call (its request
read, arguments decoded, generators seeded, the call timed with the student's builtins,
the value encoded, the reply sent) and the grader's reading of the reply, for
``sigmoid(x)`` on a 20x5 array, the most common kind of call in the mix. Without the
jail's forks and waits this is the code's own cost per call, what the ~0.3 ms per round
trip of a real submission is made of besides the kernel's switching between the two
processes. ``--compare DIR`` measures another checkout (``git archive REV | tar -x -C
DIR``) in turn with this one, each in a fresh process, round after round.

``--jail`` then makes the same call through the real jail (``Jail.start("auto")``, one
worker, one ``Session``) a few thousand times and prints its CPU at both ends beside the
one-process figure: what a round trip costs once the two ends are two processes taking
turns on the cores, the grader free to run anywhere and pinned to one core (its worker
then on the same core, as in a batch); and, pinned, ten such calls made by ten "checks"
gathered into one frame (``Session.gather``, ``autograder/gather.py``), as a batch sends a
run of checks' first calls.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def measure(root: Path, calls: int) -> tuple[float, float]:
    """Microseconds of CPU per call (least of three runs): the worker's side alone, and
    with the reply read back as the grader reads it."""
    sys.path.insert(0, str(root))
    import socket

    import numpy as np

    from autograder.sandbox.inside import protocol
    from autograder.sandbox.inside import worker as inside

    grader_end, worker_end = socket.socketpair()
    worker = inside.Worker(worker_end)
    worker.namespace["sigmoid"] = lambda x: 1 / (1 + np.exp(-x))
    def plain_only(value: object, add: object) -> dict[str, object]:
        raise TypeError(f"not plain data: {value!r}")

    value, blobs = protocol.encode(((np.random.default_rng(0).normal(size=(20, 5)),), {}), plain_only)
    request = {"op": "call", "target": "sigmoid", "return_args": False, "seed": 2**63 + 12345,
               "value": value, "timeout": 2.0, "output_kb": 64}
    reader = protocol.FrameReader(grader_end)

    def side() -> None:
        worker.handle(request, blobs)

    def both() -> None:
        worker.reply(*worker.handle(request, blobs))
        reader.read(time.monotonic() + 5)

    found = []
    for run in (side, both):
        for _ in range(200):
            run()
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            for _ in range(calls):
                run()
            best = min(best, (time.process_time() - started) / calls * 1e6)
        found.append(best)
    return found[0], found[1]


def through_jail(calls: int) -> list[tuple[str, float, float, float]]:
    """Per call: the grader's CPU, the jail's CPU (the zygote's tree, /proc ticks) and the
    wall time, in µs, for the grader free and pinned to one core (run in a child)."""
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE / "benchmarks"))
    import resource

    import numpy as np

    from autograder.config import Limits
    from autograder.notebook import CodeCell
    from autograder.sandbox.affinity import usable
    from autograder.sandbox.jail import Jail
    from autograder.session import Session
    from bench_batch import tree_cpu_seconds

    def own_cpu() -> float:
        used = resource.getrusage(resource.RUSAGE_SELF)
        return used.ru_utime + used.ru_stime

    limits = Limits(cell_timeout_s=5, call_timeout_s=5, run_timeout_s=20, memory_mb=512, processes=16, output_kb=16)
    cells = [CodeCell(0, "import numpy as np\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))")]
    x = np.random.default_rng(0).normal(size=(20, 5))
    found = []
    for how, cores in (("grader free", set(usable())), ("grader pinned", {usable()[-1]})):
        os.sched_setaffinity(0, cores)  # before the jail starts: a pinned grader's worker follows it
        with Jail.start("auto", ["numpy"]) as jail, Session(jail.spawn, cells, limits) as session:
            session.run
            for _ in range(200):
                session.call("sigmoid", x)
            jail_before, grader_before, wall_before = tree_cpu_seconds(), own_cpu(), time.perf_counter()
            for _ in range(calls):
                session.call("sigmoid", x)
            found.append((how, (own_cpu() - grader_before) / calls * 1e6,
                          (tree_cpu_seconds() - jail_before) / calls * 1e6,
                          (time.perf_counter() - wall_before) / calls * 1e6))
            if how == "grader pinned":  # ten checks' calls in one frame, as a run of checks goes
                ten = [lambda: session.call("sigmoid", x)] * 10
                jail_before, grader_before, wall_before = tree_cpu_seconds(), own_cpu(), time.perf_counter()
                for _ in range(calls // 10):
                    session.gather(ten, lambda asked: None)
                done = calls // 10 * 10
                found.append(("pinned, gathered by 10", (own_cpu() - grader_before) / done * 1e6,
                              (tree_cpu_seconds() - jail_before) / done * 1e6,
                              (time.perf_counter() - wall_before) / done * 1e6))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=3000, help="calls per run [default: 3000]")
    parser.add_argument("--compare", type=Path, metavar="DIR", help="also this checkout, in turn")
    parser.add_argument("--rounds", type=int, default=3, help="rounds with --compare [default: 3]")
    parser.add_argument("--jail", action="store_true", help="also the same call through the real jail")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--jail-one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.jail_one:
        for how, grader, jail, wall in through_jail(args.calls):
            print(f"{how}|{grader:.1f}|{jail:.1f}|{wall:.1f}")
        return
    if args.one is not None:
        side, both = measure(args.one, args.calls)
        print(f"{side:.1f} {both:.1f}")
        return
    roots = [HERE] + ([args.compare.resolve()] if args.compare else [])
    print(f"one call of sigmoid(20x5), CPU per call, least of 3 runs of {args.calls}; "
          f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for _ in range(args.rounds if args.compare else 1):
        for root in roots:
            out = subprocess.run([sys.executable, __file__, "--one", str(root), "--calls", str(args.calls)],
                                 capture_output=True, text=True, check=True, cwd="/").stdout.split()
            print(f"  {str(root):40} worker's side {float(out[0]):6.1f} us, "
                  f"and the reply read back {float(out[1]):6.1f} us")
            if root == HERE:
                both = float(out[1])
    if args.jail:  # the baseline: this checkout's one-process figure, its last round
        out = subprocess.run([sys.executable, __file__, "--jail-one", "--calls", str(args.calls)],
                             capture_output=True, text=True, check=True, cwd="/").stdout
        print(f"the same call through the jail, {args.calls} calls on one worker (this checkout):")
        for line in out.strip().splitlines():
            how, grader, jail, wall = line.split("|")
            total = float(grader) + float(jail)
            print(f"  {how:22} grader {float(grader):6.1f} us + jail {float(jail):6.1f} us = {total:6.1f} us "
                  f"of CPU ({total / both:.1f}x the one-process figure), {float(wall):6.1f} us wall")


if __name__ == "__main__":
    main()
