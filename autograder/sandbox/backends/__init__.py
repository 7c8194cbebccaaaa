"""The jail's backends, one module each behind ``base.SandboxBackend``, registered here
strongest first (``autograder.sandbox_names`` names them for the rest of the program).

To add one: a module with ``NAME``, ``missing()`` and ``command()``, its name in
``sandbox_names.Backend``, and its module in :data:`BACKENDS`.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Sequence
from pathlib import Path

from autograder.sandbox.backends import bwrap, landlock, none
from autograder.sandbox.backends.base import SandboxBackend
from autograder.sandbox_names import NAMES, Backend

BACKENDS: dict[Backend, SandboxBackend] = {module.NAME: module for module in (bwrap, landlock, none)}
assert tuple(BACKENDS) == NAMES, "sandbox_names.Backend and the modules registered here must agree"


def start_zygote(backend: Backend, preload: Sequence[str],
                 data: Path | None = None) -> tuple[subprocess.Popen[bytes], socket.socket]:
    """Start the zygote with ``backend``; it imports ``preload`` before its first fork.
    Returns the process and the grader's end of the control socket. ``data`` (an
    assignment's ``data/`` folder) is what the student's code reads at ``./data``."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    fd = theirs.fileno()
    try:
        cmd, env = BACKENDS[backend].command(fd, preload, data)
        process = subprocess.Popen(cmd, pass_fds=[fd], env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, cwd="/tmp")
    finally:
        theirs.close()
    return process, ours
