from autograder.examples import Example

EXAMPLES = [
    Example("sigmoid", args=([-2.0, 0.0, 2.0],)),
    Example("sigmoid", args=([-1000.0, 1000.0],)),
    Example("relu", args=([[-1.0, 0.5], [2.0, -3.0]],)),
    Example("shift", args=([1.0, 2.0], 0.5, 0.25)),
    Example("stats", args=([1.0, 2.0, 6.0],)),
]
