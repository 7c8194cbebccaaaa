"""What a sandbox backend is: a name, why it cannot run here, and how to start a zygote."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from autograder.sandbox_names import Backend


class SandboxBackend(Protocol):
    """One module of ``sandbox/backends/``: the jail asks :func:`missing` whether it can
    run here, then starts the zygote with :func:`command` (the command line, and the
    environment: None for the grader's own)."""

    NAME: Backend

    def missing(self) -> str | None:
        """Why this backend cannot run here (None when it can)."""

    def command(self, control_fd: int, preload: Sequence[str],
                data: Path | None) -> tuple[list[str], dict[str, str] | None]:
        """The zygote's command line and environment; ``control_fd`` is its end of the
        control socket, ``data`` the assignment's ``data/`` folder."""
