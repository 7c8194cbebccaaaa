"""LMS archives and grade files built by code, as Moodle and Canvas write them.

Also the hostile variants (zip-slip paths, zip bombs, names that are not UTF-8, encrypted
members, links). Everything is built with ``zipfile`` in the test's own folder.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import nbformat

GOOD = ["import numpy as np\n\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n",
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2.0\n"]
HALF = ["import numpy as np\n\ndef double(x):\n    return np.asarray(x, dtype=float)\n",
        "def halve(x):\n    return np.asarray(x, dtype=float) / 2.0\n"]


def notebook_bytes(cells: list[str]) -> bytes:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source, id=f"cell-{i}") for i, source in enumerate(cells)]
    return nbformat.writes(notebook).encode("utf-8")


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def moodle_members(students: dict[str, tuple[str, bytes]], folders: bool = True) -> dict[str, bytes]:
    """``{participant id: (full name, notebook bytes)}`` as "download all submissions" names them."""
    members = {}
    for ident, (name, data) in students.items():
        prefix = f"{name}_{ident}_assignsubmission_file_"
        members[f"{prefix}/homework.ipynb" if folders else f"{prefix}homework.ipynb"] = data
    return members


def with_raw_name(path: Path, placeholder: str, raw: bytes) -> Path:
    """Rewrite a member's name to raw bytes (same length), without the UTF-8 flag."""
    assert len(placeholder.encode()) == len(raw)
    data = path.read_bytes()
    assert data.count(placeholder.encode()) == 2  # local header and central directory
    path.write_bytes(data.replace(placeholder.encode(), raw))
    return path


def write_special_zip(path: Path, normal: dict[str, bytes], encrypted: dict[str, bytes] = {},
                      links: dict[str, str] = {}) -> Path:
    """A zip with members flagged as encrypted (bit 0) and members that are symlinks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in normal.items():
            zf.writestr(name, data)
        for name, data in encrypted.items():
            zf.writestr(name, data)
            zf.filelist[-1].flag_bits |= 0x1  # written into the central directory on close
        for name, target in links.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return path
