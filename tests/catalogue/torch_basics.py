"""Submissions of `torch_basics`: right, typically wrong, broken; with expected scores.

Points (grading_config.yaml): normalize_pictures 3, forward_pass 2, train_linear 5. Check
weights, the public examples weighing 1: normalize_pictures 2+1+1+1 (values, shapes,
A unchanged (form), public), forward_pass 2+1+1 (values, shape (form), public),
train_linear 2+2+1+1+1 (losses, w and b, defaults, types (form), public).
"""

from __future__ import annotations

from tests.catalogue import Case

SETUP = "import numpy as np\nimport torch"

NORMALIZE = '''
def normalize_pictures(A):
    mean = A.mean(dim=(0, 2, 3), keepdim=True)
    std = A.std(dim=(0, 2, 3), keepdim=True)
    return (A - mean) / std
'''

FORWARD = '''
def forward_pass(X, w):
    return torch.sigmoid(X @ w)
'''

TRAIN = '''
def train_linear(x, y, lr=0.05, steps=100):
    w = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    losses = []
    for _ in range(steps):
        y_pred = w * x + b
        loss = torch.mean((y_pred - y) ** 2)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
        losses.append(loss.item())
    return w.item(), b.item(), losses
'''

RIGHT = [SETUP, NORMALIZE, FORWARD, TRAIN]
N, F, T = 3 / 5, 2 / 4, 5 / 7  # points per unit of weight


def variant(index: int, old: str, new: str) -> list[str]:
    """The right solution with one edit in one cell (the edit must apply)."""
    cells = list(RIGHT)
    assert old in cells[index], old
    cells[index] = cells[index].replace(old, new)
    return cells


CASES = [
    Case("correct", RIGHT),
    Case("empty", [SETUP], expected={"normalize_pictures": 0, "forward_pass": 0, "train_linear": 0},
         messages={"normalize_pictures": "normalize_pictures", "train_linear": "train_linear"}),
    # normalize_pictures
    Case("normalize_per_image", variant(1, "dim=(0, 2, 3)", "dim=(2, 3)"),
         expected={"normalize_pictures": 0},
         messages={"normalize_pictures": "каждая картинка нормирована отдельно"}),
    Case("normalize_whole_tensor", variant(1, "mean = A.mean(dim=(0, 2, 3), keepdim=True)\n    std = A.std(dim=(0, 2, 3), keepdim=True)",
                                           "mean = A.mean()\n    std = A.std()"),
         expected={"normalize_pictures": 0},
         messages={"normalize_pictures": "взяты по всему тензору"}),
    Case("normalize_biased_std", variant(1, "keepdim=True)\n    return", "keepdim=True, unbiased=False)\n    return"),
         expected={"normalize_pictures": 0},
         messages={"normalize_pictures": "std смещённое"}),
    Case("normalize_in_place", variant(1, "return (A - mean) / std", "A -= mean\n    A /= std\n    return A"),
         expected={"normalize_pictures": 3 * N},
         messages={"normalize_pictures": "изменила A на месте"}),
    Case("normalize_no_std", variant(1, "return (A - mean) / std", "return A - mean"),
         expected={"normalize_pictures": 0},
         messages={"normalize_pictures": "на std ничего не поделено"}),
    # the input of a wrong value is shown by its shapes, as code: no English in Russian ("A of shape")
    Case("normalize_per_image_input", variant(1, "dim=(0, 2, 3)", "dim=(2, 3)"),
         expected={"normalize_pictures": 0}, messages={"normalize_pictures": "вход:      {'A.shape': (4, 3, 5, 6)}"}),
    # forward_pass
    Case("forward_no_sigmoid_input", variant(2, "return torch.sigmoid(X @ w)", "return X @ w"),
         expected={"forward_pass": 0}, messages={"forward_pass": "вход:      {'X.shape': (7, 3), 'w.shape': (3, 1)}"}),
    Case("forward_no_sigmoid", variant(2, "return torch.sigmoid(X @ w)", "return X @ w"),
         expected={"forward_pass": 0},
         messages={"forward_pass": "нет сигмоиды"}),
    Case("forward_sigmoid_first", variant(2, "return torch.sigmoid(X @ w)", "return torch.sigmoid(X) @ w"),
         expected={"forward_pass": 0},
         messages={"forward_pass": "сигмоида применена к X до умножения"}),
    Case("forward_flat", variant(2, "return torch.sigmoid(X @ w)", "return torch.sigmoid(X @ w).view(-1)"),
         expected={"forward_pass": 2 * F},
         messages={"forward_pass": "нужен столбец (4, 1)"}),
    # train_linear
    Case("train_no_zero_grad", variant(3, "        w.grad.zero_()\n        b.grad.zero_()\n", ""),
         expected={"train_linear": 0},
         messages={"train_linear": "градиенты не обнуляются"}),
    Case("train_update_tracked", variant(3, "        with torch.no_grad():\n            w -= lr * w.grad\n            b -= lr * b.grad\n",
                                         "        w = w - lr * w.grad\n        b = b - lr * b.grad\n"),
         expected={"train_linear": 0},
         messages={"train_linear": "обновление отслеживается autograd"}),
    Case("train_update_in_place_outside_no_grad",
         variant(3, "        with torch.no_grad():\n            w -= lr * w.grad\n            b -= lr * b.grad\n",
                 "        w -= lr * w.grad\n        b -= lr * b.grad\n"),
         expected={"train_linear": 0},
         messages={"train_linear": "внутри `with torch.no_grad():`"}),
    # the same "does not require grad" as an update that replaces w, but from the first step
    Case("train_no_requires_grad", variant(3, "w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)",
                                           "w = torch.zeros(1)\n    b = torch.zeros(1)"),
         expected={"train_linear": 0},
         messages={"train_linear": "autograd не следит ни за w, ни за b"}),
    Case("train_loss_after_step", variant(3, "        losses.append(loss.item())\n",
                                          "        losses.append(torch.mean((w * x + b - y) ** 2).item())\n"),
         expected={"train_linear": 3 * T},
         messages={"train_linear": "потеря записана после обновления"}),
    Case("train_sum_loss", variant(3, "torch.mean((y_pred - y) ** 2)", "torch.sum((y_pred - y) ** 2)"),
         expected={"train_linear": 0},
         messages={"train_linear": "потеря — сумма квадратов ошибок"}),
    Case("train_returns_tensors", variant(3, "return w.item(), b.item(), losses", "return w, b, losses"),
         expected={"train_linear": 5 * T},
         messages={"train_linear": "из чисел Python"}),
    # no credit for nothing
    Case("returns_zeros", [SETUP, '''
def normalize_pictures(A):
    return torch.zeros_like(A)
''', '''
def forward_pass(X, w):
    return torch.zeros(X.shape[0], 1)
''', '''
def train_linear(x, y, lr=0.05, steps=100):
    return 0.0, 0.0, [0.0] * steps
'''], expected={"normalize_pictures": 0, "forward_pass": 0, "train_linear": 0},
         messages={"forward_pass": "вычисляет верно хотя бы какие-то значения"}),
    Case("returns_constants", [SETUP, '''
def normalize_pictures(A):
    return A.clone()
''', '''
def forward_pass(X, w):
    return torch.full((X.shape[0], 1), 0.5)
''', '''
def train_linear(x, y, lr=0.05, steps=100):
    return 1.0, 1.0, [1.0] * steps
'''], expected={"normalize_pictures": 0, "forward_pass": 0, "train_linear": 0},
         messages={"train_linear": "вычисляет верно хотя бы какие-то значения"}),
    # broken notebooks
    Case("cell_raises", RIGHT[:2] + ["normalize_pictures(torch.rand(3, 4))"] + RIGHT[2:],
         messages={"errors": "IndexError"}),
    Case("missing_forward", [SETUP, NORMALIZE, TRAIN],
         expected={"forward_pass": 0}, messages={"forward_pass": "forward_pass"}),
]
