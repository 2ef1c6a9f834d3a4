"""MindSpore's dtype objects and its type-promotion rules.

A MindSpore dtype is an object (``mindspore.float32``) whose ``str`` is ``Float32`` and whose ``repr`` is
``mindspore.float32``; msjax keeps the same objects and maps each concrete one to a numpy dtype that JAX can hold
(JAX runs in x64 mode, so every MindSpore dtype has an exact JAX counterpart).

Result dtypes never come from jnp: under x64 jnp promotes ``int32 + 1.5`` to float64, MindSpore to Float32.
``result_type`` below is MindSpore's rule, and every op passes its result dtype explicitly.
"""
from __future__ import annotations

import builtins
import functools

import ml_dtypes
import numpy as np

__all__ = ["Type", "Number", "Bool", "Int", "UInt", "Float", "BFloat", "Complex"]


class Type:
    """Base of every MindSpore dtype object."""

    __slots__ = ("_name", "_repr", "np_dtype", "_hash")

    def __init__(self, name: str, repr_name: str, np_dtype=None):
        self._name = name
        self._repr = "mindspore." + repr_name
        self.np_dtype = None if np_dtype is None else np.dtype(np_dtype)
        self._hash = hash(("mstype", name))

    def __str__(self):
        return self._name

    def __repr__(self):
        return self._repr

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        return self is other or (isinstance(other, Type) and other._name == self._name)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __reduce__(self):
        return (_lookup_by_name, (self._name,))

    @property
    def itemsize(self) -> int:
        return 0 if self.np_dtype is None else self.np_dtype.itemsize

    @property
    def is_floating_point(self) -> bool:
        return isinstance(self, (Float, BFloat)) and self.np_dtype is not None

    @property
    def is_complex(self) -> bool:
        return isinstance(self, Complex) and self.np_dtype is not None

    @property
    def is_signed(self) -> bool:
        return isinstance(self, (Int, Float, BFloat, Complex)) and self.np_dtype is not None

    def to_real(self):
        return {"Complex64": float32, "Complex128": float64}.get(self._name, self)

    def to_complex(self):
        return {"Float32": complex64, "Float64": complex128}.get(self._name, self)


class Number(Type):
    __slots__ = ()


class Bool(Number):
    __slots__ = ()


class Int(Number):
    __slots__ = ()


class UInt(Number):
    __slots__ = ()


class Float(Number):
    __slots__ = ()


class BFloat(Number):
    __slots__ = ()


class Complex(Number):
    __slots__ = ()


class String(Type):
    __slots__ = ()


class TensorType(Type):
    __slots__ = ()


class TypeNone(Type):
    __slots__ = ()


class List(Type):
    __slots__ = ()


class Tuple(Type):
    __slots__ = ()


class Function(Type):
    __slots__ = ()


bool_ = Bool("Bool", "bool", np.bool_)
int8 = Int("Int8", "int8", np.int8)
int16 = Int("Int16", "int16", np.int16)
int32 = Int("Int32", "int32", np.int32)
int64 = Int("Int64", "int64", np.int64)
uint8 = UInt("UInt8", "uint8", np.uint8)
uint16 = UInt("UInt16", "uint16", np.uint16)
uint32 = UInt("UInt32", "uint32", np.uint32)
uint64 = UInt("UInt64", "uint64", np.uint64)
float16 = Float("Float16", "float16", np.float16)
float32 = Float("Float32", "float32", np.float32)
float64 = Float("Float64", "float64", np.float64)
bfloat16 = BFloat("BFloat16", "bfloat16", ml_dtypes.bfloat16)
complex64 = Complex("Complex64", "complex64", np.complex64)
complex128 = Complex("Complex128", "complex128", np.complex128)
float8_e4m3fn = Float("Float8E4M3FN", "float8_e4m3fn", ml_dtypes.float8_e4m3fn)
float8_e5m2 = Float("Float8E5M2", "float8_e5m2", ml_dtypes.float8_e5m2)
qint4x2 = Int("Int4", "int4", ml_dtypes.int4)

# Generic (width-less) types: `float_` is *not* float64 in MindSpore, it is the abstract Float.
float_ = Float("Float", "float")
int_ = Int("Int", "int")
uint = UInt("UInt", "uint")
number = Number("Number", "number")
string = String("String", "string_")
tensor_type = TensorType("Tensor", "tensor")
type_none = TypeNone("None", "type_none")
list_ = List("List", "list_")
tuple_ = Tuple("Tuple", "tuple_")
function = Function("Func", "function")

bool = bool_  # noqa: A001  (MindSpore exports both names)
half, single, double = float16, float32, float64
float = float32  # noqa: A001
int = int32  # noqa: A001
intc, long, short, byte = int32, int64, int16, int8
ubyte, ushort, uintc, intp, uintp = uint8, uint16, uint32, int64, uint64
cfloat, cdouble = complex64, complex128
np_bfloat16 = ml_dtypes.bfloat16

int_type = (int8, int16, int32, int64)
uint_type = (uint8, uint16, uint32, uint64)
float_type = (float16, float32, float64, bfloat16, float8_e4m3fn, float8_e5m2)
complex_type = (complex64, complex128)
signed_type = int_type + (float16, float32, float64, bfloat16) + complex_type
number_type = int_type + uint_type + (float16, float32, float64, bfloat16) + complex_type
all_types = (bool_,) + number_type

_CONCRETE = (bool_,) + number_type + (float8_e4m3fn, float8_e5m2, qint4x2)
_BY_NP = {d.np_dtype: d for d in _CONCRETE}
_BY_NAME = {d._name: d for d in _CONCRETE + (float_, int_, uint, number, string, tensor_type, type_none)}

# Names `Tensor.astype('...')` accepts, as in MindSpore.
_STRING_NAMES = {
    "bool_": bool_, "bool": bool_, "int8": int8, "byte": int8, "int16": int16, "short": int16,
    "int32": int32, "intc": int32, "int64": int64, "long": int64, "intp": int64, "int": int64,
    "uint8": uint8, "ubyte": uint8, "uint16": uint16, "ushort": uint16, "uint32": uint32, "uintc": uint32,
    "uint64": uint64, "uintp": uint64, "float16": float16, "half": float16, "float32": float32,
    "single": float32, "float64": float64, "double": float64, "float": float64, "complex64": complex64,
    "cfloat": complex64, "complex128": complex128, "cdouble": complex128, "bfloat16": bfloat16,
}


def _lookup_by_name(name: str) -> Type:
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype) -> Type:
    """The MindSpore dtype of a numpy/JAX dtype."""
    try:
        return _BY_NP[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(f"msjax has no MindSpore dtype for numpy dtype {np_dtype!r}.") from None


def to_numpy_dtype(dtype: Type) -> np.dtype:
    if dtype.np_dtype is None:
        raise TypeError(f"{dtype!r} is a generic type; a Tensor needs a concrete dtype such as mindspore.float32.")
    return dtype.np_dtype


_NP_SCALAR_TYPES = (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
                    np.float16, np.float32, np.float64, np.complex64, np.complex128)


def as_dtype(spec, *, who: str = "Tensor.astype") -> Type:
    """Convert what ``Tensor.astype`` accepts (a MindSpore dtype, a numpy scalar type, a name) to a dtype."""
    if isinstance(spec, Type):
        return spec
    if isinstance(spec, builtins.str):
        try:
            return _STRING_NAMES[spec]
        except KeyError:
            raise TypeError(f"For {who}, the string input type must be one of {sorted(_STRING_NAMES)}, "
                            f"but got '{spec}'.") from None
    if spec is builtins.float:
        return float64
    if spec is builtins.int:
        return int64
    if spec is builtins.bool:
        return bool_
    if isinstance(spec, type) and issubclass(spec, np.generic) and spec in _NP_SCALAR_TYPES:
        return _BY_NP[np.dtype(spec)]
    raise TypeError(f"For {who}, the input type must be a mindspore dtype (e.g. mindspore.float32), a numpy "
                    f"scalar type or a dtype name, but got '{spec}'.")


def check_tensor_dtype(spec) -> Type:
    """The ``dtype=`` argument of ``Tensor(...)``: MindSpore accepts only its own dtype objects."""
    if isinstance(spec, Type) and spec.np_dtype is not None:
        return spec
    valid = ", ".join(repr(d) for d in number_type + (bool_,))
    name = getattr(spec, "__name__", spec)
    raise TypeError(f"For 'Tensor', the 'dtype' should be one of [{valid}], but got '{name}'.")


def dtype_to_nptype(dtype: Type):
    """numpy scalar type of a MindSpore dtype (``mstype.dtype_to_nptype``)."""
    return to_numpy_dtype(dtype).type


def dtype_to_pytype(dtype: Type):
    if isinstance(dtype, Bool):
        return builtins.bool
    if isinstance(dtype, (Int, UInt)):
        return builtins.int
    if isinstance(dtype, (Float, BFloat)):
        return builtins.float
    if isinstance(dtype, Complex):
        return builtins.complex
    raise NotImplementedError(f"dtype_to_pytype does not support {dtype!r}.")


def pytype_to_dtype(obj) -> Type:
    if isinstance(obj, np.dtype):
        return from_numpy_dtype(obj)
    if not isinstance(obj, type):
        raise TypeError("For 'pytype_to_dtype', the argument 'obj' must be a python type object,such as int, "
                        f"float, str, etc. But got type {type(obj)}.")
    if obj is builtins.bool:
        return bool_
    if obj is builtins.int:
        return int64
    if obj is builtins.float:
        return float64
    if obj is builtins.complex:
        return complex128
    if issubclass(obj, np.generic):
        return from_numpy_dtype(obj)
    raise NotImplementedError(f"pytype_to_dtype does not support {obj}.")


def type_size_in_bytes(dtype: Type) -> builtins.int:
    return dtype.itemsize


# --- promotion -------------------------------------------------------------------------------------------------
#
# Tensor (x) Tensor follows the lattice bool < uint/int < float < complex that MindSpore 2.10 shares with JAX
# (i64+f16 -> f16, u8+i8 -> i16, bf16+f16 -> f32, c64+f64 -> c128); 0-d Tensors are as strong as any Tensor.
# Python and numpy scalars are weak: they only decide the category, never the width, and a scalar of a higher
# category brings that category's default (int -> Int64, float -> Float32, complex -> Complex64).

_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2, "V": 2, "c": 3}  # 'V': ml_dtypes' bfloat16/float8


def _kind_rank(np_dtype: np.dtype) -> builtins.int:
    if np_dtype in (np.dtype(ml_dtypes.bfloat16), np.dtype(ml_dtypes.float8_e4m3fn), np.dtype(ml_dtypes.float8_e5m2)):
        return 2
    return _KIND_RANK[np_dtype.kind]


_DEFAULT_FOR_SCALAR_RANK = {0: np.dtype(np.bool_), 1: np.dtype(np.int64), 2: np.dtype(np.float32),
                            3: np.dtype(np.complex64)}


def _promote_np(a: np.dtype, b: np.dtype) -> np.dtype:
    import jax.numpy as jnp  # local: dtype.py must stay importable before jax is configured
    return np.dtype(jnp.promote_types(a, b))


def scalar_rank(value) -> builtins.int | None:
    """Category rank of a weak (Python or numpy) scalar, or None if ``value`` is not one."""
    if isinstance(value, (builtins.bool, np.bool_)):
        return 0
    if isinstance(value, (builtins.int, np.integer)):
        return 1
    if isinstance(value, (builtins.float, np.floating)):
        return 2
    if isinstance(value, (builtins.complex, np.complexfloating)):
        return 3
    return None


def result_np_dtype(tensor_dtypes, scalar_ranks=()) -> np.dtype:
    """MindSpore's result dtype for Tensors of ``tensor_dtypes`` combined with weak scalars of ``scalar_ranks``."""
    return _result_np_dtype(tuple(tensor_dtypes), tuple(scalar_ranks))


@functools.lru_cache(maxsize=1024)
def _result_np_dtype(tensor_dtypes, scalar_ranks) -> np.dtype:
    result = None
    for d in tensor_dtypes:
        result = d if result is None or result == d else _promote_np(result, d)
    if result is None:
        return _DEFAULT_FOR_SCALAR_RANK[max(scalar_ranks)]
    if scalar_ranks:
        top = max(scalar_ranks)
        if top > _kind_rank(result):
            return _DEFAULT_FOR_SCALAR_RANK[top]
    return result


def default_np_dtype_for_python(value) -> np.dtype:
    """dtype of ``Tensor(value)`` for a Python scalar or nested list (Int64 / Float32 / Bool / Complex128)."""
    rank = scalar_rank(value)
    return {0: np.dtype(np.bool_), 1: np.dtype(np.int64), 2: np.dtype(np.float32),
            3: np.dtype(np.complex128)}[rank]
