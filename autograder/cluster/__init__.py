"""Grading on a Dask cluster (the optional extra ``autograder[cluster]``).

``autograder grade --scheduler ADDRESS`` or ``--cluster local:N``: the same batch,
files, gradebook and resume as a local one, graded by Dask workers that each run
their own jail. :mod:`.archive` ships the course, :mod:`.worker` is the workers'
side (a WorkerPlugin and the task), :mod:`.client` the client's side (a
:class:`autograder.batch.Backend`).
"""

from __future__ import annotations

from autograder.cluster.client import ClusterBackend, check_scheduler, parse_local, parse_reply, parse_result

__all__ = ["ClusterBackend", "check_scheduler", "parse_local", "parse_reply", "parse_result"]
