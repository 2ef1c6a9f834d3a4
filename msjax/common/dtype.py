"""``mindspore.common.dtype`` (also ``mindspore.dtype``, usually imported as ``mstype``).

The public names are MindSpore 2.10's: the dtype classes are exposed as ``Int``, ``Float``, ``Bool``, ... but not
``UInt``/``BFloat``/``Complex``/``Number`` (``isinstance(ms.uint8, mstype.Int)`` is False there too), and
``__all__`` is the set ``import mindspore`` re-exports (``ms.Int`` exists, ``ms.Float`` does not).
"""
from msjax._src.dtype import (  # noqa: F401
    Type, Bool, Int, Float, String, List, Tuple, Dict, Slice, TensorType, QuantDtype,
    Function as FunctionType, TypeNone as NoneType,
    bool_, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64, bfloat16,
    complex64, complex128, float8_e4m3fn, float8_e5m2, hifloat8, qint4x2, float_, int_, uint, number, string,
    tensor_type, type_none, list_, tuple_, function, type_type, half, single, double, intc, long, short, byte,
    ubyte, ushort, uintc, intp, uintp, cfloat, cdouble, np_bfloat16, int_type, uint_type, float_type, complex_type,
    signed_type, number_type, all_types, dtype_to_nptype, dtype_to_pytype, pytype_to_dtype, get_py_obj_dtype,
    type_size_in_bytes,
)
from msjax._src.dtype import bool, float, int  # noqa: F401,A004  (MindSpore exports these names)

__all__ = [
    "Type", "QuantDtype", "TensorType", "Int",
    "bool_", "bool", "int8", "byte", "int16", "short", "int32", "intc", "int", "int64", "long", "intp", "uint8",
    "ubyte", "uint16", "ushort", "uint32", "uintc", "uint64", "uintp", "float16", "half", "float32", "single",
    "float", "float64", "double", "complex64", "cfloat", "complex128", "cdouble", "qint4x2", "bfloat16",
    "float8_e4m3fn", "float8_e5m2", "hifloat8", "int_", "uint", "float_", "list_", "tuple_", "string", "number",
    "tensor_type", "type_none",
    "dtype_to_nptype", "dtype_to_pytype", "pytype_to_dtype", "get_py_obj_dtype",
]
