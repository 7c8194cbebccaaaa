"""Public examples of `__NAME__`: inputs only. The expected outputs are computed from
reference.py when `autograder assign` writes the student notebook, where
`check("square")` runs them; grading runs them too."""

from autograder.examples import Example

EXAMPLES = [
    Example("square", args=([-1.0, 0.0, 2.0],)),  # TODO: a few calls per question
]
