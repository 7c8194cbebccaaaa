"""``landlock``, where bwrap cannot run: a plain subprocess with a cleared environment
whose workers confine themselves to the files bwrap would mount, with Landlock and
seccomp (``inside/lockdown.py``), each with its own uid and rlimits."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import autograder.sandbox.launcher as launcher
from autograder.sandbox_names import Backend

NAME: Backend = "landlock"


def missing() -> str | None:
    from autograder.sandbox.inside import landlock, seccomp  # ctypes: only when asked (start-up time)

    if landlock.abi_version() < 1:
        return "Landlock is not enabled in this kernel (Linux 5.13 or newer, with the landlock LSM)"
    try:
        seccomp.load_library()
    except seccomp.SeccompError as error:
        return str(error)
    return None


def policy(data: Path | None) -> dict[str, Any]:
    """What a landlock worker may read: what bwrap would mount, and nothing else."""
    read_only = [*launcher.python_paths(), *launcher.SYSTEM, *launcher.ETC, str(launcher.INSIDE),
                 *launcher.DEVICES]
    if data is not None:
        read_only.append(os.path.realpath(data))
    return {"read_only": read_only}


def command(control_fd: int, preload: Sequence[str], data: Path | None) -> tuple[list[str], dict[str, str] | None]:
    # nothing of the grader's environment, not even its PATH
    cmd = launcher.python_command(str(launcher.INSIDE.parent), control_fd, preload,
                                  str(data) if data else None, policy(data))
    return cmd, dict(launcher.ENV)
