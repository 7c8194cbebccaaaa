"""Cells the jail compiles once (sandbox/inside/known.py): the setup cell every notebook
carries verbatim. A worker given one of them runs the zygote's code under its own cell's
name, with the same outcome, output and traceback as the cell compiled where it runs."""

from __future__ import annotations

import types
from collections.abc import Iterator

import pytest

from autograder.config import Limits
from autograder.notebook import CodeCell
from autograder.sandbox.inside import known
from autograder.sandbox.jail import Jail
from autograder.session import Session

TAUGHT = "import math\n\ndef boom(x):\n    values = [math.sqrt(v) for v in x]\n    raise ValueError(f'bad {values}')\n"
PROBE = ("import sys\nlearned = [m for k, m in sys.modules.items() if k.endswith('.known')]\n"
         "print(sum(len(m._known) for m in learned))\n")


def filenames(code: types.CodeType) -> set[str]:
    inner = [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return {code.co_filename}.union(*(filenames(c) for c in inner))


@pytest.fixture()
def fresh_known(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(known, "_known", {})
    monkeypatch.setattr(known, "_lengths", set())


def test_a_known_cell_is_the_compiled_code_under_its_own_name(fresh_known: None) -> None:
    known.learn([TAUGHT, "def broken(:\n", 42])
    ready = known.compiled(TAUGHT, "<cell 7>")
    assert ready is not None
    code, lines = ready
    assert filenames(code) == {"<cell 7>"}  # the function and its comprehension too
    assert code == compile(TAUGHT, "<cell 7>", "exec", dont_inherit=True)
    assert lines == TAUGHT.splitlines(True)
    assert known.compiled(TAUGHT + " ", "<cell 7>") is None  # one character more: compiled as always
    assert known.compiled("def broken(:\n", "<cell 1>") is None  # not compiled, not kept
    assert len(known._known) == 1


def test_at_most_so_many_cells_are_kept(fresh_known: None) -> None:
    known.learn([f"x = {i}\n" for i in range(known.MAX_CELLS + 3)])
    assert len(known._known) == known.MAX_CELLS
    assert known.compiled(f"x = {known.MAX_CELLS}\n", "<cell 1>") is None


@pytest.fixture(scope="module")
def taught_jail() -> Iterator[Jail]:
    with Jail.start("auto", ("numpy",), prebuilt=()) as started:
        started.teach([TAUGHT])
        started.ready()
        yield started


@pytest.fixture(scope="module")
def untaught_jail() -> Iterator[Jail]:
    """A jail nobody teaches (the session's jail learns the setup cells of the graders built on it)."""
    with Jail.start("auto", ("numpy",), prebuilt=()) as started:
        started.ready()
        yield started


def outcomes(jail: Jail, limits: Limits) -> list[tuple[str, str, str, str]]:
    cells = [CodeCell(0, "x = 1\n"), CodeCell(4, TAUGHT), CodeCell(5, "boom([4.0, 9.0])\n"), CodeCell(6, PROBE)]
    with Session(jail.spawn, cells, limits) as session:
        return [(c.status, c.stdout, c.message, c.traceback) for c in session.run.cells]


def test_a_taught_cell_runs_as_the_same_cell_compiled_in_the_worker(taught_jail: Jail, untaught_jail: Jail,
                                                                    fast_limits: Limits) -> None:
    taught, plain = outcomes(taught_jail, fast_limits), outcomes(untaught_jail, fast_limits)
    assert taught[-1][1] == "1\n" and plain[-1][1] == "0\n"  # the zygote learned it; the other did not
    assert taught[:-1] == plain[:-1]
    status, _, message, trace = taught[2]
    assert status == "error" and message == "bad [2.0, 3.0]"
    assert 'File "<cell 5>", line 5, in boom' in trace and "raise ValueError" in trace


def test_a_worker_holding_the_cell_gets_its_digest_instead_of_its_text(
        taught_jail: Jail, untaught_jail: Jail, fast_limits: Limits, monkeypatch: pytest.MonkeyPatch) -> None:
    from autograder.sandbox.channel import WorkerChannel

    sent: list[object] = []
    send = WorkerChannel.send

    def keep(self: WorkerChannel, header: dict, blobs: list[bytes] | None = None) -> None:
        if header.get("op") == "run":
            sent.append([source for _, source in header["cells"]])
        send(self, header, blobs)

    monkeypatch.setattr(WorkerChannel, "send", keep)
    assert outcomes(taught_jail, fast_limits) == outcomes(untaught_jail, fast_limits)[:-1] + [("ok", "1\n", "", "")]
    taught, plain = sent
    assert taught[1] == {"known": known.digest(TAUGHT)} and taught[0] == "x = 1\n"
    assert plain[1] == TAUGHT  # a jail never taught: the text, as always


def test_a_cell_is_taught_once_however_many_graders_teach_it(monkeypatch: pytest.MonkeyPatch) -> None:
    with Jail.start("auto", ("numpy",), prebuilt=()) as started:
        sent: list[bytes] = []
        monkeypatch.setattr(started, "_send_quietly", sent.append)
        started.ready()
        for _ in range(3):  # a grader per assignment, verify's graders, the server's jobs...
            started.teach([TAUGHT])
        started.teach([TAUGHT, "x = 2\n"])
        assert len(sent) == 2 and b"x = 2" in sent[1] and b"boom" not in sent[1]


SAME_CODE = ("import sys, types\n"
             "learned = [m for k, m in sys.modules.items() if k.endswith('.known')][0]\n"
             "module = next(iter(learned._known.values()))[0]\n"
             "zygote = next(c for c in module.co_consts if isinstance(c, types.CodeType) and c.co_name == 'boom')\n"
             "print(any(a is b for a, b in zip(boom.__code__.co_consts, zygote.co_consts) if a == 'bad '))\n")


def test_the_worker_runs_the_code_the_zygote_compiled(taught_jail: Jail, fast_limits: Limits) -> None:
    """Not a second compilation of the same text: ``boom``'s constants are the very objects
    of the zygote's code (a string with a space is made anew by every compilation)."""
    cells = [CodeCell(4, TAUGHT), CodeCell(5, SAME_CODE)]
    with Session(taught_jail.spawn, cells, fast_limits) as session:
        assert [(c.status, c.stdout) for c in session.run.cells] == [("ok", ""), ("ok", "True\n")]
