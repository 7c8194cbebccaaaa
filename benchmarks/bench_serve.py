"""Course server benchmark: POST -> graded latency on a warm server, and a burst.

Run by hand (never in tests):

    .venv/bin/python benchmarks/bench_serve.py                   # 20 latency samples each, burst of 200
    .venv/bin/python benchmarks/bench_serve.py --samples 10 --burst 100 --workers 2

For one ``activations`` and one ``torch_xor`` notebook (``samples/``): the time from the
start of ``POST /api/v1/submissions`` to the first ``GET`` that sees it graded, on a
server whose worker already graded that assignment (jail warm), median and p95, with
the grading time the result reports (``duration_s``) beside it. Then a burst: N
submissions from N/2 students sent at once by 16 threads, and the time until all are
graded. Side by side in the same run, the same notebooks through ``autograder grade``:
one notebook (what a student waits for without the server: a fresh command, jail
start included) and the burst's notebooks in one batch.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server_helpers import Served, make_course, register, sample, serve  # noqa: E402

SAMPLE = "ivanov"


def latency(server: Served, token: str, assignment: str, data: bytes) -> tuple[float, float]:
    """Seconds from POST to graded, and the grading time the result reports."""
    started = time.perf_counter()
    status, _, body = server.submit(token, assignment, data)
    assert status == 202, body
    while True:
        _, _, view = server.request("GET", f"/api/v1/submissions/{body['id']}", token)
        if view["status"] in ("graded", "error"):
            return time.perf_counter() - started, float(view["result"]["duration_s"])
        time.sleep(0.002)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_latency(server: Served, token: str, assignment: str, samples: int) -> tuple[list[float], list[float]]:
    data = sample(assignment, SAMPLE)
    for _ in range(3):  # warm: every worker has this assignment's jail up
        latency(server, token, assignment, data)
    runs = [latency(server, token, assignment, data) for _ in range(samples)]
    return [r[0] for r in runs], [r[1] for r in runs]


def burst(server: Served, tokens: dict[str, str], count: int) -> tuple[float, int, int]:
    """Seconds until all accepted are graded; accepted; refused."""
    data = sample("activations", SAMPLE)
    senders = [who for who in list(tokens)[: max(1, count // 2)] for _ in range(2)][:count]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda who: (who, server.submit(tokens[who], "activations", data)), senders))
    accepted = [(who, body["id"]) for who, (status, _, body) in answers if status == 202]
    refused = sum(1 for _, (status, _, _) in answers if status == 429)
    for who, ident in accepted:
        server.wait_graded(tokens[who], ident, timeout=600)
    return time.perf_counter() - started, len(accepted), refused


def grade_command(course: Path, assignment: str, notebooks: list[Path], out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "autograder", "grade", "--course", str(course), "-a", assignment,
                    *map(str, notebooks), "--out", str(out)], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as scratch:
        root = Path(scratch)
        course = make_course(root / "course", ("activations", "torch_xor"), limits={"submissions_per_hour": 0})
        tokens = register(course, {f"s{n:03d}": f"Student {n}" for n in range(max(2, args.burst // 2))})
        first = next(iter(tokens.values()))
        rows: list[tuple[str, str]] = []
        with serve(course, workers=args.workers) as server:
            for assignment in ("activations", "torch_xor"):
                total, grading = measure_latency(server, first, assignment, args.samples)
                rows.append((f"server, {assignment}: POST -> graded",
                             f"median {statistics.median(total) * 1000:.0f} ms, p95 {p95(total) * 1000:.0f} ms "
                             f"(grading itself: median {statistics.median(grading) * 1000:.0f} ms)"))
                measure_latency(server, first, "activations", 1)  # back to activations for the burst
            seconds, accepted, refused = burst(server, tokens, args.burst)
            rows.append((f"server, burst of {args.burst} activations",
                         f"{accepted} accepted, {refused} refused, all graded in {seconds:.1f} s "
                         f"= {accepted / seconds:.1f} submissions/s ({args.workers} workers)"))
        for assignment in ("activations", "torch_xor"):
            notebook = root / "one" / assignment / f"{SAMPLE}.ipynb"
            notebook.parent.mkdir(parents=True)
            notebook.write_bytes(sample(assignment, SAMPLE))
            seconds = grade_command(course, assignment, [notebook], root / "out-one" / assignment)
            rows.append((f"autograder grade, one {assignment} notebook", f"{seconds * 1000:.0f} ms (whole command)"))
        batch = root / "batch"
        batch.mkdir()
        for n in range(args.burst):
            shutil.copyfile(ROOT / "samples" / "activations" / f"{SAMPLE}.ipynb", batch / f"s{n:03d}.ipynb")
        seconds = grade_command(course, "activations", [batch], root / "out-batch")
        rows.append((f"autograder grade, batch of {args.burst} activations",
                     f"{seconds:.1f} s = {args.burst / seconds:.1f} submissions/s (one per core)"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
