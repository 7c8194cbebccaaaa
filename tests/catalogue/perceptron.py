"""Submissions of `perceptron`: right, wrong in the usual ways, and broken.

Points: predict 3 (four checks incl. public, 0.75 each), step 4 (five checks, 0.8
each), train 5 (check weights 1+2+2+1+2+1 plus public 1: 0.5 per unit of weight).
A wrong perceptron_step usually breaks perceptron_train too, as in real notebooks.
"""

from __future__ import annotations

import textwrap

from tests.catalogue import Case

IMPORTS = "import numpy as np"

CORRECT: dict[str, str] = {
    "perceptron_predict": """
        def perceptron_predict(w, b, X):
            scores = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b
            return np.where(scores >= 0, 1.0, 0.0)
    """,
    "perceptron_step": """
        def perceptron_step(w, b, x, y, lr):
            w = np.asarray(w, dtype=float)
            x = np.asarray(x, dtype=float)
            y_hat = 1.0 if x @ w + b >= 0 else 0.0
            err = y - y_hat
            return w + lr * err * x, b + lr * err
    """,
    "perceptron_train": """
        def perceptron_train(X, y, lr=0.1, epochs=10):
            X = np.asarray(X, dtype=float)
            w, b = np.zeros(X.shape[1]), 0.0
            for epoch in range(epochs):
                for i in range(len(X)):
                    w, b = perceptron_step(w, b, X[i], y[i], lr)
            return w, b
    """,
}
QUESTIONS = list(CORRECT)


def code(source: str) -> str:
    return textwrap.dedent(source).strip() + "\n"


def notebook(*, before: tuple[str, ...] = (), after: tuple[str, ...] = (), **wrong: str) -> list[str]:
    cells = [IMPORTS, *map(code, before)]
    cells += [code(wrong.get(name, source)) for name, source in CORRECT.items()]
    return cells + [code(c) for c in after]


def step_with(update: str, *, compare: str = ">=") -> str:
    """perceptron_step with its last lines replaced (a wrong update or return)."""
    return f"""
        def perceptron_step(w, b, x, y, lr):
            w = np.asarray(w, dtype=float)
            x = np.asarray(x, dtype=float)
            y_hat = 1.0 if x @ w + b {compare} 0 else 0.0
            err = y - y_hat
            {update}
    """


CASES: list[Case] = [
    Case("correct", notebook()),
    Case("correct_loop_style", [IMPORTS, code("""
            def perceptron_predict(w, b, X):
                X = np.array(X, dtype=np.float64)
                out = np.zeros(X.shape[0])
                for i in range(X.shape[0]):
                    if np.dot(X[i], w) + b >= 0:
                        out[i] = 1.0
                return out

            def perceptron_step(w, b, x, y, lr):
                y_hat = perceptron_predict(w, b, np.array([x]))[0]
                w_new = np.array(w, dtype=float) + lr * (y - y_hat) * np.asarray(x, dtype=float)
                return w_new, float(b + lr * (y - y_hat))

            def perceptron_train(X, y, lr=0.1, epochs=10):
                n, d = np.shape(X)
                w = np.zeros(d)
                b = 0.0
                for _ in range(epochs):
                    for xi, yi in zip(X, y):
                        w, b = perceptron_step(w, b, xi, yi, lr)
                return w, b
        """)]),
    Case("empty", [], expected=dict.fromkeys(QUESTIONS, 0.0), messages={"errors": "нет ячеек с кодом"}),
    Case("stubs", [IMPORTS] + [code(f"""
            def {name}(*args, **kwargs):
                raise NotImplementedError("Реализуйте функцию")
        """) for name in QUESTIONS], expected=dict.fromkeys(QUESTIONS, 0.0),
         messages={"perceptron_train": "ещё не реализована"}),

    # ---- perceptron_predict -------------------------------------------------------
    Case("predict_strict_inequality", notebook(perceptron_predict="""
            def perceptron_predict(w, b, X):
                return np.where(np.asarray(X, dtype=float) @ w + b > 0, 1.0, 0.0)
        """), expected={"perceptron_predict": 1.5},
         messages={"perceptron_predict": "используйте >= 0, а не > 0"}),
    Case("predict_two_features_only", notebook(perceptron_predict="""
            def perceptron_predict(w, b, X):
                X = np.asarray(X, dtype=float)
                scores = X[:, 0] * w[0] + X[:, 1] * w[1] + b
                return np.where(scores >= 0, 1.0, 0.0)
        """), expected={"perceptron_predict": 2.25},
         messages={"perceptron_predict": "только два первых признака"}),
    Case("predict_lists_not_converted", notebook(perceptron_predict="""
            def perceptron_predict(w, b, X):
                return np.where(X @ w + b >= 0, 1.0, 0.0)
        """), expected={"perceptron_predict": 1.5},
         messages={"perceptron_predict": "X = np.asarray(X, dtype=float)"}),
    Case("predict_returns_ints", notebook(perceptron_predict="""
            def perceptron_predict(w, b, X):
                return (np.asarray(X) @ np.asarray(w) + b >= 0).astype(int)
        """), expected={"perceptron_predict": 1.5}, messages={"perceptron_predict": "ожидался float64"}),
    Case("predict_column_weights", notebook(perceptron_predict="""
            def perceptron_predict(w, b, X):
                scores = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float).reshape(-1, 1) + b
                return np.where(scores >= 0, 1.0, 0.0)
        """), expected={"perceptron_predict": 0.0}, messages={"perceptron_predict": (
            "`perceptron_predict(np.array([0.5, -1.0]), 0.0, np.array([[1.0, 1.0]]))` вернула форму (1, 1); ожидалась "
            "(1,), по одному ответу на строку X. Используйте X @ w с w формы (d,), не превращая w в столбец")}),
    Case("predict_minus_one_labels", notebook(perceptron_predict="""
            def perceptron_predict(w, b, X):
                return np.sign(np.asarray(X, dtype=float) @ w + b)
        """), expected={"perceptron_predict": 0.0}, messages={"perceptron_predict": "а не -1 и 1"}),

    # ---- perceptron_step -------------------------------------------------------------
    Case("step_strict_inequality", notebook(perceptron_step=step_with(
            "return w + lr * err * x, b + lr * err", compare=">")),
         expected={"perceptron_step": 2.4, "perceptron_train": 0.0},
         messages={"perceptron_step": "Используйте >= 0, а не > 0"}),
    Case("step_sign_flipped", notebook(perceptron_step=step_with("return w - lr * err * x, b - lr * err")),
         expected={"perceptron_step": 0.0, "perceptron_train": 0.0},
         messages={"perceptron_step": "Неверный знак обновления", "perceptron_train": "Неверный знак"}),
    Case("step_without_lr", notebook(perceptron_step=step_with("return w + err * x, b + err")),
         expected={"perceptron_step": 0.0, "perceptron_train": 2.0},
         messages={"perceptron_step": "Пропущена скорость обучения",
                   "perceptron_train": "Скорость обучения не используется"}),
    Case("step_bias_frozen", notebook(perceptron_step=step_with("return w + lr * err * x, b")),
         expected={"perceptron_step": 0.0, "perceptron_train": 0.0},
         messages={"perceptron_step": "Смещение не обновляется", "perceptron_train": "Смещение b не обновляется"}),
    Case("step_bias_not_in_prediction", notebook(perceptron_step="""
            def perceptron_step(w, b, x, y, lr):
                w = np.asarray(w, dtype=float)
                x = np.asarray(x, dtype=float)
                y_hat = 1.0 if x @ w >= 0 else 0.0
                err = y - y_hat
                return w + lr * err * x, b + lr * err
        """), expected={"perceptron_step": 3.2, "perceptron_train": 2.0},
         messages={"perceptron_step": "В предсказании нужно смещение"}),
    Case("step_updates_w_in_place", notebook(perceptron_step=step_with(
            "w += lr * err * x\n            b += lr * err\n            return w, b")),
         expected={"perceptron_step": 3.2}, messages={"perceptron_step": "изменила свой аргумент `w`"}),
    Case("step_returns_only_w", notebook(perceptron_step=step_with(
            "w = w + lr * err * x\n            b = b + lr * err\n            return w")),
         expected={"perceptron_step": 0.0, "perceptron_train": 0.0},
         messages={"perceptron_step": "верните пару"}),
    Case("step_returns_b_first", notebook(perceptron_step=step_with("return b + lr * err, w + lr * err * x")),
         expected={"perceptron_step": 0.0, "perceptron_train": 0.0},
         messages={"perceptron_step": "Возвращайте пару в порядке (w, b)"}),

    # ---- perceptron_train ------------------------------------------------------------
    Case("train_random_init", notebook(perceptron_train="""
            def perceptron_train(X, y, lr=0.1, epochs=10):
                X = np.asarray(X, dtype=float)
                np.random.seed(42)
                w, b = np.random.randn(X.shape[1]), 0.0
                for epoch in range(epochs):
                    for i in range(len(X)):
                        w, b = perceptron_step(w, b, X[i], y[i], lr)
                return w, b
        """), expected={"perceptron_train": 1.5}, messages={"perceptron_train": "Начинайте с нулей"}),
    Case("train_wrong_defaults", notebook(perceptron_train=CORRECT["perceptron_train"].replace(
            "lr=0.1, epochs=10", "lr=0.01, epochs=100")),
         expected={"perceptron_train": 4.0}, messages={"perceptron_train": "Сохраните сигнатуру"}),
    Case("train_ignores_arguments", notebook(perceptron_train="""
            def perceptron_train(X, y, lr=0.1, epochs=10):
                X = np.asarray(X, dtype=float)
                w, b = np.zeros(X.shape[1]), 0.0
                for epoch in range(10):
                    for i in range(len(X)):
                        w, b = perceptron_step(w, b, X[i], y[i], 0.1)
                return w, b
        """), expected={"perceptron_train": 2.0}, messages={"perceptron_train": "Аргументы lr и epochs не используются"}),
    Case("train_shuffles_data_in_place", notebook(perceptron_train="""
            def perceptron_train(X, y, lr=0.1, epochs=10):
                rng = np.random.default_rng(0)
                w, b = np.zeros(X.shape[1]), 0.0
                for epoch in range(epochs):
                    order = rng.permutation(len(X))
                    X[:] = X[order]
                    y[:] = y[order]
                    for i in range(len(X)):
                        w, b = perceptron_step(w, b, X[i], y[i], lr)
                return w, b
        """), expected={"perceptron_train": 1.5}, messages={"perceptron_train": "изменила свой аргумент"}),

    # ---- no credit for nothing: the right types and shapes, no value right ----------
    Case("returns_zeros", [IMPORTS, code("""
            def perceptron_predict(w, b, X):
                return np.zeros(len(X))

            def perceptron_step(w, b, x, y, lr):
                return np.zeros(len(w)), 0.0

            def perceptron_train(X, y, lr=0.1, epochs=10):
                return np.zeros(np.shape(X)[1]), 0.0
        """)], expected=dict.fromkeys(QUESTIONS, 0.0),
         messages={"perceptron_train": "вычисляет верно хотя бы какие-то значения"}),
    Case("returns_constants", [IMPORTS, code("""
            def perceptron_predict(w, b, X):
                return np.ones(len(X))

            def perceptron_step(w, b, x, y, lr):
                return np.array(w, dtype=float), float(b)

            def perceptron_train(X, y, lr=0.1, epochs=10):
                return np.ones(np.shape(X)[1]), -1.0
        """)], expected=dict.fromkeys(QUESTIONS, 0.0),
         messages={"perceptron_step": "вычисляет верно хотя бы какие-то значения"}),

    # ---- broken notebooks ---------------------------------------------------------
    Case("syntax_error_in_step", notebook(perceptron_step=step_with(
            "return w + lr * err * x, b + lr * err").replace("if x @ w + b >= 0 else 0.0", "if x @ w + b >= 0")),
         expected={"perceptron_step": 0.0, "perceptron_train": 0.0},
         messages={"errors": "синтаксическая ошибка", "perceptron_train": "NameError"}),
    Case("cell_raises_then_fine", notebook(after=("perceptron_train([[0, 0], [1, 1]], [0, 1], epochs=-1)\n"
                                                  "raise ValueError('проверка')",)),
         messages={"errors": "ValueError"}),
    Case("renamed_train", notebook(perceptron_train=CORRECT["perceptron_train"].replace(
            "def perceptron_train(", "def train_perceptron(")),
         expected={"perceptron_train": 0.0}, messages={"perceptron_train": "`perceptron_train`"}),
]
