"""Public examples of `torch_xor`: inputs only; expected values come from the reference.

Models are instances of the student's XorNet holding the parameters of the reference
network built after torch.manual_seed(seed), so the expected values are reproducible.
"""

from autograder.examples import Example, model, tensor

X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
Y = [[0.0], [1.0], [1.0], [0.0]]

EXAMPLES = [
    Example("XorNet", target=model("XorNet", hidden=4, seed=0), args=(tensor(X),)),
    Example("XorNet", target=model("XorNet", hidden=2, seed=1), args=(tensor([[0.5, -1.0], [2.0, 3.0]]),)),
    Example("train_model", args=(model("XorNet", hidden=4, seed=0), tensor(X), tensor(Y)),
            kwargs={"epochs": 5, "lr": 0.5}),
    Example("train_model", args=(model("XorNet", hidden=3, seed=2), tensor(X), tensor(Y)),
            kwargs={"epochs": 3, "lr": 1.0}),
    # seed 2: untrained outputs 0.495, 0.471, 0.504, 0.480, on both sides of 0.5
    Example("predict", args=(model("XorNet", hidden=4, seed=2), tensor(X)), floats=True),
]
