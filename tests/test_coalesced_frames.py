"""A run's cell reports and a batch's replies travel as one frame of frames; when the
worker dies or hangs with some of them held, the blame still falls on the cell or call
that really ended it, as when every frame went alone."""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator
from typing import Any
from unittest import mock

import numpy as np
import pytest

from autograder.config import replace
from autograder.exceptions import CallTimeout, WorkerDied
from autograder.notebook import CodeCell
from autograder.sandbox.channel import WorkerChannel
from autograder.sandbox.inside import protocol
from autograder.session import Session

HARD_HANG = "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass"


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, WorkerChannel]]:
    """The worker's socket and the grader's channel on the other end."""
    ours, theirs = socket.socketpair()
    status, status_theirs = socket.socketpair()
    channel = WorkerChannel(ours, status)
    yield theirs, channel
    for sock in (ours, theirs, status, status_theirs):
        sock.close()


def soon() -> float:
    return time.monotonic() + 2


def test_frames_sent_together_arrive_one_by_one_with_their_own_blobs(pair):
    sock, channel = pair
    box = protocol.Outbox(sock)
    sent = [({"cell": 1}, []), ({"ok": {"$a": 0}}, [protocol.array_blob(np.arange(3.0))]),
            ({"ok": 2}, [b"ab", b""]), ({"done": True}, [])]
    for header, blobs in sent:
        box.add(header, blobs)
    box.flush()
    reads = mock.patch.object(channel.reader, "read", wraps=channel.reader.read)
    with reads as read:
        got = [channel.recv(soon()) for _ in sent]
    assert got == sent and read.call_count == 1


def test_the_outbox_sends_when_due_when_large_and_at_once_when_eager(pair, monkeypatch):
    sock, channel = pair
    monkeypatch.setattr(protocol, "FLUSH_BYTES", 1000)  # what a socket pair holds unread
    box = protocol.Outbox(sock)
    box.add({"n": 1})
    box.due()  # too early: kept
    assert select.select([channel.sock], [], [], 0.05)[0] == []
    time.sleep(protocol.FLUSH_S)
    box.due()
    assert channel.recv(soon()) == ({"n": 1}, [])
    big = b"x" * 1000
    box.add({"n": 2})
    box.add({"n": 3}, [big])  # over the size: what was pending goes, then this one
    assert channel.recv(soon()) == ({"n": 2}, []) and channel.recv(soon()) == ({"n": 3}, [big])
    eager = protocol.Outbox(sock, eager=True)
    eager.add({"n": 4})
    assert channel.recv(soon()) == ({"n": 4}, [])


@pytest.mark.parametrize("header, blobs", [
    ({"many": [{"a": 1, "_blobs": []}]}, []),  # one frame is sent alone, never wrapped
    ({"many": [], "x": 1}, []),
    ({"many": {"a": 1}}, []),
    ({"many": [{"a": 1, "_blobs": []}, 5]}, []),
    ({"many": [{"a": 1}, {"b": 2, "_blobs": []}]}, []),
    ({"many": [{"a": 1, "_blobs": [2]}, {"b": 2, "_blobs": []}]}, [b"abc"]),
    ({"many": [{"a": 1, "_blobs": [1]}, {"b": 2, "_blobs": [1]}]}, [b"a"]),
    ({"many": [{"a": 1, "_blobs": []}, {"b": 2, "_blobs": []}]}, [b"left over"]),
    ({"many": [{"a": 1, "_blobs": [True]}, {"b": 2, "_blobs": []}]}, [b"a"]),
    ({"many": [{"a": 1, "_blobs": [-1]}, {"b": 2, "_blobs": []}]}, []),
    ({"many": [{"many": [], "_blobs": []}, {"b": 2, "_blobs": []}]}, []),
])
def test_a_malformed_frame_of_frames_is_a_wire_error(pair, header, blobs):
    sock, channel = pair
    protocol.send_frame(sock, header, blobs)
    with pytest.raises(protocol.WireError):
        channel.recv(soon())


def count_reads() -> Any:
    return mock.patch.object(protocol.FrameReader, "read", autospec=True, side_effect=protocol.FrameReader.read)


def test_a_run_and_a_batch_are_one_frame_each(jail, fast_limits):
    cells = [CodeCell(i, f"x{i} = {i}") for i in range(6)] + [CodeCell(6, "def f(x):\n    return 2 * x")]
    with count_reads() as read:
        session = Session(jail.spawn, cells, fast_limits)
        with session:
            assert read.call_count == 1 and session.run.ok
            replies = session.call_many([("f", (n,), {}) for n in range(5)])
            assert [r.get() for r in replies] == [0, 2, 4, 6, 8] and read.call_count == 2


def exiting_notebook(fifth: str) -> list[CodeCell]:
    sources = ["a = 1", "b = 2", "print('three')", "c = 3", fifth, "d = 4"]
    return [CodeCell(i, source) for i, source in enumerate(sources)]


@pytest.mark.parametrize("fifth, detail", [("import os\nos._exit(3)", "exit code 3"),
                                           ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
                                            "killed by signal 9")])
def test_the_cell_that_ends_the_worker_is_blamed(jail, fast_limits, fifth, detail):
    with Session(jail.spawn, exiting_notebook(fifth), fast_limits) as session:
        assert [c.status for c in session.run.cells] == ["ok"] * 4 + ["ended_process", "not_run"]
        assert session.run.cells[4].message == detail and session.run.cells[2].stdout == "three\n"
        assert session.has("c") and not session.has("d")  # the replay: the cells before it


def test_a_cell_that_ignores_the_alarm_is_blamed(jail, fast_limits):
    limits = replace(fast_limits, cell_timeout_s=1.0)
    cells = [CodeCell(0, "x = 1"), CodeCell(1, "y = 2"), CodeCell(2, HARD_HANG), CodeCell(3, "z = 3")]
    with Session(jail.spawn, cells, limits) as session:
        assert [c.status for c in session.run.cells] == ["ok", "ok", "timeout", "not_run"]
        assert session.run.stopped_at == -1
        assert session.has("y") and not session.has("z")


BATCH_SOURCE = ("import os, signal\n"
                "def f(x):\n"
                "    if x == 'exit':\n"
                "        os._exit(0)\n"
                "    if x == 'kill':\n"
                "        os.kill(os.getpid(), signal.SIGKILL)\n"
                "    if x == 'hang':\n"
                "        signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                "        while True:\n"
                "            pass\n"
                "    return x * 2\n")


@pytest.mark.parametrize("how, detail", [("exit", "exit code 0"), ("kill", "killed by signal 9")])
def test_the_call_of_a_batch_that_kills_the_worker_is_blamed(jail, fast_limits, how, detail):
    with Session(jail.spawn, [CodeCell(0, BATCH_SOURCE)], fast_limits) as session:
        with session.scope("q"):
            replies = session.call_many([("f", (n,), {}) for n in (1, 2)] + [("f", (how,), {})]
                                        + [("f", (n,), {}) for n in (4, 5)])
            assert [replies[0].get(), replies[1].get()] == [2, 4]
            with pytest.raises(WorkerDied) as died:
                replies[2].get()
            assert died.value.detail == detail and "f('" + how in str(died.value.call)
            with pytest.raises(WorkerDied) as same:  # its question's later calls fail at once
                replies[3].get()
            assert same.value.call == died.value.call
        with session.scope("other"):
            assert session.call("f", 6) == 12


def test_the_call_of_a_batch_that_ignores_the_alarm_is_blamed(jail, fast_limits):
    with Session(jail.spawn, [CodeCell(0, BATCH_SOURCE)], fast_limits) as session:
        replies = session.call_many([("f", (1,), {}), ("f", (2,), {}), ("f", ("hang",), {}), ("f", (4,), {})],
                                    timeout=0.5)
        assert [replies[0].get(), replies[1].get()] == [2, 4]
        with pytest.raises(CallTimeout) as hung:
            replies[2].get()
        assert "hang" in hung.value.call
        assert replies[3].get() == 8
