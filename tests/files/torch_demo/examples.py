from autograder.examples import Example, model, tensor

X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
Y = [[0.0], [1.0], [1.0], [0.0]]

EXAMPLES = [
    Example("TinyNet", target=model("TinyNet", seed=1, hidden=3), args=(tensor(X),)),
    Example("train", args=(model("TinyNet", seed=2, hidden=3), tensor(X), tensor(Y)),
            kwargs={"epochs": 3, "lr": 0.5}),
]
