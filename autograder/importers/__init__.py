"""Assignments of other graders (otter-grader, nbgrader) imported into a course of ours.

``otter`` and ``nbgrader`` read the other format into an :class:`~autograder.importers.
model.ImportedAssignment`; ``writer`` turns it into an assignment folder (master
notebook, reference, checks) and its entry in ``grading_config.yaml``; ``runtime`` is
what the generated checks call: the imported tests run in the grader against the jailed
submission.
"""
