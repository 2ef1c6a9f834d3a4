"""MindSpore 2.10's dtype objects and promotion rules, as msjax implements them.

Every expectation here was observed on real MindSpore 2.10.0 (CPU); the compat programs
`compat_tests/programs/dtype_*.py` record the full tables.
"""
import pickle

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import msjax as ms
from msjax import Tensor, ops
from msjax import dtype as mstype
from msjax._src import dtype as D
from msjax._src.validation import promote, result_dtype


def vec(d):
    return Tensor(np.array([1, 2]), d)


# --- promotion: Tensor (x) Tensor --------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, expected, reason", [
    (ms.int32, ms.float32, ms.float32, "a float Tensor beats any integer one"),
    (ms.int64, ms.float16, ms.float16, "the float's width is kept, however wide the integer (JAX's lattice)"),
    (ms.float16, ms.float32, ms.float32, "same kind: the wider"),
    (ms.int32, ms.int64, ms.int64, "same kind: the wider"),
    (ms.uint8, ms.int8, ms.int16, "uint8 and int8 meet at int16"),
    (ms.uint8, ms.int64, ms.int64, "a signed int wider than the uint8 holds it"),
    (ms.bool_, ms.bool_, ms.bool_, "Bool with Bool stays Bool"),
    (ms.bool_, ms.uint16, ms.uint16, "Bool joins any dtype, even the wide unsigned ones"),
    (ms.bfloat16, ms.float16, ms.float32, "neither 16-bit float holds the other"),
    (ms.bfloat16, ms.int64, ms.bfloat16, "a float Tensor beats any integer one"),
    (ms.float64, ms.complex64, ms.complex128, "complex of the wider real part"),
    (ms.float16, ms.complex64, ms.complex64, "complex64 holds float16"),
])
def test_tensor_tensor_promotion(a, b, expected, reason):
    assert (vec(a) + vec(b)).dtype == expected, reason
    assert (vec(b) + vec(a)).dtype == expected, "the rule is symmetric"


def test_zero_dim_tensor_is_strong_for_add():
    # A 0-d Tensor is not weakly typed for +: f16 + Tensor(1.5) is Float32 (a Python 1.5 would keep Float16).
    assert (vec(ms.float16) + Tensor(1.5)).dtype == ms.float32
    assert (vec(ms.int32) + Tensor(2)).dtype == ms.int64
    assert (Tensor(2, ms.int32) + Tensor(3)).dtype == ms.int64


# --- promotion: weak Python / numpy scalars ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype, scalar, expected", [
    (ms.int32, 1.5, ms.float32),        # a float scalar on an integer Tensor brings Float32, never Float64
    (ms.int64, 2, ms.int64),
    (ms.int8, 2, ms.int8),              # an int scalar never widens an int Tensor
    (ms.uint8, 300, ms.uint8),          # ... even when it does not fit (the value wraps)
    (ms.float16, 1.5, ms.float16),      # a float scalar never widens a float Tensor
    (ms.bfloat16, 1.5, ms.bfloat16),
    (ms.bool_, 1, ms.int64),            # a higher-kind scalar brings its kind's default: Int64 ...
    (ms.bool_, 1.0, ms.float32),        # ... Float32
    (ms.int32, True, ms.int32),         # a bool scalar never changes the Tensor's dtype
    (ms.bool_, True, ms.bool_),
    (ms.int32, np.float64(1.5), ms.float32),  # numpy scalars are as weak as Python ones
    (ms.float16, np.float32(1.5), ms.float16),
    (ms.bool_, np.int8(2), ms.int64),   # ... their width is ignored, only their kind counts
    (ms.complex64, 1.5, ms.complex64),
])
def test_scalar_is_weak(dtype, scalar, expected):
    t = Tensor([1, 0], dtype)
    assert (t + scalar).dtype == expected
    assert (t * scalar).dtype == expected


def test_scalar_cast_wraps_like_mindspore():
    assert (Tensor([1, 2], ms.uint8) + 300).tolist() == [45, 46]   # 300 -> 44 as UInt8
    assert (Tensor([1, 2], ms.int32) + 2 ** 40).tolist() == [1, 2]  # 2**40 -> 0 as Int32
    assert np.isinf((Tensor([1.0], ms.float16) + 1e5).asnumpy()).all()


def test_complex_scalars_are_refused():
    with pytest.raises(TypeError):
        Tensor([1.0]) + 1j
    with pytest.raises(TypeError):
        1j * Tensor([1.0])
    with pytest.raises(TypeError):
        Tensor([1.0]) + np.complex64(1j)


def test_result_dtype_helper():
    f32, i32 = jnp.ones(2, jnp.float32), jnp.ones(2, jnp.int32)
    assert result_dtype(i32, 1.5) == np.float32
    assert result_dtype(f32, np.float64(2.0)) == np.float32
    assert result_dtype(i32, 2) == np.int32
    assert result_dtype(2, 1.5) == np.float32      # scalars alone: the defaults of their kind
    assert result_dtype(2, True) == np.int64
    (a, b), target = promote(jnp.ones(2, jnp.uint8), 300)
    assert target == np.uint8 and b.dtype == np.uint8 and int(b) == 44


def test_division_and_reductions():
    i32 = Tensor([1, 2, 3], ms.int32)
    assert (i32 / Tensor([2, 2, 2], ms.int32)).dtype == ms.float32  # true division of ints is Float32
    assert (Tensor([1, 2]) / 2).dtype == ms.float32
    assert (i32 // 2).dtype == ms.int32
    assert (i32 < 2).dtype == ms.bool_
    assert ops.sqrt(i32).dtype == ms.float32
    assert i32.sum().dtype == ms.int64       # sum of ints widens to Int64 ...
    assert i32.mean().dtype == ms.int32      # ... but mean keeps the dtype (and truncates)


# --- the x64 trap ------------------------------------------------------------------------------------------------

def test_python_floats_never_make_float64():
    assert (Tensor([1, 2], ms.int32) + 1.5).dtype == ms.float32
    assert (Tensor([1, 2], ms.float32) + np.float64(1.5)).dtype == ms.float32
    assert (Tensor([1, 2], ms.float32) * 2 ** 40).dtype == ms.float32
    assert ops.zeros((2,)).dtype == ms.float32
    assert ops.ones((2, 3)).dtype == ms.float32
    assert Tensor(1.5).dtype == ms.float32 and Tensor([1.0, 2]).dtype == ms.float32


WIDE = {np.dtype(np.float64), np.dtype(np.int64), np.dtype(np.complex128), np.dtype(np.uint64)}


def _wide_vars(jaxpr):
    """Every 64-bit value in ``jaxpr``, sub-jaxprs (pjit, custom_jvp, ...) included."""
    found = []
    for eqn in jaxpr.eqns:
        for var in list(eqn.invars) + list(eqn.outvars):
            dtype = getattr(getattr(var, "aval", None), "dtype", None)
            if dtype in WIDE:
                found.append(f"{eqn.primitive.name}: {var.aval}")
        for param in eqn.params.values():
            for sub in param if isinstance(param, (tuple, list)) else (param,):
                inner = getattr(sub, "jaxpr", sub)
                if hasattr(inner, "eqns"):
                    found.extend(_wide_vars(inner))
    return found


def test_float32_computation_has_no_64_bit_values_in_its_jaxpr():
    def compute(x, w):
        x, w = Tensor._from_raw(x), Tensor._from_raw(w)
        h = ops.matmul(x, w) + 1.5
        h = h * np.float64(2) - 1
        h = ops.softmax(h, -1) / 3
        h = ops.sqrt(h + ops.sum(h) + ops.mean(h, 1, keep_dims=True))
        return (h / 4).sum()._data

    closed = jax.make_jaxpr(compute)(jnp.ones((2, 3), jnp.float32), jnp.ones((3, 4), jnp.float32))
    assert _wide_vars(closed.jaxpr) == []
    assert closed.out_avals[0].dtype == np.float32


# --- dtype objects -----------------------------------------------------------------------------------------------

ALIASES = {
    "bool_": "Bool", "bool": "Bool", "int8": "Int8", "int16": "Int16", "int32": "Int32", "int64": "Int64",
    "uint8": "UInt8", "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64", "float16": "Float16",
    "float32": "Float32", "float64": "Float64", "bfloat16": "BFloat16", "complex64": "Complex64",
    "complex128": "Complex128", "half": "Float16", "single": "Float32", "float": "Float32", "double": "Float64",
    "int": "Int32", "intc": "Int32", "long": "Int64", "short": "Int16", "byte": "Int8", "ubyte": "UInt8",
    "ushort": "UInt16", "uintc": "UInt32", "intp": "Int64", "uintp": "UInt64", "cfloat": "Complex64",
    "cdouble": "Complex128", "float_": "Float", "int_": "Int", "uint": "UInt", "number": "Number",
    "qint4x2": "Int4", "float8_e4m3fn": "Float8E4M3FN", "float8_e5m2": "Float8E5M2", "hifloat8": "HiFloat8",
    "string": "String", "tensor_type": "Tensor", "type_none": "None", "list_": "List", "tuple_": "Tuple",
}


@pytest.mark.parametrize("name, text", ALIASES.items())
def test_every_alias(name, text):
    d = getattr(mstype, name)
    assert str(d) == text and f"{d}" == text
    assert getattr(ms, name) is d  # also top-level, as in MindSpore


def test_reprs_and_generic_traps():
    assert repr(ms.float32) == "mindspore.float32" and repr(ms.bool_) == "mindspore.bool"
    assert repr(ms.qint4x2) == "mindspore.int4" and repr(mstype.string) == "mindspore.string_"
    # `float_` / `int_` are the generic Float / Int types, not float64 / int64
    assert ms.float_ != ms.float64 and repr(ms.float_) == "mindspore.float" and ms.int_ != ms.int64
    assert ms.float is ms.float32 and ms.int is ms.int32


def test_equality_hash_and_classes():
    assert ms.float32 == mstype.single and hash(ms.float32) == hash(mstype.single)
    assert ms.float32 != "Float32" and ms.float32 != np.float32
    assert len({ms.float32, mstype.single, ms.float64}) == 2
    assert isinstance(ms.float32, mstype.Float) and isinstance(ms.int8, mstype.Int)
    assert not isinstance(ms.uint8, mstype.Int) and not isinstance(ms.bfloat16, mstype.Float)
    assert type(ms.uint8).__name__ == "UInt" and type(ms.bfloat16).__name__ == "BFloat"
    assert not hasattr(mstype, "UInt") and hasattr(ms, "Int") and not hasattr(ms, "Float")
    assert mstype.Int(32) is ms.int32 and mstype.Float() is ms.float_
    assert pickle.loads(pickle.dumps(ms.bfloat16)) is ms.bfloat16


def test_dtype_properties():
    assert ms.float16.is_floating_point and ms.bfloat16.is_floating_point and not ms.complex64.is_floating_point
    assert ms.complex64.is_complex and ms.int8.is_signed and not ms.uint8.is_signed and not ms.bool_.is_signed
    assert ms.complex128.itemsize == 16 and ms.float_.itemsize == 1 and mstype.float_.is_floating_point
    assert ms.complex64.to_real() == ms.float32 and ms.int32.to_real() == ms.int32
    assert ms.bfloat16.to_complex() == ms.complex64 and ms.float64.to_complex() == ms.complex128
    with pytest.raises(TypeError):
        ms.int32.to_complex()
    with pytest.raises(AttributeError):
        mstype.string.itemsize  # noqa: B018  (only numeric dtypes have one)
    assert mstype.type_size_in_bytes(ms.int16) == 2 and mstype.type_size_in_bytes(mstype.string) == 0


def test_dtype_groups():
    assert ms.bfloat16 in mstype.float_type and ms.hifloat8 in mstype.float_type
    assert mstype.number_type[-4:] == (ms.qint4x2, ms.float8_e4m3fn, ms.float8_e5m2, ms.hifloat8)
    assert ms.bool_ not in mstype.number_type and ms.bool_ in mstype.all_types


# --- conversions -------------------------------------------------------------------------------------------------

def test_conversion_functions():
    assert mstype.dtype_to_nptype(ms.bfloat16) is mstype.np_bfloat16
    assert mstype.dtype_to_nptype(ms.int8) is np.int8
    with pytest.raises(KeyError):
        mstype.dtype_to_nptype(ms.float_)
    assert mstype.dtype_to_pytype(ms.uint8) is int and mstype.dtype_to_pytype(ms.float_) is float
    assert mstype.dtype_to_pytype(ms.complex64) is complex and mstype.dtype_to_pytype(ms.list_) is list
    assert mstype.pytype_to_dtype(float) == ms.float64 and mstype.pytype_to_dtype(int) == ms.int64
    assert mstype.pytype_to_dtype(np.dtype("float32")) == ms.float32 and mstype.pytype_to_dtype(str) == ms.string
    with pytest.raises(NotImplementedError):
        mstype.pytype_to_dtype(np.complex64)  # MindSpore maps only the real numpy types
    with pytest.raises(TypeError):
        mstype.pytype_to_dtype(1.5)
    assert mstype.get_py_obj_dtype(1) == ms.int64 and mstype.get_py_obj_dtype(np.float32(1)) == ms.float32
    assert repr(mstype.get_py_obj_dtype(Tensor([1.0]))) == "mindspore.tensor[float32]"
    assert repr(mstype.get_py_obj_dtype(ms.float32)) == "mindspore.type_type"


@pytest.mark.parametrize("spec, expected", [
    ("float16", ms.float16), ("Float32", ms.float32), ("INT32", ms.int32), ("float", ms.float64), ("int", ms.int64),
    ("bool_", ms.bool_), ("float_", ms.float64), ("uint", ms.uint64), ("intc", ms.int32), ("single", ms.float32),
    (np.float16, ms.float16), (np.bool_, ms.bool_), (float, ms.float64), (int, ms.int64), (complex, ms.complex128),
    (ms.bfloat16, ms.bfloat16),
])
def test_astype_specs(spec, expected):
    assert Tensor([1.5, 2.5]).astype(spec).dtype == expected


@pytest.mark.parametrize("spec, error", [
    ("complex64", NotImplementedError), ("bfloat16", NotImplementedError), (np.complex128, NotImplementedError),
    (object, NotImplementedError), ("float32 ", TypeError), ("int4", TypeError), ("qint4x2", TypeError),
    ("string", TypeError), (np.dtype("int16"), TypeError), (ms.float_, TypeError), (ms.qint4x2, TypeError),
    (None, TypeError), (list, TypeError), (3, TypeError),
])
def test_astype_errors(spec, error):
    with pytest.raises(error):
        Tensor([1.5]).astype(spec)


@pytest.mark.parametrize("spec", [np.float32, "float32", float, ms.float_, ms.number])
def test_tensor_dtype_argument_takes_only_mindspore_dtypes(spec):
    with pytest.raises(TypeError):
        Tensor(1, dtype=spec)


def test_quant_dtype():
    assert str(ms.QuantDtype.INT8) == "INT8" and ms.QuantDtype.INT8.value() == 7
    assert ms.QuantDtype.UINT16.value() == 115 and len(ms.QuantDtype) == 32


def test_result_np_dtype_is_cached_and_pure():
    assert D.result_np_dtype([np.int32], [2]) == np.float32
    assert D.result_np_dtype([np.float16, np.dtype(np.float32)]) == np.float32
    assert D.result_np_dtype([], [1, 0]) == np.int64
