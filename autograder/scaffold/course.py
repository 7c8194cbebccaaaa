"""``autograder init`` and ``autograder new``: a course folder and its assignments.

A new course is copied from ``templates/course/`` (a sample assignment that grades out
of the box, its checks and data, a README for the instructor, a CI example, the
GitHub Classroom workflow for the students' repositories and a course secret). A new
assignment is a :class:`Draft`, the files of one ``assignments/<name>/`` folder and
its questions, written beside the others and entered into ``grading_config.yaml`` (see :mod:`autograder.scaffold.config_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import CONFIG_NAME
from autograder.exceptions import UsageError
from autograder.requirements import REQUIREMENTS_NAME
from autograder.scaffold.config_text import add_assignment
from autograder.secret import new_secret

TEMPLATES = Path(__file__).resolve().parent / "templates"
SAMPLE = "linear"
# files of templates/course/ that take another name in the course (hidden names do not
# travel well as package data)
RENAMED = {"gitignore": ".gitignore", "ci/autograder.yml": ".github/workflows/autograder.yml",
           "ci/classroom.yml": ".github/workflows/classroom.yml"}  # for the students' repositories
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def init_course(folder: Path) -> list[Path]:
    """A new course in ``folder`` (missing or empty); returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not an empty folder")
    source = TEMPLATES / "course"
    replacements = {"__COURSE__": folder.resolve().name, "__SECRET__": new_secret(), "__SAMPLE__": SAMPLE}
    written = []
    for path in sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative = path.relative_to(source).as_posix()
        target = folder / RENAMED.get(relative, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in (".md", ".yaml", ".yml"):
            text = path.read_text(encoding="utf-8")
            for token, value in replacements.items():
                text = text.replace(token, value)
            target.write_text(text, encoding="utf-8")
        else:
            target.write_bytes(path.read_bytes())
        written.append(target)
    return written


@dataclass
class Draft:
    """An assignment about to be written: its files (relative to its folder) and questions."""

    name: str
    title: str
    questions: dict[str, float]
    files: dict[str, str | bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the instructor should look at
    todo: list[str] = field(default_factory=list)  # what must be done before grading
    done: list[str] = field(default_factory=list)  # what was done beyond the folder itself
    requirements: list[str] = field(default_factory=list)  # packages its notebooks import
    optional: list[str] = field(default_factory=list)  # questions the notebook says are not graded


def check_new_name(course: Path, name: str) -> None:
    if not NAME.match(name):
        raise UsageError(f"assignment name {name!r}: use letters, digits, _ and -, starting with a letter")
    if (course / "assignments" / name).exists():
        raise UsageError(f"{course / 'assignments' / name} already exists")


def skeleton(name: str, title: str) -> Draft:
    """The assignment of ``autograder new NAME``: one question to rename and fill in."""
    source = TEMPLATES / "assignment"
    files: dict[str, str | bytes] = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        text = path.read_text(encoding="utf-8")
        files[path.relative_to(source).as_posix()] = text.replace("__NAME__", name).replace("__TITLE__", title)
    return Draft(name, title, {"square": 1}, files, todo=[
        "rename the sample question `square` in source.ipynb, reference.py, examples.py, checks/ "
        "and grading_config.yaml, and write the assignment"])


def write_draft(course: Path, draft: Draft) -> list[Path]:
    """Write ``draft`` into ``course/assignments/<name>/`` and enter it into the config."""
    check_new_name(course, draft.name)
    config = course / CONFIG_NAME
    folder = course / "assignments" / draft.name
    add_assignment(config, draft.name, draft.title, draft.questions, draft.optional)  # first: it may refuse
    added = add_requirements(course, draft.requirements, draft.name)
    if added:
        draft.done.append(f"added {', '.join(added)} to {REQUIREMENTS_NAME}")
        draft.todo.append(f"install the course's packages where the grader runs: "
                          f"python -m pip install -r {course / REQUIREMENTS_NAME}")
    written = []
    for relative, content in draft.files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        written.append(target)
    return written


def add_requirements(course: Path, packages: list[str], name: str) -> list[str]:
    """Append to the course's requirements.txt the packages it does not list yet."""
    if not packages:
        return []
    path = course / REQUIREMENTS_NAME
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    listed = set()
    for line in text.splitlines():
        head = re.split(r"[\s<>=!~;\[#]", line.strip(), maxsplit=1)[0]
        if head:
            listed.add(head.lower().replace("_", "-"))
    added = [p for p in packages if p.lower().replace("_", "-") not in listed]
    if added:
        prefix = "" if not text or text.endswith("\n") else "\n"
        path.write_text(text + prefix + "".join(f"{p}  # imported by {name}\n" for p in added), encoding="utf-8")
    return added
