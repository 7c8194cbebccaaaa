"""The setting every worker starts from (its namespace, shims, stand-ins, its own builtins)
is made once in the zygote: each worker gets a copy of its own, never another's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from autograder.notebook import CodeCell
from autograder.session import Session

MESS = '''
import builtins

def use_abs(x):
    return abs(x)

builtins.abs = lambda x: "patched"
del builtins.divmod
left_behind = 41
get_ipython().user_ns["also_left"] = 1
'''

LOOK = '''
import builtins
seen = (abs(-2), hasattr(builtins, "divmod"), "left_behind" in globals(), "also_left" in globals())
'''


def test_a_worker_starts_from_the_setting_untouched_by_the_worker_before(jail, fast_limits):
    with Session(jail.spawn, [CodeCell(0, MESS)], fast_limits) as session:
        assert session.call("use_abs", -2) == "patched" and session.getattr("left_behind") == 41
    for _ in range(2):  # workers forked after one that patched its builtins and namespace
        with Session(jail.spawn, [CodeCell(0, LOOK)], fast_limits) as session:
            assert session.getattr("seen") == (2, True, False, False)


# in a process of its own: preparing installs the shims in that process's builtins and
# the stand-ins (a fake ``otter``) in its sys.modules, as it does in the zygote
TAKEN_ONCE = """
import socket
from autograder.sandbox.inside import worker
worker.prepare()
prepared = worker._prepared
pairs = [socket.socketpair() for _ in range(2)]
first, second = (worker.Worker(a) for a, _ in pairs)
assert prepared is not None and first.namespace is prepared.namespace  # taken as it is
assert second.namespace is not first.namespace  # the next one makes its own
assert second.own_builtins is not first.own_builtins
assert second.namespace["__builtins__"].get_ipython().user_ns is second.namespace
print("ok")
"""


def test_the_prepared_setting_is_taken_once_in_a_process():
    done = subprocess.run([sys.executable, "-c", TAKEN_ONCE], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout == "ok\n", done.stderr
