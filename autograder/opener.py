"""The one way in: everything that opens a submission for grading, in one object.

Every command that runs a student's notebook (``grade``, ``validate``, ``pytest
--notebook``, ``gradescope``, the Dask worker, ``verify``) starts an :class:`Opener`
and opens its submissions through it, so they cannot disagree on what a notebook gets:
the course's requirements are checked before the jail starts (the jail imports them
from this Python); the jail preloads the assignment's modules and sees its ``data/``;
each submission runs with the limits of the assignment, its cell limit following the
master notebook's own run time (measured once per opener), and its random generators
seeded from its bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from autograder import master_time
from autograder.config import Limits, Settings
from autograder.importers.rules import load_rules, rewrite_cells
from autograder.instructor import master_cells
from autograder.notebook import CodeCell, read_submission
from autograder.requirements import check_requirements
from autograder.sandbox.jail import Jail
from autograder.sandbox.seeds import submission_seed
from autograder.submissions import sha256_of  # noqa: F401  (validate and the pytest plugin hash through the opener)

if TYPE_CHECKING:
    from autograder.session import Session


class Opener:
    """One assignment's way into the jail: :meth:`start` it (or wrap a running jail),
    then :meth:`open` each submission's cells in a session."""

    def __init__(self, assignment: str, settings: Settings, jail: Jail,
                 preloaded: Sequence[str] | None = None) -> None:
        self.assignment, self.settings, self.jail = assignment, settings, jail
        # what the jail imports before forking workers (``preloaded``: as the jail was started with)
        self.preloaded = list(preloaded) if preloaded is not None else settings.preload(assignment)
        self.blanks = settings.blanks(assignment)  # placeholders, and stubs of the questions' functions
        self.imported = load_rules(settings.assignment_dir(assignment))  # otter's/nbgrader's run rules
        self._limits: Limits | None = None

    @classmethod
    @contextmanager
    def start(cls, settings: Settings, assignment: str) -> Iterator[Opener]:
        """Check the course's requirements, start the assignment's jail (it boots while
        the caller loads its checks), and stop it on the way out."""
        check_requirements(settings)
        preloaded = settings.preload(assignment)  # the master notebook's imports: read once
        with Jail.start(settings.config.sandbox, preloaded, settings.data_dir(assignment)) as jail:
            yield cls(assignment, settings, jail, preloaded)

    @property
    def limits(self) -> Limits:
        """The assignment's limits, the cell limit following the master notebook's own run
        time (``timing.cell_limits``): measured in the jail once per course version
        (``master_time``), not at every command."""
        if self._limits is None:
            from autograder import timing  # NumPy's import: after the jail has started

            base = self.settings.limits(self.assignment)
            master = self.settings.assignment_dir(self.assignment) / "source.ipynb"
            cells = master_cells(master) if master.is_file() and base.reference_factor > 0 else []
            seconds = None
            if cells:
                version = master_time.course_version(cells, base, self.preloaded, self.jail.backend,
                                                     self.settings.data_dir(self.assignment))
                seconds = master_time.master_seconds(
                    version, partial(timing.master_seconds, partial(self._run_time, base), cells))
            self._limits = timing.cell_limits(base, seconds)
        return self._limits

    def _run_time(self, limits: Limits, cells: Sequence[CodeCell]) -> float:
        from autograder.session import Session

        with Session(self.jail.spawn, cells, limits) as session:
            return session.run.duration_s

    def limits_for(self, cells: Sequence[CodeCell]) -> Limits:
        """A notebook's limits: the derived ones, or the configured ceiling for a notebook
        that imports a package the jail has not preloaded (a first import may take seconds)."""
        from autograder import timing

        if timing.imports_beyond(cells, self.preloaded):
            return self.settings.limits(self.assignment)
        return self.limits

    def read(self, path: Path) -> list[CodeCell]:
        """A submission's code cells as the jail runs them (``NotebookError`` when it is not
        a notebook): an imported assignment's cells rewritten by its grader's rules."""
        cells = read_submission(path, self.blanks)
        return rewrite_cells(self.imported, path, cells) if self.imported is not None else cells

    def open(self, cells: Sequence[CodeCell], sha256: str) -> Session:
        """Run a submission's cells in a fresh worker, with its limits and its seed;
        the session answers the checks' calls (close it, or use it in a ``with``)."""
        from autograder.session import Session  # NumPy's import: after the jail has started

        return Session(self.jail.spawn, cells, self.limits_for(cells), submission_seed(sha256))
