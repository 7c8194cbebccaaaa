"""Public examples of `torch_basics`: inputs only; expected values come from the reference."""

import numpy as np

from autograder.examples import Example, tensor

# two pictures, two channels of 2x2 pixels: the channels have very different scales
PICTURES = np.array([
    [[[0.0, 2.0], [4.0, 6.0]], [[100.0, 110.0], [120.0, 130.0]]],
    [[[1.0, 3.0], [5.0, 7.0]], [[90.0, 95.0], [105.0, 140.0]]],
])
X = [[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]]
W = [[0.5], [-1.0]]
LINE_X = [0.0, 1.0, 2.0, 3.0]
LINE_Y = [1.0, 3.0, 5.0, 7.0]   # y = 2x + 1

EXAMPLES = [
    Example("normalize_pictures", args=(tensor(PICTURES),)),
    Example("normalize_pictures", args=(tensor(np.arange(12.0).reshape(1, 3, 2, 2) ** 2),)),
    Example("forward_pass", args=(tensor(X), tensor(W))),
    Example("forward_pass", args=(tensor([[2.0]]), tensor([[0.0]]))),
    Example("train_linear", args=(tensor(LINE_X), tensor(LINE_Y)), kwargs={"lr": 0.05, "steps": 3}),
    Example("train_linear", args=(tensor(LINE_X), tensor(LINE_Y)), kwargs={"lr": 0.01, "steps": 2}),
]
