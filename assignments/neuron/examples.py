"""Public examples of `neuron`: inputs only; expected values come from the reference.

Methods are called on an instance of the student's own class, built with the
example's arguments (`instance("Perceptron", w=W, b=0.1)`); for the methods that change
the perceptron in place, `state=` compares `self.w` and `self.b` after the call too.
"""

import numpy as np

from autograder.examples import Example, instance

X = np.array([[0.2, 0.9], [0.8, 0.1], [0.5, 0.5], [0.3, 0.7]])   # symmetry, yellowness
Y = np.array([[1], [0], [0], [1]])                                # pear = 1, apple = 0
W = np.array([[-1.0], [1.0]])
Y_PRED = np.array([[1], [1], [1], [0]])                           # three of the four are wrong

EXAMPLES = [
    Example("Loss", args=(np.array([[1], [0], [1]]), np.array([[1], [1], [0]]))),
    Example("Loss", args=(np.array([[1.0], [0.0], [0.0], [1.0]]), [1, 0, 1, 1])),   # y as a list
    Example("Perceptron.activate", on=instance("Perceptron"), args=(np.array([-2.0, -0.5, 0.0, 0.5, 3.0]),)),
    Example("Perceptron.activate", on=instance("Perceptron"), args=(np.array([[-1], [0], [2]]),)),
    Example("Perceptron.activate", on=instance("Perceptron"), args=(0,)),
    Example("Perceptron.forward_pass", on=instance("Perceptron", w=W, b=0.1), args=(X,)),
    Example("Perceptron.forward_pass", on=instance("Perceptron", w=np.array([[0.5], [-2.0]]), b=0.5),
            args=(X[:2],)),
    Example("Perceptron.backward_pass", on=instance("Perceptron", w=W, b=0.1), args=(X, Y, Y_PRED),
            state=("w", "b")),
    Example("Perceptron.backward_pass", on=instance("Perceptron", w=W, b=0.1),
            args=(X, Y.ravel(), Y_PRED), kwargs={"learning_rate": 0.5}, state=("w", "b")),
    Example("Perceptron.fit", on=instance("Perceptron"), args=(X, Y), kwargs={"num_epochs": 3},
            state=("w", "b")),
    Example("Perceptron.fit", on=instance("Perceptron", w=np.array([[5.0], [5.0]]), b=-1.0),
            args=(X, Y.ravel()), kwargs={"num_epochs": 2}, state=("w", "b")),
]
