"""How the worker describes a student's error: the traceback of the student's cells only,
the same text ``traceback`` gives for the whole chain filtered to those frames (without
reading the source of the worker's own frames)."""

from __future__ import annotations

import linecache
import traceback

from autograder.sandbox.inside.worker import describe

CELL = (
    "def inner(x):\n"
    "    return [1 / v for v in x]\n"
    "\n"
    "def outer(x):\n"
    "    gen = (inner(x) for _ in range(1))\n"
    "    return next(gen)\n"
)


def _raised() -> BaseException:
    name = "<cell 4>"
    linecache.cache[name] = (len(CELL), None, CELL.splitlines(True), name)
    namespace: dict[str, object] = {}
    exec(compile(CELL, name, "exec", dont_inherit=True), namespace)

    def worker_side() -> object:  # a frame of the worker's between the student's
        return namespace["outer"]([1.0, 0.0])  # type: ignore[operator]

    try:
        worker_side()
    except ZeroDivisionError as error:
        return error
    raise AssertionError("no error")


def test_only_the_cells_frames_and_the_same_text_as_the_whole_traceback_filtered() -> None:
    error = _raised()
    whole = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<cell ")]
    described = describe(error)
    assert described["traceback"] == "".join(traceback.format_list(whole))
    assert described["traceback"].count('File "<cell 4>"') == 4  # outer, its generator, inner, its comprehension
    assert "worker_side" not in described["traceback"] and "test_worker_describe" not in described["traceback"]
    assert described["exc_type"] == "ZeroDivisionError" and described["builtin"] == "ZeroDivisionError"
    assert error.__traceback__ is not None and error.__traceback__.tb_frame.f_code.co_name == "_raised"
