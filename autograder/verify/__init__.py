"""``autograder verify``: prove an assignment's checks against wrong versions of its solution.

The solution must score full marks, the unchanged student notebook zero, and every
*mutant* (the solution with one mistake a student makes) must lose points, unless it
is reviewed as equivalent in ``equivalent_mutants.yaml``. Parts: ``mutate`` and
``operators`` make the mutants, ``notebooks`` the notebooks, ``run`` grades them as one
batch (``verify_assignment``, the library entry point), ``report`` judges and shows the
outcome, ``command`` is the CLI. Nothing is imported here: ``autograder``'s startup
registers the command without loading the grading machinery.
"""
