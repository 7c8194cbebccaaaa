"""What every backend's zygote shares: its environment, the files it may read, its command.

The backends themselves (``bwrap``, ``landlock``, ``none``) are modules of
``sandbox/backends/``; this module holds the pieces they have in common.
"""

from __future__ import annotations

import json
import os
import site
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


def python_paths() -> list[str]:
    """Folders the interpreter needs: prefixes, site-packages, the real executable's home."""
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))}
    found.update(p for p in site.getsitepackages() if os.path.isdir(p))
    real = {os.path.realpath(p) for p in found} | found
    paths = sorted(p for p in real if os.path.isdir(p) and not p.startswith("/usr/"))
    # keep only outermost folders
    return [p for p in paths if not any(p != q and p.startswith(q + "/") for q in paths)]


def python_command(code_root: str, control_fd: int, preload: Sequence[str],
                   data: str | None, policy: dict[str, Any] | None = None) -> list[str]:
    """The zygote's Python: it boots ``inside/zygote.py`` from ``code_root``."""
    boot = f"import sys; sys.path.insert(0, {code_root!r}); from inside import zygote; zygote.main()"
    # not -I: isolated mode ignores PYTHONHASHSEED; the environment is ours alone anyway
    # (cleared), -s skips the user's site-packages and -P keeps the cwd off sys.path
    return [sys.executable, "-s", "-P", "-B", "-c", boot, str(control_fd), json.dumps(list(preload)),
            json.dumps(data), json.dumps(policy)]
