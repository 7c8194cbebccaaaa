"""``autograder gradescope ASSIGNMENT --out autograder.zip``: the zip Gradescope builds an
autograder image from.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once to build
the image, and runs ``run_autograder`` for each submission (the student's files in
``/autograder/submission``, ``/autograder/submission_metadata.json`` beside them); the
grade goes to ``/autograder/results/results.json``. The zip holds:

- ``autograder/``: this package's source (``pyproject.toml``, ``autograder/``,
  ``student/``), installed by ``setup.sh`` into a virtual environment with bubblewrap;
- ``course/``: the course's ``grading_config.yaml`` reduced to the assignment, its
  folder (checks, reference, data), and ``requirements.txt`` when the course has one;
- ``setup.sh`` and ``run_autograder``, which runs :mod:`autograder.gradescope.run`.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import yaml

from autograder.config import CONFIG_NAME, PROJECT_ROOT, Settings
from autograder.exceptions import UsageError
from autograder.atomic import write_bytes_atomic

SOURCE = "/autograder/source"
SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, to build the autograder image (Ubuntu 24.04 base:
# Python 3.12). bubblewrap is the jail student code runs in.
set -euo pipefail
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-venv python3-pip bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q --upgrade pip
/autograder/venv/bin/pip install -q --extra-index-url https://download.pytorch.org/whl/cpu {source}/autograder
if [ -f {source}/course/requirements.txt ]; then
  /autograder/venv/bin/pip install -q -r {source}/course/requirements.txt
fi
"""
RUN = """#!/usr/bin/env bash
# Gradescope runs this for each submission.
set -euo pipefail
exec /autograder/venv/bin/python -m autograder.gradescope.run \\
  --course {source}/course --assignment {assignment} \\
  --submission /autograder/submission --metadata /autograder/submission_metadata.json \\
  --results /autograder/results/results.json
"""
_SKIPPED = ("__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache")


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not any(part in _SKIPPED for part in relative.parts) and path.suffix != ".pyc":
            yield path


def _add_tree(zf: zipfile.ZipFile, root: Path, prefix: str) -> None:
    for path in _files(root):
        zf.write(path, f"{prefix}/{path.relative_to(root).as_posix()}")


def _add_text(zf: zipfile.ZipFile, name: str, text: str, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.external_attr = ((stat.S_IFREG | (0o755 if executable else 0o644)) << 16)
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, text)


def course_config(settings: Settings, assignment: str) -> str:
    """The course's config with only ``assignment`` (the image grades nothing else)."""
    raw = yaml.safe_load(settings.path.read_text(encoding="utf-8"))
    raw["assignments"] = {assignment: raw["assignments"][assignment]}
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def package(settings: Settings, assignment: str, out: Path) -> Path:
    """Write the Gradescope autograder zip for ``assignment`` to ``out``."""
    folder = settings.assignment_dir(assignment)
    source = PROJECT_ROOT
    if not (source / "pyproject.toml").is_file():
        raise UsageError(f"{source}: the autograder's source (pyproject.toml) is not there to pack; "
                         "run from a checkout or an editable install")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        _add_text(zf, "setup.sh", SETUP.format(source=SOURCE), executable=True)
        _add_text(zf, "run_autograder", RUN.format(source=SOURCE, assignment=assignment), executable=True)
        for name in ("pyproject.toml", "README.md"):
            zf.write(source / name, f"autograder/{name}")
        _add_tree(zf, source / "autograder", "autograder/autograder")
        _add_tree(zf, source / "student", "autograder/student")
        _add_text(zf, f"course/{CONFIG_NAME}", course_config(settings, assignment))
        _add_tree(zf, folder, f"course/assignments/{assignment}")
        requirements = settings.path.parent / "requirements.txt"
        if requirements.is_file():
            zf.write(requirements, "course/requirements.txt")
    write_bytes_atomic(out, buffer.getvalue())
    return out
