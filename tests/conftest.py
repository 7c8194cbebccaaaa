"""Shared fixtures: a pinned environment, and one jail for the whole test run (starting
one costs about a second)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from autograder.notebook import decline_iri_grammar

decline_iri_grammar()  # as the command line does, before tests.helpers imports nbformat: 2-3 s less

from autograder.config import Limits  # noqa: E402
from autograder.sandbox.jail import Jail  # noqa: E402
from tests.helpers import ROOT  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def hermetic_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test sees the same environment, wherever and by whom the suite is run.

    No ``AUTOGRADER_*`` variable of the person running the tests (a language, a course,
    a sandbox choice) changes what a test gets; and a Python started by a test imports
    this checkout's ``autograder``, never another one installed in the environment.
    Session-scoped, so that module-scoped fixtures see it too.

    And the processes a test starts take Ctrl-C as from a terminal: a run started in the
    background by a non-interactive shell (``make test &`` in a script) ignores SIGINT,
    its children inherit that, and the tests that press Ctrl-C would fail there (seen).
    A handler here (not ignored) is reset to the default in every program started.
    """
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith("AUTOGRADER_")]:
            patch.delenv(name)
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))  # master run times (master_time.py)
        yield


@pytest.fixture(scope="session")
def jail() -> Iterator[Jail]:
    """The real jail (bwrap when installed), shared by every test."""
    with Jail.start("auto") as started:
        started.ready()  # tests fork processes that share it: it must be up before any fork
        yield started


@pytest.fixture(scope="session")
def fast_limits() -> Limits:
    """Short time limits so tests that hit them stay quick."""
    return Limits(cell_timeout_s=2, call_timeout_s=2, run_timeout_s=20, memory_mb=512,
                  processes=16, output_kb=16)
