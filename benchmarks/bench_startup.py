"""One notebook's whole `autograder grade` command, this checkout against another, in turn.

    git -C /work/main archive d29fb6f | tar -x -C /tmp/startup-before
    .venv/bin/python benchmarks/bench_startup.py --before /tmp/startup-before --runs 12

Each run is the command a user types (`python -m autograder grade ... --regrade`), with the
other checkout first on PYTHONPATH for its turn; the two alternate, after one warm-up run
each (bytecode written, report templates compiled, the master notebook timed once). Wall
time, and CPU of the command and every process it started (``process_tree``: the jail's
included, which the command's own waiting did not count). On a shared machine the
spread is wide: compare the medians of the same run, with the load printed beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


sys.path.insert(0, str(ROOT / "benchmarks"))
from process_tree import adopt_orphans, tree_cpu  # noqa: E402


def _run(code: Path, notebook: Path, out: Path) -> tuple[float, float]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(code)
    command = [sys.executable, "-m", "autograder", "grade", "--course", str(ROOT), "-a", "activations",
               str(notebook), "--out", str(out), "--regrade"]
    cpu, started = tree_cpu(), time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=out.parent)
    return time.perf_counter() - started, tree_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout (a source tree)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--notebook", type=Path, default=ROOT / "samples" / "activations" / "ivanov.ipynb")
    args = parser.parse_args()
    adopt_orphans()
    sides = {"before": args.before.resolve(), "after": ROOT}
    times: dict[str, list[tuple[float, float]]] = {side: [] for side in sides}
    with tempfile.TemporaryDirectory() as tmp:
        for side, code in sides.items():
            _run(code, args.notebook, Path(tmp) / side)
        load = os.getloadavg()[0]
        for _ in range(args.runs):
            for side, code in sides.items():
                times[side].append(_run(code, args.notebook, Path(tmp) / side))
    print(f"one notebook, the whole command, {args.runs} runs each in turn, load {load:.1f}-"
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    medians = {}
    for side, runs in times.items():
        wall, cpu = [run[0] for run in runs], [run[1] for run in runs]
        medians[side] = statistics.median(wall), statistics.median(cpu)
        print(f"  {side:6s} wall {medians[side][0]:.3f} s (min {min(wall):.3f}, max {max(wall):.3f})   "
              f"CPU {medians[side][1]:.3f} s (min {min(cpu):.3f})")
    print(f"  before / after: {medians['before'][0] / medians['after'][0]:.2f}x wall, "
          f"{medians['before'][1] / medians['after'][1]:.2f}x CPU")


if __name__ == "__main__":
    main()
