"""Tensor construction, metadata and conversions, as observed on MindSpore 2.10.0 (CPU).

The compat program `compat_tests/programs/tensor_basics.py` records the full set.
"""
import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, Tensor
from msjax.common.initializer import One


# --- default dtypes ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, dtype", [
    (True, ms.bool_), (1, ms.int64), (1.5, ms.float32), (1 + 2j, ms.complex128), (2 ** 63, ms.uint64),
    ([1, 2], ms.int64), ([1.0, 2], ms.float32), ([True, 2], ms.int64), ([True, 2.5], ms.float32),
    ([[1, 2.5], [3, 4]], ms.float32), ((1, 2), ms.int64), ([], ms.float32), ([2 ** 63, -1], ms.float32),
    # numpy scalars and arrays keep their dtype ...
    (np.float64(1.5), ms.float64), (np.int32(1), ms.int32), (np.array([1.5]), ms.float64),
    (np.array([1], np.int32), ms.int32),
    # ... but inside a list they are read like Python numbers: float64 -> Float32, int32 -> Int64
    ([np.float64(1.5)], ms.float32), ([np.int32(1), np.int32(2)], ms.int64), ([np.array([1.0])], ms.float32),
    ([np.int8(1), np.int8(2)], ms.int8), ([np.float16(1), np.float16(2)], ms.float16),
    ([Tensor(1, ms.int32), Tensor(2, ms.int32)], ms.int64), ([Tensor(1, ms.float16), 2], ms.float32),
])
def test_default_dtypes(data, dtype):
    assert Tensor(data).dtype == dtype


def test_parameter_of_python_int_is_int32():
    assert Parameter(1).dtype == ms.int32
    assert Parameter(1.0).dtype == ms.float32
    assert Parameter(Tensor(1)).dtype == ms.int64


def test_dtype_argument_casts_like_mindspore():
    assert Tensor([1, 2.5], ms.int32).tolist() == [1, 2]               # truncation toward zero
    assert Tensor([-1.5, 2.7, -0.2], ms.int32).tolist() == [-1, 2, 0]
    assert Tensor([300, -1], ms.uint8).tolist() == [44, 255]           # wrapping
    assert Tensor(2 ** 40, ms.int32).item() == 0
    assert Tensor(1 + 2j, ms.float64).item() == 1.0                    # the imaginary part is dropped
    assert np.isinf(Tensor([1e10], ms.float16).asnumpy()).all()
    assert Tensor(Tensor([1.7, -1.7]), ms.int32).tolist() == [1, -1]


@pytest.mark.parametrize("data, error", [
    ([[1], [1, 2]], TypeError), ([1, [2]], TypeError), (None, TypeError), ("abc", TypeError), (["a"], TypeError),
    ({1: 2}, TypeError), ([None], TypeError), (2 ** 64, RuntimeError), (np.array([1.0], np.longdouble), TypeError),
    ([Tensor(1, ms.bfloat16).asnumpy()], TypeError),
])
def test_construction_errors(data, error):
    with pytest.raises(error):
        Tensor(data)


def test_shape_and_init_arguments():
    assert Tensor(shape=(2,), dtype=ms.float32).tolist() == [0.0, 0.0]
    with pytest.raises(ValueError):
        Tensor(1, shape=(2,))
    with pytest.raises(ValueError):
        Tensor(shape=(2,), init=One())
    with pytest.raises(ValueError):
        Tensor(dtype=ms.float32, init=One())
    with pytest.raises(TypeError):
        Tensor()


def test_init_tensor_is_uninitialized_until_init_data():
    t = Tensor(shape=(2, 3), dtype=ms.float32, init=One())
    assert t.has_init and t.shape == (2, 3)
    assert str(t) == "Tensor(shape=[2, 3], dtype=Float32, value=\n<uninitialized>)"
    assert t.tolist() == [[0.0] * 3] * 2  # MindSpore reads the not yet filled buffer
    assert t.init_data() is t and not t.has_init
    assert t.tolist() == [[1.0] * 3] * 2
    u = Tensor(shape=2, dtype=ms.int32, init="ones")
    assert str(u) == "Tensor(shape=[2], dtype=Int32, value=<uninitialized>)"
    assert u.asnumpy().tolist() == [1, 1] and not u.has_init  # asnumpy initializes


# --- metadata ----------------------------------------------------------------------------------------------------

def test_metadata():
    t = Tensor(np.zeros((2, 0, 3), np.int16))
    assert (t.ndim, t.size, t.itemsize, t.nbytes) == (3, 0, 2, 0)
    assert t.strides == (0, 6, 2)  # from the shape alone, not numpy's zero-size convention
    assert Tensor(np.ones((4, 1, 2))).strides == (16, 16, 8)
    assert Tensor([1, 2, 3], ms.bfloat16).nbytes == 6
    assert isinstance(Tensor(1.0).shape, tuple) and Tensor(1.0).shape == ()
    assert len(Tensor([[1, 2], [3, 4]])) == 2
    with pytest.raises(TypeError):
        len(Tensor(1.0))


# --- conversions -------------------------------------------------------------------------------------------------

def test_asnumpy_is_a_writable_copy():
    t = Tensor([1.0, 2.0])
    a = t.asnumpy()
    assert a.dtype == np.float32 and a.flags.writeable
    assert Tensor([1, 0], ms.bfloat16).asnumpy().dtype == ms.dtype.np_bfloat16


def test_python_scalar_conversions():
    assert Tensor(2.5).item() == 2.5 and type(Tensor(-3).item()) is int and Tensor(True).item() is True
    assert int(Tensor(-2.7)) == -2 and float(Tensor([[7]], ms.int32)) == 7.0 and complex(Tensor(2.5)) == 2.5 + 0j
    assert bool(Tensor([0])) is False
    assert [10, 20, 30][Tensor(1)] == 20


@pytest.mark.parametrize("convert, error", [
    (float, ValueError), (int, ValueError), (bool, ValueError), (lambda t: t.item(), ValueError),
    (lambda t: [1, 2][t], ValueError),
])
def test_multi_element_conversions_fail(convert, error):
    with pytest.raises(error):
        convert(Tensor([1.0, 2.0]))


def test_conversion_errors():
    c = Tensor(1 + 2j, ms.complex64)
    for convert in (float, int, complex):
        with pytest.raises(TypeError):
            convert(c)
    assert bool(c) is True
    with pytest.raises(ValueError):
        [1, 2][Tensor(1.0)]  # only integer tensors are indices
    with pytest.raises(TypeError):
        Tensor([[1, 2]]).item(0)  # MindSpore's item takes no index
    with pytest.raises(TypeError):
        f"{Tensor(2.5):.2f}"
    assert f"{Tensor(2.5)}" == "2.5"
    with pytest.raises(TypeError):
        list(Tensor(1.0))


def test_hash_is_identity():
    a, b = Tensor([1.0]), Tensor([1.0])
    assert hash(a) == hash(a) and hash(a) != hash(b) and len({a, b, a}) == 2


def test_module_functions():
    assert ms.tensor([1, 2]).dtype == ms.int64
    assert ms.from_numpy(np.array([1.5])).dtype == ms.float64
    with pytest.raises(TypeError):
        ms.from_numpy([1, 2])
    assert ms.is_tensor(Tensor(1)) and not ms.is_tensor(np.array(1)) and ms.is_tensor(Parameter(Tensor(1.0)))


# --- repr --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("t, text", [
    (Tensor(2.0), "Tensor(shape=[], dtype=Float32, value= 2)"),
    (Tensor([1, 2], ms.int32), "Tensor(shape=[2], dtype=Int32, value= [1, 2])"),
    (Tensor([1.0, 2.5]), "Tensor(shape=[2], dtype=Float32, value= [ 1.00000000e+00,  2.50000000e+00])"),
    (Tensor([[True, False]]), "Tensor(shape=[1, 2], dtype=Bool, value=\n[[ True, False]])"),
])
def test_repr(t, text):
    assert repr(t) == text
