"""The grader's end of one worker: its channel, its status channel and its host pid."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import time
from collections import deque
from typing import Any

from autograder.exceptions import SandboxError
from autograder.sandbox.inside import protocol

_CREDS = struct.Struct("iII")
MAX_HELLO = 1 << 12  # a worker's hello: the digests of at most a few cells


class WorkerChannel:
    def __init__(self, sock: socket.socket, status: socket.socket) -> None:
        self.sock, self.status = sock, status
        self.reader = protocol.FrameReader(sock)
        self.queue: deque[tuple[dict[str, Any], list[bytes]]] = deque()  # the rest of a frame of frames
        self.pid = 0
        self._detail: str | None = None
        self.holds: frozenset[str] = frozenset()  # digests of the cells it holds compiled (its hello)
        self.known: dict[str, str] = {}  # of those, the sources the grader taught: source -> digest

    @classmethod
    def open(cls, control: socket.socket, spec: dict[str, Any], timeout: float = 30.0) -> WorkerChannel:
        """Ask the zygote for a worker and wait for its hello (which tells its pid)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        status, status_theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        try:
            socket.send_fds(control, [json.dumps(spec).encode()],
                            [theirs.fileno(), status_theirs.fileno()])
        except OSError as error:
            raise SandboxError(f"the jail is gone: {error}") from None
        finally:
            theirs.close()
            status_theirs.close()
        channel = cls(ours, status)
        ready, _, _ = select.select([ours, status], [], [], timeout)
        if ours not in ready:
            detail = channel.death_detail(0.5)
            channel.close()
            raise SandboxError(f"a worker did not start ({detail})")
        data, ancillary, _, _ = ours.recvmsg(1, socket.CMSG_SPACE(_CREDS.size))
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                channel.pid = _CREDS.unpack(payload[: _CREDS.size])[0]
        holds = channel._held(time.monotonic() + timeout) if data == b"R" else None
        if holds is None or channel.pid <= 0:
            detail = channel.death_detail(1.0)
            channel.close()
            raise SandboxError(f"a worker started but did not say hello ({detail})")
        channel.holds = holds
        return channel

    def _held(self, deadline: float) -> frozenset[str] | None:
        """The rest of the hello: the digests of the cells the worker holds compiled
        (``inside/known.py``); None when it is not what a worker sends. Read to the byte,
        not through ``self.reader``: the worker's first frames (its run) follow it at once,
        and the hello is no frame of the run's."""
        try:
            size = int.from_bytes(self._exactly(4, deadline), "big")
            listed = json.loads(self._exactly(size, deadline)) if size <= MAX_HELLO else None
        except (TimeoutError, ConnectionError, OSError, ValueError):
            return None
        if type(listed) is not list or not all(type(d) is str and len(d) <= 64 for d in listed):
            return None
        return frozenset(listed)

    def _exactly(self, size: int, deadline: float) -> bytes:
        data = b""
        while len(data) < size:
            ready, _, _ = select.select([self.sock], [], [], max(0.0, deadline - time.monotonic()))
            chunk = self.sock.recv(size - len(data)) if ready else b""
            if not chunk:
                raise TimeoutError if not ready else ConnectionError
            data += chunk
        return data

    def send(self, header: dict[str, Any], blobs: list[bytes] | None = None) -> None:
        try:
            protocol.send_frame(self.sock, header, blobs or [])
        except OSError:
            raise protocol.Died from None

    def send_body(self, body: bytes, blobs: list[bytes]) -> None:
        """Send a frame of frames (``protocol.frame_of_frames``)."""
        try:
            protocol.send_body(self.sock, body, blobs)
        except OSError:
            raise protocol.Died from None

    def recv(self, deadline: float) -> tuple[dict[str, Any], list[bytes]]:
        """Next frame; TimeoutError, protocol.Died or protocol.WireError otherwise. The
        frames inside a frame of frames come one by one, as if sent apart."""
        if self.queue:
            return self.queue.popleft()
        try:
            header, blobs = self.reader.read(deadline, self.status)
        except (ConnectionError, OSError) as error:
            if isinstance(error, TimeoutError):
                raise
            raise protocol.Died from None
        if "many" not in header:
            return header, blobs
        self.queue.extend(protocol.split_many(header, blobs))
        return self.queue.popleft()

    def kill(self) -> None:
        if self.pid > 0:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def death_detail(self, timeout: float = 5.0) -> str:
        """How the worker ended, from the zygote's status message ("exit code 0")."""
        if self._detail is not None or self.status.fileno() < 0:
            return self._detail or "ended"
        data = b""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            ready, _, _ = select.select([self.status], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                break
            chunk = self.status.recv(4096)
            if not chunk:
                break
            data += chunk
        try:
            report = json.loads(data) if data else {}
        except ValueError:
            report = {}
        if "wait_status" in report:
            code = os.waitstatus_to_exitcode(int(report["wait_status"]))
            self._detail = f"exit code {code}" if code >= 0 else f"killed by signal {-code}"
        else:
            self._detail = str(report.get("error", "ended"))
        return self._detail

    def close(self) -> None:
        """Kill the worker and wait until the zygote has reaped it and its uid's processes."""
        self.kill()
        if self.pid > 0:
            self.death_detail(5.0)
        self.sock.close()
        self.status.close()
