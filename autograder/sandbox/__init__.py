"""The jail: student code runs in forked workers; only plain data comes back.

Grader side (see docs/architecture.md §2): ``jail`` (the zygote, ``Jail``), ``backends/``,
``channel`` and ``client`` (one submission's worker: typed requests and replies, replays),
``values``, ``calls``, ``report``, ``seeds``. The worker-side code lives in
:mod:`autograder.sandbox.inside` and is the only part of the repository the jail sees.
Import each from its own module: this package imports nothing, so a module that needs
one small part (``inside.salvage``, ``values``) does not load the jail with it. What
the checks' calls may cost (question scopes, time budgets) is the grading side's:
:mod:`autograder.session`.
"""
