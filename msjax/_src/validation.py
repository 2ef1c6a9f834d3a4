"""Shape and dtype checks shared by op kernels, raising MindSpore's exception types with its wording.

Kernels call these on JAX values (arrays or tracers: shapes and dtypes are static either way), so the same
errors are raised at the call in PyNative and at trace time under a transform.
"""
from __future__ import annotations

import numpy as np

from . import dtype as mstype

FLOAT_KINDS = ("f", "V", "c")  # 'V': ml_dtypes' bfloat16
_FLOAT_AND_COMPLEX = ("Float16", "Float32", "Float64", "BFloat16", "Complex64", "Complex128")


def ms_dtype_name(x) -> str:
    return str(mstype.from_numpy_dtype(x.dtype))


def shape_list(shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def is_float(x) -> bool:
    return np.dtype(x.dtype).kind in ("f", "V")


def is_floating_or_complex(x) -> bool:
    return np.dtype(x.dtype).kind in FLOAT_KINDS


def require_dtypes(op: str, x, allowed=_FLOAT_AND_COMPLEX):
    """TypeError unless ``x``'s dtype is one of ``allowed`` (MindSpore's "Unsupported data type")."""
    name = ms_dtype_name(x)
    if name not in allowed:
        supported = ", ".join(allowed)
        raise TypeError(f"For '{op}', the input dtype {name} is not supported; supported dtypes are {supported}. "
                        f"Cast the input first, e.g. x.astype(mindspore.float32).")


def check_broadcast(op: str, a_shape, b_shape, names=("input", "other")):
    """ValueError in MindSpore's words unless the two shapes broadcast."""
    a_shape, b_shape = tuple(a_shape), tuple(b_shape)
    for offset in range(1, min(len(a_shape), len(b_shape)) + 1):
        da, db = a_shape[-offset], b_shape[-offset]
        if da != db and da != 1 and db != 1:
            ia, ib = len(a_shape) - offset, len(b_shape) - offset
            n1, n2 = names
            raise ValueError(
                f"For '{op}', {n1}.shape and {n2}.shape need to broadcast. The value of {n1}.shape[{ia}] or "
                f"{n2}.shape[{ib}] must be 1 or -1 when they are not the same, but got {n1}.shape = "
                f"{shape_list(a_shape)} and {n2}.shape = {shape_list(b_shape)}")


def normalize_axis(op: str, axis: int, ndim: int, *, inclusive_end: bool = False) -> int:
    """A non-negative axis, or MindSpore's ValueError for an axis outside [-ndim, ndim)."""
    bound = ndim + 1 if inclusive_end else ndim
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"For '{op}', the 'axis' must be an int, but got {type(axis).__name__}.")
    low = -bound if bound else -1
    high = bound if bound else 1
    if not low <= axis < high:
        raise ValueError(f"For '{op}', the 'axis' must be in [{low}, {high}), but got {axis}.")
    return int(axis) % high


def normalize_axes(op: str, axis, ndim: int):
    """Reduction axes as a sorted tuple (``()`` and None mean all axes)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (list, tuple)):
        if len(axis) == 0:
            return tuple(range(ndim))
        axes = tuple(_reduce_axis(op, a, ndim) for a in axis)
    else:
        axes = (_reduce_axis(op, axis, ndim),)
    if len(set(axes)) != len(axes):
        raise ValueError(f"For '{op}', the 'axis' must not contain duplicates, but got {axis}.")
    return tuple(sorted(axes))


def _reduce_axis(op, axis, ndim):
    if hasattr(axis, "shape") and not hasattr(axis, "__index__"):
        axis = int(np.asarray(axis))
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"For '{op}', the 'axis' must be an int or a tuple of ints, but got {type(axis).__name__}.")
    rank = max(ndim, 1)
    if not -rank <= axis < rank:
        raise ValueError(f"For primitive[{op}], the axis value must be in [{-rank},{rank}), but got {axis}.")
    return int(axis) % rank


# --- dtype promotion for operands ----------------------------------------------------------------------------

def _operand_dtype(value):
    """(np dtype of a Tensor operand, None) or (None, category rank of a weak scalar)."""
    if isinstance(value, np.generic) or not hasattr(value, "dtype"):
        rank = mstype.scalar_rank(value)
        if rank is None or rank == 3:  # MindSpore's ops take bool/int/float numbers, never complex ones
            raise TypeError(f"expected a Tensor or a number (bool, int, float), but got {type(value).__name__}.")
        return None, rank
    return np.dtype(value.dtype), None


def result_dtype(*operands) -> np.dtype:
    """MindSpore's result dtype for ``operands`` (JAX values are strong, Python/numpy scalars weak)."""
    strong, weak = [], []
    for value in operands:
        dtype, rank = _operand_dtype(value)
        if dtype is None:
            weak.append(rank)
        else:
            strong.append(dtype)
    return mstype.result_np_dtype(strong, weak)


def mul_div_result_dtype(x, y) -> np.dtype:
    """Result dtype of Mul and Div: beside a Tensor of higher rank, a 0-d Tensor is weak like a Python scalar
    (``f16 * Tensor(1.5)`` is Float16, ``i32 * Tensor(2)`` Int32) unless its category is higher."""
    both_tensors = all(hasattr(v, "dtype") and not isinstance(v, np.generic) for v in (x, y))
    if both_tensors and (x.ndim == 0) != (y.ndim == 0):
        small, big = (x, y) if x.ndim == 0 else (y, x)
        if mstype.kind_rank(np.dtype(small.dtype)) <= mstype.kind_rank(np.dtype(big.dtype)):
            return np.dtype(big.dtype)
    return result_dtype(x, y)


def _scalar_as(value, target: np.dtype):
    """A Python/numpy scalar cast to ``target`` the way MindSpore casts it: wrapping (``uint8 + 300`` adds 44) and
    overflowing to inf, where ``jnp.asarray(300, uint8)`` would raise. It stays a numpy 0-d array: jnp ops take it
    as a constant of that dtype, without the device transfer ``jnp.asarray`` costs on every eager op."""
    with np.errstate(all="ignore"):
        return np.asarray(value).astype(target)


def promote(*operands, dtype=None):
    """Operands as JAX arrays of their common MindSpore result dtype (or of ``dtype`` when given)."""
    target = result_dtype(*operands) if dtype is None else np.dtype(dtype)
    out = []
    for v in operands:
        if isinstance(v, np.generic) or not hasattr(v, "dtype"):
            out.append(_scalar_as(v, target))
        else:
            out.append(v if v.dtype == target else v.astype(target))
    return tuple(out), target


def cast(x, dtype):
    """``x`` as ``dtype``, without a no-op ``astype`` (an eager astype costs ~20 us even when nothing changes)."""
    return x if x.dtype == dtype else x.astype(dtype)


def float_result_dtype(x) -> np.dtype:
    """dtype of a float-valued op on ``x``: floats keep theirs, integers and bools give Float32."""
    kind = np.dtype(x.dtype).kind
    return np.dtype(x.dtype) if kind in FLOAT_KINDS else np.dtype(np.float32)
