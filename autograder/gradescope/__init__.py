"""A Gradescope autograder in one command: ``package`` writes the zip, ``run`` is what it runs."""
