"""Reference solution of `__NAME__` (trusted: runs in the grader, never shipped to students).

One function (or class) per question in grading_config.yaml, as in the master notebook.
"""

import numpy as np


def square(x):  # TODO: your functions; rename `square` everywhere (notebook, config, checks)
    """x squared, elementwise."""
    return np.asarray(x, dtype=float) ** 2
