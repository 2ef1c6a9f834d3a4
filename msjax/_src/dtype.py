"""MindSpore's dtype objects and its type-promotion rules.

A MindSpore dtype is an object (``mindspore.float32``) whose ``str`` is ``Float32`` and whose ``repr`` is
``mindspore.float32``; msjax keeps the same objects and maps each concrete one to a numpy dtype that JAX can hold
(JAX runs in x64 mode, so every MindSpore dtype has an exact JAX counterpart).

Result dtypes never come from jnp: under x64 jnp promotes ``int32 + 1.5`` to float64, MindSpore to Float32.
``result_np_dtype`` below is MindSpore's rule, and every op passes its result dtype explicitly.
"""
from __future__ import annotations

import builtins
import enum
import functools
import inspect

import ml_dtypes
import numpy as np

__all__ = ["Type", "Number", "Bool", "Int", "UInt", "Float", "BFloat", "Complex"]


class Type:
    """Base of every MindSpore dtype object.

    Dtypes are singletons compared by name. ``Int(32)`` / ``Float(16)`` / ``Float()`` return the registered
    object, as MindSpore's classes do; msjax builds its own objects with `_define`.
    """

    __slots__ = ("_name", "_repr", "np_dtype", "_hash")

    def __new__(cls, *args):
        try:
            return _BY_CLASS_ARGS[(cls, args)]
        except KeyError:
            raise TypeError(f"{cls.__name__}{args} is not a MindSpore dtype.") from None

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


def _define(cls, name: str, repr_name: str, np_dtype=None, args=None):
    """Create and register one dtype object; ``args`` is what ``cls(*args)`` returns it for."""
    obj = object.__new__(cls)
    obj._name = name
    obj._repr = "mindspore." + repr_name
    obj.np_dtype = None if np_dtype is None else np.dtype(np_dtype)
    obj._hash = hash(("mstype", name))
    if args is not None:
        _BY_CLASS_ARGS[(cls, args)] = obj
    return obj


_BY_CLASS_ARGS: dict = {}


class Number(Type):
    """Numeric dtypes: the only ones with width and kind properties (``ms.string.itemsize`` is AttributeError)."""

    __slots__ = ()

    @property
    def itemsize(self) -> int:
        return 1 if self.np_dtype is None else self.np_dtype.itemsize  # generic ones (Float, Int) report 1

    @property
    def is_floating_point(self) -> bool:
        return isinstance(self, (Float, BFloat))

    @property
    def is_complex(self) -> bool:
        return isinstance(self, Complex)

    @property
    def is_signed(self) -> bool:
        return isinstance(self, (Int, Float, BFloat, Complex))

    def to_real(self):
        if self.np_dtype is None and self is not hifloat8:
            raise TypeError(f"Cannot convert type {self._repr[10:]} to real type.")
        return {"Complex64": float32, "Complex128": float64}.get(self._name, self)

    def to_complex(self):
        if isinstance(self, Complex):
            return self
        try:
            return {"Float32": complex64, "Float64": complex128, "BFloat16": complex64}[self._name]
        except KeyError:
            raise TypeError(f"Cannot convert type {self._repr[10:]} to complex type.") from None


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
    """``mstype.tensor_type``, or ``TensorType(ms.float32)`` (repr ``mindspore.tensor[float32]``)."""

    __slots__ = ()

    def __new__(cls, element=None):
        if element is None:
            return tensor_type
        return _define(cls, f"Tensor[{element}]", f"tensor[{element._repr[10:]}]")


class TypeNone(Type):
    __slots__ = ()


class List(Type):
    __slots__ = ()


class Tuple(Type):
    __slots__ = ()


class Dict(Type):
    __slots__ = ()


class Slice(Type):
    __slots__ = ()


class Function(Type):
    __slots__ = ()


class TypeType(Type):
    __slots__ = ()


bool_ = _define(Bool, "Bool", "bool", np.bool_, args=())
int8 = _define(Int, "Int8", "int8", np.int8, args=(8,))
int16 = _define(Int, "Int16", "int16", np.int16, args=(16,))
int32 = _define(Int, "Int32", "int32", np.int32, args=(32,))
int64 = _define(Int, "Int64", "int64", np.int64, args=(64,))
uint8 = _define(UInt, "UInt8", "uint8", np.uint8, args=(8,))
uint16 = _define(UInt, "UInt16", "uint16", np.uint16, args=(16,))
uint32 = _define(UInt, "UInt32", "uint32", np.uint32, args=(32,))
uint64 = _define(UInt, "UInt64", "uint64", np.uint64, args=(64,))
float16 = _define(Float, "Float16", "float16", np.float16, args=(16,))
float32 = _define(Float, "Float32", "float32", np.float32, args=(32,))
float64 = _define(Float, "Float64", "float64", np.float64, args=(64,))
bfloat16 = _define(BFloat, "BFloat16", "bfloat16", ml_dtypes.bfloat16, args=(16,))
complex64 = _define(Complex, "Complex64", "complex64", np.complex64, args=(64,))
complex128 = _define(Complex, "Complex128", "complex128", np.complex128, args=(128,))
float8_e4m3fn = _define(Float, "Float8E4M3FN", "float8_e4m3fn", ml_dtypes.float8_e4m3fn)
float8_e5m2 = _define(Float, "Float8E5M2", "float8_e5m2", ml_dtypes.float8_e5m2)
hifloat8 = _define(Float, "HiFloat8", "hifloat8")  # Ascend's 8-bit float: no numpy/JAX counterpart
qint4x2 = _define(Int, "Int4", "int4", ml_dtypes.int4, args=(4,))

# Generic (width-less) types: `float_` is *not* float64 in MindSpore, it is the abstract Float.
float_ = _define(Float, "Float", "float", args=())
int_ = _define(Int, "Int", "int", args=())
uint = _define(UInt, "UInt", "uint", args=())
number = _define(Number, "Number", "number", args=())
string = _define(String, "String", "string_", args=())
tensor_type = _define(TensorType, "Tensor", "tensor")
type_none = _define(TypeNone, "None", "type_none", args=())
list_ = _define(List, "List", "list_", args=())
tuple_ = _define(Tuple, "Tuple", "tuple_", args=())
function = _define(Function, "Func", "function", args=())
type_type = _define(TypeType, "TypeType", "type_type", args=())

bool = bool_  # noqa: A001  (MindSpore exports both names)
half, single, double = float16, float32, float64
float = float32  # noqa: A001
int = int32  # noqa: A001
intc, long, short, byte = int32, int64, int16, int8
ubyte, ushort, uintc, intp, uintp = uint8, uint16, uint32, int64, uint64
cfloat, cdouble = complex64, complex128
np_bfloat16 = ml_dtypes.bfloat16

_LOW_PRECISION = (qint4x2, float8_e4m3fn, float8_e5m2, hifloat8)
int_type = (int8, int16, int32, int64)
uint_type = (uint8, uint16, uint32, uint64)
float_type = (float16, float32, float64, bfloat16, float8_e4m3fn, float8_e5m2, hifloat8)
complex_type = (complex64, complex128)
signed_type = int_type + (float16, float32, float64, bfloat16) + complex_type + _LOW_PRECISION
number_type = int_type + uint_type + (float16, float32, float64, bfloat16) + complex_type + _LOW_PRECISION
all_types = (bool_,) + number_type

_CONCRETE = (bool_,) + number_type[:-1]  # all but hifloat8
_BY_NP = {d.np_dtype: d for d in _CONCRETE}
_BY_NAME = {d._name: d for d in _CONCRETE + (hifloat8, float_, int_, uint, number, string, tensor_type, type_none,
                                             list_, tuple_, function, type_type)}


class _QuantDtype(enum.Enum):
    def __str__(self):
        return self.name

    def value(self) -> builtins.int:  # a method in MindSpore, not Enum's property
        return self._value_


# ``mindspore.QuantDtype``: quantization data types INT1..INT16 (0..15) and UINT1..UINT16 (100..115).
QuantDtype = _QuantDtype("QuantDtype", [(f"INT{n}", n - 1) for n in range(1, 17)]
                         + [(f"UINT{n}", n + 99) for n in range(1, 17)], module="mindspore.common.dtype")


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


# --- conversions (mindspore.common.dtype's functions) ------------------------------------------------------------

_SIMPLE_TYPES = {
    list: list_, tuple: tuple_, type(None): type_none, builtins.bool: bool_, builtins.int: int64,
    builtins.float: float64, builtins.complex: complex128, builtins.str: string, np.bool_: bool_, np.str_: string,
    np.int8: int8, np.int16: int16, np.int32: int32, np.int64: int64, np.uint8: uint8, np.uint16: uint16,
    np.uint32: uint32, np.uint64: uint64, np.float16: float16, np.float32: float32, np.float64: float64,
}


def pytype_to_dtype(obj) -> Type:
    if isinstance(obj, np.dtype):
        obj = obj.type
    if isinstance(obj, Type):
        return obj
    if not isinstance(obj, type):
        raise TypeError("For 'pytype_to_dtype', the argument 'obj' must be a python type object,such as int, "
                        f"float, str, etc. But got type {type(obj)}.")
    try:
        return _SIMPLE_TYPES[obj]
    except KeyError:
        raise NotImplementedError(f"The python type {obj} cannot be converted to MindSpore type.") from None


def get_py_obj_dtype(obj) -> Type:
    from .tensor import Tensor  # local: tensor.py imports this module
    if isinstance(obj, Tensor):
        return TensorType(obj.dtype)
    if hasattr(obj, "__primitive_flag__") or hasattr(obj, "construct") or inspect.isfunction(obj):
        return function
    if isinstance(obj, Type):
        return type_type
    return pytype_to_dtype(obj if isinstance(obj, type) else type(obj))


def dtype_to_nptype(dtype: Type):
    """numpy scalar type of a MindSpore dtype (KeyError for others, as in MindSpore)."""
    if dtype in _CONCRETE[:15]:
        return dtype.np_dtype.type
    raise KeyError(dtype)


_PYTYPES = {bool_: builtins.bool, list_: list, tuple_: tuple, string: builtins.str, type_none: type(None)}


def dtype_to_pytype(dtype: Type):
    if dtype in _PYTYPES:
        return _PYTYPES[dtype]
    if dtype in (int_,) + int_type + uint_type:
        return builtins.int
    if dtype in (float_, float16, float32, float64, bfloat16):
        return builtins.float
    if dtype in complex_type:
        return builtins.complex
    raise KeyError(dtype)


def type_size_in_bytes(dtype: Type) -> builtins.int:
    if not isinstance(dtype, Type):
        raise TypeError("The argument `dtype` should be instance of ", Type)
    return dtype.itemsize if isinstance(dtype, Number) else 0


# `Tensor.astype('name')` lower-cases the name, checks it against MindSpore's list of dtype names and looks it up
# with numpy (1.x semantics): what numpy cannot parse is a TypeError, what MindSpore cannot map is
# NotImplementedError (complex and bfloat16 names).
_ASTYPE_NAMES = {
    "bool_": bool_, "bool": bool_, "int8": int8, "byte": int8, "int16": int16, "short": int16, "int32": int32,
    "intc": int32, "int64": int64, "long": int64, "intp": int64, "int": int64, "int_": int64, "uint8": uint8,
    "ubyte": uint8, "uint16": uint16, "ushort": uint16, "uint32": uint32, "uintc": uint32, "uint64": uint64,
    "uintp": uint64, "uint": uint64, "float16": float16, "half": float16, "float32": float32, "single": float32,
    "float64": float64, "double": float64, "float": float64, "float_": float64,
}
_ASTYPE_UNMAPPED = ("complex64", "cfloat", "complex128", "cdouble", "bfloat16")
_ASTYPE_UNPARSED = ("qint4x2", "float8_e4m3fn", "float8_e5m2", "hifloat8", "list_", "tuple_", "string", "number",
                    "tensor_type", "type_none", "_null")
_CASTABLE = (bool_,) + number_type[:14]  # MindSpore's CPU Cast has no kernel for int4 / float8 / hifloat8


def as_dtype(spec, *, who: str = "Tensor.astype") -> Type:
    """Convert what ``Tensor.astype`` accepts (a MindSpore dtype, a Python/numpy type, a name) to a dtype."""
    if isinstance(spec, builtins.str):
        name = spec.lower()
        if name in _ASTYPE_NAMES:
            return _ASTYPE_NAMES[name]
        if name in _ASTYPE_UNMAPPED:
            raise NotImplementedError(f"The python type {name} cannot be converted to MindSpore type.")
        if name in _ASTYPE_UNPARSED:
            raise TypeError(f"data type '{name}' not understood")
        raise TypeError(f"For {who}, the string input type must be one of "
                        f"{sorted(_ASTYPE_NAMES) + list(_ASTYPE_UNMAPPED)}, but got '{spec}'.")
    if isinstance(spec, type):
        dtype = pytype_to_dtype(spec)
    elif isinstance(spec, Type) and spec in all_types:
        dtype = spec
    else:
        raise TypeError(f"For {who}, the input type must be one of {list(all_types)}, but got '{spec}'.")
    if dtype not in _CASTABLE:
        raise TypeError(f"For '{who}', casting to {dtype} is not supported.")
    return dtype


def check_tensor_dtype(spec) -> Type:
    """The ``dtype=`` argument of ``Tensor(...)``: MindSpore accepts only its own (concrete) dtype objects."""
    if isinstance(spec, Type) and spec.np_dtype is not None:
        return spec
    valid = ", ".join(repr(d) for d in number_type + (bool_,))
    name = getattr(spec, "__name__", spec)
    raise TypeError(f"For 'Tensor', the 'dtype' should be one of [{valid}], but got '{name}'.")


# --- promotion -------------------------------------------------------------------------------------------------
#
# Tensor (x) Tensor follows the lattice bool < uint/int < float < complex that MindSpore 2.10 shares with JAX
# (i64+f16 -> f16, u8+i8 -> i16, bf16+f16 -> f32, c64+f64 -> c128); 0-d Tensors are as strong as any Tensor
# (``*`` and ``/`` weaken them: see validation.mul_div_result_dtype). MindSpore refuses to mix UInt16/32/64 with any other
# dtype but Bool; msjax promotes them on JAX's lattice instead.
# Python and numpy scalars are weak: they only decide the category, never the width, and a scalar of a higher
# category brings that category's default (int -> Int64, float -> Float32).

_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2, "V": 2, "c": 3}  # 'V': ml_dtypes' bfloat16/float8
_ML_FLOATS = (np.dtype(ml_dtypes.bfloat16), np.dtype(ml_dtypes.float8_e4m3fn), np.dtype(ml_dtypes.float8_e5m2))


def kind_rank(np_dtype: np.dtype) -> builtins.int:
    """Category of a dtype: 0 bool, 1 integer, 2 float, 3 complex."""
    if np_dtype in _ML_FLOATS:
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
    return _result_np_dtype(tuple(np.dtype(d) for d in tensor_dtypes), tuple(scalar_ranks))


@functools.lru_cache(maxsize=1024)
def _result_np_dtype(tensor_dtypes, scalar_ranks) -> np.dtype:
    result = None
    for d in tensor_dtypes:
        result = d if result is None or result == d else _promote_np(result, d)
    if result is None:
        return _DEFAULT_FOR_SCALAR_RANK[max(scalar_ranks)]
    if scalar_ranks:
        top = max(scalar_ranks)
        if top > kind_rank(result):
            return _DEFAULT_FOR_SCALAR_RANK[top]
    return result


def default_np_dtype_for_python(value) -> np.dtype:
    """dtype of ``Tensor(value)`` for a Python scalar (Bool / Int64 / Float32 / Complex128)."""
    return {0: np.dtype(np.bool_), 1: np.dtype(np.int64), 2: np.dtype(np.float32),
            3: np.dtype(np.complex128)}[scalar_rank(value)]
