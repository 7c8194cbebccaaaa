"""A course's extra packages: ``requirements.txt`` in the course folder.

The jail runs the grader's own Python read-only, so what a course's notebooks import
beyond NumPy and PyTorch (pandas, scikit-learn, ...) must be installed into the
grader's environment: ``python -m pip install -r COURSE/requirements.txt``. Before
any student code runs, :func:`check_requirements` makes sure that happened, so a
missing package is one clear error for the instructor, not a zero for every student.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.config import Settings
from autograder.exceptions import ConfigError

if TYPE_CHECKING:
    from packaging.requirements import Requirement

REQUIREMENTS_NAME = "requirements.txt"


def read_requirements(path: Path) -> list[Requirement]:
    """The requirements of a pip requirements file (options and includes left out)."""
    from packaging.requirements import InvalidRequirement, Requirement  # only for a course that has one

    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            raise ConfigError(str(path), f"line {number}", f"not a requirement: {error}") from None
        if requirement.marker is None or requirement.marker.evaluate():
            found.append(requirement)
    return found


def _problem(requirement: Requirement, visible: list[str]) -> str:
    """Why ``requirement`` is not usable in the jail, or ""."""
    from importlib import metadata  # 15-25 ms of every command's start: only for a course that has requirements

    try:
        distribution = metadata.distribution(requirement.name)
    except metadata.PackageNotFoundError:
        return f"{requirement.name} is not installed"
    version = distribution.version
    if requirement.specifier and not requirement.specifier.contains(version, prereleases=True):
        return f"{requirement.name} {version} is installed, the course wants {requirement}"
    where = str(Path(str(distribution.locate_file(""))).resolve())
    if visible and not any(where == top or where.startswith(top + "/") for top in visible):
        return f"{requirement.name} is installed in {where}, outside the Python the jail sees (a --user install?)"
    return ""


def check_requirements(settings: Settings) -> None:
    """Raise one ConfigError naming every requirement of the course that the jail
    could not import, and the command that installs them."""
    path = settings.course_dir / REQUIREMENTS_NAME
    if not path.is_file():
        return
    from autograder.sandbox.launcher import python_paths

    visible = [str(Path(p).resolve()) for p in python_paths()] + ["/usr"]  # the jail binds /usr whole
    problems = [p for p in (_problem(r, visible) for r in read_requirements(path)) if p]
    if problems:
        raise ConfigError(str(path), "", "; ".join(problems) + ". Install the course's packages "
                          f"where the grader runs: {sys.executable} -m pip install -r {path}")
