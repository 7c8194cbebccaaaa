"""Shared fixtures: one jail for the whole test run (starting one costs about a second)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from autograder.config import Limits
from autograder.sandbox import Jail


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
