"""A batch's grader processes each on a core of their own, their jail workers beside them."""

from __future__ import annotations

import json
import os

import pytest

from autograder.sandbox import affinity
from autograder.notebook import CodeCell
from autograder.sandbox.inside import limits
from autograder.session import Session

CELLS = [CodeCell(0, "import os\ncores = sorted(os.sched_getaffinity(0))")]
TWO_CORES = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two usable cores")


def in_child(work) -> object:
    """``work()``'s JSON value, computed in a forked process (pinning is for good)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.write(write, json.dumps(work()).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as answer:
        return json.loads(answer.read())


@TWO_CORES
def test_a_pinned_grader_gets_its_worker_on_its_core(jail, fast_limits):
    def pinned() -> object:
        core = affinity.claim(1, 2)
        with Session(jail.spawn, CELLS, fast_limits) as session:
            return [core, session.getattr("cores")]

    core, worker_cores = in_child(pinned)
    assert core == affinity.usable()[1]
    assert worker_cores == [core]


def test_a_grader_free_to_move_gets_a_worker_free_to_move(jail, fast_limits):
    with Session(jail.spawn, CELLS, fast_limits) as session:
        assert session.getattr("cores") == affinity.usable()


@TWO_CORES
def test_each_grader_process_of_a_batch_claims_another_core():
    cores = affinity.usable()
    claimed = [in_child(lambda index=index: [affinity.claim(index, len(cores)), affinity.current()])
               for index in range(len(cores))]
    assert [pair[0] for pair in claimed] == cores
    assert all(pinned == core for core, pinned in claimed)


def test_one_grader_or_more_graders_than_cores_stay_free():
    cores = affinity.usable()
    for index, jobs in ((0, 1), (0, len(cores) + 1)):
        assert in_child(lambda: [affinity.claim(index, jobs), sorted(os.sched_getaffinity(0))]) == [None, cores]


def test_a_worker_told_no_core_or_a_strange_one_stays_free():
    cores = affinity.usable()
    for core in (None, "0", -1, 1.0, 10**6):
        assert in_child(lambda: [limits.share_core(core), sorted(os.sched_getaffinity(0))]) == [None, cores]


def test_the_default_number_of_jobs_is_the_usable_cores_not_the_machines():
    def limited_to_one_core() -> object:
        os.sched_setaffinity(0, {affinity.usable()[0]})
        return [affinity.jobs_for(0, 10), affinity.jobs_for(3, 10), affinity.jobs_for(0, 0), affinity.jobs_for(8, 2)]

    assert in_child(limited_to_one_core) == [1, 3, 1, 2]
