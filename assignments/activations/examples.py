"""Public examples of `activations`: inputs only; expected values come from the reference.

The contract asks for float64 results, and the hidden checks say so: `floats=True` makes
these examples say it too (a bool or int array with the right values fails both).
"""

from autograder.examples import Example

EXAMPLES = [
    Example("step", args=([-2.0, -0.5, 0.0, 0.5, 2.0],), floats=True),
    Example("step", args=(0.0,), floats=True),
    Example("sigmoid", args=([-2.0, 0.0, 2.0],), floats=True),
    Example("sigmoid", args=([[-1.0, 1.0], [3.0, -3.0]],), floats=True),
    Example("sigmoid", args=([-1000.0, 1000.0],), floats=True),
    Example("sigmoid_grad", args=([-2.0, 0.0, 2.0],), floats=True),
    Example("sigmoid_grad", args=(0.5,), floats=True),
    Example("relu", args=([-2.0, -0.5, 0.0, 0.5, 2.0],), floats=True),
    Example("relu", args=([[-1.0, 3.0], [0.0, -4.0]],), floats=True),
    Example("relu_grad", args=([-2.0, -0.5, 0.0, 0.5, 2.0],), floats=True),
    Example("relu_grad", args=(0.0,), floats=True),
    Example("tanh", args=([-2.0, 0.0, 2.0],), floats=True),
    Example("tanh", args=([[0.5, -0.5], [1.0, -1.0]],), floats=True),
    Example("tanh_grad", args=([-2.0, 0.0, 2.0],), floats=True),
    Example("tanh_grad", args=(1.0,), floats=True),
    Example("softmax", args=([1.0, 2.0, 3.0],), floats=True),
    Example("softmax", args=([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]],), floats=True),
    Example("softmax", args=([1000.0, 1000.0],), floats=True),
]
