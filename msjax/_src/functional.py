"""Functional ops (``ops.sin``, ``ops.matmul``, ``ops.sum``, ...): MindSpore's signatures over the same
Primitives as the op classes, so class and function share checks, errors and custom bprops."""
from __future__ import annotations

import builtins

import jax.numpy as jnp
import numpy as np

from . import array_ops as A
from . import dtype as mstype
from . import math_ops as M
from . import nn_ops as N
from .tensor import Tensor


def _unary_function(prim_class, name):
    prim = prim_class()

    def function(input):
        return prim(input)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``ops.{name}(input)``: elementwise, through ``ops.{prim_class.__name__}``."
    return function


sin = _unary_function(M.Sin, "sin")
cos = _unary_function(M.Cos, "cos")
tan = _unary_function(M.Tan, "tan")
exp = _unary_function(M.Exp, "exp")
log = _unary_function(M.Log, "log")
log1p = _unary_function(M.Log1p, "log1p")
expm1 = _unary_function(M.Expm1, "expm1")
tanh = _unary_function(M.Tanh, "tanh")
sigmoid = _unary_function(M.Sigmoid, "sigmoid")
erf = _unary_function(M.Erf, "erf")
asin = _unary_function(M.Asin, "asin")
acos = _unary_function(M.Acos, "acos")
atan = _unary_function(M.Atan, "atan")
sinh = _unary_function(M.Sinh, "sinh")
cosh = _unary_function(M.Cosh, "cosh")
softplus = _unary_function(M.Softplus, "softplus")
sqrt = _unary_function(M.Sqrt, "sqrt")
rsqrt = _unary_function(M.Rsqrt, "rsqrt")
reciprocal = _unary_function(M.Reciprocal, "reciprocal")
floor = _unary_function(M.Floor, "floor")
ceil = _unary_function(M.Ceil, "ceil")
round = _unary_function(M.Round, "round")  # noqa: A001
neg = _unary_function(M.Neg, "neg")
negative = neg
abs = _unary_function(M.Abs, "abs")  # noqa: A001
absolute = abs
square = _unary_function(M.Square, "square")
sign = _unary_function(M.Sign, "sign")
relu = _unary_function(M.ReLU, "relu")
relu6 = _unary_function(N.ReLU6, "relu6")
isnan = _unary_function(M.IsNan, "isnan")
isinf = _unary_function(M.IsInf, "isinf")
isfinite = _unary_function(M.IsFinite, "isfinite")
logical_not = _unary_function(M.LogicalNot, "logical_not")

_add, _sub, _mul, _div = M.Add(), M.Sub(), M.Mul(), M.Div()
_floordiv, _mod, _pow = M.FloorDiv(), M.FloorMod(), M.Pow()
_maximum, _minimum = M.Maximum(), M.Minimum()
_eq, _ne, _gt, _ge, _lt, _le = M.Equal(), M.NotEqual(), M.Greater(), M.GreaterEqual(), M.Less(), M.LessEqual()
_and, _or = M.LogicalAnd(), M.LogicalOr()


def add(input, other, *, alpha=1):
    return _add(input, other if alpha == 1 else _mul(other, alpha))


def sub(input, other, *, alpha=1):
    return _sub(input, other if alpha == 1 else _mul(other, alpha))


def mul(input, other):
    return _mul(input, other)


def div(input, other, *, rounding_mode=None):
    if rounding_mode is None:
        return _div(input, other)
    if rounding_mode == "floor":
        return _floordiv(input, other)
    if rounding_mode == "trunc":
        quotient = _div(input, other)
        return M.Sign()(quotient) * M.Floor()(M.Abs()(quotient))
    raise ValueError(f"For 'div', 'rounding_mode' must be None, 'floor' or 'trunc', but got {rounding_mode!r}.")


divide = div
true_divide = div
multiply = mul
subtract = sub


def floor_divide(input, other):
    return _floordiv(input, other)


def floor_mod(x, y):
    return _mod(x, y)


remainder = floor_mod


def pow(input, exponent):  # noqa: A001
    return _pow(input, exponent)


def maximum(input, other):
    return _maximum(input, other)


def minimum(input, other):
    return _minimum(input, other)


def equal(input, other):
    return _eq(input, other)


def ne(input, other):
    return _ne(input, other)


def gt(input, other):
    return _gt(input, other)


def ge(input, other):
    return _ge(input, other)


def lt(input, other):
    return _lt(input, other)


def le(input, other):
    return _le(input, other)


not_equal, greater, greater_equal, less, less_equal = ne, gt, ge, lt, le


def logical_and(input, other):
    return _and(input, other)


def logical_or(input, other):
    return _or(input, other)


_matmul_ext = M.MatMulExt()
_bmm = M.BatchMatMul()


def matmul(input, other):
    return _matmul_ext(input, other)


def bmm(input_x, mat2):
    return _bmm(input_x, mat2)


_sum_ext = M.SumExt()
_mean_ext = M.MeanExt()


def sum(input, dim=None, keepdim=False, *, dtype=None):  # noqa: A001
    return _sum_ext(input, dim, keepdim, dtype)


def mean(input, axis=None, keep_dims=False):
    return _mean_ext(input, axis, keep_dims, None)


def prod(input, axis=None, keep_dims=False, dtype=None):
    out = M.ReduceProd(keep_dims)(input, () if axis is None else axis)
    return out if dtype is None else cast(out, dtype)


def all(input, axis=None, keep_dims=False):  # noqa: A001
    return M.ReduceAll(keep_dims)(input, () if axis is None else axis)


def any(input, axis=None, keep_dims=False):  # noqa: A001
    return M.ReduceAny(keep_dims)(input, () if axis is None else axis)


def amax(input, axis=None, keepdims=False):
    return M.ReduceMax(keepdims)(input, () if axis is None else axis)


def amin(input, axis=None, keepdims=False):
    return M.ReduceMin(keepdims)(input, () if axis is None else axis)


_max_dim, _min_dim = A.MaxDim(), A.MinDim()


def max(input, dim=None, keepdim=False, *, initial=None, where=None):  # noqa: A001
    """``(values, Int64 indices)``, also without ``dim`` (MindSpore 2.10 returns a tuple then too)."""
    return _max_dim(input, dim=dim, keepdim=keepdim)


def min(input, dim=None, keepdim=False, *, initial=None, where=None):  # noqa: A001
    return _min_dim(input, dim=dim, keepdim=keepdim)


def argmax(input, dim=None, keepdim=False):
    """Int64 indices; ``dim=None`` means over the flattened input."""
    if dim is None:
        flat = reshape(input, (-1,))
        return A.Argmax(0, mstype.int64)(flat)
    out = A.Argmax(dim, mstype.int64)(input)
    return expand_dims(out, dim) if keepdim else out


def argmin(input, axis=None, keepdims=False):
    if axis is None:
        return A.Argmin(0, mstype.int64)(reshape(input, (-1,)))
    out = A.Argmin(axis, mstype.int64)(input)
    return expand_dims(out, axis) if keepdims else out


_reshape, _transpose, _expand_dims = A.Reshape(), A.Transpose(), A.ExpandDims()


def reshape(input, shape):
    return _reshape(input, shape)


def transpose(input, input_perm):
    return _transpose(input, input_perm)


def permute(input, dims):
    return _transpose(input, dims)


def expand_dims(input_x, axis):
    return _expand_dims(input_x, axis)


def unsqueeze(input, dim):
    return _expand_dims(input, dim)


def squeeze(input, axis=None):
    return A.Squeeze(() if axis is None else axis)(input)


_flatten_ext = A.FlattenExt()


def flatten(input, order="C", *, start_dim=1, end_dim=-1):
    return _flatten_ext(input, start_dim=start_dim, end_dim=end_dim)


def concat(tensors, axis=0):
    return A.Concat(axis)(tuple(tensors))


cat = concat


def stack(tensors, axis=0):
    return A.Stack(axis)(tuple(tensors))


_split_with_size = A.SplitWithSize()


def split(tensor, split_size_or_sections, axis=0):
    return _split_with_size(tensor, split_size_or_sections, axis)


def chunk(input, chunks, axis=0):
    length = input.shape[axis]
    size = -(-length // chunks)
    return split(input, size, axis)


_tile = A.Tile()


def tile(input, dims):
    return _tile(input, dims)


def broadcast_to(input, shape):
    return A.BroadcastTo(shape)(input)


_gather = A.Gather()


def gather(input_params, input_indices, axis, batch_dims=0):
    return _gather(input_params, input_indices, axis)


_select = A.Select()


def where(condition, input=None, other=None):
    return _select(condition, input, other)


def select(cond, x, y):
    return _select(cond, x, y)


_one_hot = A.OneHot()


def one_hot(indices, depth, on_value=1, off_value=0, axis=-1):
    return A.OneHot(axis)(indices, depth, on_value, off_value)


_cast = M.Cast()


def cast(input, dtype):
    return _cast(input, dtype)


def softmax(input, axis=-1, *, dtype=None):
    if dtype is not None:
        input = cast(input, dtype)
    return N.Softmax(axis)(input)


def log_softmax(logits, axis=-1):
    return N.LogSoftmax(axis)(logits)


_ones_like, _zeros_like = A.OnesLike(), A.ZerosLike()


def ones_like(input, *, dtype=None):
    out = _ones_like(input)
    return out if dtype is None else cast(out, dtype)


def zeros_like(input, *, dtype=None):
    out = _zeros_like(input)
    return out if dtype is None else cast(out, dtype)


_fill = A.Fill()


def _size(size):
    if isinstance(size, Tensor):
        return tuple(builtins.int(d) for d in size.asnumpy().reshape(-1))
    return size


def ones(shape, dtype=None):
    return _fill(dtype or mstype.float32, _size(shape), 1)


def zeros(size, dtype=None):
    return _fill(dtype or mstype.float32, _size(size), 0)


def full(size, fill_value, *, dtype=None):
    if dtype is None:
        dtype = mstype.from_numpy_dtype(mstype.result_np_dtype((), (mstype.scalar_rank(fill_value),)))
    return _fill(dtype, _size(size), fill_value)


def fill(type, shape, value):  # noqa: A002
    return _fill(type, shape, value)


def arange(start=0, end=None, step=1, *, dtype=None):
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if dtype is None:
        is_float = builtins.any(isinstance(v, float) for v in values)
        dtype = mstype.float32 if is_float else mstype.int64
    return Tensor._from_raw(jnp.arange(*values, dtype=dtype.np_dtype))


def shape(input_x):
    return A.Shape()(input_x)


def rank(input_x):
    return input_x.ndim


def size(input_x):
    return input_x.size


_assign = A.Assign()


def assign(variable, value):
    return _assign(variable, value)


depend = A.Depend()


def identity(input):
    return A.Identity()(input)


def print_(*input_x):
    """Prints like Python's ``print`` of each argument on its own line, as MindSpore's ``ops.print_`` does."""
    for item in input_x:
        print(item)


def addn(x):
    return M.AddN()(tuple(x))


_stop_gradient = A.StopGradient()


def stop_gradient(value):
    """Blocks gradients through ``value`` (a Tensor, or a tuple/list of them)."""
    if isinstance(value, Tensor):
        return _stop_gradient(value)
    if isinstance(value, (tuple, list)):
        return type(value)(stop_gradient(v) for v in value)
    return value
