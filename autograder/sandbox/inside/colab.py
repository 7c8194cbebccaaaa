"""``google.colab`` in the jail: what students call in Colab, made harmless.

Students work in Colab and submit the notebook as it ran there:
``from google.colab import drive; drive.mount('/content/drive')``, ``files.upload()``,
``files.download(...)``, ``output.clear()``. The jail has no browser and no Drive, and
``google.colab`` is not installed, so without this every such cell failed with
"No module named 'google'" and everything it defined was lost.

Here ``google.colab`` and any of its submodules import, and every call does nothing
but leave a note in the cell's output. ``files.upload()`` hands over the assignment's
data files (``./data/``) as if the student had uploaded them, and saves copies in the
working folder, as Colab does, so ``pd.read_csv("apples_pears.csv")`` after an upload
still finds the file. A real ``google`` package (protobuf) is left alone: only
``google.colab`` is served from here.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types
from collections.abc import Sequence
from typing import Any

PREFIX = "google.colab"
NOTE = ("[autograder] {call}: пропущено при проверке ({ru}) / "
        "skipped during grading ({en}).")
NO_DRIVE = ("у проверяющего нет Google Drive, файлы задания лежат в ./data/",
            "the grader has no Google Drive; the assignment's files are in ./data/")
NO_BROWSER = ("у проверяющего нет браузера", "the grader has no browser")
DATA = "data"


def note(call: str, why: tuple[str, str] = NO_BROWSER) -> None:
    print(NOTE.format(call=call, ru=why[0], en=why[1]))


def _arguments(args: Sequence[Any], kwargs: dict[str, Any]) -> str:
    parts = [_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, (str, int, float, bool, type(None))) else "..."
    return text if len(text) <= 60 else text[:57] + "..."


def _nothing(module: str, name: str) -> Any:
    """A function that only notes it was called (``output.clear()``, ``auth...``)."""
    short = module.removeprefix("google.colab.")

    def call(*args: Any, **kwargs: Any) -> None:
        note(f"{short}.{name}({_arguments(args, kwargs)})")

    call.__name__ = call.__qualname__ = name
    return call


# ---- the submodules Colab notebooks use -------------------------------------------------


def _mount(mountpoint: Any = "/content/drive", *args: Any, **kwargs: Any) -> None:
    note(f"drive.mount({_arguments((mountpoint, *args), kwargs)})", NO_DRIVE)


def _unmount(*args: Any, **kwargs: Any) -> None:
    note(f"drive.flush_and_unmount({_arguments(args, kwargs)})", NO_DRIVE)


def data_files() -> dict[str, bytes]:
    """The files of ``./data`` (the assignment's data, read-only), by name."""
    found: dict[str, bytes] = {}
    try:
        names = sorted(os.listdir(DATA))
    except OSError:
        return found
    for name in names:
        path = os.path.join(DATA, name)
        if os.path.isfile(path):
            try:
                with open(path, "rb") as handle:
                    found[name] = handle.read()
            except OSError:
                continue
    return found


def _upload(*args: Any, **kwargs: Any) -> dict[str, bytes]:
    files = data_files()
    for name, content in files.items():
        try:
            with open(name, "wb") as handle:  # Colab saves uploads in the working folder
                handle.write(content)
        except OSError:
            continue
    given = ", ".join(files) or "-"
    note(f"files.upload({_arguments(args, kwargs)})",
         (f"у проверяющего нет браузера; вместо загрузки — файлы задания: {given}",
          f"the grader has no browser; here are the assignment's files instead: {given}"))
    return files


def _download(filename: Any = "", *args: Any, **kwargs: Any) -> None:
    note(f"files.download({_arguments((filename, *args), kwargs)})")


def _eval_js(*args: Any, **kwargs: Any) -> None:
    note(f"output.eval_js({_arguments(args, kwargs)})")
    return None


SPECIAL: dict[str, dict[str, Any]] = {
    "drive": {"mount": _mount, "flush_and_unmount": _unmount},
    "files": {"upload": _upload, "download": _download, "view": _download},
    "output": {"eval_js": _eval_js},
}


def _package_getattr(module: types.ModuleType) -> Any:
    """``google.colab.<name>``: every attribute of the package is a submodule."""
    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return importlib.import_module(f"{module.__name__}.{name}")
    return __getattr__


def _module_getattr(module: types.ModuleType) -> Any:
    """Any other attribute of a submodule: a function that does nothing."""
    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = _nothing(module.__name__, name)
        setattr(module, name, value)
        return value
    return __getattr__


class ColabFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``google.colab`` and its submodules (and ``google`` when none is installed)."""

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if name == PREFIX or name.startswith(PREFIX + "."):
            return importlib.util.spec_from_loader(name, self, is_package=name.count(".") <= 1)
        if name == "google" and importlib.machinery.PathFinder.find_spec(name) is None:
            return importlib.util.spec_from_loader(name, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None  # the default module

    def exec_module(self, module: types.ModuleType) -> None:
        name = module.__name__
        if name == PREFIX:
            module.__doc__ = "A stand-in for Colab's own modules during grading."
            setattr(module, "__getattr__", _package_getattr(module))
        elif name.startswith(PREFIX + "."):
            short = name[len(PREFIX) + 1:]
            for attr, value in SPECIAL.get(short, {}).items():
                setattr(module, attr, value)
            setattr(module, "__getattr__", _module_getattr(module))


def install() -> None:
    if not any(isinstance(finder, ColabFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, ColabFinder())
