"""What the course's notebooks need from the jail: pandas, Colab's own calls, and a
clear word when code asks for a GPU the grader does not have."""

from __future__ import annotations

import pytest

from autograder.exceptions import StudentException
from autograder.notebook import CodeCell
from autograder.sandbox.jail import Jail
from autograder.session import Session
from autograder.sandbox.backends import bwrap as bwrap_backend
from autograder.sandbox.report import CellOutcome, RunReport

PANDAS = """
import sys
preloaded = 'pandas' in sys.modules
import pandas as pd
with open('apples_pears.csv', 'w') as f:
    f.write('symmetry,yellowness,target\\n0.1,0.9,1\\n0.8,0.2,0\\n')
data = pd.read_csv('./apples_pears.csv')
X = data[['symmetry', 'yellowness']].values
y = data['target'].values.reshape(-1, 1)
"""


@pytest.mark.skipif(bwrap_backend.path() is None, reason="bwrap is not installed")
def test_pandas_imports_in_the_bwrap_jail_and_is_preloaded(fast_limits) -> None:
    with Jail.start("bwrap", ["numpy", "pandas"]) as jail:
        assert jail.ready() == "bwrap"
        with Session(jail.spawn, [CodeCell(0, PANDAS)], fast_limits) as session:
            assert session.run.cells[0].status == "ok", session.run.cells[0]
            assert session.getattr("preloaded") is True
            assert session.getattr("X").tolist() == [[0.1, 0.9], [0.8, 0.2]]
            assert session.getattr("y").shape == (2, 1)


COLAB = """
from google.colab import drive, files
from google.colab import output
import google.colab
drive.mount('/content/drive')
drive.mount('/content/drive', force_remount=True)
uploaded = files.upload()
files.download('model.pt')
output.clear()
output.enable_custom_widget_manager()
from google.colab.patches import cv2_imshow
cv2_imshow(None)
google.colab.auth.authenticate_user()
drive.flush_and_unmount()

def double(x):
    return 2 * x
"""


def test_colab_calls_are_harmless_and_leave_a_note(jail, fast_limits) -> None:
    with Session(jail.spawn, [CodeCell(0, COLAB)], fast_limits) as session:
        cell = session.run.cells[0]
        assert cell.status == "ok", cell
        assert session.call("double", 21) == 42
        assert session.getattr("uploaded") == {}
        lines = cell.stdout.splitlines()
        assert len(lines) == 9
        assert lines[0].startswith("[autograder] drive.mount('/content/drive'): пропущено при проверке")
        assert "skipped during grading (the grader has no Google Drive" in lines[0]
        assert "drive.mount('/content/drive', force_remount=True)" in lines[1]
        assert lines[3].startswith("[autograder] files.download('model.pt')")
        assert lines[5].startswith("[autograder] output.enable_custom_widget_manager()")
        assert lines[6].startswith("[autograder] patches.cv2_imshow(None)")


UPLOAD = """
import os
os.makedirs('data')
with open('data/apples_pears.csv', 'w') as f:
    f.write('symmetry,yellowness,target\\n')
from google.colab import files
uploaded = files.upload()
names, content = sorted(uploaded), uploaded['apples_pears.csv'].decode()
with open('apples_pears.csv') as f:   # Colab saves an upload in the working folder
    header = f.read()
"""


def test_files_upload_hands_over_the_assignment_data(jail, fast_limits) -> None:
    with Session(jail.spawn, [CodeCell(0, UPLOAD)], fast_limits) as session:
        cell = session.run.cells[0]
        assert cell.status == "ok", cell
        assert session.getattr("names") == ["apples_pears.csv"]
        assert session.getattr("content") == "symmetry,yellowness,target\n"
        assert session.getattr("header") == "symmetry,yellowness,target\n"
        assert "apples_pears.csv" in cell.stdout


REAL_GOOGLE = """
import os, sys
os.makedirs('site/google/protobuf')
open('site/google/protobuf/__init__.py', 'w').write('VERSION = 7\\n')
sys.path.insert(0, os.path.abspath('site'))
from google.protobuf import VERSION
from google.colab import drive
"""


def test_an_installed_google_package_is_left_alone(jail, fast_limits) -> None:
    with Session(jail.spawn, [CodeCell(0, REAL_GOOGLE)], fast_limits) as session:
        assert session.run.cells[0].status == "ok", session.run.cells[0]
        assert session.getattr("VERSION") == 7


CUDA_CELL = "import torch\nx = torch.zeros(2).cuda()\n"
CUDA_CALL = "import torch\ndef on_gpu():\n    return torch.zeros(2, device=torch.device('cuda'))\n"


def test_cuda_code_gets_the_no_gpu_hint_in_cells_and_calls(jail, fast_limits) -> None:
    with Session(jail.spawn, [CodeCell(0, CUDA_CELL), CodeCell(1, CUDA_CALL)], fast_limits) as session:
        cell = session.run.cells[0]
        assert (cell.status, cell.message) == ("error", "Torch not compiled with CUDA enabled")
        error = session.run.errors()[0]
        assert 'device = "cuda" if torch.cuda.is_available() else "cpu"' in error.en
        assert "нет GPU" in error.ru and "Torch not compiled with CUDA enabled" in error.ru
        with pytest.raises(StudentException) as raised:
            session.call("on_gpu")
        assert 'device = "cuda" if torch.cuda.is_available() else "cpu"' in raised.value.text().en


DRIVE_CELL = "import pandas as pd\ndf = pd.read_csv('/content/drive/MyDrive/apples_pears.csv')\n"


def test_a_file_opened_by_colab_s_path_gets_the_data_folder_hint(jail, fast_limits) -> None:
    with Session(jail.spawn, [CodeCell(0, DRIVE_CELL), CodeCell(1, "open('notes/missing.txt')\n")],
                 fast_limits) as session:
        drive, other = session.run.errors()
        assert "/content/drive/MyDrive/apples_pears.csv" in drive.en and "`data/<file name>`" in drive.en
        assert "Google Диска" in drive.ru
        assert "missing.txt" in other.en and "data/" not in other.en  # another missing file: no hint


def test_other_errors_get_no_gpu_hint() -> None:
    report = RunReport((CellOutcome(0, "error", "AssertionError", "x must be positive"),), 0.1, False)
    assert "GPU" not in report.errors()[0].en
    assert "GPU" not in StudentException("f(1)", "ValueError", "CUDA-like words: cudamat").text().en


def test_a_public_example_that_wants_a_gpu_gets_the_hint_too() -> None:
    from autograder.public import _problem

    problem = _problem(StudentException("fit(...)", "AssertionError", "Torch not compiled with CUDA enabled"), "fit")
    assert "torch.cuda.is_available()" in problem["en"] and "нет GPU" in problem["ru"]


FLOAT64_CELL = "import numpy as np\nimport torch\nnet = torch.nn.Linear(2, 1)\nout = net(torch.tensor(np.zeros((3, 2))))\n"
FLOAT64_CALL = "def predict(X):\n    return net(torch.from_numpy(np.asarray(X)))\n"


def test_a_float64_tensor_in_a_float32_model_gets_the_float_hint(jail, fast_limits) -> None:
    """NumPy's float64 through ``torch.tensor`` / ``torch.from_numpy`` into an ``nn.Linear``:
    PyTorch's English names its kernel's arguments (mat1, mat2, Double); the cell and the
    call now also say, in the student's language, to make the input float32."""
    with Session(jail.spawn, [CodeCell(0, FLOAT64_CELL), CodeCell(1, FLOAT64_CALL)], fast_limits) as session:
        cell, = session.run.errors()
        with pytest.raises(StudentException) as raised:
            session.call("predict", [[0.0, 1.0]])
    call = raised.value.text()
    for text in (cell, call):
        assert "mat1 and mat2 must have the same dtype, but got Double and Float" in text.en
        assert "`X.float()`" in text.en and "`torch.tensor(X, dtype=torch.float32)`" in text.en
        assert "смешаны тензоры float64 (Double) и float32 (Float)" in text.ru and "`X.float()`" in text.ru
    assert "but got Double and Float. В вычислении смешаны" in call.ru  # a sentence each, as check() says it


def test_the_float_hint_is_for_float64_and_float32_only() -> None:
    from autograder.public import _problem

    other = RunReport((CellOutcome(0, "error", "RuntimeError", "mat1 and mat2 must have the same dtype, but got Half and Float"),
                       CellOutcome(1, "error", "RuntimeError", "expected scalar type Long but found Float"),
                       CellOutcome(2, "error", "TypeError", "float() argument must be a string or a real number, not 'Double'"),
                       ), 0.1, False)
    assert all("float64" not in error.en for error in other.errors())
    example = _problem(StudentException("predict(...)", "RuntimeError", "expected m1 and m2 to have the same dtype, "
                                        "but got: double != float"), "predict")
    assert "`X.float()`" in example["en"] and "смешаны тензоры float64" in example["ru"]


ASKS = 'name = input("Как вас зовут? ")\n'
SCALED = 'def scaled(x):\n    return x * float(input("k? "))\n'


def test_code_that_asks_for_input_is_told_so_in_the_student_s_language(jail, fast_limits) -> None:
    """Nobody types while grading: the cell, the call and the public example each say so in
    both languages, not with the jail's English message or its exception's class name."""
    from autograder.public import _problem

    with Session(jail.spawn, [CodeCell(0, ASKS), CodeCell(1, SCALED)], fast_limits) as session:
        cell, = session.run.errors()
        with pytest.raises(StudentException) as raised:
            session.call("scaled", 2.0)
    call = raised.value.text()
    example = _problem(raised.value, "scaled")
    assert "Cell 1 calls input()" in cell.en and "Ячейка 1 вызывает input()" in cell.ru
    assert "`scaled(2.0)` calls input()" in call.en and "вызывает input()" in call.ru
    assert "Pass the value as an argument" in example["en"] and "Передавайте значение" in example["ru"]
    for text in (cell.en, cell.ru, call.en, call.ru, example["en"], example["ru"]):
        assert "GradingInputError" not in text and "cannot be used during grading" not in text


DOWNLOADS = [
    'import urllib.request\nurllib.request.urlretrieve("http://93.184.216.34/apples_pears.csv", "a.csv")\n',
    'import socket\nsocket.getaddrinfo("example.org", 80)\n',
]


def test_a_download_gets_the_no_network_hint(jail, fast_limits) -> None:
    """A notebook that fetches its data (``!wget`` made Python, ``download=True``) fails as
    on any machine without network, and the message says the grader has none."""
    cells = [CodeCell(n, source) for n, source in enumerate(DOWNLOADS)]
    with Session(jail.spawn, cells, fast_limits) as session:
        errors = session.run.errors()
    assert len(errors) == 2
    for error in errors:
        assert "The grader has no internet" in error.en and "нет интернета" in error.ru
        assert "`data/<file name>`" in error.en


def test_the_no_network_hint_under_landlock_s_refused_socket_and_not_for_other_refusals() -> None:
    refused = RunReport((CellOutcome(0, "error", "URLError", "<urlopen error [Errno 1] Operation not permitted>"),
                         CellOutcome(1, "error", "PermissionError", "[Errno 1] Operation not permitted: 'out.csv'"),
                         CellOutcome(2, "error", "FileNotFoundError",
                                     "[Errno 2] No such file or directory: 'apples_pears.csv'")), 0.1, False)
    download, file, missing = refused.errors()
    assert "no internet" in download.en
    assert "internet" not in file.en and "internet" not in missing.en


WORKERS_CELL = """import torch
from torch.utils.data import DataLoader, TensorDataset
loader = DataLoader(TensorDataset(torch.zeros(8, 2)), batch_size=4, shuffle=True, num_workers=2)
batches = [b for b in loader]
"""
WORKERS_CALL = """def count_batches():
    return len(list(DataLoader(TensorDataset(torch.zeros(8, 2)), batch_size=4, num_workers=2)))
"""


@pytest.mark.skipif(bwrap_backend.path() is None, reason="bwrap is not installed")
def test_a_dataloader_with_worker_processes_runs_in_the_bwrap_jail(fast_limits) -> None:
    """``num_workers=2`` (Colab's tutorials) needs shared memory for its workers' queues:
    each worker of the bwrap jail has a /dev/shm of its own, as its /tmp, so the loader
    runs, and nothing one submission leaves there reaches the next."""
    with Jail.start("bwrap", ["numpy", "torch"]) as jail:
        cells = [CodeCell(0, WORKERS_CELL), CodeCell(1, WORKERS_CALL),
                 CodeCell(2, "import os\nleft = os.listdir('/dev/shm')\nopen('/dev/shm/mine', 'w').write('x')")]
        with Session(jail.spawn, cells, fast_limits) as session:
            assert session.run.ok, session.run.cells
            assert session.call("count_batches") == 2
        with Session(jail.spawn, [CodeCell(0, "import os\nleft = os.listdir('/dev/shm')")], fast_limits) as after:
            assert after.getattr("left") == []


def test_a_dataloader_refused_shared_memory_is_told_to_drop_num_workers() -> None:
    """Where a worker has no /dev/shm of its own (Landlock's workers), the loader fails with
    a bare "Permission denied", and the message says what to change."""
    refused = RunReport((CellOutcome(0, "error", "PermissionError", "[Errno 13] Permission denied"),), 0.1, False)
    error, = refused.errors()
    assert "`num_workers`" in error.en and "уберите `num_workers`" in error.ru
    raised = StudentException("count_batches()", "PermissionError", "[Errno 13] Permission denied")
    assert "`num_workers`" in raised.text().en


def test_a_file_the_jail_refuses_gets_no_num_workers_hint() -> None:
    refused = RunReport((CellOutcome(0, "error", "PermissionError", "[Errno 13] Permission denied: '/etc/shadow'"),
                         CellOutcome(1, "error", "OSError", "[Errno 13] Permission denied")), 0.1, False)
    for error in refused.errors():
        assert "num_workers" not in error.en and "num_workers" not in error.ru


def test_a_model_loaded_from_a_file_not_handed_in_is_told_to_train_in_the_notebook(jail, fast_limits) -> None:
    """A notebook that trained in Colab and loads its saved weights instead of training:
    the file is not there, and the message says only the notebook reaches the grader."""
    cells = [CodeCell(0, "import torch\nstate = torch.load('xor_weights.pt')\n"),
             CodeCell(1, "open('notes.txt')\n")]
    with Session(jail.spawn, cells, fast_limits) as session:
        weights, other = session.run.errors()
    assert "xor_weights.pt" in weights.en and "train the model in the notebook itself" in weights.en
    assert "обучайте модель в самом блокноте" in weights.ru
    assert "notes.txt" in other.en and "weights" not in other.en  # another missing file: no hint
