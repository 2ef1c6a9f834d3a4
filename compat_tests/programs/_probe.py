"""Printing helpers shared by the compat programs (plain MindSpore: imports only mindspore and numpy).

`case(label, fn)` prints `label: <result>`: Tensors as their repr (shape, dtype, values), tuples and lists element
by element, numpy arrays with dtype and shape, anything else with its type; an exception prints only its type
(MindSpore's messages carry C++ call stacks).
"""
import numpy as np
from mindspore import Parameter, Tensor


def fmt(v):
    if isinstance(v, Parameter):
        return f"Parameter {v.name} {v.dtype} {v.shape} {v.asnumpy().tolist()}"
    if isinstance(v, Tensor):
        return repr(v)
    if isinstance(v, (tuple, list)):
        return f"{type(v).__name__}(" + ", ".join(fmt(i) for i in v) + ")"
    if isinstance(v, np.ndarray):
        return f"ndarray {v.dtype} {v.shape} {v.tolist()}"
    return f"{type(v).__name__} {v!r}"


def case(label, fn):
    try:
        out = fmt(fn())
    except Exception as e:  # noqa: BLE001  (the exception type is the observation)
        out = "error " + type(e).__name__
    print(f"{label}: {out}")
