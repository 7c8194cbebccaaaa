"""``submit(token)`` in the student notebook (``assign --server``): what it prints, that it
stays silent when the grader runs the notebook, and a real kernel submitting to a real server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import nbformat
import pytest

from autograder.assign import generate_student_notebook
from student.submit import feedback_lines, make_submit
from tests.server_helpers import free_port, make_course, register, sample, serve, settings_of
from tests.test_notebook_kernel import BLOCKER, kernel_env, run  # noqa: F401  (fixture)


def _result(**changes: Any) -> dict[str, Any]:
    result = {"score": 3.0, "max_score": 6.0, "errors": [], "late": None, "questions": [
        {"name": "relu", "score": 2.0, "max_score": 2.0, "checks": [{"passed": True, "message": ""}]},
        {"name": "sigmoid", "score": 0.0, "max_score": 2.0,
         "checks": [{"passed": True, "message": ""}, {"passed": False, "message": "sigmoid(0) = 0, expected 0.5"}]},
        {"name": "tanh", "score": 1.0, "max_score": 2.0, "checks": [{"passed": False, "message": "NaN"}]},
    ]}
    return {**result, **changes}


def test_feedback_says_what_to_fix_first() -> None:
    lines = feedback_lines({"status": "graded", "result": _result()}, "en")
    assert lines == ["Score: 3 of 6", "Fix first:", "  sigmoid: 0 / 2", "    sigmoid(0) = 0, expected 0.5",
                     "Then: tanh"]
    errored = feedback_lines({"result": _result(errors=["Cell 3 raised NameError: np"])}, "ru")
    assert errored[1:3] == ["Исправьте сначала:", "  Cell 3 raised NameError: np"]
    assert errored[3] == "Затем: sigmoid, tanh"
    done = _result(score=6.0, questions=[])
    assert feedback_lines({"result": {**done, "late": {"days_late": 2, "penalty_percent": 20}}}, "en") == \
        ["Score: 6 of 6", "Late by 2 day(s): 20% off", "Every check passed."]
    assert feedback_lines({"status": "error"}, "en")[0].startswith("The grader could not")


def test_submit_sends_nothing_when_the_grader_runs_the_notebook(tmp_path: Path) -> None:
    printed: list[str] = []
    submit = make_submit("http://127.0.0.1:9", "activations", "en", printed.append, kernel=lambda: False)
    submit("token", str(tmp_path / "x.ipynb"))
    assert printed == []


def test_the_generated_notebook_has_submit_only_with_a_server(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    plain = generate_student_notebook("activations", settings_of(course))
    served = generate_student_notebook("activations", settings_of(course), "https://grader.example.org")
    assert not any("make_submit" in cell.source for cell in plain.cells)
    setup = next(cell.source for cell in served.cells if "make_checker" in cell.source)
    assert "make_submit('https://grader.example.org', 'activations', 'en')" in setup
    assert served.cells[-1].source.splitlines()[-1] == '# submit("YOUR-TOKEN")'
    assert len(served.cells) == len(plain.cells) + 1


COLAB_FRONTEND = '''import sys, types, json
colab = types.ModuleType("google.colab"); message = types.ModuleType("google.colab._message")
message.blocking_request = lambda kind, request="", timeout_sec=0: {{"ipynb": json.load(open({path!r}))}}
colab._message = message
sys.modules.update({{"google": types.ModuleType("google"), "google.colab": colab, "google.colab._message": message}})
print("=== colab")'''


@pytest.mark.slow
def test_a_kernel_submits_its_notebook_from_jupyter_and_from_colab(kernel_env: Path, tmp_path: Path) -> None:  # noqa: F811
    """In Jupyter the saved file is sent; in Colab the notebook Colab holds, asked of its
    frontend, here played by a module answering ``get_ipynb`` as Colab does
    (``{"ipynb": <the notebook>}``) with a notebook that is not the file."""
    course = make_course(tmp_path / "course")
    token = register(course, {"ann": "Ann"})["ann"]
    with serve(course) as server:
        notebook = generate_student_notebook("activations", settings_of(course), server.url)
        folder = tmp_path / "student"
        folder.mkdir()
        nbformat.write(notebook, str(folder / "activations.ipynb"))  # the file as saved: what Jupyter sends
        held = json.loads(json.dumps(notebook))
        held["metadata"]["held_by"] = "colab"
        (tmp_path / "held.json").write_text(json.dumps(held), encoding="utf-8")
        notebook.cells.insert(0, nbformat.v4.new_code_cell(BLOCKER))  # only the embedded copy of `student`
        notebook.cells.append(nbformat.v4.new_code_cell(f'submit("{token}")'))
        notebook.cells.append(nbformat.v4.new_code_cell(COLAB_FRONTEND.format(path=str(tmp_path / "held.json"))))
        notebook.cells.append(nbformat.v4.new_code_cell(f'submit("{token}")'))
        output = run(notebook, folder)
        status, _, listed = server.request("GET", "/api/v1/submissions", token)
    jupyter, colab = output.split("=== colab")
    for part in (jupyter, colab):
        assert "Accepted (" in part and "Score: 0 of 16" in part and "Fix first:" in part, output
        last = part.rstrip().splitlines()[-1]  # and no dict shown after it
        assert last.startswith(f"Full feedback: {server.url}/login?token={token}&next=%2Fsubmissions%2F"), last
    assert "Sending activations.ipynb to" in jupyter and "Ctrl+S" in jupyter
    assert status == 200 and [item["status"] for item in listed] == ["graded", "graded"]
    sent = [(course / "server" / "submissions" / f"{item['id']}.ipynb").read_bytes() for item in reversed(listed)]
    assert sent[0] == (folder / "activations.ipynb").read_bytes()
    assert json.loads(sent[1]) == held


class _GatewayDown(BaseHTTPRequestHandler):
    """nginx with the course server behind it stopped: 502 and an HTML page."""

    def do_POST(self) -> None:  # noqa: N802 -- http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 -- http.server's name
        pass


@contextmanager
def _gateway_down() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GatewayDown)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Silent(BaseHTTPRequestHandler):
    """A server that takes the upload and answers too late (a busy server, a slow proxy)."""

    def do_POST(self) -> None:  # noqa: N802 -- http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        threading.Event().wait(2.0)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 -- http.server's name
        pass


def test_an_upload_without_an_answer_in_time_says_it_may_have_arrived(tmp_path: Path) -> None:
    """The notebook went out and no answer came: "try again later" would make a second
    submission of one that arrived; the student is sent to their page to look first."""
    notebook = tmp_path / "activations.ipynb"
    notebook.write_bytes(sample("activations", "ivanov"))
    printed: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Silent)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        make_submit(url, "activations", "en", printed.append, kernel=lambda: True, timeout=0.3)("t0k", str(notebook))
    finally:
        server.shutdown()
        server.server_close()
    assert printed[1] == (f"The server did not answer in time. The notebook may have arrived: look at "
                          f"{url}/login?token=t0k&next=%2F before sending it again."), printed


def test_a_server_that_is_down_is_said_so_in_words(tmp_path: Path) -> None:
    """Nothing listening, or a proxy whose server is stopped (502): "cannot be reached" and
    why in words. It printed urllib's repr ("<urlopen error [Errno 111] ...>"), and for
    the proxy "The server refused the notebook (502)", as if the notebook were at fault."""
    notebook = tmp_path / "activations.ipynb"
    notebook.write_bytes(sample("activations", "ivanov"))
    printed: list[str] = []
    make_submit(f"http://127.0.0.1:{free_port()}", "activations", "en", printed.append,
                kernel=lambda: True)("token", str(notebook))
    with _gateway_down() as url:
        make_submit(url, "activations", "ru", printed.append, kernel=lambda: True)("token", str(notebook))
    assert printed[1] == "The server cannot be reached: Connection refused. Try again later.", printed
    assert printed[3] == "Сервер недоступен: 502 Bad Gateway. Попробуйте позже.", printed
