"""Submissions of `activations`: right, wrong in the usual ways, broken and hostile.

Every question is worth 2 points over five checks (four hidden, one public), 0.4 each.
Notebooks are built from ``CORRECT`` with single functions swapped for a wrong version,
so each case shows one mistake and its diagnosis.
"""

from __future__ import annotations

import textwrap

from tests.catalogue import Case

IMPORTS = "import numpy as np"

CORRECT: dict[str, str] = {
    "step": """
        def step(x):
            x = np.asarray(x, dtype=float)
            return np.where(x >= 0, 1.0, 0.0)
    """,
    "sigmoid": """
        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            e = np.exp(-np.abs(x))
            return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    """,
    "sigmoid_grad": """
        def sigmoid_grad(x):
            s = sigmoid(x)
            return s * (1 - s)
    """,
    "relu": """
        def relu(x):
            x = np.asarray(x, dtype=float)
            return np.maximum(x, 0.0)
    """,
    "relu_grad": """
        def relu_grad(x):
            x = np.asarray(x, dtype=float)
            return (x > 0).astype(float)
    """,
    "tanh": """
        def tanh(x):
            return np.tanh(np.asarray(x, dtype=float))
    """,
    "tanh_grad": """
        def tanh_grad(x):
            t = np.tanh(np.asarray(x, dtype=float))
            return 1 - t ** 2
    """,
    "softmax": """
        def softmax(z):
            z = np.asarray(z, dtype=float)
            e = np.exp(z - np.max(z, axis=-1, keepdims=True))
            return e / np.sum(e, axis=-1, keepdims=True)
    """,
}


def code(source: str) -> str:
    return textwrap.dedent(source).strip() + "\n"


def notebook(*, before: tuple[str, ...] = (), after: tuple[str, ...] = (), **wrong: str) -> list[str]:
    """Code cells: imports, ``before``, one cell per function (``wrong`` overrides), ``after``."""
    cells = [IMPORTS, *map(code, before)]
    cells += [code(wrong.get(name, source)) for name, source in CORRECT.items()]
    return cells + [code(c) for c in after]


CASES: list[Case] = [
    Case("correct", notebook()),
    Case("correct_loose_style", [
        "import numpy as np\nimport math",
        code("""
            def step(x):
                return (np.asarray(x) >= 0) * 1.0

            def sigmoid(x):
                x = np.asarray(x, dtype=np.float64)
                out = np.empty_like(x)
                pos = x >= 0
                out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
                ex = np.exp(x[~pos])
                out[~pos] = ex / (1.0 + ex)
                return out

            def sigmoid_grad(x):
                return sigmoid(x) * (1 - sigmoid(x))

            def relu(x):
                x = np.array(x, dtype=float)
                x[x < 0] = 0
                return x

            def relu_grad(x):
                return np.where(np.asarray(x) > 0, 1.0, 0.0)

            tanh = lambda x: np.tanh(np.asarray(x, dtype=float))

            def tanh_grad(x):
                return 1.0 - np.square(tanh(x))

            def softmax(z):
                z = np.array(z, dtype=float)
                z -= z.max(axis=-1, keepdims=True)
                e = np.exp(z)
                return e / e.sum(axis=-1, keepdims=True)
        """),
    ]),
    Case("empty", [], expected=dict.fromkeys(CORRECT, 0.0), messages={"errors": "нет ячеек с кодом"}),
    Case("stubs", [IMPORTS] + [
        f"def {name}({'z' if name == 'softmax' else 'x'}):\n"
        f"    raise NotImplementedError(\"Реализуйте функцию\")\n" for name in CORRECT],
         expected=dict.fromkeys(CORRECT, 0.0), messages={"sigmoid": "ещё не реализована"}),
    # stubs without a placeholder comment: an empty body is not done yet, named (not "returned None")
    Case("empty_bodies", notebook(relu="def relu(x):\n    pass", tanh="def tanh(x):\n    ...",
                                  step='def step(x):\n    """Ступенька: 1 при x >= 0."""'),
         expected={"relu": 0.0, "tanh": 0.0, "step": 0.0},
         messages={"relu": "`relu` ещё не реализована: в ячейке 6", "tanh": "`tanh` ещё не реализована: в ячейке 8",
                   "step": "`step` ещё не реализована: в ячейке 3"}),

    # ---- no credit for nothing: right shape, input untouched, no value right --------
    Case("returns_zeros", [IMPORTS] + [code(f"""
            def {name}(x):
                return np.zeros(np.shape(x))
        """) for name in CORRECT], expected=dict.fromkeys(CORRECT, 0.0),
         messages={"relu": "вычисляет верно хотя бы какие-то значения"}),
    Case("returns_constants", [IMPORTS] + [code(f"""
            def {name}(x):
                return np.full(np.shape(x), {value})
        """) for name, value in zip(CORRECT, (1.0, 0.5, 0.25, 1.0, 1.0, 0.5, 1.0, 0.5))] + [code("""
            def softmax(z):
                shape = np.shape(z)
                return np.full(shape, 1.0 / shape[-1])
        """)], expected=dict.fromkeys(CORRECT, 0.0),
         messages={"softmax": "вычисляет верно хотя бы какие-то значения"}),

    # ---- one realistic mistake per case ------------------------------------------
    Case("step_strict_inequality", notebook(step="""
            def step(x):
                x = np.asarray(x, dtype=float)
                return np.where(x > 0, 1.0, 0.0)
        """), expected={"step": 1.2}, messages={"step": "x >= 0, а не x > 0"}),
    Case("step_sign", notebook(step="""
            def step(x):
                return np.sign(np.asarray(x, dtype=float))
        """), expected={"step": 0.0}, messages={"step": "np.sign"}),
    Case("relu_grad_at_zero_is_one", notebook(relu_grad="""
            def relu_grad(x):
                x = np.asarray(x, dtype=float)
                return np.where(x >= 0, 1.0, 0.0)
        """), expected={"relu_grad": 1.2}, messages={"relu_grad": "relu_grad(0) должна быть 0"}),
    Case("relu_grad_sign", notebook(relu_grad="""
            def relu_grad(x):
                return np.sign(np.asarray(x, dtype=float))
        """), expected={"relu_grad": 0.0}, messages={"relu_grad": "np.sign даёт -1"}),
    Case("sigmoid_naive_overflow", notebook(sigmoid="""
            def sigmoid(x):
                return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))
        """), expected={"sigmoid": 1.6}, messages={"sigmoid": "переполняется"}),
    Case("sigmoid_where_both_branches", notebook(sigmoid="""
            def sigmoid(x):
                x = np.asarray(x, dtype=float)
                return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))
        """), expected={"sigmoid": 1.6}, messages={"sigmoid": "np.where"}),
    Case("sigmoid_nan_for_large_x", notebook(sigmoid="""
            def sigmoid(x):
                x = np.asarray(x, dtype=float)
                return np.exp(x) / (1 + np.exp(x))
        """), expected={"sigmoid": 1.2, "sigmoid_grad": 1.6}, messages={"sigmoid": "-np.abs(x)"}),
    Case("sigmoid_wrong_sign", notebook(sigmoid="""
            def sigmoid(x):
                x = np.asarray(x, dtype=float)
                return 1 / (1 + np.exp(x))
        """), expected={"sigmoid": 0.0, "sigmoid_grad": "full"}, messages={"sigmoid": "Неверный знак"}),
    Case("sigmoid_math_loop", notebook(before=("import math",), sigmoid="""
            def sigmoid(x):
                return [1 / (1 + math.exp(-v)) for v in x]
        """), expected={"sigmoid": 0.8, "sigmoid_grad": 0.0},
         messages={"sigmoid": "`sigmoid([-2, 1, 3])` вернула питоновский list"}),  # the call as code, not "list of ints"
    Case("sigmoid_grad_without_product", notebook(sigmoid_grad="""
            def sigmoid_grad(x):
                return sigmoid(x)
        """), expected={"sigmoid_grad": 0.0}, messages={"sigmoid_grad": "Вы вернули саму sigmoid(x)"}),
    Case("sigmoid_grad_exp_formula", notebook(sigmoid_grad="""
            def sigmoid_grad(x):
                x = np.asarray(x, dtype=float)
                return np.exp(-x) / (1 + np.exp(-x)) ** 2
        """), expected={"sigmoid_grad": 1.6}, messages={"sigmoid_grad": "inf / inf = NaN"}),
    Case("relu_np_max", notebook(relu="""
            def relu(x):
                return np.max(x, 0)
        """), expected={"relu": 0.0}, messages={"relu": "np.max(x, 0)"}),
    Case("relu_leaky_by_mistake", notebook(relu="""
            def relu(x):
                x = np.asarray(x, dtype=float)
                return np.maximum(x, 0.01 * x)
        """), expected={"relu": 0.0}, messages={"relu": "Leaky ReLU"}),
    Case("relu_multiply_mask", notebook(relu="""
            def relu(x):
                x = np.asarray(x, dtype=float)
                return x * (x > 0)
        """), expected={"relu": 1.6}, messages={"relu": "x * (x > 0)"}),
    Case("tanh_via_sigmoid_of_x", notebook(tanh="""
            def tanh(x):
                return 2 * sigmoid(x) - 1
        """), expected={"tanh": 0.8}, messages={"tanh": "2 * sigmoid(2x) - 1"}),
    Case("tanh_exp_formula", notebook(tanh="""
            def tanh(x):
                x = np.asarray(x, dtype=float)
                return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
        """, tanh_grad="""
            def tanh_grad(x):
                return 1 - tanh(x) ** 2
        """), expected={"tanh": 1.6, "tanh_grad": 1.6},
         messages={"tanh": "используйте np.tanh", "tanh_grad": "tanh через exp"}),
    Case("tanh_grad_missing_square", notebook(tanh_grad="""
            def tanh_grad(x):
                return 1 - np.tanh(np.asarray(x, dtype=float))
        """), expected={"tanh_grad": 0.0}, messages={"tanh_grad": "Пропущен квадрат"}),
    # overflows on [1000, 1000] and on the 2-d input whose rows are far apart
    Case("softmax_unstable", notebook(softmax="""
            def softmax(z):
                e = np.exp(np.asarray(z, dtype=float))
                return e / np.sum(e, axis=-1, keepdims=True)
        """), expected={"softmax": 0.8}, messages={"softmax": "Сначала вычтите максимум"}),
    Case("softmax_global_maximum", notebook(softmax="""
            def softmax(z):
                z = np.asarray(z, dtype=float)
                e = np.exp(z - np.max(z))
                return e / np.sum(e, axis=-1, keepdims=True)
        """), expected={"softmax": 1.6}, messages={"softmax": "максимум каждой строки"}),
    Case("softmax_over_all_elements", notebook(softmax="""
            def softmax(z):
                e = np.exp(z - np.max(z))
                return e / np.sum(e)
        """), expected={"softmax": 1.2}, messages={"softmax": "по всем элементам"}),
    Case("softmax_axis_0", notebook(softmax="""
            def softmax(z):
                z = np.asarray(z, dtype=float)
                e = np.exp(z - np.max(z, axis=0))
                return e / np.sum(e, axis=0)
        """), expected={"softmax": 1.2}, messages={"softmax": "по оси 0"}),
    Case("softmax_no_keepdims", notebook(softmax="""
            def softmax(z):
                z = np.asarray(z, dtype=float)
                e = np.exp(z - np.max(z, axis=-1, keepdims=True))
                return e / np.sum(e, axis=-1)
        """), expected={"softmax": 1.2}, messages={"softmax": "keepdims=True"}),
    Case("softmax_without_exp", notebook(softmax="""
            def softmax(z):
                z = np.asarray(z, dtype=float)
                return z / np.sum(z, axis=-1, keepdims=True)
        """), expected={"softmax": 0.0}, messages={"softmax": "Пропущена экспонента"}),
    Case("returns_ints_and_bools", notebook(step="""
            def step(x):
                return np.where(np.asarray(x) >= 0, 1, 0)
        """, relu="""
            def relu(x):
                return np.maximum(x, 0)
        """, relu_grad="""
            def relu_grad(x):
                return np.asarray(x) > 0
        """), expected={"step": 1.2, "relu": 1.6, "relu_grad": 1.2},
         messages={"step": "ожидался float64", "relu": "ожидался float64", "relu_grad": "bool"}),
    Case("python_loops", notebook(before=("import math",), sigmoid_grad="""
            def sigmoid_grad(x):
                return [sigmoid(v) * (1 - sigmoid(v)) for v in x]
        """, tanh="""
            def tanh(x):
                return [math.tanh(v) for v in x]
        """, tanh_grad="""
            def tanh_grad(x):
                return [1 - math.tanh(v) ** 2 for v in x]
        """), expected={"sigmoid_grad": 1.2, "tanh": 1.2, "tanh_grad": 1.2},
         messages={"tanh": "вместо цикла", "tanh_grad": "питоновский list"}),
    Case("modifies_input_in_place", notebook(step="""
            def step(x):
                x = np.asarray(x, dtype=float)
                x[x >= 0] = 1.0
                x[x < 0] = 0.0
                return x
        """, sigmoid="""
            def sigmoid(x):
                x = np.asarray(x, dtype=float)
                pos = x >= 0
                x[pos] = 1 / (1 + np.exp(-x[pos]))
                x[~pos] = np.exp(x[~pos]) / (1 + np.exp(x[~pos]))
                return x
        """, relu="""
            def relu(x):
                x = np.asarray(x, dtype=float)
                x[x < 0] = 0.0
                return x
        """, relu_grad="""
            def relu_grad(x):
                x = np.asarray(x, dtype=float)
                x[x > 0] = 1.0
                x[x <= 0] = 0.0
                return x
        """, tanh="""
            def tanh(x):
                x = np.asarray(x, dtype=float)
                return np.tanh(x, out=x)
        """, tanh_grad="""
            def tanh_grad(x):
                x = np.asarray(x, dtype=float)
                np.tanh(x, out=x)
                x **= 2
                return np.subtract(1.0, x, out=x)
        """, softmax="""
            def softmax(z):
                z = np.asarray(z, dtype=float)
                z -= np.max(z, axis=-1, keepdims=True)
                np.exp(z, out=z)
                z /= np.sum(z, axis=-1, keepdims=True)
                return z
        """), expected=dict.fromkeys(CORRECT, 1.6), messages={"relu": "изменила свой аргумент"}),

    # ---- notebooks that are broken as a whole ------------------------------------
    Case("cell_raises", notebook(after=('print(sigmoid("abc"))', "assert relu(-1) == 1")),
         messages={"errors": "выбросила"}),
    Case("syntax_error_in_one_cell", notebook(sigmoid="""
            def sigmoid(x)
                return 1 / (1 + np.exp(-x))
        """), expected={"sigmoid": 0.0, "sigmoid_grad": 0.0},
         messages={"errors": "синтаксическая ошибка", "sigmoid": "где определяется `sigmoid`, синтаксическая ошибка",
                   "sigmoid_grad": "NameError"}),
    Case("renamed_function", notebook(sigmoid=CORRECT["sigmoid"].replace("def sigmoid(", "def sigmoid_fn("),
                                      sigmoid_grad="""
            def sigmoid_grad(x):
                s = sigmoid_fn(x)
                return s * (1 - s)
        """), expected={"sigmoid": 0.0}, messages={"sigmoid": "определите функцию с именем ровно `sigmoid`"}),
    Case("redefined_later_wrongly", notebook(after=("""
            # try a simpler version
            def relu(x):
                return x if x > 0 else 0
        """,)), expected={"relu": 0.0}, messages={"relu": "ambiguous"}),
    Case("calls_input", notebook(before=('name = input("Ваше имя: ")',)), messages={"errors": "Ячейка 3"}),
    Case("ipython_magics", notebook(before=("%matplotlib inline", "!pip install numpy",
                                            "%%time\nx = np.linspace(-5, 5, 11)"),
                                    after=("import matplotlib.pyplot as plt\nplt.plot(x, sigmoid(x))\nplt.show()",))),
    Case("infinite_loop_at_top_level", notebook(after=("while True:\n    pass",)),
         messages={"errors": "бесконечного цикла"}),
    Case("infinite_loop_in_one_function", notebook(relu_grad="""
            def relu_grad(x):
                x = np.asarray(x, dtype=float)
                out = np.zeros_like(x)
                i = 0
                while i < x.size:
                    if x.flat[i] > 0:
                        out.flat[i] = 1.0
                        i += 1
                return out
        """), expected={"relu_grad": 0.0}, messages={"relu_grad": "бесконечного цикла"}),
    Case("memory_bomb", notebook(after=("hoard = [bytearray(10 ** 8) for _ in range(1000)]",)),
         messages={"errors": "MemoryError"}),
    Case("fork_bomb", notebook(after=("import os\nwhile True:\n    os.fork()",))),
    Case("prints_200_mb", notebook(after=("for _ in range(200):\n    print('x' * 10 ** 6)",)),
         messages={"errors": "КБ"}),
    Case("os_exit_midway", notebook()[:5] + ["import os\nos._exit(0)"] + notebook()[5:],
         expected={"relu_grad": 0.0, "tanh": 0.0, "tanh_grad": 0.0, "softmax": 0.0},
         messages={"errors": "завершила процесс", "tanh": "не определено"}),
    Case("system_exit_midway", notebook()[:5] + ["raise SystemExit('done for today')"] + notebook()[5:],
         messages={"errors": "SystemExit"}),
    Case("always_equal_object", notebook(relu="""
            class Anything:
                def __eq__(self, other):
                    return True
                def __array__(self, dtype=None, copy=None):
                    return np.zeros(3)

            def relu(x):
                return Anything()
        """), expected={"relu": 0.0}, messages={"relu": "Anything"}),
    Case("patches_numpy_and_builtins", [IMPORTS, code("""
            import builtins
            import numpy.testing
            np.allclose = lambda *args, **kwargs: True
            np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
            np.testing.assert_allclose = lambda *args, **kwargs: None
            np.array_equal = lambda *args, **kwargs: True
            builtins.isinstance = lambda obj, cls: True
            builtins.print = lambda *args, **kwargs: None
        """)] + [code(f"""
            def {name}(x):
                return np.zeros(np.shape(x))
        """) for name in CORRECT], expected=dict.fromkeys(CORRECT, 0.0),
         messages={"sigmoid": "вычисляет верно хотя бы какие-то значения"}),
    # Looks where a grader usually keeps its files. Finding nothing, it falls back to an
    # unstable softmax (1.2 points); finding the checks would give 2.0, a time-out 0.0.
    Case("searches_disk_for_checks", notebook(softmax="""
            import glob, os, sys, time
            roots = ["/work", "/home", "/root", "/srv", "/opt", "/tmp", "/autograder", os.getcwd(),
                     *[p for p in sys.path if p]]
            found = glob.glob("/*/*/assignments/*/checks/*.py") + glob.glob("/*/assignments/*/checks/*.py")
            # as a hurried student would: skip the big trees that hold no course, stop after 2 s
            # (under the catalogue's 3 s cell limit however loaded the machine is)
            huge = {"torch", "nvidia", "triton", "sympy", "scipy", "__pycache__", ".git", "node_modules"}
            deadline = time.monotonic() + 2.0
            for top in roots:
                for root, dirs, files in os.walk(top):
                    dirs[:] = [d for d in dirs if d not in huge]
                    if root.count(os.sep) - top.count(os.sep) > 6 or time.monotonic() > deadline:
                        dirs[:] = []
                    found += [os.path.join(root, f) for f in files
                              if f in ("test_softmax.py", "reference.py") and "activations" in root]
            if found:
                def softmax(z):
                    z = np.asarray(z, dtype=float)
                    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
                    return e / np.sum(e, axis=-1, keepdims=True)
                raise RuntimeError(open(found[0]).read())

            def softmax(z):
                e = np.exp(np.asarray(z, dtype=float))
                return e / np.sum(e, axis=-1, keepdims=True)
        """), expected={"softmax": 0.8}),  # found nothing: the unstable softmax, graded as softmax_unstable
    Case("writes_into_results", notebook(after=("""
            import json, os
            wrote = []
            for folder in ("/work/main/out", "results", "out", "/tmp/out"):
                try:
                    os.makedirs(folder, exist_ok=True)
                    with open(os.path.join(folder, "writes_into_results.json"), "w") as f:
                        json.dump({"score": 100.0, "max_score": 16.0}, f)
                    wrote.append(folder)
                except OSError:
                    pass
            if any(folder.startswith("/work") for folder in wrote):
                def relu(x):
                    return "escaped"
        """,))),
]
