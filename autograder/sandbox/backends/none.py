"""``none``: a plain subprocess with rlimits and a uid only, for trying things out, loudly
(every result says ``"sandbox": "none"``)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import autograder.sandbox.launcher as launcher
from autograder.sandbox_names import Backend

NAME: Backend = "none"


def missing() -> str | None:
    return None  # runs anywhere


def command(control_fd: int, preload: Sequence[str], data: Path | None) -> tuple[list[str], dict[str, str] | None]:
    # the zygote makes itself a folder where ./data is a link to the data
    cmd = launcher.python_command(str(launcher.INSIDE.parent), control_fd, preload, str(data) if data else None)
    return cmd, dict(launcher.ENV, PATH=os.environ.get("PATH", launcher.ENV["PATH"]))
