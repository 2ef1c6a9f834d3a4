"""Math ops: elementwise, comparisons, matmul, reductions (``ops.Sin``, ``ops.add``, ``ops.ReduceSum``, ...).

Accepted dtypes follow MindSpore 2.10. Where its CPU kernels lack a dtype that the op defines and JAX computes
exactly (BFloat16 almost everywhere, UInt16-64 for some ops), msjax accepts it.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from . import dtype as mstype
from .primitive import Primitive
from .validation import (cast, check_broadcast, mul_div_result_dtype, float_result_dtype, ms_dtype_name, normalize_axes, promote,
                         require_dtypes, result_dtype, shape_list)

_FLOATS = ("Float16", "Float32", "Float64", "BFloat16")
_FLOATS_COMPLEX = _FLOATS + ("Complex64", "Complex128")
_SIGNED = ("Int8", "Int16", "Int32", "Int64")
_INTS = _SIGNED + ("UInt8", "UInt16", "UInt32", "UInt64")
_NUMBERS = _INTS + _FLOATS_COMPLEX
_REAL_NUMBERS = _INTS + _FLOATS
_ALL = ("Bool",) + _NUMBERS

# --- elementwise unary ---------------------------------------------------------------------------------------

class _Unary(Primitive):
    """y = fn(x) for x of an ``allowed`` dtype (MindSpore's TypeError otherwise), with dtype ``out_dtype(x)``."""
    compile_eagerly = True
    inputs = ("input: Tensor",)
    int_grad = True
    allowed = _FLOATS_COMPLEX

    @staticmethod
    def fn(x):
        raise NotImplementedError

    def out_dtype(self, x):
        return x.dtype

    def kernel(self, x):
        require_dtypes(self.name, x, self.allowed)
        out_dtype = self.out_dtype(x)
        return cast(self.fn(cast(x, out_dtype)), out_dtype)


class _FloatUnary(_Unary):
    """Float/complex only: ``ops.sin(int32)`` is a TypeError in MindSpore."""


class _ToFloatUnary(_Unary):
    """Integer and bool inputs give Float32, as MindSpore's ``ops.sqrt(int32)`` does."""
    allowed = _ALL

    def out_dtype(self, x):
        return float_result_dtype(x)


class _SameUnary(_Unary):
    """Keeps x's dtype (numbers; bool refused unless listed)."""
    allowed = _NUMBERS


class _Predicate(_Unary):
    """Elementwise test giving Bool."""
    int_grad = False
    allowed = _ALL

    def kernel(self, x):
        require_dtypes(self.name, x, self.allowed)
        return self.fn(x)


def _unary(base, name, fn, **extra):
    return type(name, (base,), {"fn": staticmethod(fn), "__module__": __name__, **extra})


Sin = _unary(_FloatUnary, "Sin", jnp.sin)
Cos = _unary(_FloatUnary, "Cos", jnp.cos)
Tan = _unary(_FloatUnary, "Tan", jnp.tan)
Exp = _unary(_FloatUnary, "Exp", jnp.exp)
Log = _unary(_FloatUnary, "Log", jnp.log)
Log1p = _unary(_FloatUnary, "Log1p", jnp.log1p)
Expm1 = _unary(_FloatUnary, "Expm1", jnp.expm1)
Tanh = _unary(_FloatUnary, "Tanh", jnp.tanh)
Sigmoid = _unary(_FloatUnary, "Sigmoid", jax.nn.sigmoid)
Erf = _unary(_FloatUnary, "Erf", jax.scipy.special.erf, allowed=_FLOATS)
Asin = _unary(_FloatUnary, "Asin", jnp.arcsin)
Acos = _unary(_FloatUnary, "ACos", jnp.arccos)
Atan = _unary(_FloatUnary, "Atan", jnp.arctan)
Sinh = _unary(_FloatUnary, "Sinh", jnp.sinh)
Cosh = _unary(_FloatUnary, "Cosh", jnp.cosh)
Softplus = _unary(_FloatUnary, "Softplus", jax.nn.softplus, allowed=_FLOATS)
Rsqrt = _unary(_FloatUnary, "Rsqrt", jax.lax.rsqrt)
Floor = _unary(_FloatUnary, "Floor", jnp.floor, allowed=_FLOATS)
Ceil = _unary(_FloatUnary, "Ceil", jnp.ceil, allowed=_FLOATS)
Sqrt = _unary(_ToFloatUnary, "Sqrt", jnp.sqrt)
Reciprocal = _unary(_ToFloatUnary, "Reciprocal", jnp.reciprocal)
Round = _unary(_SameUnary, "Round", jnp.round, allowed=_REAL_NUMBERS)  # half to even, as MindSpore
Neg = _unary(_SameUnary, "Neg", jnp.negative)
Square = _unary(_SameUnary, "Square", jnp.square)
Sign = _unary(_SameUnary, "Sign", jnp.sign, allowed=_SIGNED + _FLOATS_COMPLEX)  # MindSpore refuses unsigned, Bool
Abs = _unary(_SameUnary, "Abs", jnp.abs, allowed=_ALL)  # Bool is kept as is
# where, not maximum: MindSpore's ReLU(NaN) is 0 and its gradient at 0 is 0 (maximum's is 0.5)
ReLU = _unary(_SameUnary, "ReLU", lambda x: jnp.where(x > 0, x, np.zeros((), x.dtype)),
              allowed=("Bool",) + _REAL_NUMBERS)
IsNan = _unary(_Predicate, "IsNan", jnp.isnan)
IsInf = _unary(_Predicate, "IsInf", jnp.isinf)  # MindSpore's CPU kernel refuses integers; msjax gives False
IsFinite = _unary(_Predicate, "IsFinite", jnp.isfinite)
LogicalNot = _unary(_Predicate, "LogicalNot", jnp.logical_not)


# --- elementwise binary --------------------------------------------------------------------------------------

class _Binary(Primitive):
    """z = fn(x, y) on MindSpore's promoted dtype, with its dtype and broadcast errors."""
    compile_eagerly = True
    inputs = ("input: Number|Tensor", "other: Number|Tensor")
    int_grad = True
    error_name = None            # the name MindSpore's messages use, when it differs from the class name
    operand_names = ("input1", "input2")
    allowed = _ALL               # dtypes the promoted operands may have
    bool_fn = None               # the op on Bool operands where MindSpore defines one (``True + True`` is True)
    weak_zero_d = False          # Mul and Div: see `validation.mul_div_result_dtype`

    @staticmethod
    def fn(x, y):
        raise NotImplementedError

    def out_dtype(self, dtype):
        return dtype

    def operands(self, x, y):
        """x and y promoted to their common dtype, after MindSpore's dtype and broadcast checks."""
        op = self.error_name or self.name
        dtype = mul_div_result_dtype(x, y) if self.weak_zero_d else result_dtype(x, y)
        require_dtypes(op, np.empty((), dtype), self.allowed)
        (x, y), _ = promote(x, y, dtype=dtype)
        check_broadcast(op, x.shape, y.shape, self.operand_names)
        return x, y, dtype

    def kernel(self, x, y):
        x, y, dtype = self.operands(x, y)
        if dtype == np.bool_ and self.bool_fn is not None:
            return self.bool_fn(x, y)
        out_dtype = self.out_dtype(dtype)
        return cast(self.fn(cast(x, out_dtype), cast(y, out_dtype)), out_dtype)


class _Compare(_Binary):
    """Comparisons and logical ops: Bool results, no gradient."""
    int_grad = False

    def kernel(self, x, y):
        x, y, _ = self.operands(x, y)
        return self.fn(x, y)


def _binary(base, name, fn, **extra):
    if "bool_fn" in extra:
        extra["bool_fn"] = staticmethod(extra["bool_fn"])
    return type(name, (base,), {"fn": staticmethod(fn), "__module__": __name__, **extra})


def _int_pow(x, y):
    """MindSpore's integer power: a negative exponent gives 0, except for bases 1 and -1."""
    if x.dtype.kind not in "iu":
        return jnp.power(x, y)
    negative = y < 0
    out = jnp.power(x, jnp.where(negative, 0, y))
    unit = jnp.where(x == 1, 1, jnp.where((x == -1) & (y % 2 == 0), 1, jnp.where(x == -1, -1, 0)))
    return jnp.where(negative, unit.astype(x.dtype), out)


_TENSOR_FIRST = ("input: Tensor", "other: Number|Tensor")

Add = _binary(_Binary, "Add", jnp.add, allowed=_NUMBERS)
Sub = _binary(_Binary, "Sub", jnp.subtract, allowed=_NUMBERS)
# `x + y` / `x - y` run AddExt/SubExt, which MindSpore also defines on Bool (or / xor).
AddExt = _binary(_Binary, "AddExt", jnp.add, operand_names=("input", "other"), bool_fn=jnp.logical_or)
SubExt = _binary(_Binary, "SubExt", jnp.subtract, operand_names=("input", "other"), bool_fn=jnp.logical_xor)
Mul = _binary(_Binary, "Mul", jnp.multiply, bool_fn=jnp.logical_and, weak_zero_d=True)
Maximum = _binary(_Binary, "Maximum", jnp.maximum, allowed=("Bool",) + _REAL_NUMBERS, bool_fn=jnp.logical_or)
Minimum = _binary(_Binary, "Minimum", jnp.minimum, allowed=("Bool",) + _REAL_NUMBERS, bool_fn=jnp.logical_and)
FloorDiv = _binary(_Binary, "FloorDiv", jnp.floor_divide, operand_names=("input", "other"),  # Bool: x // False is x
                   bool_fn=lambda x, y: jnp.broadcast_to(x, jnp.broadcast_shapes(x.shape, y.shape)))
FloorMod = _binary(_Binary, "FloorMod", jnp.mod, allowed=_REAL_NUMBERS)
Pow = _binary(_Binary, "Pow", _int_pow, allowed=_NUMBERS)
Equal = _binary(_Compare, "Equal", jnp.equal, inputs=_TENSOR_FIRST)
NotEqual = _binary(_Compare, "NotEqual", jnp.not_equal, operand_names=("input", "other"))
Greater = _binary(_Compare, "Greater", jnp.greater)
GreaterEqual = _binary(_Compare, "GreaterEqual", jnp.greater_equal)
Less = _binary(_Compare, "Less", jnp.less, inputs=_TENSOR_FIRST)
LessEqual = _binary(_Compare, "LessEqual", jnp.less_equal)
LogicalAnd = _binary(_Compare, "LogicalAnd", jnp.logical_and, inputs=("x: Tensor|bool", "y: Tensor|bool"))
LogicalOr = _binary(_Compare, "LogicalOr", jnp.logical_or, inputs=("x: Tensor|bool", "y: Tensor|bool"))


class _Bitwise(_Binary):
    allowed = ("Bool",) + _INTS
    int_grad = False


BitwiseAnd = _binary(_Bitwise, "BitwiseAnd", jnp.bitwise_and)
BitwiseOr = _binary(_Bitwise, "BitwiseOr", jnp.bitwise_or)
BitwiseXor = _binary(_Bitwise, "BitwiseXor", jnp.bitwise_xor)


class Div(_Binary):
    """True division (``ops.div``, ``/``): integer and bool operands give Float32."""
    weak_zero_d = True

    @staticmethod
    def fn(x, y):
        return jnp.true_divide(x, y)

    def out_dtype(self, dtype):
        return dtype if dtype.kind in "fVc" else np.dtype(np.float32)


class RealDiv(_Binary):
    """``RealDiv``: division in the promoted dtype; integers truncate (``7 / -2`` is -3)."""
    allowed = _NUMBERS

    @staticmethod
    def fn(x, y):
        return jax.lax.div(x, y) if x.dtype.kind in "iu" else jnp.true_divide(x, y)


class DivMod(_Binary):
    """``ops.div(x, y, rounding_mode='trunc'|'floor')``: rounded quotient in the promoted dtype."""
    inputs = ("x: Number|Tensor", "y: Number|Tensor", "rounding_mode: any")
    allowed = _REAL_NUMBERS

    def kernel(self, x, y, rounding_mode=None):
        fn = {"trunc": _trunc_div, "floor": jnp.floor_divide}.get(rounding_mode)
        if fn is None:
            raise ValueError(f"For 'DivMod', 'rounding_mode' must be 'floor' or 'trunc', but got {rounding_mode!r}.")
        x, y, dtype = self.operands(x, y)
        return cast(fn(x, y), dtype)


def _trunc_div(x, y):
    return jax.lax.div(x, y) if x.dtype.kind in "iu" else jnp.trunc(jnp.true_divide(x, y))


class Atan2(_Binary):
    allowed = _FLOATS

    @staticmethod
    def fn(x, y):
        return jnp.arctan2(x, y)


# --- matmul --------------------------------------------------------------------------------------------------

def _type_str(x) -> str:
    return f"Tensor[{ms_dtype_name(x)}]"


def _check_same_dtype(op, x, y):
    if x.dtype != y.dtype:
        raise TypeError(f"For '{op}', the type of 'x2' should be same as 'x1', but got 'x1' with type "
                        f"{_type_str(x)} and 'x2' with type {_type_str(y)}.")
    require_dtypes(op, x, _NUMBERS)


def _matmul(x, y):
    return jnp.matmul(x, y, preferred_element_type=x.dtype)


class MatMul(Primitive):
    """2-d matrix product, ``MatMul(transpose_a=False, transpose_b=False)(x, y)``."""
    compile_eagerly = True
    inputs = ("input: Tensor", "mat2: Tensor")
    attrs = {"transpose_a": False, "transpose_b": False}
    int_grad = True

    def kernel(self, x, y):
        if x.ndim != 2 or y.ndim != 2:
            raise ValueError(f"MatMul inputs should have the same dimension size and equal to 2, but got shapes "
                             f"{shape_list(x.shape)} and {shape_list(y.shape)}.")
        _check_same_dtype("MatMul", x, y)
        x_col = x.shape[0] if self.transpose_a else x.shape[1]
        y_row = y.shape[1] if self.transpose_b else y.shape[0]
        if x_col != y_row:
            raise ValueError(f"For 'MatMul' the input dimensions must be equal, but got 'x1_col': {x_col} and "
                             f"'x2_row': {y_row}. And 'x' shape {shape_list(x.shape)}(transpose_a="
                             f"{self.transpose_a}), 'y' shape {shape_list(y.shape)}(transpose_b={self.transpose_b}).")
        return _matmul(x.T if self.transpose_a else x, y.T if self.transpose_b else y)


class BatchMatMul(Primitive):
    """Batched matrix product; batch dimensions broadcast (MindSpore's CPU/GPU kernels require equal ones)."""
    compile_eagerly = True
    inputs = ("x: Tensor", "y: Tensor")
    attrs = {"transpose_a": False, "transpose_b": False}
    int_grad = True

    def kernel(self, x, y):
        for name, v in (("x", x), ("y", y)):
            if v.ndim < 2:
                raise ValueError(f"For 'BatchMatMul', the input '{name}' must be a 2D or higher dimensional Tensor, "
                                 f"but got {v.ndim}D shape {shape_list(v.shape)}.")
        _check_same_dtype("BatchMatMul", x, y)
        a = jnp.swapaxes(x, -1, -2) if self.transpose_a else x
        b = jnp.swapaxes(y, -1, -2) if self.transpose_b else y
        if a.shape[-1] != b.shape[-2]:
            raise ValueError(f"For 'BatchMatMul', the row of the input 'y' should be same as the col of the input "
                             f"'x', with x shape {shape_list(x.shape)}(transpose_a={self.transpose_a}), y shape "
                             f"{shape_list(y.shape)}(transpose_b={self.transpose_b}).")
        check_broadcast("BatchMatMul", a.shape[:-2], b.shape[:-2], ("x", "y"))
        return _matmul(a, b)


class MatMulExt(Primitive):
    """``ops.matmul`` / ``@``: numpy-style matmul with broadcasting batch dimensions."""
    compile_eagerly = True
    inputs = ("input: Tensor", "other: Tensor")
    int_grad = True

    def kernel(self, x, y):
        if x.ndim == 0 or y.ndim == 0:
            raise ValueError(f"For 'MatMulExt' op, inputs must be all tensors and rank >= 1, but got shapes "
                             f"{shape_list(x.shape)} and {shape_list(y.shape)}.")
        _check_same_dtype("MatMulExt", x, y)
        k_x = x.shape[-1]
        k_y = y.shape[-2] if y.ndim > 1 else y.shape[0]
        if k_x != k_y:
            if y.ndim == 1:  # MindSpore runs a matrix-vector product as MatMul, whose error this is
                raise ValueError(f"For 'MatMul' the input dimensions must be equal, but got 'x1_col': {k_x} and "
                                 f"'x2_row': {k_y} (shapes {shape_list(x.shape)} and {shape_list(y.shape)}).")
            raise RuntimeError(f"For 'MatMulExt' op, shape1[-1] must be equal to shape2[-2], but got {k_x} and "
                               f"{k_y} (shapes {shape_list(x.shape)} and {shape_list(y.shape)}).")
        batch_x, batch_y = x.shape[:-2], y.shape[:-2]
        try:
            check_broadcast("MatMulExt", batch_x, batch_y)
        except ValueError:
            raise RuntimeError(f"For 'MatMulExt' op,  shape1 and shape2 must be broadcastable, but got "
                               f"{shape_list(x.shape)} and {shape_list(y.shape)}.") from None
        return _matmul(x, y)


# --- reductions ----------------------------------------------------------------------------------------------

def reduce_axes(op: str, axis, ndim: int):
    """Sorted reduction axes (``()`` and None: all); a repeated axis is MindSpore's RuntimeError."""
    if isinstance(axis, (list, tuple)) and axis:
        axes = [normalize_axes(op, a, ndim)[0] for a in axis]
        for a in axes:
            if axes.count(a) > 1:
                raise RuntimeError(f"For '{op}', dim={a} appears multiple times in the list of dims {tuple(axis)}.")
        return tuple(sorted(axes))
    return normalize_axes(op, axis, ndim)


class _Reduce(Primitive):
    """``Reduce*(keep_dims=False)(x, axis=())``: () reduces every axis."""
    compile_eagerly = True
    inputs = ("x: Tensor", "axis: int|tuple[int]|Tensor")
    attrs = {"keep_dims": False}
    int_grad = True
    allowed = _ALL

    @staticmethod
    def fn(x, axes, keepdims):
        raise NotImplementedError

    def kernel(self, x, axis=()):
        require_dtypes(self.name, x, self.allowed)
        return self.fn(x, reduce_axes(self.name, axis, x.ndim), self.keep_dims)


def _mean(x, axes, keepdims):
    if x.dtype == np.bool_:
        raise RuntimeError("For 'ReduceMean', unsupported reduce operation for bool. Cast the input to a number "
                           "dtype first, e.g. x.astype(mindspore.float32).")
    if x.dtype.kind in "iu":  # MindSpore keeps integer dtypes for mean, truncating (int32.mean() is Int32)
        count = int(np.prod([x.shape[a] for a in axes], dtype=np.int64)) if axes else 1
        total = jnp.sum(x, axis=axes, keepdims=keepdims, dtype=np.float64)
        return (total / count).astype(x.dtype)
    return jnp.mean(x, axis=axes, keepdims=keepdims, dtype=x.dtype)


class ReduceSum(_Reduce):
    attrs = {"keep_dims": False, "skip_mode": False}
    fn = staticmethod(lambda x, axes, keepdims: jnp.sum(x, axis=axes, keepdims=keepdims, dtype=x.dtype))


class ReduceMean(_Reduce):
    fn = staticmethod(_mean)


class ReduceMax(_Reduce):
    allowed = _REAL_NUMBERS
    fn = staticmethod(lambda x, axes, keepdims: jnp.max(x, axis=axes, keepdims=keepdims))


class ReduceMin(_Reduce):
    allowed = _REAL_NUMBERS
    fn = staticmethod(lambda x, axes, keepdims: jnp.min(x, axis=axes, keepdims=keepdims))


class ReduceProd(_Reduce):
    fn = staticmethod(lambda x, axes, keepdims: jnp.prod(x, axis=axes, keepdims=keepdims, dtype=x.dtype))


class ReduceAll(_Reduce):
    int_grad = False
    fn = staticmethod(lambda x, axes, keepdims: jnp.all(x, axis=axes, keepdims=keepdims))


class ReduceAny(_Reduce):
    int_grad = False
    fn = staticmethod(lambda x, axes, keepdims: jnp.any(x, axis=axes, keepdims=keepdims))


def _ext_dtype(x, dtype):
    """``ops.sum``/``ops.prod`` result dtype: ``dtype`` when given, else integers and Bool widen to Int64."""
    if dtype is not None:
        return mstype.to_numpy_dtype(dtype)
    return np.dtype(np.int64) if x.dtype.kind in "biu" else x.dtype


class SumExt(Primitive):
    """``ops.sum(input, dim=None, keepdim=False, *, dtype=None)``: integer and bool inputs sum to Int64."""
    compile_eagerly = True
    inputs = ("input: Tensor", "dim: None|int|tuple[int]", "keepdim: bool", "dtype: None|dtype")
    int_grad = True

    def kernel(self, x, dim=None, keepdim=False, dtype=None):
        out_dtype = _ext_dtype(x, dtype)
        return jnp.sum(cast(x, out_dtype), axis=reduce_axes("SumExt", dim, x.ndim), keepdims=keepdim,
                       dtype=out_dtype)


class ProdExt(Primitive):
    """``ops.prod(input, axis=None, keep_dims=False, dtype=None)``: integer and bool inputs give Int64."""
    compile_eagerly = True
    inputs = ("input: Tensor", "axis: None|int", "keep_dims: bool", "dtype: None|dtype")
    int_grad = True

    def kernel(self, x, axis=None, keep_dims=False, dtype=None):
        out_dtype = _ext_dtype(x, dtype)
        return jnp.prod(cast(x, out_dtype), axis=reduce_axes("ProdExt", axis, x.ndim), keepdims=keep_dims,
                        dtype=out_dtype)


class Cast(Primitive):
    """``Cast()(x, dtype)``."""
    compile_eagerly = True
    inputs = ("input: Number|Tensor", "dtype: dtype")
    int_grad = True

    def kernel(self, x, dtype):
        if not isinstance(dtype, mstype.Type):
            raise TypeError(f"For 'Cast', the input 'dtype' should be mindspore dtype, but got {dtype}.")
        return cast(jnp.asarray(x), mstype.to_numpy_dtype(dtype))


class AddN(Primitive):
    compile_eagerly = True
    inputs = ("x: tuple[Tensor]",)
    int_grad = True

    def kernel(self, xs):
        if not xs:
            raise ValueError("For 'AddN', the input must not be empty.")
        total = xs[0]
        for x in xs[1:]:
            check_broadcast("AddN", total.shape, x.shape)
            total = total + x
        return total
