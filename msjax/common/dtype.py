"""``mindspore.common.dtype`` (also ``mindspore.dtype``, usually imported as ``mstype``)."""
from msjax._src.dtype import (  # noqa: F401
    Type, Number, Bool, Int, UInt, Float, BFloat, Complex, String, TensorType, TypeNone, List, Tuple, Function,
    bool_, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64, bfloat16,
    complex64, complex128, float8_e4m3fn, float8_e5m2, qint4x2, float_, int_, uint, number, string, tensor_type,
    type_none, list_, tuple_, function, half, single, double, intc, long, short, byte, ubyte, ushort, uintc, intp,
    uintp, cfloat, cdouble, np_bfloat16, int_type, uint_type, float_type, complex_type, signed_type, number_type,
    all_types, dtype_to_nptype, dtype_to_pytype, pytype_to_dtype, type_size_in_bytes,
)
from msjax._src.dtype import bool, float, int  # noqa: F401,A004  (MindSpore exports these names)
