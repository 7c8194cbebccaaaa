"""Public examples of `activations`: inputs only; expected values come from the reference."""

from autograder.examples import Example

EXAMPLES = [
    Example("step", args=([-2.0, -0.5, 0.0, 0.5, 2.0],)),
    Example("step", args=(0.0,)),
    Example("sigmoid", args=([-2.0, 0.0, 2.0],)),
    Example("sigmoid", args=([[-1.0, 1.0], [3.0, -3.0]],)),
    Example("sigmoid", args=([-1000.0, 1000.0],)),
    Example("sigmoid_grad", args=([-2.0, 0.0, 2.0],)),
    Example("sigmoid_grad", args=(0.5,)),
    Example("relu", args=([-2.0, -0.5, 0.0, 0.5, 2.0],)),
    Example("relu", args=([[-1.0, 3.0], [0.0, -4.0]],)),
    Example("relu_grad", args=([-2.0, -0.5, 0.0, 0.5, 2.0],)),
    Example("relu_grad", args=(0.0,)),
    Example("tanh", args=([-2.0, 0.0, 2.0],)),
    Example("tanh", args=([[0.5, -0.5], [1.0, -1.0]],)),
    Example("tanh_grad", args=([-2.0, 0.0, 2.0],)),
    Example("tanh_grad", args=(1.0,)),
    Example("softmax", args=([1.0, 2.0, 3.0],)),
    Example("softmax", args=([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]],)),
    Example("softmax", args=([1000.0, 1000.0],)),
]
