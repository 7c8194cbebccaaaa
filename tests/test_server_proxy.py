"""The README's nginx configuration, tested: TLS at nginx, the course server behind it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.server_helpers import free_port, make_course, multipart, register, sample, serve

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(NGINX) or not shutil.which("openssl"), reason="needs nginx and openssl"),
]


def readme_nginx() -> str:
    blocks = re.findall(r"```nginx\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_the_readme_nginx_configuration_serves_the_course_over_tls(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    token = register(course, {"ann": "Ann"})["ann"]
    folder = tmp_path / "nginx"
    folder.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=grader.example.org", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True)
    port = free_port()
    with serve(course) as server:
        block = (readme_nginx()
                 .replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
                 .replace("/etc/letsencrypt/live/grader.example.org/fullchain.pem", str(folder / "cert.pem"))
                 .replace("/etc/letsencrypt/live/grader.example.org/privkey.pem", str(folder / "key.pem"))
                 .replace("http://127.0.0.1:8000", server.url))
        temps = "".join(f"{kind}_temp_path {folder / kind};\n" for kind in
                        ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (folder / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "") +
            f"pid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\nevents {{}}\n"
            f"http {{\naccess_log off;\n{temps}{block}}}\n", encoding="utf-8")
        nginx = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            context = ssl.create_default_context(cafile=str(folder / "cert.pem"))
            context.check_hostname = False
            base = f"https://127.0.0.1:{port}"
            _wait_for(base, context, nginx)
            opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                                 _NoRedirect())
            try:
                opener.open(f"{base}/login?token={token}", timeout=10)
                raise AssertionError("expected a redirect")
            except urllib.error.HTTPError as redirect:
                assert redirect.code == 303
                cookie = redirect.headers["set-cookie"]
                redirect.close()
            assert "Secure" in cookie and "HttpOnly" in cookie  # uvicorn saw https through the proxy
            body, content_type = multipart({"assignment": "activations"},
                                           {"notebook": ("hw.ipynb", sample("activations", "ivanov"))})
            request = urllib.request.Request(f"{base}/api/v1/submissions", body,
                                             {"Authorization": f"Bearer {token}", "Content-Type": content_type})
            with opener.open(request, timeout=30) as response:
                assert response.status == 202
            session = cookie.split(";")[0]
            with opener.open(urllib.request.Request(f"{base}/", headers={"Cookie": session}), timeout=10) as page:
                csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.read().decode())
            assert csrf is not None
            body, content_type = multipart({"assignment": "activations", "csrf": csrf.group(1)},
                                           {"notebook": ("hw.ipynb", sample("activations", "ivanov"))})
            form = urllib.request.Request(f"{base}/upload", body, {"Cookie": session, "Content-Type": content_type,
                                                                   "Origin": base})
            try:
                opener.open(form, timeout=30)
                raise AssertionError("expected a redirect")
            except urllib.error.HTTPError as answer:  # the browser's form, through the proxy: accepted
                assert answer.code == 303, answer.read()
                answer.close()
        finally:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(10)
            if nginx.stderr is not None:
                nginx.stderr.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _wait_for(base: str, context: ssl.SSLContext, nginx: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if nginx.poll() is not None:
            raise AssertionError(f"nginx ended: {nginx.stderr.read().decode() if nginx.stderr else ''}")
        try:
            urllib.request.urlopen(base + "/", context=context, timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("nginx did not answer")
