"""Hostile notebooks cost seconds: a class with 5% hostile notebooks against the same
class without them, side by side in one run (DESIGN: within 2x per submission).

Run by hand (never in tests):

    .venv/bin/python benchmarks/bench_hostile.py                      # 200 activations, 5% hostile
    .venv/bin/python benchmarks/bench_hostile.py --n 400 --hostile 0.1 --assignment perceptron

The clean class is bench_batch.py's realistic mix (60% correct, 25% with one function
broken, 10% untouched, 5% unreadable). The hostile class is the same class with a
share of its correct notebooks replaced by hostile ones, in turn: an infinite loop in
a function, an infinite loop at the top level, a function that walks the whole disk,
a disk walk at the top level, a memory bomb in a function, a memory bomb at the top
level. Both are graded by one jail with the bundled course's limits, the clean class
first; the ratio is the hostile class's wall time per submission over the clean one's.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_batch import correct_notebook, make_submissions  # noqa: E402

from autograder.batch import find_submissions, grade_batch  # noqa: E402
from autograder.config import Settings, load_settings  # noqa: E402
from autograder.results import load_result  # noqa: E402
from autograder.sandbox.jail import Jail  # noqa: E402

WALK = "[os.path.join(r, f) for r, _, fs in os.walk('/') for f in fs if f.endswith('.py')]"
HOSTILE = {
    "loop in a function": "def {name}(*args, **kwargs):\n    while True:\n        pass\n",
    "loop at the top level": "while True:\n    pass\n",
    "disk walk in a function": "import os\n\ndef {name}(*args, **kwargs):\n    found = " + WALK +
                               "\n    raise RuntimeError(str(found[:20]))\n",
    "disk walk at the top level": "import os\nfound = " + WALK + "\n",
    "memory bomb in a function": "def {name}(*args, **kwargs):\n    hoard = []\n    while True:\n"
                                 "        hoard.append(bytearray(10 ** 7))\n",
    "memory bomb at the top level": "hoard = [bytearray(10 ** 8) for _ in range(1000)]\n",
}


def hostile_variant(notebook: nbformat.NotebookNode, kind: str, name: str) -> nbformat.NotebookNode:
    """The correct notebook with one hostile cell appended (it redefines ``name``)."""
    variant = copy.deepcopy(notebook)
    variant.cells.append(nbformat.v4.new_code_cell(HOSTILE[kind].format(name=name)))
    return variant


def make_classes(name: str, settings: Settings, count: int, share: float, clean: Path, hostile: Path
                 ) -> dict[str, str]:
    """The clean class in ``clean``; the same with ``share`` of it hostile in ``hostile``.
    Returns the hostile submissions' ids and kinds."""
    make_submissions(name, settings, count, clean)
    correct = correct_notebook(name, settings)
    functions = [q for q in settings.assignment(name).questions if "." not in q and not q[0].isupper()]
    kinds = list(HOSTILE)
    rng = random.Random(1)
    paths = sorted(clean.glob("*.ipynb"))
    chosen = set(rng.sample(range(len(paths)), round(share * len(paths))))
    made: dict[str, str] = {}
    for i, path in enumerate(paths):
        target = hostile / path.name
        if i in chosen:
            kind = kinds[len(made) % len(kinds)]
            made[path.stem] = kind
            nbformat.write(hostile_variant(correct, kind, rng.choice(functions)), str(target))
        else:
            target.write_bytes(path.read_bytes())
    return made


def timed_batch(folder: Path, out: Path, name: str, settings: Settings, jail: Jail, jobs: int) -> float:
    submissions = find_submissions([folder])
    started = time.perf_counter()
    grade_batch(submissions, name, settings, out, jobs=jobs, jail=jail, resume=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignment", default="activations")
    parser.add_argument("--n", type=int, default=200, help="submissions per class [default: 200]")
    parser.add_argument("--hostile", type=float, default=0.05, help="share of hostile notebooks [default: 0.05]")
    parser.add_argument("--rounds", type=int, default=3, help="clean and hostile batches graded in turn, "
                        "so that a busy machine slows both alike [default: 3]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    settings = load_settings(ROOT / "grading_config.yaml")
    name = args.assignment
    times: dict[str, list[float]] = {"clean": [], "hostile": []}
    with tempfile.TemporaryDirectory() as tmp:
        folders = {"clean": Path(tmp) / "clean", "hostile": Path(tmp) / "hostile"}
        for folder in folders.values():
            folder.mkdir()
        made = make_classes(name, settings, args.n, args.hostile, folders["clean"], folders["hostile"])
        with Jail.start(settings.config.sandbox, settings.preload(name), settings.data_dir(name)) as jail:
            backend = jail.ready()
            for round_ in range(args.rounds):
                for which in (("clean", "hostile") if round_ % 2 == 0 else ("hostile", "clean")):
                    out = Path(tmp) / f"out-{which}-{round_}"
                    times[which].append(timed_batch(folders[which], out, name, settings, jail, args.jobs))
        durations = {path.stem: load_result(path).duration_s
                     for path in (Path(tmp) / "out-hostile-0").glob("*.json")}
    limits = settings.limits(name)
    print(f"\n== {name}: {args.n} submissions per class, {args.jobs} jobs, sandbox {backend}, "
          f"{args.rounds} rounds; limits: call {limits.call_timeout_s:g} s ceiling, floor "
          f"{limits.call_floor_s:g} s; cell {limits.cell_timeout_s:g} s ceiling, floor {limits.cell_floor_s:g} s")
    others = [d for sid, d in durations.items() if sid not in made]
    typical = statistics.median(others)
    print(f"  hostile notebooks     {len(made)} of {args.n}; each one's own grading time in round 1 "
          f"(the others': median {1000 * typical:.0f} ms):")
    extra = 0.0
    for kind in HOSTILE:
        took = [durations[sid] for sid, k in made.items() if k == kind and sid in durations]
        extra += sum(t - typical for t in took)
        if took:
            print(f"    {kind:28s} " + ", ".join(f"{t:.1f} s" for t in took))
    clean_s, hostile_s = statistics.median(times["clean"]), statistics.median(times["hostile"])
    per = "/".join(f"{t:.1f}" for t in times["clean"]), "/".join(f"{t:.1f}" for t in times["hostile"])
    print(f"  clean class           {clean_s:8.2f} s  ({1000 * clean_s / args.n:.0f} ms per submission; "
          f"rounds {per[0]} s)")
    print(f"  with hostile ones     {hostile_s:8.2f} s  ({1000 * hostile_s / args.n:.0f} ms per submission; "
          f"rounds {per[1]} s)")
    print(f"  ratio                 {hostile_s / clean_s:8.2f}x  (medians; target: within 2x)")
    print(f"  the hostile ones cost {extra:8.1f} s of grading beyond a typical notebook's, "
          f"{extra / args.jobs:.1f} s of wall time over {args.jobs} jobs")


if __name__ == "__main__":
    main()
