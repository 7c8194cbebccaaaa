"""Public examples of `perceptron`: inputs only; expected values come from the reference."""

from autograder.examples import Example

AND_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]

EXAMPLES = [
    Example("perceptron_predict", args=([1.0, 1.0], -1.5, AND_X), floats=True),
    Example("perceptron_predict", args=([1.0, -1.0], 0.0, [[2.0, 2.0], [1.0, 3.0]]), floats=True),
    Example("perceptron_step", args=([0.0, 0.0], 0.0, [1.0, 1.0], 0.0, 0.1)),
    Example("perceptron_step", args=([0.5, -0.5], 0.2, [1.0, 2.0], 1.0, 0.5)),
    Example("perceptron_step", args=([1.0, 1.0], -1.5, [1.0, 1.0], 1.0, 0.1)),
    Example("perceptron_train", args=(AND_X, [0.0, 0.0, 0.0, 1.0]), kwargs={"lr": 0.1, "epochs": 1}),
    Example("perceptron_train", args=(AND_X, [0.0, 0.0, 0.0, 1.0])),
    Example("perceptron_train", args=(AND_X, [0.0, 1.0, 1.0, 1.0]), kwargs={"lr": 0.5, "epochs": 3}),
]
