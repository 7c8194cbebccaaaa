"""Start the zygote: inside bubblewrap, confined by Landlock, or as a plain subprocess.

``bwrap``: the jail sees a read-only Python (the virtual environment and the base install
it links to, found from ``sys.prefix``/``sys.base_prefix``), ``/usr`` and the few files
of ``/etc`` a dynamic loader needs, the worker-side modules (``sandbox/inside`` and
nothing else of the repository), fresh tmpfs for ``/tmp`` and, read-only at
``/tmp/data``, the assignment's ``data/`` folder (the cells run in ``/tmp``, so
``./data/...`` reads it). As root bwrap runs
privileged (no user namespace) so the zygote can give each worker its own uid; as
another user it runs in a user namespace with every capability dropped.

``landlock`` (where bwrap cannot run): a plain subprocess with a cleared environment
whose workers confine themselves to the same files with Landlock and seccomp
(``inside/lockdown.py``). ``none``: a plain subprocess, rlimits and a uid only.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

Backend = Literal["bwrap", "landlock", "none"]

INSIDE = Path(__file__).resolve().parent / "inside"
JAIL_CODE = "/opt/autograder-jail"
JAIL_DATA = "/tmp/data"  # an assignment's data/ in the jail: ./data from the cells' folder, /tmp
ENV = {
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
    "PYTHONDONTWRITEBYTECODE": "1",
    # str/bytes hashes (set and dict order of strings) are fixed when an interpreter
    # starts: the same in every run of every command, and inherited by forked workers
    "PYTHONHASHSEED": "0",
    "PATH": "/usr/bin:/bin",
}
ETC = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
       "/etc/nsswitch.conf", "/etc/passwd", "/etc/group",
       "/etc/fonts"]  # fontconfig's configuration: matplotlib's text, no error on stderr


SYSTEM = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
DEVICES = ["/dev/urandom", "/dev/random", "/dev/zero"]  # read-only; /dev/null is read-write
# Packages' bundled data sets, hidden from the jail (an empty tmpfs over each, under bwrap):
# a course may grade a model on a hidden split of one (`digits`: scikit-learn's load_digits),
# and the package's own copy would hand a notebook the labels. Relative to site-packages.
MASKED_PACKAGE_DATA = ["sklearn/datasets/data", "sklearn/datasets/descr", "sklearn/datasets/images"]


def masked_paths() -> list[str]:
    """The folders of ``MASKED_PACKAGE_DATA`` that exist where the jail's Python is."""
    found = []
    for root in site.getsitepackages():
        found += [os.path.join(root, rel) for rel in MASKED_PACKAGE_DATA if os.path.isdir(os.path.join(root, rel))]
    return found


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def landlock_missing() -> str | None:
    """Why the landlock backend cannot run here (None when it can)."""
    from autograder.sandbox.inside import landlock, seccomp

    if landlock.abi_version() < 1:
        return "Landlock is not enabled in this kernel (Linux 5.13 or newer, with the landlock LSM)"
    try:
        seccomp.load_library()
    except seccomp.SeccompError as error:
        return str(error)
    return None


def landlock_policy(data: Path | None) -> dict[str, Any]:
    """What a landlock worker may read: what bwrap would mount, and nothing else."""
    read_only = [*python_paths(), *SYSTEM, *ETC, str(INSIDE), *DEVICES]
    if data is not None:
        read_only.append(os.path.realpath(data))
    return {"read_only": read_only}


def python_paths() -> list[str]:
    """Folders the interpreter needs: prefixes, site-packages, the real executable's home."""
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))}
    found.update(p for p in site.getsitepackages() if os.path.isdir(p))
    real = {os.path.realpath(p) for p in found} | found
    paths = sorted(p for p in real if os.path.isdir(p) and not p.startswith("/usr/"))
    # keep only outermost folders
    return [p for p in paths if not any(p != q and p.startswith(q + "/") for q in paths)]


def _mkdirs(path: str, made: set[str]) -> list[str]:
    """``--dir`` for each missing ancestor, world-readable so a worker uid can pass."""
    args: list[str] = []
    parts = Path(path).parts
    for depth in range(2, len(parts)):
        folder = str(Path(*parts[:depth]))
        if folder not in made:
            made.add(folder)
            args += ["--perms", "0755", "--dir", folder]
    return args


def bwrap_command(bwrap: str, control_fd: int, preload: Sequence[str],
                  data: Path | None = None) -> list[str]:
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
    for path in ETC:
        cmd += ["--ro-bind-try", path, path]
    made: set[str] = set()
    for path in python_paths():
        cmd += _mkdirs(path, made) + ["--ro-bind", path, path]
    for path in masked_paths():  # after the binds they hide into
        cmd += ["--tmpfs", path, "--remount-ro", path]
    cmd += _mkdirs(JAIL_CODE + "/inside", made) + ["--ro-bind", str(INSIDE), JAIL_CODE + "/inside"]
    if data is not None:  # a mount point: read-only, and no worker can remove or replace it
        cmd += ["--ro-bind", str(data), JAIL_DATA]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--chdir", "/tmp",
            "--clearenv"]
    for key, value in ENV.items():
        cmd += ["--setenv", key, value]
    return cmd + _python_command(JAIL_CODE, control_fd, preload, JAIL_DATA if data else None)


def _python_command(code_root: str, control_fd: int, preload: Sequence[str],
                    data: str | None, policy: dict[str, Any] | None = None) -> list[str]:
    boot = f"import sys; sys.path.insert(0, {code_root!r}); from inside import zygote; zygote.main()"
    # not -I: isolated mode ignores PYTHONHASHSEED; the environment is ours alone anyway
    # (cleared), -s skips the user's site-packages and -P keeps the cwd off sys.path
    return [sys.executable, "-s", "-P", "-B", "-c", boot, str(control_fd), json.dumps(list(preload)),
            json.dumps(data), json.dumps(policy)]


def start_zygote(backend: Backend, preload: Sequence[str],
                 data: Path | None = None) -> tuple[subprocess.Popen[bytes], socket.socket]:
    """Start the zygote, which imports ``preload`` before its first fork; returns the
    process and the grader's end of the control socket. ``data`` (an assignment's
    ``data/`` folder) is what the student's code reads at ``./data``."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    fd = theirs.fileno()
    bwrap = bwrap_path()
    if backend == "bwrap" and bwrap:
        cmd, env = bwrap_command(bwrap, fd, preload, data), None
    elif backend == "landlock":  # nothing of the grader's environment, not even its PATH
        cmd = _python_command(str(INSIDE.parent), fd, preload, str(data) if data else None,
                              landlock_policy(data))
        env = dict(ENV)
    else:  # the zygote makes itself a folder where ./data is a link to the data
        cmd = _python_command(str(INSIDE.parent), fd, preload, str(data) if data else None)
        env = dict(ENV, PATH=os.environ.get("PATH", ENV["PATH"]))
    try:
        process = subprocess.Popen(cmd, pass_fds=[fd], env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, cwd="/tmp")
    finally:
        theirs.close()
    return process, ours
