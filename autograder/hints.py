"""Hints for errors whose own message does not say what to change.

Most are caused by where the code runs, not by what it computes.

A notebook may ask the person running it for a value (``input()``); while grading
nobody is there to type one, and the report says so in the student's language.

A notebook written in Colab may ask for a GPU (``.cuda()``, ``torch.device("cuda")``);
the grader has none, and PyTorch's own message ("Torch not compiled with CUDA
enabled") does not say what to change. Or it may open a file by Colab's own path
(``/content/...``, Google Drive under ``/content/drive``), which the grader does not
have. Or it may download its data (``!wget``, ``download=True``): the grader has no
network. Or it may load its batches in helper processes (``DataLoader(...,
num_workers=2)``, as Colab's tutorials do): the jail has no shared memory for their
semaphores, and Python's own message is a bare "Permission denied". Or it may load a
model it saved on the student's machine (``torch.load("model.pt")``): only the
notebook and the assignment's data reach the grader.

One is PyTorch's: a float64 tensor (NumPy's default, kept by ``torch.from_numpy`` and
``torch.tensor`` of a NumPy array) fed to a float32 model or multiplied with a float32
tensor. PyTorch's message names its kernel's arguments ("mat1 and mat2 must have the
same dtype, but got Double and Float"), not the ``.float()`` that fixes it. That hint
holds in the student's own notebook too, so it lives in the ``student`` package's
catalogue (``student.messages.hint_key``), which the notebook's ``check()`` embeds: one
text, shown alike by ``check()``, ``validate`` and ``grade``.

Every report of an exception (a cell that raised, a call from a check, a public
example) appends the hint found here.
"""

from __future__ import annotations

import re

from autograder.i18n import Text, msg

_NO_GPU = re.compile(
    r"not compiled with CUDA|no NVIDIA driver|No CUDA GPUs are available|CUDA driver|"
    r"CUDA device but torch\.cuda\.is_available\(\) is False",
    re.IGNORECASE)


# No network in the jail: a name that does not resolve, an address that cannot be reached
# (bwrap), or a socket refused (Landlock's seccomp) inside urllib's error
_NO_NETWORK = re.compile(
    r"Temporary failure in name resolution|Name or service not known|Network is unreachable|"
    r"urlopen error \[Errno 1\] Operation not permitted",
    re.IGNORECASE)


# Colab's own folders: its working folder, and Google Drive mounted under it
_COLAB_PATH = re.compile(r"""No such file or directory: ['"]/content/""")


# A saved model or its weights (torch, pickle, joblib, Keras), missing: the notebook alone was handed in
_SAVED_MODEL = re.compile(r"""No such file or directory: ['"][^'"]*\.(pt|pth|ckpt|pkl|pickle|joblib|h5|keras)['"]""",
                          re.IGNORECASE)


# A POSIX semaphore refused (no writable /dev/shm in the jail): what ``multiprocessing``'s
# locks and queues raise, so a DataLoader with worker processes. The message names no file,
# unlike every PermissionError of a file or folder the jail does not let a notebook touch.
_NO_SHARED_MEMORY = re.compile(r"\[Errno 13\] Permission denied")


# What the jail's ``input()`` raises (``sandbox/inside/shim.py``): nobody is there to type.
# Its own message is the jail's English; reports say it in the student's language instead.
NO_INPUT = "GradingInputError"


def asked_for_input(exc_type: str) -> bool:
    """The exception is the jail's answer to ``input()``: reported by its own message."""
    return exc_type == NO_INPUT


def hint_for(exc_type: str, message: str) -> Text | None:
    """The hint for an exception whose message does not say what to change, if any."""
    if _NO_GPU.search(message):
        return msg("hint.no_gpu")
    if _COLAB_PATH.search(message):
        return msg("hint.colab_path")
    if _SAVED_MODEL.search(message):
        return msg("hint.saved_model")
    if _NO_NETWORK.search(message):
        return msg("hint.no_network")
    if exc_type == "PermissionError" and _NO_SHARED_MEMORY.fullmatch(message.strip()):
        return msg("hint.no_worker_processes")
    from student import messages  # here: the package imports NumPy, which a command starting its jail has not yet

    key = messages.hint_key(message)
    return None if key is None else Text(**messages.both(key))


def with_hint(text: Text, exc_type: str, message: str) -> Text:
    """``text`` followed by the hint for this exception, when there is one (after a full
    stop: the message it follows may end without one), as the notebook's ``check()`` joins them."""
    hint = hint_for(exc_type, message)
    if hint is None:
        return text
    from student.messages import with_hint as joined  # imported by hint_for already

    return Text(en=joined(text.en, hint.en), ru=joined(text.ru, hint.ru))


def sentences(text: Text, more: Text) -> Text:
    """``text`` ended as a sentence (an exception's message often has no full stop), then
    ``more``: two sentences of a message, joined as ``with_hint`` joins a hint."""
    from student.messages import with_hint as joined

    return Text(en=joined(text.en, more.en), ru=joined(text.ru, more.ru))
