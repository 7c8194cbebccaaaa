"""Several checks' first requests in one frame (autograder/gather.py): the worker sees the
same requests in the same order as one check at a time, so every result is the same;
when a check would break that order, the submission is graded again one check at a time."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
import pytest

from autograder import exceptions as ex
from autograder.config import Limits, load_settings
from autograder.gather import Reordered
from autograder.grading import Grader
from autograder.notebook import CodeCell
from autograder.results import SubmissionResult
from autograder.sandbox.client import WorkerClient
from autograder.sandbox.jail import Jail
from autograder.session import Session
from autograder.submissions import find_submissions
from autograder.verify.independence import dependence_problems
from tests.helpers import graded_part, make_mini_project, write_notebook

STATEFUL = """
calls = []

def note(tag):
    calls.append(tag)
    return list(calls)

def hang():
    while True:
        pass
"""


def outcome(session: Session, target: str, *args: Any, scope: str = "q") -> Callable[[], Any]:
    """A check of one call: its value, or its error's class name."""
    def check() -> Any:
        with session.scope(scope):
            try:
                return session.call(target, *args)
            except ex.StudentCodeError as error:
                return type(error).__name__
    return check


def one_by_one(jail: Jail, limits: Limits, make: Callable[[Session], list[Callable[[], Any]]]) -> list[Any]:
    with Session(jail.spawn, [CodeCell(0, STATEFUL)], limits) as session:
        return [check() for check in make(session)]


def gathered(jail: Jail, limits: Limits, make: Callable[[Session], list[Callable[[], Any]]],
             asked: list[tuple[int, bool] | None] | None = None) -> list[Any]:
    with Session(jail.spawn, [CodeCell(0, STATEFUL)], limits) as session:
        return session.gather(make(session), (asked if asked is not None else []).extend)


@pytest.fixture
def frames(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many requests each frame of frames carried."""
    sent: list[int] = []
    original = WorkerClient.send_frames

    def counting(self: WorkerClient, worker: Any, frames: list[Any]) -> None:
        sent.append(len(frames))
        original(self, worker, frames)

    monkeypatch.setattr(WorkerClient, "send_frames", counting)
    return sent


def test_first_requests_go_in_one_frame_and_the_worker_sees_them_in_check_order(
        jail: Jail, fast_limits: Limits, frames: list[int]) -> None:
    def make(session: Session) -> list[Callable[[], Any]]:
        return [outcome(session, "note", tag) for tag in "abc"]

    asked: list[tuple[int, bool] | None] = []
    assert gathered(jail, fast_limits, make, asked) == [["a"], ["a", "b"], ["a", "b", "c"]]
    assert frames == [3] and asked == [(1, True)] * 3
    assert one_by_one(jail, fast_limits, make) == [["a"], ["a", "b"], ["a", "b", "c"]]


def test_a_check_asking_again_after_a_later_checks_request_was_handled_is_reordered(
        jail: Jail, fast_limits: Limits) -> None:
    def make(session: Session) -> list[Callable[[], Any]]:
        def twice() -> Any:
            session.call("note", "a")
            return session.call("note", "a again")  # one by one, before "b"

        return [twice, outcome(session, "note", "b")]

    asked: list[tuple[int, bool] | None] = []
    with pytest.raises(Reordered):
        gathered(jail, fast_limits, make, asked)
    assert asked == [(2, True), None]  # the runner learns it (this check goes last from now on), not the unfinished one


def test_a_check_that_catches_everything_cannot_hide_the_reordering(jail: Jail, fast_limits: Limits) -> None:
    def make(session: Session) -> list[Callable[[], Any]]:
        def swallowing() -> Any:
            session.call("note", "a")
            try:
                return session.call("note", "a again")
            except BaseException:  # noqa: BLE001 - what a careless check might do
                return "swallowed"

        return [swallowing, outcome(session, "note", "b")]

    with pytest.raises(Reordered):
        gathered(jail, fast_limits, make)


def test_the_last_check_of_a_run_may_ask_as_often_as_it_likes(jail: Jail, fast_limits: Limits,
                                                              frames: list[int]) -> None:
    def make(session: Session) -> list[Callable[[], Any]]:
        def three_times() -> Any:
            return [session.call("note", tag)[-1] for tag in ("c1", "c2", "c3")]

        return [outcome(session, "note", "a"), outcome(session, "note", "b"), three_times]

    expected = [["a"], ["a", "b"], ["c1", "c2", "c3"]]
    assert gathered(jail, fast_limits, make) == expected == one_by_one(jail, fast_limits, make)
    assert frames == [3]


@pytest.mark.parametrize("scopes", [("q1", "q2", "q3"), ("q", "q", "q")])
def test_after_a_hang_the_later_requests_go_again_as_one_by_one(jail: Jail, fast_limits: Limits,
                                                                  scopes: tuple[str, str, str]) -> None:
    """Alone, the hang's worker is discarded: the next check's call starts a fresh worker
    (other question) or fails at once (same question). Gathered, its request, handled by no
    one, goes again the same way."""
    def make(session: Session) -> list[Callable[[], Any]]:
        return [outcome(session, "note", "a", scope=scopes[0]), outcome(session, "hang", scope=scopes[1]),
                outcome(session, "note", "b", scope=scopes[2])]

    alone = one_by_one(jail, fast_limits, make)
    assert alone[:2] == [["a"], "CallTimeout"]
    assert alone[2] == (["b"] if scopes[2] != scopes[1] else "CallTimeout")
    assert gathered(jail, fast_limits, make) == alone


def test_a_batch_of_calls_is_gathered_with_single_requests(jail: Jail, fast_limits: Limits,
                                                           frames: list[int]) -> None:
    def make(session: Session) -> list[Callable[[], Any]]:
        def batch() -> Any:
            return [reply.get()[-1] for reply in session.call_many([("note", ("b1",), {}), ("note", ("b2",), {})])]

        return [outcome(session, "note", "a"), batch, outcome(session, "note", "c")]

    expected = [["a"], ["b1", "b2"], ["a", "b1", "b2", "c"]]
    assert gathered(jail, fast_limits, make) == expected == one_by_one(jail, fast_limits, make)
    assert frames == [3]


def test_a_check_that_leaves_the_grader_s_output_redirected_while_others_wait_is_reordered(
        jail: Jail, fast_limits: Limits) -> None:
    """An imported doctest captures its output around calls into the student's code: one
    by one, no other check's code runs while it is captured."""
    def make(session: Session) -> list[Callable[[], Any]]:
        def capturing() -> Any:
            with contextlib.redirect_stdout(io.StringIO()) as captured:
                print(session.call("note", "captured"))
            return captured.getvalue()

        return [outcome(session, "note", "a"), capturing, outcome(session, "note", "b")]

    output = sys.stdout
    asked: list[tuple[int, bool] | None] = []
    with pytest.raises(Reordered):
        gathered(jail, fast_limits, make, asked)
    assert sys.stdout is output  # the waiting checks were unwound, their captures undone
    assert asked == [None, (1, False), None]  # from now on it runs alone; the others were not seen to the end
    alone: list[tuple[int, bool] | None] = []  # first, or alone: the same value as one by one, the state learnt
    assert gathered(jail, fast_limits, lambda session: make(session)[1:2], alone) == ["['captured']\n"]
    assert alone == [(1, False)] and sys.stdout is output


def test_a_check_calling_from_a_thread_of_its_own_is_graded_one_by_one(jail: Jail, fast_limits: Limits) -> None:
    """Greenlets do not cross threads: a check that calls the student's code from a thread
    it starts cannot wait in a run, so the submission goes one check at a time."""
    def make(session: Session) -> list[Callable[[], Any]]:
        def threaded() -> Any:
            with ThreadPoolExecutor(1) as pool:
                return pool.submit(session.call, "note", "from a thread").result()

        return [outcome(session, "note", "a"), threaded]

    asked: list[tuple[int, bool] | None] = []
    with pytest.raises(Reordered):
        gathered(jail, fast_limits, make, asked)
    assert asked == [None, (0, False)]  # learnt: it runs alone from now on
    assert one_by_one(jail, fast_limits, make) == [["a"], ["a", "from a thread"]]
    alone: list[tuple[int, bool] | None] = []
    assert gathered(jail, fast_limits, lambda session: make(session)[1:], alone) == [["from a thread"]]
    assert alone == [(1, False)]  # alone, its thread's calls go as one by one


# ---- a whole submission ---------------------------------------------------------------

SECOND_CHANCE = '''
from autograder.checks import check, expect_close


@check("double", en="doubles 1", ru="удваивает 1")
def test_double_once_more(submission, reference, tol):
    got = submission.double(1.0)
    if got != 2.0:
        got = submission.double(1.0)  # asks again, only after a wrong first answer
    expect_close("double", (1.0,), got, reference.double(1.0), tol)


@check("halve", en="halves 4", ru="делит 4 пополам")
def test_halve(submission, reference, tol):
    expect_close("halve", (4.0,), submission.halve(4.0), reference.halve(4.0), tol)
'''

GOOD = "def double(x):\n    return 2.0 * x\n\ndef halve(x):\n    return x / 2"
# right the second time only; `halve` right only once `double` was called twice before it,
# as it is when the checks run one at a time
COUNTING = ("n = 0\n\ndef double(x):\n    global n\n    n += 1\n    return 2.0 * x if n >= 2 else 0.0\n\n"
            "def halve(x):\n    return x / 2 + (n - 2)")



def test_a_submission_whose_check_asks_again_is_graded_again_one_check_at_a_time(
        tmp_path: Path, jail: Jail, frames: list[int]) -> None:
    config = make_mini_project(tmp_path)
    (tmp_path / "assignments" / "mini" / "checks" / "test_mini.py").write_text(SECOND_CHANCE)
    settings = load_settings(config)
    good = write_notebook(tmp_path / "subs" / "a_good.ipynb", [GOOD])
    counting = write_notebook(tmp_path / "subs" / "b_counting.ipynb", [COUNTING])
    results: list[SubmissionResult] = []
    Grader("mini", settings, jail).grade_many(find_submissions([good, counting]), results.append)
    assert [r.score for r in results] == [3.0, 3.0]  # `halve` saw `double` called twice first
    assert frames == [2]  # the good one went one by one, learning each check asks once; then two in one frame
    alone: list[SubmissionResult] = []
    Grader("mini", settings, jail).grade_many(find_submissions([counting]), alone.append)
    assert graded_part(results[1]) == graded_part(alone[0])


@pytest.mark.parametrize("independent", [True, False])
def test_a_course_whose_checks_depend_on_one_another_grades_them_one_at_a_time(
        tmp_path: Path, jail: Jail, frames: list[int], independent: bool) -> None:
    config = make_mini_project(tmp_path)
    if not independent:  # `independent_checks: false` under the assignment
        config.write_text(config.read_text().rstrip("\n") + "\n    independent_checks: false\n")
    settings = load_settings(config)
    assert settings.assignment("mini").independent_checks is independent
    notebooks = [write_notebook(tmp_path / "subs" / f"{name}.ipynb", [GOOD.replace("2.0 * x", f"2.0 * x + 0 * {n}")])
                 for n, name in enumerate(("a", "b", "c"))]
    results: list[SubmissionResult] = []
    Grader("mini", settings, jail).grade_many(find_submissions(notebooks), results.append)
    assert [r.score for r in results] == [3.0] * 3
    assert frames == ([3, 3] if independent else [])  # after the first, three checks' calls in one frame


DEPENDENT = '''
from autograder.checks import check, expect_close

DOUBLED = {}  # what the student's double(3.0) returned, for the next check: a dependence


@check("double", en="doubles 3", ru="удваивает 3")
def test_double(submission, reference, tol):
    DOUBLED.clear()
    DOUBLED["3"] = submission.double(3.0)
    expect_close("double", (3.0,), DOUBLED["3"], reference.double(3.0), tol)


@check("halve", en="halves what double gave", ru="делит пополам то, что дала double")
def test_halve_of_double(submission, reference, tol):
    six = DOUBLED["3"] if "3" in DOUBLED else submission.double(3.0)
    expect_close("halve", (six,), submission.halve(six), reference.halve(six), tol)
'''


# the same dependence with a check after it: gathered, `halve` asks again once the third
# check's request was handled, and that gathered run is given up (Reordered) and graded
# one check at a time; only a later gathered run shows the extra request
DEPENDENT_THEN_ANOTHER = DEPENDENT + '''

@check("halve", en="halves 8", ru="делит 8 пополам")
def test_halve_eight(submission, reference, tol):
    expect_close("halve", (8.0,), submission.halve(8.0), reference.halve(8.0), tol)
'''


@pytest.mark.parametrize("dependent", ["", DEPENDENT, DEPENDENT_THEN_ANOTHER],
                         ids=["independent", "dependent", "dependent-then-another"])
def test_verify_names_checks_that_depend_on_one_another(tmp_path: Path, jail: Jail, dependent: str) -> None:
    config = make_mini_project(tmp_path)
    if dependent:
        (tmp_path / "assignments" / "mini" / "checks" / "test_mini.py").write_text(dependent)
    settings = load_settings(config)
    solution = nbformat.read(write_notebook(tmp_path / "solution.ipynb", [GOOD]), as_version=4)
    problems = dependence_problems("mini", settings, jail, solution)
    if not dependent:
        assert problems == []
        return
    assert [p.question for p in problems] == ["independent_checks"]
    assert "independent_checks: false" in problems[0].message and "request 2 on" in problems[0].message
    config.write_text(config.read_text().rstrip("\n") + "\n    independent_checks: false\n")
    assert dependence_problems("mini", load_settings(config), jail, solution) == []  # one at a time: nothing to compare
