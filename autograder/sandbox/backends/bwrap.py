"""``bwrap``: the zygote inside bubblewrap's namespaces, where it sees only what it is given.

A read-only Python (the virtual environment and the base install it links to), ``/usr``
and the few files of ``/etc`` a dynamic loader needs, the worker-side modules
(``sandbox/inside`` and nothing else of the repository), fresh tmpfs for ``/tmp`` and,
read-only at ``/tmp/data``, the assignment's ``data/`` folder (the cells run in
``/tmp``, so ``./data/...`` reads it). As root bwrap runs privileged (no user namespace)
so the zygote can give each worker its own uid; as another user it runs in a user
namespace with every capability dropped.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from autograder.exceptions import SandboxError
import autograder.sandbox.launcher as launcher
from autograder.sandbox_names import Backend

NAME: Backend = "bwrap"


def path() -> str | None:
    """The bwrap executable (None when it is not installed)."""
    return shutil.which("bwrap")


def missing() -> str | None:
    return None if path() else "bwrap is not installed"


def _mkdirs(folder: str, made: set[str]) -> list[str]:
    """``--dir`` for each missing ancestor, world-readable so a worker uid can pass."""
    args: list[str] = []
    parts = Path(folder).parts
    for depth in range(2, len(parts)):
        ancestor = str(Path(*parts[:depth]))
        if ancestor not in made:
            made.add(ancestor)
            args += ["--perms", "0755", "--dir", ancestor]
    return args


def command(control_fd: int, preload: Sequence[str], data: Path | None) -> tuple[list[str], dict[str, str] | None]:
    bwrap = path()
    if bwrap is None:  # it was there when the jail chose it
        raise SandboxError("bwrap is not installed")
    privileged = os.geteuid() == 0
    # --unshare-all would also make a user namespace for root, where uids cannot change
    cmd = [bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
           "--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    if not privileged:
        cmd += ["--unshare-user", "--cap-drop", "ALL"]
    cmd += ["--tmpfs", "/tmp", "--ro-bind", "/usr", "/usr"]  # tmpfs first: a venv under /tmp stays visible
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = f"/{name}"
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    for etc in launcher.ETC:
        cmd += ["--ro-bind-try", etc, etc]
    made: set[str] = set()
    for folder in launcher.python_paths():
        cmd += _mkdirs(folder, made) + ["--ro-bind", folder, folder]
    for folder in launcher.masked_paths():  # after the binds they hide into
        cmd += ["--tmpfs", folder, "--remount-ro", folder]
    code = launcher.JAIL_CODE
    cmd += _mkdirs(code + "/inside", made) + ["--ro-bind", str(launcher.INSIDE), code + "/inside"]
    if data is not None:  # a mount point: read-only, and no worker can remove or replace it
        cmd += ["--ro-bind", str(data), launcher.JAIL_DATA]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--chdir", "/tmp", "--clearenv"]
    for key, value in launcher.ENV.items():
        cmd += ["--setenv", key, value]
    return cmd + launcher.python_command(code, control_fd, preload, launcher.JAIL_DATA if data else None), None
