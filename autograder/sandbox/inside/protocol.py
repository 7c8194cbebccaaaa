"""The wire between grader and worker: frames of strict JSON plus ``.npy`` blobs.

A frame is ``u32 total length | u32 header length | JSON header | blobs``; the header's
``"_blobs"`` lists the blob lengths. Values inside a header are tagged JSON (see
:func:`encode`), so nothing from the worker is ever unpickled, evaluated or imported:
an array's ``.npy`` header must match what ``np.save`` writes for a numeric dtype (a
strict regular expression, no evaluation) and the blob's size, and the array is built
with ``np.frombuffer``; any other header goes to ``np.load(allow_pickle=False)`` after
the same checks. A worker may send several frames as one (``{"many": [...]}``, see
:class:`Outbox`); the grader splits it (:func:`split_many`) and reads them one by one.
"""

from __future__ import annotations

import io
from collections import OrderedDict
import json
import math
import re
import select
import socket
import struct
import time
from typing import Any, Callable, Literal, Sequence

import numpy as np

MAX_FRAME = 64 << 20
MAX_DEPTH = 48
MAX_ITEMS = 1_000_000
MAX_BLOBS = 10_000
FLUSH_S = 0.25  # the longest a worker keeps a cell report or a reply of a batch (Outbox)
FLUSH_BYTES = 1 << 20  # and the most it keeps
ALLOWED_KINDS = "biufc"
_LEN = struct.Struct(">II")

NUMPY_SCALARS = frozenset(np.dtype(code).type for code in np.typecodes["All"] + "?")


class WireError(Exception):
    """A frame or a value broke the wire rules."""


class Died(Exception):
    """The peer closed the channel (the worker process ended)."""


# ---- framing ----------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise WireError(f"non-standard JSON constant {name}")


# built once: json.dumps/json.loads with options build a new encoder/decoder per call
_ENCODER = json.JSONEncoder(allow_nan=False, separators=(",", ":"))
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _total(body: bytes, blobs: Sequence[bytes]) -> int:
    """A frame's length as its first word says it (the header's length word, the header, the blobs)."""
    return _LEN.size - 4 + len(body) + sum(len(b) for b in blobs)


def _checked(body: bytes, blobs: Sequence[bytes]) -> bytes:
    """``body``, or WireError when its frame is over ``MAX_FRAME``."""
    total = _total(body, blobs)
    if total > MAX_FRAME:
        raise WireError(f"frame of {total} bytes is over the {MAX_FRAME >> 20} MiB limit")
    return body


def _body(header: dict[str, Any], blobs: Sequence[bytes]) -> bytes:
    """A frame's JSON header, its blob lengths added; WireError when the frame is too large."""
    return _checked(_ENCODER.encode(dict(header, _blobs=[len(b) for b in blobs])).encode(), blobs)


def _send(sock: socket.socket, body: bytes, blobs: Sequence[bytes]) -> None:
    sock.sendall(b"".join([_LEN.pack(_total(body, blobs), len(body)), body, *blobs]))


def send_frame(sock: socket.socket, header: dict[str, Any], blobs: Sequence[bytes] = ()) -> None:
    _send(sock, _body(header, blobs), blobs)


class Outbox:
    """The worker's frames of one run or one batch, sent together as one frame of frames.

    Each time the grader blocks on the socket and wakes up costs it CPU, so a run's cell
    reports and a batch's replies are buffered and sent as ``{"many": [h1, h2, ...]}``
    whose blobs are the sub-frames' blobs in order (each sub-header's ``_blobs`` lists
    its own). :meth:`due` is called before each cell or call: what is pending goes out
    when ``FLUSH_S`` has passed since the last send, so two frames are never more than
    ``FLUSH_S`` plus one cell's (call's) time apart and the grader's backstop deadlines
    keep their meaning (it adds ``FLUSH_S``). ``eager``: every frame at once, alone
    (the grader asks for that when it must know which cell ended the process).
    """

    def __init__(self, sock: socket.socket, eager: bool = False) -> None:
        self.sock, self.eager = sock, eager
        self._bodies: list[bytes] = []
        self._blobs: list[bytes] = []
        self._size = 0
        self._sent = time.monotonic()

    def add(self, header: dict[str, Any], blobs: Sequence[bytes] = ()) -> None:
        """Queue one frame; WireError (nothing queued) when it could not be sent alone."""
        body = _body(header, blobs)
        size = len(body) + sum(len(b) for b in blobs)
        if self._bodies and (self._size + size > FLUSH_BYTES
                             or len(self._blobs) + len(blobs) > MAX_BLOBS):
            self.flush()
        self._bodies.append(body)
        self._blobs.extend(blobs)
        self._size += size
        if self.eager or self._size > FLUSH_BYTES:
            self.flush()

    def due(self) -> None:
        """Before the next cell or call: send what waits if ``FLUSH_S`` has passed."""
        if self._bodies and time.monotonic() - self._sent >= FLUSH_S:
            self.flush()

    def flush(self) -> None:
        if not self._bodies:
            return
        _send(self.sock, _joined(self._bodies, self._blobs), self._blobs)
        self._bodies, self._blobs, self._size = [], [], 0
        self._sent = time.monotonic()


def _joined(bodies: Sequence[bytes], blobs: Sequence[bytes]) -> bytes:
    """The header of a frame of frames (one frame goes as it is)."""
    if len(bodies) == 1:
        return bodies[0]
    lengths = _ENCODER.encode([len(b) for b in blobs]).encode()
    return b"".join([b'{"many":[', b",".join(bodies), b'],"_blobs":', lengths, b"}"])


def frame_of_frames(frames: Sequence[tuple[dict[str, Any], Sequence[bytes]]]) -> tuple[bytes, list[bytes]]:
    """Several frames as one (the grader's several requests, ``autograder/gather.py``):
    its header and blobs for :func:`send_body`; WireError when it is too large."""
    bodies = [_body(header, blobs) for header, blobs in frames]
    every = [blob for _, blobs in frames for blob in blobs]
    return _checked(_joined(bodies, every), every), every


def send_body(sock: socket.socket, body: bytes, blobs: Sequence[bytes]) -> None:
    """Send a frame built by :func:`frame_of_frames`."""
    _send(sock, body, blobs)


def split_many(header: dict[str, Any], blobs: list[bytes]) -> list[tuple[dict[str, Any], list[bytes]]]:
    """The frames inside a frame of frames (:class:`Outbox`), each with its own blobs;
    WireError unless every sub-frame is a header object whose blob lengths, in order,
    account for exactly the outer frame's blobs."""
    parts = header.get("many")
    if len(header) != 1 or type(parts) is not list or len(parts) < 2:
        raise WireError("bad frame of frames")
    frames, offset = [], 0
    for part in parts:
        sizes = part.pop("_blobs", None) if type(part) is dict else None
        if (type(sizes) is not list or "many" in part
                or not all(type(s) is int and s >= 0 for s in sizes)):
            raise WireError("bad frame inside a frame of frames")
        own = blobs[offset:offset + len(sizes)]
        if [len(b) for b in own] != sizes:
            raise WireError("blob lengths do not match a frame inside a frame of frames")
        frames.append((part, own))
        offset += len(sizes)
    if offset != len(blobs):
        raise WireError("blobs left over in a frame of frames")
    return frames


class FrameReader:
    """Frames from one socket, read with as few system calls as the data allows.

    Bytes are received in large chunks into a buffer, so a frame that has arrived is
    one ``recv`` (it was a ``select`` and a ``recv`` for its length, then again for its
    body), and frames that arrived together cost no call at all. Every read of the
    socket must go through its one reader: the buffer may hold the next frame.
    """

    CHUNK = 1 << 16

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = bytearray()

    def read(self, deadline: float | None = None,
             alarm: socket.socket | None = None) -> tuple[dict[str, Any], list[bytes]]:
        """The next frame; TimeoutError after ``deadline``, Died on end of stream or
        when ``alarm`` (the worker's status channel) rings first."""
        self._fill(_LEN.size, deadline, alarm)
        total, head_len = _LEN.unpack_from(self._buffer)
        if total > MAX_FRAME or total < 4 or head_len > total - 4:
            raise WireError(f"frame length {total} is out of bounds")
        end = _LEN.size + total - 4
        if len(self._buffer) < end:  # (most frames came whole with their lengths)
            self._fill(end, deadline, alarm)
        data = bytes(self._buffer[_LEN.size:end])
        del self._buffer[:end]
        return _parse_frame(data, head_len)

    def _fill(self, size: int, deadline: float | None, alarm: socket.socket | None) -> None:
        buffer = self._buffer
        while len(buffer) < size:
            if deadline is not None or alarm is not None:
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                watch = [self.sock] if alarm is None else [self.sock, alarm]
                ready, _, _ = select.select(watch, [], [], wait)
                if not ready:
                    raise TimeoutError
                if self.sock not in ready:
                    raise Died
            chunk = self.sock.recv(max(size - len(buffer), self.CHUNK))
            if not chunk:
                raise Died
            buffer += chunk


def recv_frame(sock: socket.socket, deadline: float | None = None,
               alarm: socket.socket | None = None) -> tuple[dict[str, Any], list[bytes]]:
    """One frame from a socket that nothing else reads (a reader of its own)."""
    return FrameReader(sock).read(deadline, alarm)


def _parse_frame(data: bytes, head_len: int) -> tuple[dict[str, Any], list[bytes]]:
    try:
        header = _DECODER.decode(data[:head_len].decode())
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise WireError(f"bad frame header: {str(error)[:200]}") from None
    if not isinstance(header, dict):
        raise WireError("frame header is not an object")
    sizes = header.pop("_blobs", None)
    if sizes == [] and type(sizes) is list:  # most frames: no blobs, nothing to split
        if head_len != len(data):
            raise WireError("blob lengths do not match the frame")
        return header, []
    if (not isinstance(sizes, list) or len(sizes) > MAX_BLOBS
            or not all(type(s) is int and s >= 0 for s in sizes)
            or head_len + sum(sizes) != len(data)):
        raise WireError("blob lengths do not match the frame")
    blobs, offset = [], head_len
    for size in sizes:
        blobs.append(data[offset:offset + size])
        offset += size
    return header, blobs


# ---- values -----------------------------------------------------------------------


def array_blob(array: np.ndarray) -> bytes:
    """The ``.npy`` (version 1.0) bytes of a numeric array, C order: what ``np.save``
    writes, a few times faster (this runs twice in every call into the student's code)."""
    key = (array.dtype, array.shape)
    head = _HEADS.get(key)
    if head is None:
        head = _npy_head(array)
        if len(_HEADS) < _MAX_HEADERS:
            _HEADS[key] = head
    if array.nbytes > MAX_FRAME:
        raise WireError(f"array of {array.nbytes} bytes is too large")
    return head + array.tobytes(order="C")


def _npy_head(array: np.ndarray) -> bytes:
    """The ``.npy`` magic, header length and header of an array of this dtype and shape."""
    check_dtype(array.dtype)
    header = f"{{'descr': '{array.dtype.str}', 'fortran_order': False, 'shape': {tuple(array.shape)!r}, }}"
    padding = -(len(_NPY_MAGIC) + 2 + len(header) + 1) % 64  # numpy aligns the data to 64 bytes
    head = (header + " " * padding + "\n").encode("latin1")
    return _NPY_MAGIC + len(head).to_bytes(2, "little") + head


# the heads written, by dtype and shape: a submission's calls send the same few
_HEADS: dict[tuple[np.dtype, tuple[int, ...]], bytes] = {}


def check_dtype(dtype: np.dtype) -> None:
    if dtype.kind not in ALLOWED_KINDS or dtype.hasobject or dtype.fields is not None:
        raise WireError(f"arrays of dtype {dtype.str!r} cannot be checked (numbers only)")


_NPY_MAGIC = b"\x93NUMPY\x01\x00"
_LEN_NPY = len(_NPY_MAGIC) + 2  # the magic and the header's length (little-endian u16)
# The header ``np.save`` writes for a numeric array, version 1.0: read without any
# evaluation, and far faster than numpy's own reader (which parses it as a literal).
_NPY_V1 = re.compile(
    rb"\x93NUMPY\x01\x00..\{'descr': '([<>|=][a-z]\d{1,2})', 'fortran_order': (True|False), "
    rb"'shape': \(((?:\d{1,12}, ?)*\d{0,12})\), \} *\n", re.DOTALL)


# dtype, shape, memory order, and the data's size in bytes that the shape implies
Header = tuple[np.dtype, tuple[int, ...], Literal["C", "F"], int]
_HEADERS: dict[bytes, Header] = {}  # the headers seen: a batch sends the same few shapes
_MAX_HEADERS = 4096


def load_array(blob: bytes) -> np.ndarray:
    """Read an ``.npy`` blob after checking its header against its size and dtype.

    Several calls per call into the student's code: ``np.frombuffer`` is given its
    arguments by position (by keyword it costs three times as much) and a C-order
    array its shape after the copy, the same array as ``reshape(...).copy()``."""
    stated = _LEN_NPY + int.from_bytes(blob[8:_LEN_NPY], "little")  # where the header says it ends
    known = _HEADERS.get(blob[:stated])
    end = stated
    if known is None:
        match = _NPY_V1.match(blob)
        if match is None:
            return _load_array_slow(blob)
        known, end = _header(match), match.end()
        # kept only when the header's own length agrees with where the match ended: a
        # blob that starts with a kept header then matches the same way
        if end == stated and len(_HEADERS) < _MAX_HEADERS:
            _HEADERS[bytes(blob[:end])] = known
    dtype, shape, order, size = known
    if size != len(blob) - end:
        raise WireError("array data does not match its shape")
    flat = np.frombuffer(blob, dtype, -1, end)
    if order == "F":
        return flat.reshape(shape, order="F").copy(order="K")
    array = flat.copy()
    array.shape = shape
    return array


def _header(match: re.Match[bytes]) -> Header:
    try:
        dtype = np.dtype(match[1].decode())
    except TypeError as error:
        raise WireError(f"bad array dtype: {str(error)[:200]}") from None
    check_dtype(dtype)
    shape = tuple(int(d) for d in match[3].split(b",") if d.strip())
    return dtype, shape, "F" if match[2] == b"True" else "C", math.prod(shape) * dtype.itemsize


def _load_array_slow(blob: bytes) -> np.ndarray:
    """Any other ``.npy`` header, read by numpy (still without pickles)."""
    stream = io.BytesIO(blob)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise WireError(f"unsupported .npy version {version}")
    except (ValueError, SyntaxError) as error:
        raise WireError(f"bad array header: {str(error)[:200]}") from None
    check_dtype(dtype)
    count = math.prod(shape) if all(type(d) is int and d >= 0 for d in shape) else -1
    if count < 0 or count * dtype.itemsize != len(blob) - stream.tell():
        raise WireError("array data does not match its shape")
    stream.seek(0)
    try:
        array = np.load(stream, allow_pickle=False)
    except ValueError as error:
        raise WireError(f"bad array: {str(error)[:200]}") from None
    if not isinstance(array, np.ndarray):
        raise WireError("blob is not an array")
    return array


OtherEncoder = Callable[[Any, Callable[[bytes], int]], dict[str, Any]]


def encode(value: Any, other: OtherEncoder) -> tuple[Any, list[bytes]]:
    """Value -> (tagged JSON, blobs). ``other`` tags what is not plain data (or raises)."""
    blobs: list[bytes] = []
    count = 0

    def add(blob: bytes) -> int:
        blobs.append(blob)
        return len(blobs) - 1

    def walk(v: Any, depth: int) -> Any:
        nonlocal count
        count += 1
        if count > MAX_ITEMS or depth > MAX_DEPTH:
            raise WireError("value is too large or too deeply nested")
        t = type(v)  # the most frequent first: a call's arguments, its arrays
        if t is tuple:
            return {"$t": items(v, depth + 1)}
        if t is np.ndarray:
            return {"$a": add(array_blob(v))}
        if t is dict or t is OrderedDict:
            if not all(type(k) is str for k in v):
                return other(v, add)
            return {"$d": [[k, walk(x, depth + 1)] for k, x in v.items()]}
        if v is None or t is bool or t is int or t is str:
            return v
        if t is float:
            return v if math.isfinite(v) else {"$f": repr(v)}
        if t is list:
            return [walk(x, depth + 1) for x in v]
        if t in NUMPY_SCALARS:
            return _scalar(v) or {"$s": add(array_blob(np.asarray(v)))}
        return other(v, add)

    def items(values: tuple[Any, ...], depth: int) -> list[Any]:
        """A tuple's items at ``depth``, each as ``walk`` gives it: an array, an empty dict
        (a call's keyword arguments) or None without a call of ``walk``, where ``walk``
        would not find the value too large or too deep either."""
        nonlocal count
        out = []
        for x in values:
            if count >= MAX_ITEMS or depth > MAX_DEPTH:
                out.append(walk(x, depth))  # (which raises)
                continue
            t = type(x)
            if t is np.ndarray:
                count += 1
                out.append({"$a": add(array_blob(x))})
            elif x is None:
                count += 1
                out.append(None)
            elif t is dict and not x:
                count += 1
                out.append({"$d": []})
            else:
                out.append(walk(x, depth))
        return out

    encoded = walk(value, 0)
    if len(blobs) > MAX_BLOBS:
        raise WireError(f"value holds {len(blobs)} arrays, more than the {MAX_BLOBS} one answer may")
    return encoded, blobs


_INLINE = re.compile(r"[<>|=][biu]\d{1,2}|[<>|=]f[248]")  # what a NumPy scalar inline may be


def _scalar(value: np.generic) -> dict[str, Any] | None:
    """A NumPy number (``np.float64`` of a loss, ``np.int64`` of a count) as JSON,
    ``{"$n": [dtype, value]}``: a training loop's 20,000 losses were 20,000 blobs, more
    than a frame may hold. None for what has no exact JSON form (complex, long double)."""
    dtype = value.dtype
    if not _INLINE.fullmatch(dtype.str):
        return None
    item = value.item()
    if type(item) is float and not math.isfinite(item):
        item = repr(item)
    return {"$n": [dtype.str, item]}


def _inline_scalar(item: Any) -> np.generic:
    """The NumPy number of a ``{"$n": [dtype, value]}`` tag, its dtype and value checked."""
    if type(item) is not list or len(item) != 2 or type(item[0]) is not str or not _INLINE.fullmatch(item[0]):
        raise WireError("bad scalar")
    dtype, number = np.dtype(item[0]), item[1]
    if dtype.kind == "f" and number in ("nan", "inf", "-inf"):
        number = float(number)
    expected = {"b": (bool,), "i": (int,), "u": (int,), "f": (float, int)}[dtype.kind]
    if type(number) not in expected:
        raise WireError("bad scalar")
    try:
        return dtype.type(number)
    except (OverflowError, ValueError):
        raise WireError("bad scalar") from None


Hook = Callable[[dict[str, Any], list[bytes]], Any]


def decode(obj: Any, blobs: list[bytes], tensor: Hook, remote: Hook) -> Any:
    """Tagged JSON -> value. ``tensor``/``remote`` build the side-specific objects."""
    count = 0
    held = len(blobs)

    def array(index: Any) -> np.ndarray:
        """The array of blob ``index``, a reference checked first."""
        if type(index) is not int or not 0 <= index < held:
            raise WireError("bad blob reference")
        return load_array(blobs[index])

    def walk(v: Any, depth: int) -> Any:
        nonlocal count
        count += 1
        if count > MAX_ITEMS or depth > MAX_DEPTH:
            raise WireError("value is too large or too deeply nested")
        t = type(v)
        if t is dict:  # the tags, most often one of an array or a tuple
            if len(v) == 1:  # every tag but a tensor's and an object's: one look at the one key
                (tag, item), = v.items()
                if tag == "$a":
                    return array(item)
                if tag == "$t" and type(item) is list:
                    return tuple(items(item, depth + 1))
                if tag == "$d" and type(item) is list:
                    out = {}
                    for pair in item:
                        if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                            raise WireError("bad dict item")
                        out[pair[0]] = walk(pair[1], depth + 1)
                    return out
                if tag == "$f":
                    if item not in ("nan", "inf", "-inf"):
                        raise WireError("bad float")
                    return float(item)
                if tag == "$n":
                    return _inline_scalar(item)
                if tag == "$s":
                    scalar = array(item)
                    if scalar.ndim != 0:
                        raise WireError("scalar blob is not 0-d")
                    return scalar[()]
            elif not v:
                raise WireError("malformed value")
            if "$T" in v:
                if type(v.get("dtype")) is not str or type(v.get("grad")) is not bool or len(v) != 3:
                    raise WireError("bad tensor")
                return tensor(v, blobs)
            if "$r" in v:
                if type(v["$r"]) is not int or type(v.get("type", "")) is not str:
                    raise WireError("bad remote reference")
                return remote(v, blobs)
            raise WireError("unknown value tag")
        if t is list:
            return [walk(x, depth + 1) for x in v]
        if v is None or t is bool or t is int or t is float or t is str:
            return v
        raise WireError("malformed value")

    def items(values: list[Any], depth: int) -> list[Any]:
        """A tuple's items at ``depth``, each as ``walk`` gives it: an array's tag or None
        (a call's value and its arguments after it) without a call of ``walk``, where
        ``walk`` would not find the value too large or too deep either."""
        nonlocal count
        out = []
        for x in values:
            if count >= MAX_ITEMS or depth > MAX_DEPTH:
                out.append(walk(x, depth))  # (which raises)
            elif x is None:
                count += 1
                out.append(None)
            elif type(x) is dict and len(x) == 1 and "$a" in x:
                count += 1
                out.append(array(x["$a"]))
            else:
                out.append(walk(x, depth))
        return out

    return walk(obj, 0)


def tensor_array(tag: dict[str, Any], blobs: list[bytes]) -> np.ndarray:
    """The array inside a ``$T`` tag."""
    index = tag["$T"]
    if type(index) is not int or not 0 <= index < len(blobs):
        raise WireError("bad blob reference")
    return load_array(blobs[index])
