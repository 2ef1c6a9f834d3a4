"""Operators and methods of `Tensor`, each routed through a functional op or Primitive (one op path)."""
from __future__ import annotations

import numpy as np

from . import array_ops as A
from . import dtype as mstype
from . import functional as F
from . import math_ops as M
from .tensor import Tensor

_SUPPORTED_OPERAND = (Tensor, bool, int, float, complex, np.generic)


def _operand(value):
    """Right-hand operands: lists become Tensors (MindSpore allows ``t + [1, 2]``), others pass through."""
    if isinstance(value, (list, tuple)) and not isinstance(value, Tensor):
        return Tensor(value)
    return value


def _binary(prim, reflected=False):
    def method(self, other):
        other = _operand(other)
        return prim(other, self) if reflected else prim(self, other)
    return method


def _comparison(prim):
    def method(self, other):
        other = _operand(other)
        if other is None or not isinstance(other, _SUPPORTED_OPERAND):
            return NotImplemented
        return prim(self, other)
    return method


# Operators use the Ext names MindSpore reports for them (``For 'AddExt', ...``).
_add_op = M.Add()
_sub_op = M.Sub()
_sub_op.error_name, _sub_op.operand_names = "SubExt", ("input", "other")  # what MindSpore reports for `-`
_mul_op, _div_op, _floordiv_op, _mod_op, _pow_op = M.Mul(), M.Div(), M.FloorDiv(), M.FloorMod(), M.Pow()
_matmul_op = M.MatMulExt()

_OPERATORS = {
    "__add__": _binary(_add_op), "__radd__": _binary(_add_op, True),
    "__sub__": _binary(_sub_op), "__rsub__": _binary(_sub_op, True),
    "__mul__": _binary(_mul_op), "__rmul__": _binary(_mul_op, True),
    "__truediv__": _binary(_div_op), "__rtruediv__": _binary(_div_op, True),
    "__floordiv__": _binary(_floordiv_op), "__rfloordiv__": _binary(_floordiv_op, True),
    "__mod__": _binary(_mod_op), "__rmod__": _binary(_mod_op, True),
    "__pow__": _binary(_pow_op), "__rpow__": _binary(_pow_op, True),
    "__matmul__": _binary(_matmul_op), "__rmatmul__": _binary(_matmul_op, True),
    "__and__": _binary(M.BitwiseAnd()), "__or__": _binary(M.BitwiseOr()), "__xor__": _binary(M.BitwiseXor()),
    "__eq__": _comparison(M.Equal()), "__ne__": _comparison(M.NotEqual()),
    "__lt__": _comparison(M.Less()), "__le__": _comparison(M.LessEqual()),
    "__gt__": _comparison(M.Greater()), "__ge__": _comparison(M.GreaterEqual()),
}

_neg_op, _abs_op, _not_op = M.Neg(), M.Abs(), M.LogicalNot()
_getitem_op, _setitem_op = A.GetItem(), A.SetItem()


def _neg(self):
    if self._data.dtype == np.bool_:
        raise TypeError("For 'Neg', the input dtype Bool is not supported; use ops.logical_not for booleans.")
    return _neg_op(self)


def _invert(self):
    if self._data.dtype == np.bool_:
        return _not_op(self)
    raise TypeError(f"For '~', the input must be a Bool Tensor, but got {self.dtype}.")


def _index_raw(index):
    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, tuple):
        return tuple(_index_raw(i) for i in index)
    return index


def _getitem(self, index):
    return _getitem_op(self, _index_raw(index))


def _setitem(self, index, value):
    value = _operand(value)
    self._data = _setitem_op(self, _index_raw(index), value)._data


def _shape_args(args):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def astype(self, dtype, copy=True):
    return F.cast(self, mstype.as_dtype(dtype))


def to(self, dtype, *args, **kwargs):
    return F.cast(self, mstype.as_dtype(dtype, who="Tensor.to"))


def reshape(self, *shape):
    return F.reshape(self, _shape_args(shape))


def view(self, *shape):
    if len(shape) == 1 and isinstance(shape[0], mstype.Type):
        raise NotImplementedError("Tensor.view(dtype) reinterprets bits; msjax supports only Tensor.view(shape).")
    return F.reshape(self, _shape_args(shape))


def tensor_sum(self, axis=None, dtype=None, keepdims=False, initial=None):
    out = F.sum(self, axis, keepdims, dtype=None if dtype is None else mstype.as_dtype(dtype))
    return out if initial is None else out + initial


def tensor_mean(self, axis=None, keep_dims=False, dtype=None):
    out = F.mean(self, axis, keep_dims)
    return out if dtype is None else F.cast(out, mstype.as_dtype(dtype))


def argmax(self, axis=None, keepdims=False):
    return F.argmax(self, axis, keepdims)


def argmin(self, axis=None, keepdims=False):
    return F.argmin(self, axis, keepdims)


def _extreme(reduce_values, with_indices):
    """``t.max()`` / ``t.max(axis=1)`` give values; ``t.max(1)`` / ``t.max(dim=1)`` give (values, indices)."""
    def method(self, *args, axis=None, keepdims=False, dim=None, keepdim=False, initial=None, where=None,
               return_indices=False):
        if args or dim is not None:
            dim = args[0] if args else dim
            keep = args[1] if len(args) > 1 else keepdim
            return with_indices(self, dim, keep)
        out = reduce_values(self, axis, keepdims)
        if initial is not None:
            out = F.maximum(out, initial) if reduce_values is F.amax else F.minimum(out, initial)
        return out
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


def tensor_all(self, axis=None, keep_dims=False):
    return F.all(self, axis, keep_dims)


def tensor_any(self, axis=None, keep_dims=False):
    return F.any(self, axis, keep_dims)


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
    "__neg__": _neg, "__pos__": lambda self: self, "__abs__": lambda self: _abs_op(self),
    "__invert__": _invert, "__getitem__": _getitem, "__setitem__": _setitem,
    "astype": astype, "to": to, "reshape": reshape, "view": view, "sum": tensor_sum, "mean": tensor_mean,
    "argmax": argmax, "argmin": argmin,
    "max": _extreme(F.amax, lambda t, d, k: F.max(t, d, k)),
    "min": _extreme(F.amin, lambda t, d, k: F.min(t, d, k)),
    "transpose": transpose, "permute": lambda self, *dims: F.permute(self, _shape_args(dims)),
    "squeeze": squeeze, "expand_dims": lambda self, axis: F.expand_dims(self, axis),
    "unsqueeze": lambda self, dim: F.unsqueeze(self, dim), "flatten": flatten, "ravel": ravel,
    "all": tensor_all, "any": tensor_any, "copy": copy, "clone": copy, "tile": tile, "repeat": repeat,
    "broadcast_to": lambda self, shape: F.broadcast_to(self, shape), "expand_as": expand_as, "view_as": view_as,
    "type": tensor_type, "fill": fill, "swapaxes": swapaxes, "softmax": softmax, "assign_value": assign_value,
    "float": _cast_method(mstype.float32), "double": _cast_method(mstype.float64),
    "half": _cast_method(mstype.float16), "int": _cast_method(mstype.int32), "long": _cast_method(mstype.int64),
    "bool": _cast_method(mstype.bool_), "bfloat16": _cast_method(mstype.bfloat16),
    "prod": lambda self, axis=None, keep_dims=False, dtype=None: F.prod(self, axis, keep_dims, dtype),
    "matmul": lambda self, other: F.matmul(self, other),
    "split": lambda self, split_size_or_sections, axis=0: F.split(self, split_size_or_sections, axis),
    "chunk": lambda self, chunks, axis=0: F.chunk(self, chunks, axis),
    "gather": lambda self, input_indices, axis, batch_dims=0: F.gather(self, input_indices, axis, batch_dims),
    "where": lambda self, condition, y: F.where(condition, self, y),
    "pow": lambda self, exponent: F.pow(self, exponent),
    "add": lambda self, other, *, alpha=1: F.add(self, other, alpha=alpha),
    "sub": lambda self, other, *, alpha=1: F.sub(self, other, alpha=alpha),
    "mul": lambda self, other: F.mul(self, other),
    "div": lambda self, other, *, rounding_mode=None: F.div(self, other, rounding_mode=rounding_mode),
    "maximum": lambda self, other: F.maximum(self, other),
    "minimum": lambda self, other: F.minimum(self, other),
    "equal": lambda self, other: F.equal(self, other),
}

_UNARY = ("abs", "exp", "log", "sqrt", "rsqrt", "sin", "cos", "tan", "tanh", "sigmoid", "square", "neg", "floor",
          "ceil", "round", "sign", "reciprocal", "relu", "log1p", "expm1", "isnan", "isinf", "isfinite", "erf",
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
