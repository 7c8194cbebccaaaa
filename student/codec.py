"""Example values as strict JSON, and back.

Plain JSON stays plain (numbers, strings, lists, None). Everything else is a tagged
object: ``{"$array": nested lists, "dtype", "shape"}``, ``{"$tensor": ...}`` (same
fields), ``{"$tuple": [...]}``, ``{"$dict": {...}}``, ``{"$float": "nan"}`` and
``{"$model": class name, "init": {...}, "state": {...}}`` (an instance of the
notebook's class with the example's parameters loaded), ``{"$instance": class name,
"init": {...}}`` (the notebook's class called with plain arguments) and ``{"$method":
name, "of": <instance>}`` (what an example of ``Class.method`` calls). Decoding hands
tensors, models and instances to callbacks, so the same data becomes live objects in
the notebook, proxies on the grader and plain data when only compared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .compare import TensorData

DTYPES = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8",
                    "float16", "float32", "float64"})

MakeTensor = Callable[[np.ndarray, str], Any]
MakeModel = Callable[[str, dict[str, Any], dict[str, np.ndarray]], Any]
MakeInstance = Callable[[str, dict[str, Any]], Any]


@dataclass(frozen=True)
class Method:
    """A method of a decoded instance, by name: the caller looks it up (in the
    notebook with ``getattr``, on the grader through the jail)."""

    owner: Any
    name: str


def encode(value: Any) -> Any:
    """``value`` as strict JSON (raises TypeError for what cannot be data)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):  # np.float64 too (a float's subclass): as the plain float JSON reads back
        return float(value) if math.isfinite(value) else {"$float": repr(float(value))}
    if isinstance(value, np.generic):
        return encode(value.item())
    if isinstance(value, np.ndarray):
        return _encode_array("$array", value)
    if isinstance(value, TensorData):
        return _encode_array("$tensor", value.array, value.dtype)
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        return _encode_array("$tensor", value.detach().cpu().numpy(), str(value.dtype)[6:])
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"$dict": {k: encode(v) for k, v in value.items()}}
    raise TypeError(f"a {type(value).__name__} cannot be stored in an example")


def _encode_array(tag: str, array: np.ndarray, dtype: str | None = None) -> dict[str, Any]:
    dtype = dtype or str(array.dtype)
    if dtype not in DTYPES:
        raise TypeError(f"arrays of {dtype} cannot be stored in an example")
    return {tag: _finite(array.tolist()), "dtype": dtype, "shape": list(array.shape)}


def _finite(nested: Any) -> Any:
    """Non-finite floats as strings, since strict JSON has no NaN."""
    if isinstance(nested, list):
        return [_finite(v) for v in nested]
    if isinstance(nested, float) and not math.isfinite(nested):
        return repr(nested)
    return nested


def data_tensor(array: np.ndarray, dtype: str) -> TensorData:
    return TensorData(array, dtype)


def no_model(name: str, init: dict[str, Any], state: dict[str, np.ndarray]) -> Any:
    raise ValueError(f"a {name} model cannot appear here")


def no_instance(name: str, init: dict[str, Any]) -> Any:
    raise ValueError(f"a {name} instance cannot appear here")


_SCALARS = frozenset({float, int, str, bool, type(None)})  # what decode returns as it is


def decode(value: Any, tensor: MakeTensor = data_tensor, model: MakeModel = no_model,
           instance: MakeInstance = no_instance) -> Any:
    """The value ``encode`` stored; tensors, models and instances are built by the callbacks."""
    def again(inner: Any) -> Any:
        return decode(inner, tensor, model, instance)

    if isinstance(value, list):  # numbers, most of them: as they are, without a call each
        return [v if type(v) in _SCALARS else again(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$float" in value:
        return float(value["$float"])
    if "$tuple" in value:
        return tuple(again(v) for v in value["$tuple"])
    if "$dict" in value:
        return {k: again(v) for k, v in value["$dict"].items()}
    if "$array" in value:
        return decode_array(value, "$array")
    if "$tensor" in value:
        return tensor(decode_array(value, "$tensor"), value["dtype"])
    if "$model" in value:
        init = again(value["init"])
        state = {k: decode_array(v, "$array") for k, v in value["state"].items()}
        return model(value["$model"], init, state)
    if "$instance" in value:
        return instance(str(value["$instance"]), again(value["init"]))
    if "$method" in value:
        return Method(again(value["of"]), str(value["$method"]))
    raise ValueError(f"unknown value in the examples: {sorted(value)}")


def decode_array(value: dict[str, Any], tag: str) -> np.ndarray:
    dtype = value["dtype"]
    if dtype not in DTYPES:
        raise ValueError(f"unknown dtype {dtype!r} in the examples")
    flat = np.array(_floats(value[tag]), dtype=dtype)
    return flat.reshape([int(n) for n in value["shape"]])


def _floats(nested: Any) -> Any:
    if isinstance(nested, list):
        return [_floats(v) for v in nested]
    return float(nested) if isinstance(nested, str) else nested
