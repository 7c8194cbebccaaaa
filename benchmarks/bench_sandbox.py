"""Jail figures on this machine: start, fork-to-ready, array round trip, session cost.

Run: .venv/bin/python benchmarks/bench_sandbox.py [auto|bwrap|landlock|none] [module ...]

The modules are what the zygote preloads (default: numpy torch, as for torch_xor;
``numpy`` alone is what the NumPy assignments get).
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from autograder.config import Limits
from autograder.notebook import CodeCell
from autograder.sandbox.jail import Jail
from autograder.session import Session
from autograder.sandbox.inside.zygote import DEFAULT_PRELOAD


def ms(seconds: list[float]) -> str:
    return f"median {1000 * statistics.median(seconds):.2f} ms, max {1000 * max(seconds):.2f} ms"


def main(backend: str = "auto", *preload: str) -> None:
    t0 = time.perf_counter()
    modules = preload or DEFAULT_PRELOAD
    jail = Jail.start(backend, modules)  # type: ignore[arg-type]
    print(f"backend: {jail.backend}; preload: {', '.join(modules)}; "
          f"jail start: {time.perf_counter() - t0:.2f} s")
    limits = Limits()
    with jail:
        forks = []
        for _ in range(30):
            t = time.perf_counter()
            jail.spawn(limits).close()
            forks.append(time.perf_counter() - t)
        print(f"fork-to-ready (spawn + hello + kill + reap): {ms(forks)}")
        cells = [CodeCell(0, "import numpy as np\ndef echo(x):\n    return x")]
        with Session(jail.spawn, cells, limits) as session:
            x = np.random.default_rng(0).normal(size=1000)
            trips = []
            for _ in range(300):
                t = time.perf_counter()
                session.call("echo", x)
                trips.append(time.perf_counter() - t)
            print(f"round trip of a 1000-element float64 array: {ms(trips)}")
        sessions = []
        for _ in range(30):
            t = time.perf_counter()
            with Session(jail.spawn, cells, limits) as session:
                session.call("echo", 1)
            sessions.append(time.perf_counter() - t)
        print(f"per-session overhead (spawn, run 1 cell, 1 call, close): {ms(sessions)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
