"""Neural-network ops (``ops.Softmax``, ``ops.LogSoftmax``, ...)."""
from __future__ import annotations

import jax
import jax.numpy as jnp

from .primitive import Primitive
from .validation import ms_dtype_name

_FLOATS = ("BFloat16", "Float16", "Float32", "Float64")


def _check_float_input(op, x):
    name = ms_dtype_name(x)
    if name not in _FLOATS:
        raise TypeError(f"For primitive[{op}], the input argument[x] must be a type of {{{', '.join(_FLOATS)}}}, "
                        f"but got {name}.")


def _softmax_axes(op, axis, ndim):
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    rank = max(ndim, 1)
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"For primitive[{op}], the axis must be in [{-rank},{rank}), but got {a}.")
    return tuple(a % rank for a in axes) if ndim else None


class Softmax(Primitive):
    """``Softmax(axis=-1)(x)``."""
    inputs = ("x: Tensor",)
    attrs = {"axis": -1}

    def kernel(self, x):
        _check_float_input("Softmax", x)
        return jax.nn.softmax(x, axis=_softmax_axes("Softmax", self.axis, x.ndim))


class LogSoftmax(Primitive):
    inputs = ("logits: Tensor",)
    attrs = {"axis": -1}

    def kernel(self, x):
        _check_float_input("LogSoftmax", x)
        return jax.nn.log_softmax(x, axis=_softmax_axes("LogSoftmax", self.axis, x.ndim))


class ReLU6(Primitive):
    inputs = ("x: Tensor",)

    def kernel(self, x):
        _check_float_input("ReLU6", x)
        return jnp.clip(x, 0, 6).astype(x.dtype)
