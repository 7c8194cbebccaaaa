"""Batch grading benchmark: submissions per second, grader overhead, peak memory.

Run by hand (never in tests):

    .venv/bin/python benchmarks/bench_batch.py                # 1000 activations, 200 torch_xor
    .venv/bin/python benchmarks/bench_batch.py --n 100 --assignments activations
    .venv/bin/python benchmarks/bench_batch.py --single --baseline 10
        # also the whole command on one notebook, and nbclient on 10 notebooks
    .venv/bin/python benchmarks/bench_batch.py --assignments activations --cluster 2 --bare 200
        # side by side: local batch, the same on a 2-worker LocalCluster, the bare baseline
    .venv/bin/python benchmarks/bench_batch.py --n 100 --assignments activations --bare 40 --repeat 8
        # our CPU per submission over the bare floor's, 8 runs and their median (target: 2x)
    .venv/bin/python benchmarks/bench_batch.py --assignments digits torch_basics --n 30
        # digits trains in every notebook: also its own run alone against its time in the batch

The submissions are a realistic mix built from the master notebook: 60% correct,
25% with one function broken, 10% untouched student notebooks, 5% unreadable files.
"Grader CPU per submission" is the CPU time of the grading processes (not the jailed
workers, where the student's own code runs) divided by the number of submissions: the
grader's overhead beyond the student's compute. "Jail CPU" is the zygote and its
workers: forks, the student's cells and the student's side of every call. The baseline
is the simplest grader a user could write: execute each notebook with nbclient in a
fresh kernel, then run the notebook's own checks (``check_all()``) in that kernel.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.assign import generate_student_notebook  # noqa: E402
from autograder.batch import find_submissions, grade_batch  # noqa: E402
from autograder.config import Settings, load_settings  # noqa: E402
from autograder.sandbox.jail import Jail  # noqa: E402
from autograder.session import Session


def correct_notebook(name: str, settings: Settings) -> nbformat.NotebookNode:
    """The master's solutions with the student notebook's self-contained setup cell."""
    master = nbformat.read(str(settings.assignment_dir(name) / "source.ipynb"), as_version=4)
    student = generate_student_notebook(name, settings)
    setup = next(c for c in student.cells if "setup" in c.get("metadata", {}).get("tags", []))
    cells = []
    for cell in master.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "instructor" in tags:
            continue
        cells.append(copy.deepcopy(setup) if "setup" in tags else cell)
    master.cells = cells
    return master


def broken_variant(notebook: nbformat.NotebookNode, rng: random.Random) -> nbformat.NotebookNode:
    """One solution cell made wrong: its last `return` returns zeros of the right shape."""
    variant = copy.deepcopy(notebook)
    candidates = [c for c in variant.cells if c.cell_type == "code" and "return " in c.source]
    if candidates:
        cell = rng.choice(candidates)
        cell.source = cell.source.replace("return ", "return 0 * ", 1)
    return variant


def make_submissions(name: str, settings: Settings, count: int, folder: Path) -> None:
    rng = random.Random(0)
    correct = correct_notebook(name, settings)
    stub = generate_student_notebook(name, settings)
    for i in range(count):
        path = folder / f"s{i:04d}.ipynb"
        roll = rng.random()
        if roll < 0.05:
            path.write_text("{ this is not a notebook")
        elif roll < 0.15:
            nbformat.write(stub, str(path))
        elif roll < 0.40:
            nbformat.write(broken_variant(correct, rng), str(path))
        else:
            nbformat.write(correct, str(path))


def descendants() -> list[int]:
    """The pids below this process (grader processes, bwrap, the zygote, workers)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    mine, found = {os.getpid()}, []
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in mine and pid not in mine:
                mine.add(pid)
                found.append(pid)
                changed = True
    return found


def _kb(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_cpu_seconds() -> float:
    """CPU of the live descendants, with what they reaped (the zygote reaps workers)."""
    ticks = 0
    for pid in descendants():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


class MemorySampler:
    """Peak memory of this process and all its descendants (jail included): PSS
    (shared pages split between the processes that share them, the memory really used)
    and the plain sum of RSS (which counts NumPy and PyTorch once per worker).

    Reading PSS makes the kernel walk every page table: sampled every 0.2 s it cost a
    batch of torch_xor 5 s and 25 ms of CPU per submission. So RSS is sampled every
    0.2 s, PSS once a second, and the sampler's own CPU (``cpu_s``) is reported so the
    benchmark can leave it out of the grader's.
    """

    RSS_EVERY_S, PSS_EVERY = 0.2, 5

    def __init__(self) -> None:
        self.peak_pss_kb = self.peak_rss_kb = 0
        self.cpu_s = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        tick = 0
        while not self._stop.wait(self.RSS_EVERY_S):
            started = time.thread_time()
            pids = [os.getpid(), *descendants()]
            self.peak_rss_kb = max(self.peak_rss_kb, sum(_kb(f"/proc/{p}/status", "VmRSS") for p in pids))
            tick += 1
            if tick % self.PSS_EVERY == 0:
                pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss") for p in pids)
                self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.cpu_s += time.thread_time() - started


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def jail_args(settings: Settings, name: str) -> tuple:
    return settings.config.sandbox, settings.preload(name), settings.data_dir(name)


def own_run(name: str, settings: Settings, jail: tuple, paths: list[Path], results: list, k: int) -> None:
    """The notebooks' own cells alone (their training included), one at a time in the same
    jail, against the time each submission took in the batch: the grader's cost beyond the
    student's own compute, for an assignment whose notebook trains a model."""
    from autograder.notebook import NotebookError, read_submission

    by_id = {r.submission: r for r in results if r.status == "graded"}
    alone, graded = [], []
    with Jail.start(*jail) as fresh:
        fresh.ready()
        cpu_before = tree_cpu_seconds()
        for path in paths:
            if len(alone) == k or path.stem not in by_id:
                continue
            try:
                cells = read_submission(path, settings.blanks(name))
            except NotebookError:
                continue
            started = time.perf_counter()
            with Session(fresh.spawn, cells, settings.limits(name)) as session:
                session.run  # noqa: B018  (the cells run when the session starts)
            alone.append(time.perf_counter() - started)
            graded.append(by_id[path.stem].duration_s)
        own_cpu = (tree_cpu_seconds() - cpu_before) / max(1, len(alone))
    if alone:
        mine, whole = statistics.fmean(alone), statistics.fmean(graded)
        print(f"  notebook's own run    {mine:8.2f} s  (its cells alone in the jail, training included; "
              f"{len(alone)} notebooks one at a time; jail CPU {1000 * own_cpu:.0f} ms each)")
        print(f"  graded in the batch   {whole:8.2f} s  per submission (duration_s: cells, checks, the "
              f"hidden split)")
        print(f"  grader beyond it      {whole - mine:8.2f} s  ({100 * (whole - mine) / whole:.0f}% of a "
              f"submission's time)")


def bench(name: str, count: int, jobs: int, settings: Settings, baseline: int,
          cluster: int = 0, bare: int = 0, own: int = 0) -> float | None:
    """One run; our CPU per submission over the bare floor's when ``bare``."""
    over_bare = None
    with tempfile.TemporaryDirectory() as tmp:
        subs, out = Path(tmp) / "subs", Path(tmp) / "out"
        subs.mkdir()
        make_submissions(name, settings, count, subs)
        submissions = find_submissions([subs])
        children_before = cpu_seconds(resource.RUSAGE_CHILDREN)
        own_before = cpu_seconds(resource.RUSAGE_SELF)
        started = time.perf_counter()
        with MemorySampler() as memory, \
                Jail.start(settings.config.sandbox, settings.preload(name), settings.data_dir(name)) as jail:
            backend = jail.ready()
            jail_cpu_before = tree_cpu_seconds()
            jail_ready = time.perf_counter() - started
            graded_at = time.perf_counter()
            results = grade_batch(submissions, name, settings, out, jobs=jobs, jail=jail, resume=False)
            grading = time.perf_counter() - graded_at
            # the grader processes are joined by now; the jail is still up: its CPU is read from /proc
            children = cpu_seconds(resource.RUSAGE_CHILDREN)
            grader_cpu = (cpu_seconds(resource.RUSAGE_SELF) - own_before + children - children_before
                          - memory.cpu_s)
            jail_cpu = tree_cpu_seconds() - jail_cpu_before
        total = time.perf_counter() - started
        mean = sum(r.percent for r in results) / len(results)
        print(f"\n== {name}: {count} submissions, {jobs} jobs, sandbox {backend}, "
              f"preload {', '.join(settings.preload(name))}")
        print(f"  jail ready            {jail_ready:8.2f} s")
        print(f"  grading               {grading:8.2f} s  ({count / grading:.1f} submissions/s, "
              f"{1000 * grading / count:.0f} ms each)")
        print(f"  whole batch           {total:8.2f} s")
        print(f"  grader CPU / subm.    {1000 * grader_cpu / count:8.1f} ms  (checks, references, "
              f"comparisons, results; the student's code excluded)")
        print(f"  jail CPU / subm.      {1000 * jail_cpu / count:8.1f} ms  (fork, the student's cells "
              f"and calls)")
        print(f"  peak memory (PSS)     {memory.peak_pss_kb / 1024:8.0f} MB  (RSS summed over "
              f"processes: {memory.peak_rss_kb / 1024:.0f} MB)")
        print(f"  mean score            {mean:8.1f} %")
        if own:
            own_run(name, settings, jail_args(settings, name), sorted(subs.glob("*.ipynb")), results, own)
        if cluster or bare:
            over_bare = side_by_side(name, settings, submissions, Path(tmp), count / grading, jobs, results,
                                     cluster, bare, 1000 * (grader_cpu + jail_cpu) / count)
        if baseline:
            per = nbclient_baseline(sorted(subs.glob("*.ipynb"))[:baseline])
            ours = grading / count
            print(f"  nbclient baseline     {per:8.2f} s per notebook (run it, then its checks; "
                  f"{baseline} notebooks, one at a time)")
            print(f"  ratio                 {per / ours:8.1f}x the time per submission of this grader")
    return over_bare


def side_by_side(name: str, settings: Settings, submissions: list, tmp: Path, local_rate: float,
                 jobs: int, local_results: list, cluster: int, bare: int, local_cpu_ms: float) -> float | None:
    """The same batch on a LocalCluster and as a bare baseline: rates and ratios; our CPU
    per submission over the bare floor's (None without ``bare``)."""
    from side_by_side import bare_baseline, cluster_batch

    over_bare = None
    rows = [(f"local batch ({jobs} jobs, jail)", local_rate)]
    if cluster:
        rate, up, setup, results = cluster_batch(submissions, name, settings, tmp / "cluster", cluster)
        same = [_comparable(r) for r in results] == [_comparable(r) for r in local_results]
        print(f"  LocalCluster start    {up:8.2f} s  ({cluster} process workers)")
        print(f"  first result after    {setup:8.2f} s  (course packed, each worker's jail and checks)")
        print(f"  results as local      {'yes' if same else 'NO, they differ'}")
        overhead = 1000 * (cluster / rate - jobs / local_rate) if rate else float('nan')
        print(f"  overhead per task     {overhead:8.1f} ms of a worker's time over the local batch's")
        rows.append((f"LocalCluster ({cluster} workers, jail)", rate))
    if bare:
        rate, cpu_ms, skipped = bare_baseline(submissions, name, settings, bare)
        print(f"  bare baseline CPU     {cpu_ms:8.1f} ms per submission (cells and calls, one process; "
              f"{bare} submissions, the median of 3 replays, {skipped} calls with remote objects left out)")
        over_bare = local_cpu_ms / cpu_ms
        print(f"  CPU, ours / bare      {over_bare:8.2f}x  ({local_cpu_ms:.1f} ms grader + jail "
              f"per submission)")
        rows.append(("bare baseline (1 process, no jail)", rate))
    floor = rows[-1][1] if bare else 0.0
    print("  side by side          submissions/s   x the bare baseline's time")
    for label, rate in rows:
        ratio = f"{floor / rate:8.1f}x" if floor and rate else "       -"
        print(f"    {label:36} {rate:8.1f}   {ratio}")
    return over_bare


def _comparable(result: object) -> dict:
    data = result.to_json()  # type: ignore[attr-defined]
    data.pop("duration_s", None)
    return data


def nbclient_baseline(paths: list[Path]) -> float:
    """The simplest grader a user could write: execute the notebook in a fresh kernel
    with nbclient, then run the notebook's own checks (``check_all()``) in that kernel."""
    from nbclient import NotebookClient

    started = time.perf_counter()
    saved_stderr = os.dup(2)  # each kernel warns about its TCP transport on stderr
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        for path in paths:
            try:
                notebook = nbformat.read(str(path), as_version=4)
            except Exception:  # an unreadable file costs the baseline nothing
                continue
            notebook.cells.append(nbformat.v4.new_code_cell("check_all()"))
            NotebookClient(notebook, timeout=60, kernel_name="python3", allow_errors=True).execute()
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
        os.close(devnull)
    return (time.perf_counter() - started) / max(1, len(paths))


def one_submission(name: str, settings: Settings, runs: int = 3) -> None:
    """The whole command, cold, for one correct notebook: what CI pays per student repo."""
    with tempfile.TemporaryDirectory() as tmp:
        notebook = Path(tmp) / "student.ipynb"
        nbformat.write(correct_notebook(name, settings), str(notebook))
        command = [str(Path(sys.executable).parent / "autograder"), "grade", "--assignment", name,
                   str(notebook), "--out", str(Path(tmp) / "out"), "--regrade"]
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    print(f"\n== {name}: one submission, whole `autograder grade` command, cold")
    print(f"  median of {runs}          {statistics.median(times):8.2f} s  "
          f"(min {min(times):.2f} s, max {max(times):.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignments", nargs="+", default=["activations", "torch_xor"])
    parser.add_argument("--n", type=int, default=0, help="submissions per assignment "
                        "[default: 1000 activations, 200 for the others]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline", type=int, default=0, help="also time nbclient on this many notebooks")
    parser.add_argument("--single", action="store_true", help="also time the whole command on one notebook")
    parser.add_argument("--cluster", type=int, default=0, metavar="N",
                        help="also grade the same batch on a Dask LocalCluster of N process workers")
    parser.add_argument("--own", type=int, default=-1, metavar="K",
                        help="also run K notebooks' own cells alone and compare with their time in the "
                             "batch [default: 5 for digits, whose notebook trains a model; else 0]")
    parser.add_argument("--bare", type=int, default=0, metavar="K",
                        help="also the bare baseline on the first K submissions: cells and the same "
                             "calls in this one process, no jail, no pytest")
    parser.add_argument("--repeat", type=int, default=1, metavar="R",
                        help="run it all R times; with --bare, each run's CPU over the floor and "
                             "their median at the end (one run moves by 10%% on a shared machine)")
    args = parser.parse_args()
    settings = load_settings(ROOT / "grading_config.yaml")
    for name in args.assignments:
        if args.single:
            one_submission(name, settings)
        count = args.n or {"activations": 1000, "digits": 30}.get(name, 200)
        own = args.own if args.own >= 0 else (5 if name == "digits" else 0)
        ratios = [bench(name, count, args.jobs, settings, args.baseline, args.cluster, args.bare, own)
                  for _ in range(max(1, args.repeat))]
        measured = [r for r in ratios if r is not None]
        if len(measured) > 1:
            print(f"\n== {name}: CPU, ours / bare, {len(measured)} runs: "
                  f"{', '.join(f'{r:.2f}' for r in measured)}x; median {statistics.median(measured):.2f}x, "
                  f"{sum(r <= 2 for r in measured)} of {len(measured)} at or under the 2x target")


if __name__ == "__main__":
    main()
