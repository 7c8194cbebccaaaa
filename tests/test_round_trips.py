"""What the cheaper round trip must keep: the student's builtins from call to call, the
worker's own in between; each tag decoded as before and each malformed one refused; an
array's ``.npy`` head reused only for its own dtype and shape."""

from __future__ import annotations

import builtins
import io

import numpy as np
import pytest

from autograder.notebook import CodeCell
from autograder.sandbox.inside import protocol
from autograder.session import Session

BUILTINS = '''
import builtins
original_abs = builtins.abs

def patch():
    builtins.abs = lambda x: "patched"

def unpatch():
    builtins.abs = original_abs

def drop():
    del builtins.divmod

def use_abs(x):
    return abs(x)

def has_divmod():
    return hasattr(builtins, "divmod")

def draw():
    import random
    import numpy as np
    return random.random(), float(np.random.rand())
'''


def test_the_students_builtins_last_from_call_to_call(jail, fast_limits):
    with Session(jail.spawn, [CodeCell(0, BUILTINS)], fast_limits) as session:
        assert session.call("use_abs", -2) == 2
        session.call("patch")
        assert session.call("use_abs", -2) == "patched"  # kept for the next call
        assert session.call("use_abs", -3) == "patched"
        session.call("unpatch")
        assert session.call("use_abs", -2) == 2
        assert session.call("has_divmod") is True
        session.call("drop")  # a name removed: the worker's own code still has it
        assert session.call("has_divmod") is False
        assert session.call("use_abs", -5) == 5  # and the student's other builtins still work



def test_a_student_who_deletes_the_builtins_the_worker_uses_breaks_only_their_own_code(jail, fast_limits):
    """``del builtins.vars`` (or ``len``, ``dict``, ``all``, ``map``) in a cell: the worker still
    puts its own builtins back after that cell; the next cells run, and the student's code
    sees its own deletion."""
    cells = [CodeCell(0, "import builtins\nfor name in ('vars', 'len', 'dict', 'all', 'map'):\n"
                         "    delattr(builtins, name)"),
             CodeCell(1, "def square(x):\n    return x * x\n\ndef has_len():\n"
                         "    import builtins\n    return hasattr(builtins, 'len')")]
    with Session(jail.spawn, cells, fast_limits) as session:
        assert [cell.status for cell in session.run.cells] == ["ok", "ok"]
        assert session.call("square", 7) == 49
        assert session.call("has_len") is False

def test_each_call_draws_from_its_own_seed(jail, fast_limits):
    with Session(jail.spawn, [CodeCell(0, BUILTINS)], fast_limits, seed=7) as session:
        session.seeding("check a")
        first, second = session.call("draw"), session.call("draw")
        session.seeding("check a")  # the same check again: the same draws, call by call
        assert [session.call("draw"), session.call("draw")] == [first, second]
        assert first != second


def test_numpy_error_state_goes_with_each_call(jail, fast_limits):
    source = "import numpy as np\ndef overflow():\n    return float(np.exp(np.float64(1000.0)))\n"
    with Session(jail.spawn, [CodeCell(0, source)], fast_limits) as session:
        assert session.call("overflow") == float("inf")
        with session.numpy_errors(over="raise"):
            with pytest.raises(Exception, match="overflow"):
                session.call("overflow")
        assert session.call("overflow") == float("inf")  # the state left with the block


def _never(value, add):
    raise AssertionError(f"not plain data: {value!r}")


def test_every_tag_decodes_as_it_was_encoded():
    value = ((1, 2.5, "x", None, True), [float("nan"), float("-inf")], {"a": [1, {"b": ()}]},
             np.arange(6.0).reshape(2, 3), np.float32(1.5), np.int64(7))
    encoded, blobs = protocol.encode(value, _never)
    back = protocol.decode(encoded, blobs, _never, _never)
    assert type(back) is tuple and back[0] == value[0] and back[2] == value[2]
    assert np.isnan(back[1][0]) and back[1][1] == float("-inf")
    assert np.array_equal(back[3], value[3]) and back[3].dtype == np.float64
    assert type(back[4]) is np.float32 and back[4] == 1.5 and type(back[5]) is np.int64


@pytest.mark.parametrize("tagged, message", [
    ({"$t": "x"}, "unknown value tag"), ({"$d": "x"}, "unknown value tag"),
    ({"$d": [[1, 2]]}, "bad dict item"), ({"$f": "1.0"}, "bad float"), ({"$a": 3}, "bad blob reference"),
    ({"$s": 0}, "not 0-d"), ({"$T": 0}, "bad tensor"), ({"$r": "x"}, "bad remote reference"),
    ({"$q": 1}, "unknown value tag"), ({"$t": [], "$d": []}, "unknown value tag"), ({}, "malformed value"),
])
def test_malformed_tags_are_refused(tagged, message):
    blobs = [protocol.array_blob(np.arange(3.0))]
    with pytest.raises(protocol.WireError, match=message):
        protocol.decode(tagged, blobs, _never, _never)


def test_an_arrays_head_is_reused_only_for_its_dtype_and_shape():
    arrays = [np.arange(3.0), np.arange(3, dtype=np.int32), np.arange(2.0), np.arange(3.0) + 1,
              np.zeros((3, 1)), np.arange(3, dtype=">f8")]
    for array in arrays * 2:  # the second time from the kept heads
        saved = io.BytesIO()
        np.save(saved, array, allow_pickle=False)
        assert protocol.array_blob(array) == saved.getvalue()
    for refused in (np.array([object()] * 3), np.array(["a", "b", "c"])):  # the shape of a kept head
        with pytest.raises(protocol.WireError):
            protocol.array_blob(refused)


def test_a_frame_without_blobs_must_end_with_its_header():
    import socket

    ours, theirs = socket.socketpair()
    with ours, theirs:
        body = b'{"op":"has","_blobs":[]}'
        for extra, ok in ((b"", True), (b"junk", False)):  # bytes past a header that lists no blob
            total = 4 + len(body) + len(extra)
            theirs.sendall(total.to_bytes(4, "big") + len(body).to_bytes(4, "big") + body + extra)
            reader = protocol.FrameReader(ours)
            if ok:
                assert reader.read(None) == ({"op": "has"}, [])
            else:
                with pytest.raises(protocol.WireError, match="blob lengths"):
                    reader.read(None)
