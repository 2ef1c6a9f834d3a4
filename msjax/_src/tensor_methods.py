"""Operators and methods of `Tensor`, each routed through a functional op or Primitive (one op path)."""
from __future__ import annotations

import numpy as np

from . import array_ops as A
from . import dtype as mstype
from . import functional as F
from . import math_ops as M
from .tensor import Tensor

_SCALARS = (bool, int, float, complex)


def _sequence_operand(self, value):
    """``t + [1, 2]``: MindSpore converts a list or tuple operand with the Tensor's dtype (for +, -, // only)."""
    if isinstance(value, (list, tuple)):
        return Tensor(value, dtype=self.dtype)
    return value


def _binary(prim, reflected=False, sequences=False):
    def method(self, other):
        if sequences:
            other = _sequence_operand(self, other)
        return prim(other, self) if reflected else prim(self, other)
    return method


def _equality(prim, unsupported_result):
    """``==``/``!=`` with an operand that is neither a Tensor nor a Python number is plain identity (False/True)."""
    def method(self, other):
        if not isinstance(other, (Tensor,) + _SCALARS) or isinstance(other, np.generic):
            return unsupported_result
        return prim(self, other)
    return method


# Operators run the primitives MindSpore runs for them (``+`` is AddExt, defined on Bool too; ``/`` is Div).
_mul_op, _div_op, _floordiv_op, _pow_op = M.Mul(), M.Div(), M.FloorDiv(), M.Pow()
_add_ext, _sub_ext = M.AddExt(), M.SubExt()

_OPERATORS = {
    "__add__": _binary(_add_ext, sequences=True), "__radd__": _binary(_add_ext, True, sequences=True),
    # `True - t` runs Sub, which refuses Bool, unlike `t - True` (SubExt)
    "__sub__": _binary(_sub_ext, sequences=True), "__rsub__": _binary(M.Sub(), True, sequences=True),
    "__mul__": _binary(_mul_op), "__rmul__": _binary(_mul_op, True),
    "__truediv__": _binary(_div_op), "__rtruediv__": _binary(_div_op, True),
    "__floordiv__": _binary(_floordiv_op, sequences=True),
    "__rfloordiv__": _binary(_floordiv_op, True, sequences=True),
    "__mod__": _binary(M.FloorMod()), "__rmod__": _binary(M.FloorMod(), True),
    "__pow__": _binary(_pow_op), "__rpow__": _binary(_pow_op, True, sequences=True),
    "__matmul__": _binary(M.MatMulExt()), "__rmatmul__": _binary(M.MatMulExt(), True),
    # no reflected bitwise operators in MindSpore: `1 & t` is Python's TypeError
    "__and__": _binary(M.BitwiseAnd()), "__or__": _binary(M.BitwiseOr()), "__xor__": _binary(M.BitwiseXor()),
    "__eq__": _equality(M.Equal(), False), "__ne__": _equality(M.NotEqual(), True),
    "__lt__": _binary(M.Less()), "__le__": _binary(M.LessEqual()),
    "__gt__": _binary(M.Greater()), "__ge__": _binary(M.GreaterEqual()),
}

_neg_op, _abs_op, _not_op = M.Neg(), M.Abs(), M.LogicalNot()
_getitem_op, _setitem_op = A.GetItem(), A.SetItem()


def _index_raw(index):
    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, tuple):
        return tuple(_index_raw(i) for i in index)
    return index


def _getitem(self, index):
    return _getitem_op(self, _index_raw(index))


def _setitem(self, index, value):
    if isinstance(value, (list, tuple)):
        value = Tensor(value, dtype=self.dtype)
    self._data = _setitem_op(self, _index_raw(index), value)._data


def _shape_args(args):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def _either(name, first, second, first_name, second_name):
    """One of two keyword spellings MindSpore's overloads accept (``axis=`` / ``dim=``)."""
    if first is not None and second is not None:
        raise TypeError(f"Tensor.{name}() got both '{first_name}' and '{second_name}'.")
    return first if first is not None else second


def astype(self, dtype, copy=True):
    return F.cast(self, mstype.as_dtype(dtype))


def to(self, dtype, *args, **kwargs):
    if not isinstance(dtype, mstype.Type):
        raise TypeError(f"For Tensor.to, the 'dtype' must be a mindspore dtype (e.g. mindspore.float32), but got "
                        f"{dtype!r}.")
    return F.cast(self, dtype)


def reshape(self, *shape):
    return F.reshape(self, _shape_args(shape))


def view(self, *shape):
    if len(shape) == 1 and isinstance(shape[0], mstype.Type):
        raise NotImplementedError("Tensor.view(dtype) reinterprets bits; msjax supports only Tensor.view(shape).")
    return F.reshape(self, _shape_args(shape))


def tensor_sum(self, axis=None, dtype=None, keepdims=False, initial=None, *, dim=None, keepdim=None):
    """``sum(axis, dtype, keepdims, initial)`` and ``sum(dim, keepdim, *, dtype)``: ``t.sum(1, True)`` keeps dims."""
    if isinstance(dtype, bool):  # the second positional argument of the dim/keepdim overload
        dtype, keepdims = None, dtype
    axis = _either("sum", axis, dim, "axis", "dim")
    keep = keepdims if keepdim is None else keepdim
    out = F.sum(self, axis, keep, dtype=None if dtype is None else mstype.as_dtype(dtype))
    if initial is not None:
        out = out + initial
    return out


def tensor_mean(self, axis=None, keep_dims=False, *, dtype=None, dim=None, keepdim=None):
    out = F.mean(self, _either("mean", axis, dim, "axis", "dim"), keep_dims if keepdim is None else keepdim)
    return out if dtype is None else F.cast(out, mstype.as_dtype(dtype))


def tensor_prod(self, axis=None, keep_dims=False, dtype=None, *, dim=None, keepdim=None):
    return F.prod(self, _either("prod", axis, dim, "axis", "dim"), keep_dims if keepdim is None else keepdim, dtype)


def argmax(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return F.argmax(self, _either("argmax", axis, dim, "axis", "dim"), keepdims if keepdim is None else keepdim)


def argmin(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return F.argmin(self, _either("argmin", axis, dim, "axis", "dim"), keepdims if keepdim is None else keepdim)


def _extreme(functional, reduce_class):
    """MindSpore's overloads: ``t.max()`` and ``t.max(axis=1)`` give values, ``t.max(1)`` and ``t.max(dim=1)``
    (values, Int64 indices); a tuple of axes reduces them all (``initial``/``where`` then apply)."""
    def method(self, *args, axis=None, keepdims=False, dim=None, keepdim=False, initial=None, where=True,
               return_indices=False):
        if args or dim is not None:
            dim = args[0] if args else dim
            keep = args[1] if len(args) > 1 else keepdim
            return functional(self, dim, keep)
        if isinstance(axis, (list, tuple)):
            reduced = F.amax if reduce_class is M.ReduceMax else F.amin
            return reduced(self, axis, keepdims, initial=initial, where=None if where is True else where)
        values, indices = functional(self, axis, keepdims, initial=initial, where=None if where is True else where)
        return (values, indices) if return_indices else values
    return method


def transpose(self, *axes):
    axes = _shape_args(axes)
    if not axes:
        axes = tuple(range(self.ndim))[::-1]
    return F.transpose(self, axes)


def squeeze(self, axis=None):
    return F.squeeze(self, axis)


def flatten(self, order="C", *, start_dim=0, end_dim=-1):
    return F.flatten(self, order, start_dim=start_dim, end_dim=end_dim)


def tensor_all(self, axis=None, keep_dims=False, *, dim=None, keepdim=None):
    return F.all(self, _either("all", axis, dim, "axis", "dim"), keep_dims if keepdim is None else keepdim)


def tensor_any(self, axis=None, keep_dims=False, *, dim=None, keepdim=None):
    return F.any(self, _either("any", axis, dim, "axis", "dim"), keep_dims if keepdim is None else keepdim)


def copy(self):
    return Tensor._from_raw(self._data)


def tile(self, *reps):
    return F.tile(self, _shape_args(reps))


def repeat(self, repeats, axis=None):
    import jax.numpy as jnp
    return Tensor._from_raw(jnp.repeat(self._data, repeats, axis=axis))


def expand_as(self, other):
    return F.broadcast_to(self, other.shape)


def view_as(self, other):
    return F.reshape(self, other.shape)


def tensor_type(self, dtype=None):
    return str(self.dtype) if dtype is None else F.cast(self, mstype.as_dtype(dtype))


def fill(self, value):
    return F.full(self.shape, value, dtype=self.dtype)


def swapaxes(self, axis0, axis1):
    perm = list(range(self.ndim))
    perm[axis0], perm[axis1] = perm[axis1], perm[axis0]
    return F.transpose(self, tuple(perm))


def ravel(self):
    return F.reshape(self, (-1,))


def softmax(self, axis=-1, dtype=None):
    return F.softmax(self, axis, dtype=dtype)


def assign_value(self, value):
    self._data = F.cast(value if isinstance(value, Tensor) else Tensor(value), self.dtype)._data
    return self


def _cast_method(dtype):
    def method(self):
        return F.cast(self, dtype)
    return method


_METHODS = {
    "__neg__": lambda self: _neg_op(self), "__pos__": lambda self: self, "__abs__": lambda self: _abs_op(self),
    "__invert__": lambda self: _not_op(self),  # MindSpore's `~` is logical not, for every dtype
    "__getitem__": _getitem, "__setitem__": _setitem,
    "astype": astype, "to": to, "reshape": reshape, "view": view, "sum": tensor_sum, "mean": tensor_mean,
    "prod": tensor_prod, "argmax": argmax, "argmin": argmin,
    "max": _extreme(F.max, M.ReduceMax), "min": _extreme(F.min, M.ReduceMin),
    "transpose": transpose, "permute": lambda self, *dims: F.permute(self, _shape_args(dims)),
    "squeeze": squeeze, "expand_dims": lambda self, axis: F.expand_dims(self, axis),
    "unsqueeze": lambda self, dim: F.unsqueeze(self, dim), "flatten": flatten, "ravel": ravel,
    "all": tensor_all, "any": tensor_any, "copy": copy, "clone": copy, "tile": tile, "repeat": repeat,
    "broadcast_to": lambda self, shape: F.broadcast_to(self, shape), "expand_as": expand_as, "view_as": view_as,
    "type": tensor_type, "fill": fill, "swapaxes": swapaxes, "softmax": softmax, "assign_value": assign_value,
    "float": _cast_method(mstype.float32), "double": _cast_method(mstype.float64),
    "half": _cast_method(mstype.float16), "int": _cast_method(mstype.int32), "long": _cast_method(mstype.int64),
    "bool": _cast_method(mstype.bool_), "bfloat16": _cast_method(mstype.bfloat16),
    "matmul": lambda self, other: F.matmul(self, other),
    "split": lambda self, split_size_or_sections, axis=0: F.split(self, split_size_or_sections, axis),
    "chunk": lambda self, chunks, axis=0: F.chunk(self, chunks, axis),
    "gather": lambda self, input_indices, axis, batch_dims=0: F.gather(self, input_indices, axis, batch_dims),
    "where": lambda self, condition, y: F.where(condition, self, y),
    "pow": lambda self, exponent: F.pow(self, exponent),
    "add": lambda self, other: F.add(self, other),
    "sub": lambda self, other: F.sub(self, other),
    "mul": lambda self, other: F.mul(self, other),
    "div": lambda self, other, *, rounding_mode=None: F.div(self, other, rounding_mode=rounding_mode),
    "maximum": lambda self, other: F.maximum(self, other),
    "minimum": lambda self, other: F.minimum(self, other),
    "equal": lambda self, other: F.equal(self, other),
}

_UNARY = ("abs", "exp", "log", "sqrt", "rsqrt", "sin", "cos", "tan", "tanh", "sigmoid", "square", "neg", "floor",
          "ceil", "round", "sign", "reciprocal", "log1p", "expm1", "isnan", "isinf", "isfinite", "erf",
          "logical_not")


def install():
    for name, method in {**_OPERATORS, **_METHODS}.items():
        setattr(Tensor, name, method)
    for name in _UNARY:
        setattr(Tensor, name, getattr(F, name))
    Tensor.T = property(lambda self: transpose(self))
    Tensor.mT = property(lambda self: swapaxes(self, -1, -2))
    Tensor.__hash__ = object.__hash__  # defining __eq__ must not make Tensors unhashable


install()
