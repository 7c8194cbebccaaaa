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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=3000, help="calls per run [default: 3000]")
    parser.add_argument("--compare", type=Path, metavar="DIR", help="also this checkout, in turn")
    parser.add_argument("--rounds", type=int, default=3, help="rounds with --compare [default: 3]")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
