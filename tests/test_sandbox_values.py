"""Values cross the wire intact, in both directions, through the real jail."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.exceptions import BadValue, MissingName, NotCallable, StudentException
from autograder.notebook import CodeCell
from autograder.sandbox.values import RemoteObject, TensorValue, isinstance_of, tensor
from autograder.session import Session

SOURCE = '''
import numpy as np
import torch
from collections import OrderedDict

def echo(*args, **kwargs):
    return (args, kwargs) if kwargs else args[0]

def make(kind):
    return {
        "f64": np.arange(6.0).reshape(2, 3),
        "i8": np.array([-1, 2], dtype=np.int8),
        "bool": np.array([True, False]),
        "c128": np.array([1 + 2j]),
        "zero_d": np.array(3.5),
        "empty": np.zeros((0, 4), dtype=np.float32),
        "scalar32": np.float32(1.5),
        "scalar_i": np.int64(7),
        "float": 2.0,
        "nan": float("nan"),
        "ninf": float("-inf"),
        "tuple": (1, (2.0, "x"), [None, True]),
        "dict": {"a": [1, 2], "b": {"c": 3.0}},
        "tensor": torch.ones(2, 2, requires_grad=True),
        "bf16": torch.ones(3, dtype=torch.bfloat16),
        "objects": np.array([object()]),
        "strings": np.array(["a", "b"]),
        "intkeys": {1: "a"},
        "ordered": OrderedDict(a=1),
    }[kind]

def tensor_info(t):
    return str(t.dtype), bool(t.requires_grad), t.sum().item()

def scale_(x):
    x *= 2
    return None

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(2, 1)

    def forward(self, x):
        return torch.sigmoid(self.fc(x))

def count(items):
    return len(list(items))

def losses(n):
    # a training loop's return: one NumPy number per epoch (the course's Perceptron.fit)
    out = []
    for i in range(n):
        out.append(np.mean(np.array([i, i + 1.0])) * 0.5)
    return out + [np.float32(0.1), np.int8(-3), np.uint64(2 ** 64 - 1), np.bool_(True), np.float64("nan"),
                  np.float16(-np.inf), np.complex128(1 + 2j)]

net = Net()
answer = 42
'''


@pytest.fixture(scope="module")
def session(jail, fast_limits):
    with Session(jail.spawn, [CodeCell(0, SOURCE)], fast_limits) as started:
        assert started.run.ok, started.run
        yield started


@pytest.mark.parametrize("kind, dtype, shape", [
    ("f64", "float64", (2, 3)), ("i8", "int8", (2,)), ("bool", "bool", (2,)),
    ("c128", "complex128", (1,)), ("zero_d", "float64", ()), ("empty", "float32", (0, 4)),
])
def test_arrays_keep_dtype_and_shape(session, kind, dtype, shape):
    value = session.call("make", kind)
    assert isinstance(value, np.ndarray)
    assert (value.dtype.name, value.shape) == (dtype, shape)


def test_arrays_round_trip_unchanged(session):
    sent = np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32)
    back = session.call("echo", sent)
    assert back.dtype == np.float32 and np.array_equal(back, sent)


def test_numpy_scalars_keep_dtype_and_python_float_stays_float(session):
    assert type(session.call("make", "scalar32")) is np.float32
    assert type(session.call("make", "scalar_i")) is np.int64
    assert type(session.call("make", "float")) is float


def test_a_list_of_twenty_thousand_numpy_numbers_comes_back_exact(session):
    """`fit` returning its 20,000 epochs' losses (np.float64 each) was 'a value that
    cannot be checked: blob lengths do not match the frame', and the solution lost points."""
    back = session.call("losses", 20_000)
    assert len(back) == 20_007 and all(type(v) is np.float64 for v in back[:20_000])
    assert back[:3] == [0.25, 0.75, 1.25] and back[19_999] == np.mean([19_999, 20_000.0]) * 0.5
    tail = back[20_000:]
    assert [type(v) for v in tail] == [np.float32, np.int8, np.uint64, np.bool_, np.float64, np.float16,
                                       np.complex128]
    assert tail[0] == np.float32(0.1) and tail[1] == -3 and tail[2] == 2 ** 64 - 1 and tail[3]
    assert math.isnan(tail[4]) and tail[5] == -np.inf and tail[6] == 1 + 2j


def test_inline_numpy_numbers_are_checked_on_the_way_in() -> None:
    from autograder.sandbox.inside.protocol import WireError, decode

    def hook(value, blobs):
        raise AssertionError("no tensor or object here")

    assert decode({"$n": ["<i2", 7]}, [], hook, hook) == np.int16(7)
    for bad in (["<i2", 70_000], ["<i2", 1.5], ["|O8", 1], ["<f8", "1e3"], ["<c16", 1.0], ["<f8"], "x"):
        with pytest.raises(WireError):
            decode({"$n": bad}, [], hook, hook)


def test_non_finite_floats(session):
    assert math.isnan(session.call("make", "nan"))
    assert session.call("make", "ninf") == -math.inf
    back = session.call("echo", [math.inf, np.array([np.nan])])
    assert back[0] == math.inf and np.isnan(back[1][0])


def test_containers_keep_their_types(session):
    assert session.call("make", "tuple") == (1, (2.0, "x"), [None, True])
    assert session.call("make", "dict") == {"a": [1, 2], "b": {"c": 3.0}}
    assert session.call("make", "ordered") == {"a": 1}
    assert session.call("echo", 1, key=(2,)) == ((1,), {"key": (2,)})


def test_tensors_both_ways(session):
    value = session.call("make", "tensor")
    assert isinstance(value, TensorValue)
    assert (value.dtype, value.requires_grad, value.shape) == ("torch.float32", True, (2, 2))
    assert session.call("make", "bf16").dtype == "torch.bfloat16"
    info = session.call("tensor_info", tensor([[1, 2], [3, 4]], dtype="float64", requires_grad=True))
    assert info == ("torch.float64", True, 10.0)


@pytest.mark.parametrize("kind", ["objects", "strings"])
def test_non_numeric_arrays_are_refused(session, kind):
    with pytest.raises(BadValue):
        session.call("make", kind)
    assert session.call("make", "float") == 2.0  # the worker is still usable


def test_dict_with_non_str_keys_stays_remote(session):
    assert isinstance(session.call("make", "intkeys"), RemoteObject)


def test_args_after_shows_mutation(session):
    x = np.ones(3)
    result = session.call_ex("scale_", (x,), return_args=True)
    assert np.array_equal(result.args_after[0], 2 * np.ones(3))
    assert np.array_equal(x, np.ones(3))  # the grader's copy is untouched


def test_module_is_a_remote_object_with_methods(session):
    net = session.call("Net")
    assert isinstance(net, RemoteObject)
    assert net.type_name.endswith("Net")
    assert isinstance_of(net, "torch.nn.Module") and not isinstance_of(net, "numpy.ndarray")
    state = net.state_dict()
    assert set(state) == {"fc.weight", "fc.bias"}
    zeros = {k: tensor(np.zeros(v.shape)) for k, v in state.items()}
    net.load_state_dict(zeros)
    assert np.array_equal(net.state_dict()["fc.weight"].array, np.zeros((1, 2)))
    out = net(tensor([[1.0, 2.0]]))
    assert np.allclose(out.array, 0.5)
    assert session.call("count", net.parameters()) == 2


def test_globals_missing_and_not_callable(session):
    assert session.has("answer") and not session.has("nothing_here")
    assert session.proxy.value("answer") == 42
    with pytest.raises(MissingName):
        session.proxy.nothing_here()
    with pytest.raises(NotCallable):
        session.call("answer")


def test_student_exception_carries_type_and_traceback(session):
    with pytest.raises(StudentException) as caught:
        session.call("make", "no-such-kind")
    assert caught.value.exc_type == "KeyError"
    assert "<cell 1>" in caught.value.traceback


@pytest.mark.parametrize("array", [
    np.arange(6.0).reshape(2, 3), np.asfortranarray(np.arange(6.0).reshape(2, 3)), np.arange(10.0)[::3],
    np.array(3.5), np.zeros((0, 4), dtype=np.float32), np.array([True, False]), np.array([1 + 2j]),
    np.zeros((2, 1, 3), dtype=">i2"),
], ids=["2d", "fortran", "strided", "0d", "empty", "bool", "complex", "big-endian"])
def test_array_blobs_are_what_np_save_writes_and_read_back(array: np.ndarray) -> None:
    import io

    from autograder.sandbox.inside import protocol

    saved = io.BytesIO()
    np.save(saved, np.array(array, order="C"), allow_pickle=False)
    blob = protocol.array_blob(array)
    assert blob == saved.getvalue()
    back = protocol.load_array(blob)
    assert back.dtype == array.dtype and back.shape == array.shape and np.array_equal(back, array)
    assert back.flags.writeable


def test_array_headers_that_np_save_would_not_write_are_refused() -> None:
    from autograder.sandbox.inside import protocol

    good = protocol.array_blob(np.arange(3.0))
    for bad in (good.replace(b"(3,)", b"(4,)"),            # shape larger than the data
                good.replace(b"'<f8'", b"'|O8'"),           # objects
                good[:-1]):                                  # data cut short
        with pytest.raises(protocol.WireError):
            protocol.load_array(bad)


def test_a_calls_text_is_rendered_once_and_only_when_a_message_asks(session):
    from autograder.sandbox.calls import CallText, render_call

    class Counted:
        shown = 0

        def __repr__(self) -> str:
            Counted.shown += 1
            return "counted"

    text = CallText("make", (Counted(), np.zeros(3)), {"n": 2})
    assert Counted.shown == 0  # nothing rendered for a call that needs no message
    assert str(text) == render_call("make", (Counted(), np.zeros(3)), {"n": 2}) == \
        "make(counted, array(shape=(3,)), n=2)"
    shown = Counted.shown
    assert str(text) == "make(counted, array(shape=(3,)), n=2)" and Counted.shown == shown
    with pytest.raises(StudentException) as caught:  # a failing call's message names it as before
        session.call("make", "no-such-kind")
    assert caught.value.call == "make('no-such-kind')"
    replies = session.call_many([("make", ("bad-kind",), {}), ("make", ("other",), {})])
    with pytest.raises(StudentException) as caught:
        replies[0].get()
    assert caught.value.call == "make('bad-kind')"
