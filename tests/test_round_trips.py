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


def test_a_tuples_arrays_and_nones_are_tagged_as_a_walk_would_tag_them():
    """A call's value (its arguments, a value with its arguments after it) goes the
    short way; the tags, the blobs and their order are those of any other value."""
    a, b = np.arange(3.0), np.ones((2, 2), dtype=np.int32)
    encoded, blobs = protocol.encode(((a, None, b), {}), _never)
    assert encoded == {"$t": [{"$t": [{"$a": 0}, None, {"$a": 1}]}, {"$d": []}]}
    assert blobs == [protocol.array_blob(a), protocol.array_blob(b)]
    back = protocol.decode({"$t": [{"$a": 1}, None, {"$a": 0}, {"$t": [None]}]}, blobs, _never, _never)
    assert np.array_equal(back[0], b) and back[0].dtype == np.int32 and back[1] is None
    assert np.array_equal(back[2], a) and back[3] == (None,)
    for bad in ({"$t": [{"$a": 2}]}, {"$t": [{"$a": True}]}, {"$t": [{"$a": -1}]}):
        with pytest.raises(protocol.WireError, match="bad blob reference"):
            protocol.decode(bad, blobs, _never, _never)


def test_the_short_way_keeps_the_size_and_depth_limits(monkeypatch):
    monkeypatch.setattr(protocol, "MAX_ITEMS", 4)
    blobs = [protocol.array_blob(np.arange(2.0))]
    protocol.encode((np.zeros(1), None, {}), _never)  # 4 items: the tuple and its three
    protocol.decode({"$t": [{"$a": 0}, None, None]}, blobs, _never, _never)
    with pytest.raises(protocol.WireError, match="too large"):
        protocol.encode((np.zeros(1), None, {}, None), _never)
    with pytest.raises(protocol.WireError, match="too large"):
        protocol.decode({"$t": [{"$a": 0}, None, None, None]}, blobs, _never, _never)
    monkeypatch.setattr(protocol, "MAX_ITEMS", 1000)
    monkeypatch.setattr(protocol, "MAX_DEPTH", 2)
    protocol.encode(((np.zeros(1),),), _never)  # the array at depth 2
    protocol.decode({"$t": [{"$t": [{"$a": 0}, None]}]}, blobs, _never, _never)
    with pytest.raises(protocol.WireError, match="too deeply"):
        protocol.encode((((np.zeros(1),),),), _never)
    with pytest.raises(protocol.WireError, match="too deeply"):
        protocol.decode({"$t": [{"$t": [{"$t": [None]}]}]}, blobs, _never, _never)


@pytest.mark.parametrize("order", ["C", "F"])
def test_an_array_comes_back_as_its_own_writable_copy_in_its_order(order):
    sent = np.asarray(np.arange(12.0).reshape(3, 4), order=order)
    saved = io.BytesIO()
    np.save(saved, sent, allow_pickle=False)
    for _ in range(2):  # the second time from the kept header
        back = protocol.load_array(saved.getvalue())
        assert np.array_equal(back, sent) and back.shape == (3, 4) and back.dtype == sent.dtype
        assert back.flags.writeable and back.flags.owndata
        assert back.flags.c_contiguous == (order == "C") and back.flags.f_contiguous == (order == "F")
