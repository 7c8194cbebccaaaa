"""Public examples of `linear`: inputs only. The expected outputs are computed from
reference.py when `autograder assign` writes the student notebook, where
`check("standardize")` runs them; grading runs them too."""

from autograder.examples import Example

EXAMPLES = [
    Example("standardize", args=([[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]],)),
    Example("mse_loss", args=([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])),
    Example("mse_loss", args=([0.5], [0.5])),
    Example("fit_line", args=([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])),
    Example("fit_line", args=([1.0, 2.0, 4.0, 5.0], [2.0, 1.0, 4.0, 3.0])),
]
