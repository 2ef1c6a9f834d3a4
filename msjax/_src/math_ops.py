"""Math ops: elementwise, comparisons, matmul, reductions (``ops.Sin``, ``ops.add``, ``ops.ReduceSum``, ...)."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from . import dtype as mstype
from .primitive import Primitive
from .validation import (check_broadcast, float_result_dtype, ms_dtype_name, normalize_axes, promote,
                         require_dtypes, result_dtype, shape_list)

_FLOATS = ("Float16", "Float32", "Float64", "BFloat16")
_FLOATS_COMPLEX = _FLOATS + ("Complex64", "Complex128")
_NUMBERS = ("Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64") + _FLOATS_COMPLEX


# --- elementwise unary ---------------------------------------------------------------------------------------

class _FloatUnary(Primitive):
    """y = fn(x) for float/complex x; other dtypes are MindSpore's TypeError."""
    inputs = ("input: Tensor",)
    int_grad = True
    allowed = _FLOATS_COMPLEX

    @staticmethod
    def fn(x):
        raise NotImplementedError

    def kernel(self, x):
        require_dtypes(self.name, x, self.allowed)
        return self.fn(x)


class _ToFloatUnary(Primitive):
    """y = fn(x); integer and bool inputs give Float32, as MindSpore's ``ops.sqrt(int32)`` does."""
    inputs = ("input: Tensor",)
    int_grad = True

    @staticmethod
    def fn(x):
        raise NotImplementedError

    def kernel(self, x):
        return self.fn(x.astype(float_result_dtype(x)))


class _SameUnary(Primitive):
    """y = fn(x) keeping x's dtype (numbers; bool refused)."""
    inputs = ("input: Tensor",)
    int_grad = True
    allowed = _NUMBERS

    @staticmethod
    def fn(x):
        raise NotImplementedError

    def kernel(self, x):
        require_dtypes(self.name, x, self.allowed)
        return self.fn(x).astype(x.dtype)


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
Sqrt = _unary(_ToFloatUnary, "Sqrt", jnp.sqrt)
Rsqrt = _unary(_ToFloatUnary, "Rsqrt", jax.lax.rsqrt)
Reciprocal = _unary(_ToFloatUnary, "Reciprocal", jnp.reciprocal)
Floor = _unary(_FloatUnary, "Floor", jnp.floor, allowed=_FLOATS)
Ceil = _unary(_FloatUnary, "Ceil", jnp.ceil, allowed=_FLOATS)
Round = _unary(_SameUnary, "Round", jnp.round)
Neg = _unary(_SameUnary, "Neg", jnp.negative)
Abs = _unary(_SameUnary, "Abs", jnp.abs)
Square = _unary(_SameUnary, "Square", jnp.square)
Sign = _unary(_SameUnary, "Sign", jnp.sign)


class ReLU(Primitive):
    inputs = ("input: Tensor",)
    int_grad = True

    def kernel(self, x):
        require_dtypes(self.name, x, _NUMBERS)
        return jnp.maximum(x, jnp.zeros((), x.dtype))


class IsNan(Primitive):
    inputs = ("input: Tensor",)

    def kernel(self, x):
        return jnp.isnan(x)


class IsInf(Primitive):
    inputs = ("input: Tensor",)

    def kernel(self, x):
        return jnp.isinf(x)


class IsFinite(Primitive):
    inputs = ("input: Tensor",)

    def kernel(self, x):
        return jnp.isfinite(x)


class LogicalNot(Primitive):
    inputs = ("input: Tensor",)

    def kernel(self, x):
        return jnp.logical_not(x)


# --- elementwise binary --------------------------------------------------------------------------------------

class _Binary(Primitive):
    """z = fn(x, y) on MindSpore's promoted dtype, with its broadcast error."""
    inputs = ("input: Number|Tensor", "other: Number|Tensor")
    int_grad = True
    error_name = None            # the name MindSpore's message uses, when it differs from the class name
    operand_names = ("input1", "input2")

    @staticmethod
    def fn(x, y):
        raise NotImplementedError

    def kernel(self, x, y):
        (x, y), dtype = promote(x, y)
        check_broadcast(self.error_name or self.name, x.shape, y.shape, self.operand_names)
        return self.fn(x, y)


class _Compare(_Binary):
    int_grad = False


def _binary(base, name, fn, **extra):
    return type(name, (base,), {"fn": staticmethod(fn), "__module__": __name__, **extra})


Add = _binary(_Binary, "Add", jnp.add, error_name="AddExt", operand_names=("input", "other"))
Sub = _binary(_Binary, "Sub", jnp.subtract)
Mul = _binary(_Binary, "Mul", jnp.multiply)
Maximum = _binary(_Binary, "Maximum", jnp.maximum)
Minimum = _binary(_Binary, "Minimum", jnp.minimum)
FloorDiv = _binary(_Binary, "FloorDiv", jnp.floor_divide, operand_names=("input", "other"))
FloorMod = _binary(_Binary, "FloorMod", jnp.mod)
Equal = _binary(_Compare, "Equal", jnp.equal)
NotEqual = _binary(_Compare, "NotEqual", jnp.not_equal)
Greater = _binary(_Compare, "Greater", jnp.greater)
GreaterEqual = _binary(_Compare, "GreaterEqual", jnp.greater_equal)
Less = _binary(_Compare, "Less", jnp.less)
LessEqual = _binary(_Compare, "LessEqual", jnp.less_equal)
LogicalAnd = _binary(_Compare, "LogicalAnd", jnp.logical_and)
LogicalOr = _binary(_Compare, "LogicalOr", jnp.logical_or)
BitwiseAnd = _binary(_Compare, "BitwiseAnd", jnp.bitwise_and)
BitwiseOr = _binary(_Compare, "BitwiseOr", jnp.bitwise_or)
BitwiseXor = _binary(_Compare, "BitwiseXor", jnp.bitwise_xor)


class RealDiv(_Binary):
    """True division; integer operands give Float32 (``int32 / int32`` is Float32 in MindSpore)."""
    error_name = "Div"

    def kernel(self, x, y):
        target = result_dtype(x, y)
        if target.kind in "biu":
            target = np.dtype(np.float32)
        (x, y), _ = promote(x, y, dtype=target)
        check_broadcast(self.error_name, x.shape, y.shape, self.operand_names)
        return jnp.true_divide(x, y)


Div = type("Div", (RealDiv,), {"__module__": __name__})


class Pow(_Binary):
    def kernel(self, x, y):
        (x, y), _ = promote(x, y)
        check_broadcast(self.name, x.shape, y.shape, self.operand_names)
        return jnp.power(x, y)


class Atan2(_Binary):
    def kernel(self, x, y):
        target = result_dtype(x, y)
        (x, y), _ = promote(x, y, dtype=target if target.kind in "fVc" else np.float32)
        check_broadcast(self.name, x.shape, y.shape, self.operand_names)
        return jnp.arctan2(x, y)


# --- matmul --------------------------------------------------------------------------------------------------

def _type_str(x) -> str:
    return f"Tensor[{ms_dtype_name(x)}]"


class MatMul(Primitive):
    """2-d matrix product, ``MatMul(transpose_a=False, transpose_b=False)(x, y)``."""
    inputs = ("x: Tensor", "y: Tensor")
    attrs = {"transpose_a": False, "transpose_b": False}
    int_grad = True

    def kernel(self, x, y):
        if x.ndim != 2 or y.ndim != 2:
            raise ValueError("MatMul inputs should have the same dimension size and equal to 2.")
        if x.dtype != y.dtype:
            raise TypeError(f"For 'MatMul', the type of 'x2' should be same as 'x1', but got 'x1' with type "
                            f"{_type_str(x)} and 'x2' with type {_type_str(y)}.")
        x_col = x.shape[0] if self.transpose_a else x.shape[1]
        y_row = y.shape[1] if self.transpose_b else y.shape[0]
        if x_col != y_row:
            raise ValueError(f"For 'MatMul' the input dimensions must be equal, but got 'x1_col': {x_col} and "
                             f"'x2_row': {y_row}. And 'x' shape {shape_list(x.shape)}(transpose_a="
                             f"{self.transpose_a}), 'y' shape {shape_list(y.shape)}(transpose_b={self.transpose_b}).")
        if self.transpose_a:
            x = x.T
        if self.transpose_b:
            y = y.T
        return jnp.matmul(x, y, preferred_element_type=x.dtype)


class BatchMatMul(Primitive):
    inputs = ("x: Tensor", "y: Tensor")
    attrs = {"transpose_a": False, "transpose_b": False}
    int_grad = True

    def kernel(self, x, y):
        if x.ndim < 2 or y.ndim < 2:
            raise ValueError(f"For 'BatchMatMul', input 'x' and 'y' must have at least 2 dimensions, but got "
                             f"{x.ndim} and {y.ndim}.")
        if x.dtype != y.dtype:
            raise TypeError(f"For 'BatchMatMul', the type of 'x2' should be same as 'x1', but got 'x1' with type "
                            f"{_type_str(x)} and 'x2' with type {_type_str(y)}.")
        if self.transpose_a:
            x = jnp.swapaxes(x, -1, -2)
        if self.transpose_b:
            y = jnp.swapaxes(y, -1, -2)
        if x.shape[-1] != y.shape[-2]:
            raise ValueError(f"For 'BatchMatMul', x1's last dimension must be equal to x2's second-to-last "
                             f"dimension, but got {x.shape[-1]} and {y.shape[-2]}.")
        check_broadcast("BatchMatMul", x.shape[:-2], y.shape[:-2], ("x", "y"))
        return jnp.matmul(x, y, preferred_element_type=x.dtype)


class MatMulExt(Primitive):
    """``ops.matmul`` / ``@``: numpy-style matmul with broadcasting batch dimensions."""
    inputs = ("input: Tensor", "other: Tensor")
    int_grad = True

    def kernel(self, x, y):
        if x.dtype != y.dtype:
            raise TypeError(f"For 'MatMulExt', the type of 'x2' should be same as 'x1', but got 'x1' with type "
                            f"{_type_str(x)} and 'x2' with type {_type_str(y)}.")
        if x.ndim == 0 or y.ndim == 0:
            raise ValueError("For 'MatMulExt' op, both inputs must be at least 1-D, but got a 0-D tensor.")
        k_x = x.shape[-1]
        k_y = y.shape[-2] if y.ndim > 1 else y.shape[0]
        if k_x != k_y:
            raise RuntimeError(f"For 'MatMulExt' op, shape1[-1] must be equal to shape2[-2], but got {k_x} and {k_y}.")
        if x.ndim > 2 and y.ndim > 2:
            check_broadcast("MatMulExt", x.shape[:-2], y.shape[:-2])
        return jnp.matmul(x, y, preferred_element_type=x.dtype)


# --- reductions ----------------------------------------------------------------------------------------------

class _Reduce(Primitive):
    """``Reduce*(keep_dims=False)(x, axis=())``: () reduces every axis."""
    inputs = ("x: Tensor", "axis: int|tuple[int]|Tensor")
    attrs = {"keep_dims": False}
    int_grad = True

    @staticmethod
    def fn(x, axes, keepdims):
        raise NotImplementedError

    def kernel(self, x, axis=()):
        axes = normalize_axes(self.name, axis, x.ndim)
        return self.fn(x, axes, self.keep_dims)


def _sum(x, axes, keepdims, dtype=None):
    return jnp.sum(x, axis=axes, keepdims=keepdims, dtype=dtype or x.dtype)


class ReduceSum(_Reduce):
    attrs = {"keep_dims": False, "skip_mode": False}
    fn = staticmethod(_sum)


class ReduceMean(_Reduce):
    @staticmethod
    def fn(x, axes, keepdims):
        count = int(np.prod([x.shape[a] for a in axes], dtype=np.int64)) if axes else 1
        if x.dtype.kind in "iub":  # MindSpore keeps integer dtypes for mean (int32.mean() is Int32)
            total = jnp.sum(x, axis=axes, keepdims=keepdims, dtype=np.float64)
            return (total / count).astype(x.dtype)
        return jnp.mean(x, axis=axes, keepdims=keepdims, dtype=x.dtype)


class ReduceMax(_Reduce):
    fn = staticmethod(lambda x, axes, keepdims: jnp.max(x, axis=axes, keepdims=keepdims))


class ReduceMin(_Reduce):
    fn = staticmethod(lambda x, axes, keepdims: jnp.min(x, axis=axes, keepdims=keepdims))


class ReduceProd(_Reduce):
    fn = staticmethod(lambda x, axes, keepdims: jnp.prod(x, axis=axes, keepdims=keepdims, dtype=x.dtype))


class ReduceAll(_Reduce):
    int_grad = False
    fn = staticmethod(lambda x, axes, keepdims: jnp.all(x, axis=axes, keepdims=keepdims))


class ReduceAny(_Reduce):
    int_grad = False
    fn = staticmethod(lambda x, axes, keepdims: jnp.any(x, axis=axes, keepdims=keepdims))


class SumExt(Primitive):
    """``ops.sum(input, dim=None, keepdim=False, *, dtype=None)``: integer and bool inputs sum to Int64."""
    inputs = ("input: Tensor", "dim: None|int|tuple[int]", "keepdim: bool", "dtype: None|dtype")
    int_grad = True

    def kernel(self, x, dim=None, keepdim=False, dtype=None):
        axes = normalize_axes("SumExt", dim, x.ndim)
        if dtype is not None:
            out_dtype = dtype.np_dtype
        elif x.dtype.kind in "biu":
            out_dtype = np.dtype(np.int64)
        else:
            out_dtype = x.dtype
        return jnp.sum(x.astype(out_dtype), axis=axes, keepdims=keepdim, dtype=out_dtype)


class MeanExt(Primitive):
    inputs = ("input: Tensor", "axis: None|int|tuple[int]", "keep_dims: bool", "dtype: None|dtype")
    int_grad = True

    def kernel(self, x, axis=None, keep_dims=False, dtype=None):
        axes = normalize_axes("MeanExt", axis, x.ndim)
        out = ReduceMean.fn(x, axes, keep_dims)
        return out if dtype is None else out.astype(dtype.np_dtype)


class Cast(Primitive):
    """``Cast()(x, dtype)``."""
    inputs = ("input_x: Number|Tensor", "dtype: dtype")
    int_grad = True

    def kernel(self, x, dtype):
        if not isinstance(dtype, mstype.Type):
            raise TypeError(f"For 'Cast', the input 'dtype' should be mindspore dtype, but got {dtype}.")
        return jnp.asarray(x).astype(mstype.to_numpy_dtype(dtype))


class AddN(Primitive):
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
