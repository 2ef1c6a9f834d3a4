"""Probe of MindSpore's dtype objects: names, aliases, classes, properties, conversions and astype.

Each line is `label: value`; errors print the exception type only.
"""
import numpy as np
import mindspore as ms
from mindspore import Tensor
from mindspore import dtype as mstype

ms.set_context(pynative_synchronize=True)


def show(label, fn):
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001  (the exception type is the observation)
        value = type(e).__name__
    print(f"{label}: {value}")


print("ms.dtype is mstype:", ms.dtype is mstype)
import mindspore.common.dtype as common_dtype  # noqa: E402
print("common.dtype is mstype:", common_dtype is mstype)

NAMES = ["bool_", "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16",
         "float32", "float64", "bfloat16", "complex64", "complex128", "half", "single", "float", "double", "int",
         "intc", "long", "short", "byte", "ubyte", "ushort", "uintc", "intp", "uintp", "cfloat", "cdouble",
         "float_", "int_", "uint", "number", "string", "tensor_type", "type_none", "list_", "tuple_", "qint4x2",
         "float8_e4m3fn", "float8_e5m2", "hifloat8"]
for name in NAMES:
    d = getattr(mstype, name)
    print(f"{name}: str={d} repr={d!r} class={type(d).__name__} top_level={getattr(ms, name, None) is d}")

CONCRETE = [ms.bool_, ms.int8, ms.int16, ms.int32, ms.int64, ms.uint8, ms.uint16, ms.uint32, ms.uint64, ms.float16,
            ms.float32, ms.float64, ms.bfloat16, ms.complex64, ms.complex128]
GENERIC = [mstype.float_, mstype.int_, mstype.uint, mstype.number]
CLASSES = ["Int", "Float", "Bool", "String", "List", "Tuple", "TensorType", "Type", "Dict", "Slice",
           "FunctionType", "NoneType"]

for d in CONCRETE + GENERIC:
    flags = []
    for cls in CLASSES:
        if hasattr(mstype, cls) and isinstance(d, getattr(mstype, cls)):
            flags.append(cls)
    print(f"isinstance {d}: {flags}")

for d in CONCRETE + [ms.float8_e4m3fn, ms.float8_e5m2, ms.qint4x2]:
    show(f"{d} is_floating_point", lambda: d.is_floating_point)
    show(f"{d} is_complex", lambda: d.is_complex)
    show(f"{d} is_signed", lambda: d.is_signed)
    show(f"{d} itemsize", lambda: d.itemsize)
    show(f"{d} to_real", lambda: repr(d.to_real()))
    show(f"{d} to_complex", lambda: repr(d.to_complex()))
    show(f"{d} type_size_in_bytes", lambda: mstype.type_size_in_bytes(d))
for d in GENERIC:
    show(f"{d} is_floating_point", lambda: d.is_floating_point)
    show(f"{d} itemsize", lambda: d.itemsize)

print("public classes:", [c for c in ["Int", "UInt", "Float", "BFloat", "Complex", "Bool", "Number", "String", "List",
                                      "Tuple", "Dict", "Slice", "TensorType", "Type", "FunctionType", "NoneType",
                                      "QuantDtype"] if hasattr(mstype, c)])
print("top-level classes:", [c for c in ["Int", "Float", "Bool", "TensorType", "Type", "QuantDtype"] if hasattr(ms, c)])

# equality and hashing
print("f32 == float:", ms.float32 == mstype.float, ms.float32 is mstype.float)
print("f32 == f64:", ms.float32 == ms.float64, ms.float32 != ms.float64)
print("f32 == 'Float32':", ms.float32 == "Float32")
print("f32 == np.float32:", ms.float32 == np.float32)
print("f32 == float_:", ms.float32 == mstype.float_)
print("int == int32:", ms.int == ms.int32, "int_ == int64:", mstype.int_ == ms.int64)
print("hash equal:", hash(ms.float32) == hash(mstype.single), hash(ms.int64) == hash(mstype.long))
print("dict lookup:", {ms.float32: "f32", ms.int64: "i64"}[mstype.single], {ms.float32: 1}.get(ms.float16))
print("set of aliases:", len({ms.float32, mstype.single, mstype.float, ms.float64, mstype.double}))
print("in tuple:", ms.float32 in mstype.float_type, ms.int32 in mstype.float_type, ms.bfloat16 in mstype.float_type)
print("format:", f"{ms.float32}", "{}".format(ms.int8), "%s" % ms.bool_)
print("tensor dtype:", Tensor([1.0]).dtype == ms.float32, Tensor([1.0]).dtype is ms.float32)

# dtype groups
for name in ["int_type", "uint_type", "float_type", "complex_type", "signed_type", "number_type", "all_types"]:
    print(f"{name}: {[str(d) for d in getattr(mstype, name)]}")

# conversions
for d in CONCRETE:
    show(f"dtype_to_nptype {d}", lambda: np.dtype(mstype.dtype_to_nptype(d)).name)
    show(f"dtype_to_pytype {d}", lambda: mstype.dtype_to_pytype(d).__name__)
for d in (mstype.float_, mstype.int_, mstype.list_, mstype.string, mstype.type_none, mstype.number):
    show(f"dtype_to_pytype {d}", lambda: mstype.dtype_to_pytype(d).__name__)
show("dtype_to_nptype float_", lambda: mstype.dtype_to_nptype(mstype.float_))
PYTYPES = {"bool": bool, "int": int, "float": float, "complex": complex, "str": str, "list": list, "tuple": tuple,
           "NoneType": type(None), "np.bool_": np.bool_, "np.int8": np.int8, "np.int16": np.int16,
           "np.int32": np.int32, "np.int64": np.int64, "np.uint8": np.uint8, "np.uint16": np.uint16,
           "np.uint32": np.uint32, "np.uint64": np.uint64, "np.float16": np.float16, "np.float32": np.float32,
           "np.float64": np.float64, "np.complex64": np.complex64, "np.complex128": np.complex128, "np.str_": np.str_,
           "dict": dict, "object": object}
for name, t in PYTYPES.items():
    show(f"pytype_to_dtype {name}", lambda: repr(mstype.pytype_to_dtype(t)))
for name, value in {"np.dtype('float32')": np.dtype("float32"), "np.dtype('int64')": np.dtype("int64"),
                    "ms.float16": ms.float16, "1": 1, "1.5": 1.5, "'float32'": "float32", "None": None}.items():
    show(f"pytype_to_dtype {name}", lambda: repr(mstype.pytype_to_dtype(value)))
OBJECTS = {"1": 1, "1.5": 1.5, "True": True, "1j": 1j, "'s'": "s", "[1]": [1], "(1,)": (1,), "None": None,
           "np.float32(1)": np.float32(1), "np.int8(1)": np.int8(1), "Tensor([1.0])": Tensor([1.0]),
           "Tensor([1], int8)": Tensor([1], ms.int8), "ms.float32": ms.float32, "lambda": lambda: 1, "int": int}
for name, value in OBJECTS.items():
    show(f"get_py_obj_dtype {name}", lambda: repr(mstype.get_py_obj_dtype(value)))
show("TensorType(float32)", lambda: repr(mstype.TensorType(ms.float32)))
show("str TensorType(float32)", lambda: str(mstype.TensorType(ms.float32)))
show("TensorType(float32) == tensor_type", lambda: mstype.TensorType(ms.float32) == mstype.tensor_type)
show("Int(32)", lambda: repr(mstype.Int(32)))
show("Float(16) is float16", lambda: mstype.Float(16) == ms.float16)
show("Float()", lambda: repr(mstype.Float()))
show("QuantDtype", lambda: (str(ms.QuantDtype.INT8), ms.QuantDtype.INT8.value(), ms.QuantDtype.UINT16.value(),
                           len(ms.QuantDtype), repr(ms.QuantDtype(7))))
show("float_ to_real", lambda: mstype.float_.to_real())
show("string.itemsize", lambda: mstype.string.itemsize)
show("type_size_in_bytes(string)", lambda: mstype.type_size_in_bytes(mstype.string))

# astype with every kind of dtype spec
t = Tensor([1.5, 2.5, 0.0], ms.float32)
SPECS = {"ms.int32": ms.int32, "ms.float16": ms.float16, "ms.bool_": ms.bool_, "ms.bfloat16": ms.bfloat16,
         "ms.uint8": ms.uint8, "ms.complex64": ms.complex64, "ms.int4": ms.qint4x2, "'float16'": "float16",
         "'int32'": "int32", "'bool'": "bool", "'bool_'": "bool_", "'float'": "float", "'int'": "int",
         "'double'": "double", "'half'": "half", "'long'": "long", "'uint8'": "uint8", "'complex64'": "complex64",
         "'bfloat16'": "bfloat16", "'Float32'": "Float32", "'INT32'": "INT32", "'float32 '": "float32 ",
         "'int4'": "int4", "'qint4x2'": "qint4x2", "'str'": "str", "'float_'": "float_", "'int_'": "int_",
         "'uint'": "uint", "'intc'": "intc", "'intp'": "intp", "'uintp'": "uintp", "'byte'": "byte",
         "'ubyte'": "ubyte", "'short'": "short", "'ushort'": "ushort", "'uintc'": "uintc", "'single'": "single",
         "'cfloat'": "cfloat", "'string'": "string", "'list_'": "list_", "'number'": "number", "'type'": "type",
         "'TensorType'": "TensorType", "'float8_e4m3fn'": "float8_e4m3fn", "np.float16": np.float16,
         "np.int8": np.int8, "np.bool_": np.bool_, "np.float64": np.float64, "np.complex128": np.complex128,
         "np.dtype('int16')": np.dtype("int16"), "float": float, "int": int, "bool": bool, "complex": complex,
         "list": list, "str": str, "ms.float_": mstype.float_, "ms.int_": mstype.int_, "ms.number": mstype.number,
         "ms.string": mstype.string, "None": None, "3": 3, "'nonsense'": "nonsense", "object": object}
for name, spec in SPECS.items():
    show(f"astype {name}", lambda: f"{t.astype(spec).dtype} {t.astype(spec)}")
show("to float64", lambda: t.to(ms.float64).dtype)
show("float()", lambda: Tensor([1, 2]).float().dtype)
show("half()", lambda: Tensor([1, 2]).half().dtype)
show("double()", lambda: Tensor([1, 2]).double().dtype)
show("int()", lambda: Tensor([1.5]).int().dtype)
show("long()", lambda: Tensor([1.5]).long().dtype)
show("bool()", lambda: Tensor([1.5, 0]).bool().dtype)
show("type()", lambda: Tensor([1, 2]).type())
show("type(ms.float16)", lambda: Tensor([1, 2]).type(ms.float16).dtype)

# Tensor(dtype=...) accepts only MindSpore dtype objects
for spec in (np.float32, "float32", float, int, mstype.float_, mstype.number, ms.float32, ms.bfloat16):
    name = getattr(spec, "__name__", repr(spec))
    show(f"Tensor(1, dtype={name})", lambda: Tensor(1, dtype=spec).dtype)
