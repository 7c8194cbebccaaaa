"""Submissions of `xor_numpy`: right, typically wrong, broken; with expected scores.

Points (grading_config.yaml): forward 3, mse_loss 2, backward 6, train_xor 5. Each
question's points are split over its checks by weight, the public examples weighing 1:
forward 2+1+1 (values, shape, public), mse_loss 2+1+1 (values, float, public),
backward 1+2+2+1 (shapes, reference, numerical, public), train_xor 3+3+1.5+1.5+1
(losses, params, caller's dict, learns, public: half a point per unit).
"""

from __future__ import annotations

from tests.catalogue import Case

SETUP = "import numpy as np"

FORWARD = '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(params, X):
    a1 = sigmoid(X @ params["W1"] + params["b1"])
    return sigmoid(a1 @ params["W2"] + params["b2"])
'''

MSE = '''
def mse_loss(y_hat, y):
    return float(np.mean((y_hat - y) ** 2))
'''

BACKWARD = '''
def backward(params, X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    a1 = sigmoid(X @ params["W1"] + params["b1"])
    a2 = sigmoid(a1 @ params["W2"] + params["b2"])
    n = y.shape[0]
    d_a2 = 2 * (a2 - y) / n
    d_z2 = d_a2 * a2 * (1 - a2)
    d_z1 = (d_z2 @ params["W2"].T) * a1 * (1 - a1)
    return {"W1": X.T @ d_z1, "b1": d_z1.sum(axis=0),
            "W2": a1.T @ d_z2, "b2": d_z2.sum(axis=0)}
'''

TRAIN = '''
def train_xor(params, X, y, lr, epochs):
    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    losses = []
    for epoch in range(epochs):
        losses.append(mse_loss(forward(params, X), y))
        grads = backward(params, X, y)
        params = {k: params[k] - lr * grads[k] for k in params}
    return params, losses
'''

# updates the caller's arrays: `params[k] -= ...` without copying first
TRAIN_IN_PLACE = '''
def train_xor(params, X, y, lr, epochs):
    losses = []
    for epoch in range(epochs):
        losses.append(mse_loss(forward(params, X), y))
        grads = backward(params, X, y)
        for k in params:
            params[k] -= lr * grads[k]
    return params, losses
'''

RIGHT = [SETUP, FORWARD, MSE, BACKWARD, TRAIN]


def variant(index: int, old: str, new: str) -> list[str]:
    """The right solution with one edit in one cell (the edit must apply)."""
    cells = list(RIGHT)
    assert old in cells[index], old
    cells[index] = cells[index].replace(old, new)
    return cells


BACKWARD_LINE = "    d_a2 = 2 * (a2 - y) / n\n"

CASES = [
    Case("correct", RIGHT),
    Case("empty", [SETUP], expected={"forward": 0, "mse_loss": 0, "backward": 0, "train_xor": 0},
         messages={"forward": "forward", "train_xor": "train_xor"}),
    Case("stubs_not_implemented",
         [SETUP] + [f"def {name}(*args):\n    raise NotImplementedError" for name in
                    ("forward", "mse_loss", "backward", "train_xor")],
         expected={"forward": 0, "mse_loss": 0, "backward": 0, "train_xor": 0},
         messages={"backward": "NotImplementedError"}),
    # forward
    Case("forward_relu_output", variant(1, 'return sigmoid(a1 @ params["W2"] + params["b2"])',
                                        'return np.maximum(a1 @ params["W2"] + params["b2"], 0)'),
         expected={"forward": 0.0, "train_xor": 2.25},
         messages={"forward": "на выходном слое стоит ReLU"}),
    Case("forward_no_output_activation", variant(1, 'return sigmoid(a1 @ params["W2"] + params["b2"])',
                                                 'return a1 @ params["W2"] + params["b2"]'),
         expected={"forward": 0.0, "train_xor": 2.25},
         messages={"forward": "на выходном слое нет активации"}),
    Case("forward_relu_hidden", variant(1, 'a1 = sigmoid(X @ params["W1"] + params["b1"])',
                                        'a1 = np.maximum(X @ params["W1"] + params["b1"], 0)'),
         expected={"forward": 0.0, "train_xor": 3.0},
         messages={"forward": "на скрытом слое стоит ReLU"}),
    Case("forward_flat", variant(1, 'return sigmoid(a1 @ params["W2"] + params["b2"])',
                                 'return sigmoid(a1 @ params["W2"] + params["b2"]).ravel()'),
         expected={"forward": 1.5, "train_xor": 2.25},
         messages={"forward": "ожидалась форма (7, 1)"}),
    # mse_loss
    Case("mse_sum", variant(2, "np.mean(", "np.sum("),
         expected={"mse_loss": 0.0, "train_xor": 3.0},
         messages={"mse_loss": "это сумма квадратов ошибок"}),
    Case("mse_array", variant(2, "return float(np.mean((y_hat - y) ** 2))",
                              "return np.mean((y_hat - y) ** 2, axis=0)"),
         expected={"mse_loss": 1.0, "train_xor": 4.5},
         messages={"mse_loss": "должна вернуть одно число float"}),
    # backward
    Case("backward_no_factor_2", variant(3, BACKWARD_LINE, "    d_a2 = (a2 - y) / n\n"),
         expected={"backward": 0.0, "train_xor": 1.5},
         messages={"backward": "градиент вдвое меньше верного"}),
    Case("backward_no_mean", variant(3, BACKWARD_LINE, "    d_a2 = 2 * (a2 - y)\n"),
         expected={"backward": 0.0, "train_xor": 1.5},
         messages={"backward": "градиент в n раз больше верного"}),
    Case("backward_no_output_derivative", variant(3, "    d_z2 = d_a2 * a2 * (1 - a2)\n", "    d_z2 = d_a2\n"),
         expected={"backward": 0.0, "train_xor": 1.5},
         messages={"backward": "пропущена производная выходной сигмоиды"}),
    Case("backward_keepdims", variant(3, '"b1": d_z1.sum(axis=0)', '"b1": d_z1.sum(axis=0, keepdims=True)'),
         expected={"backward": 4.0, "train_xor": 4.5},
         messages={"backward": "суммируйте по примерам без keepdims"}),
    # train_xor
    Case("train_loss_after_update", variant(4, '''        losses.append(mse_loss(forward(params, X), y))
        grads = backward(params, X, y)
        params = {k: params[k] - lr * grads[k] for k in params}
''', '''        grads = backward(params, X, y)
        params = {k: params[k] - lr * grads[k] for k in params}
        losses.append(mse_loss(forward(params, X), y))
'''),
         expected={"train_xor": 3.0},
         messages={"train_xor": "потеря записывается после обновления"}),
    Case("train_in_place", RIGHT[:4] + [TRAIN_IN_PLACE],
         expected={"train_xor": 3.75},
         messages={"train_xor": "изменила переданный словарь params"}),
    Case("train_gradient_ascent", variant(4, "params[k] - lr * grads[k]", "params[k] + lr * grads[k]"),
         expected={"train_xor": 0.0},
         messages={"train_xor": "шаг сделан по градиенту"}),
    # no credit for nothing: the right types, shapes and keys, no value right
    Case("returns_zeros", [SETUP, """
def forward(params, X):
    return np.zeros((len(X), 1))


def mse_loss(y_hat, y):
    return 0.0


def backward(params, X, y):
    return {k: np.zeros_like(v) for k, v in params.items()}


def train_xor(params, X, y, lr, epochs):
    return {k: np.zeros_like(v) for k, v in params.items()}, [0.0] * epochs
"""], expected={"forward": 0, "mse_loss": 0, "backward": 0, "train_xor": 0},
         messages={"train_xor": "вычисляет верно хотя бы какие-то значения"}),
    Case("returns_constants", [SETUP, """
def forward(params, X):
    return np.full((len(X), 1), 0.5)


def mse_loss(y_hat, y):
    return 0.25


def backward(params, X, y):
    return {k: np.ones_like(v) for k, v in params.items()}


def train_xor(params, X, y, lr, epochs):
    return {k: np.array(v, dtype=float) for k, v in params.items()}, [0.25] * epochs
"""], expected={"forward": 0, "mse_loss": 0, "backward": 0, "train_xor": 0},
         messages={"mse_loss": "вычисляет верно хотя бы какие-то значения"}),
    # broken notebooks
    Case("cell_raises", RIGHT[:2] + ["print(undefined_name)"] + RIGHT[2:],
         messages={"errors": "NameError"}),
    Case("train_loops_forever", variant(4, "    for epoch in range(epochs):\n", "    while True:\n"),
         expected={"train_xor": 0}, messages={"train_xor": "бесконечного цикла"}),
    Case("missing_backward", RIGHT[:3] + [TRAIN],
         expected={"backward": 0, "train_xor": 0},
         messages={"backward": "backward"}),
]
