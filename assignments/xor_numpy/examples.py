"""Public examples of `xor_numpy`: inputs only; expected values come from the reference."""

import numpy as np

from autograder.examples import Example

A = np.array
X = A([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = A([[0.0], [1.0], [1.0], [0.0]])

# A small 2-2-1 network, written out so students can follow it by hand.
P2 = {"W1": A([[1.0, -1.0], [-1.0, 1.0]]), "b1": A([0.5, -0.5]), "W2": A([[1.0], [-2.0]]), "b2": A([0.25])}
# A 2-3-1 network with other values.
P3 = {"W1": A([[0.5, -1.5, 2.0], [1.0, 0.5, -1.0]]), "b1": A([0.0, 0.1, -0.2]),
      "W2": A([[1.5], [-0.5], [0.8]]), "b2": A([-0.3])}

EXAMPLES = [
    Example("forward", args=(P2, X)),
    Example("forward", args=(P3, A([[0.5, -1.0], [2.0, 0.0]]))),
    Example("mse_loss", args=(A([[0.5], [0.5], [0.5], [0.5]]), Y)),
    Example("mse_loss", args=(A([[0.9], [0.2], [0.7], [0.1]]), Y)),
    Example("backward", args=(P2, X, Y)),
    Example("backward", args=(P3, A([[0.5, -1.0], [2.0, 0.0], [1.0, 1.0]]), A([[1.0], [0.0], [1.0]]))),
    Example("train_xor", args=(P2, X, Y, 0.5, 3)),
    Example("train_xor", args=(P3, X, Y, 1.0, 2)),
]
