"""Tensor methods and dunders (tier 1): MindSpore 2.10's overloads (``t.max(1)`` vs ``t.max(axis=1)``), result
dtypes, operator operand rules, indexing and item assignment (compat_tests/programs/tensor_methods.py and
ops_array.py record the same behaviours from real MindSpore)."""
import numpy as np
import pytest

import msjax as ms
from msjax import Tensor


def t(values, dtype=np.float32):
    return Tensor(np.array(values, dtype))


def check(result, expected, dtype):
    assert isinstance(result, Tensor)
    assert result.dtype == dtype, f"dtype {result.dtype}, expected {dtype}"
    expected = np.asarray(expected)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result.asnumpy().astype(np.float64), expected.astype(np.float64), rtol=1e-6)


X = np.array([[1.5, -2.0, 3.0], [4.0, 0.5, -1.0]], np.float32)
XI = np.array([[1, -2, 3], [4, 5, -6]], np.int32)
B = np.array([[True, False, True], [True, True, True]])
X3 = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


# --- reductions ----------------------------------------------------------------------------------------------

def test_sum_overloads():
    x = t(X)
    check(x.sum(), X.sum(), ms.float32)
    check(x.sum(axis=1, keepdims=True), X.sum(1, keepdims=True), ms.float32)
    check(x.sum(0), X.sum(0), ms.float32)
    check(x.sum(1, True), X.sum(1, keepdims=True), ms.float32)  # the (dim, keepdim) overload
    check(x.sum(dim=0, keepdim=True), X.sum(0, keepdims=True), ms.float32)
    check(x.sum(initial=10.0), X.sum() + 10, ms.float32)
    check(t(XI, np.int32).sum(), XI.sum(), ms.int64)
    check(t(B, np.bool_).sum(), 5, ms.int64)
    check(t(XI, np.int32).sum(dtype=ms.float32), XI.sum(), ms.float32)
    with pytest.raises(TypeError, match="sum.*axis.*dim"):
        x.sum(axis=0, dim=1)


def test_mean_prod_all_any():
    check(t(X).mean(), X.mean(), ms.float32)
    check(t(X).mean(1, keep_dims=True), X.mean(1, keepdims=True), ms.float32)
    check(t(X).mean(dim=0), X.mean(0), ms.float32)
    check(t(XI, np.int32).mean(0), [2, 1, -1], ms.int32)
    check(t(XI, np.int32).prod(1), XI.prod(1), ms.int64)
    check(t(X).prod(), X.prod(), ms.float32)
    check(t(B, np.bool_).all(1), B.all(1), ms.bool_)
    check(t(B, np.bool_).all(axis=0, keep_dims=True), B.all(0, keepdims=True), ms.bool_)
    check(t(B, np.bool_).any(dim=0, keepdim=True), B.any(0, keepdims=True), ms.bool_)


def test_max_min_overloads():
    x = t(X)
    check(x.max(), X.max(), ms.float32)
    check(x.max(axis=1), X.max(1), ms.float32)
    check(x.max(axis=0, keepdims=True), X.max(0, keepdims=True), ms.float32)
    values, indices = x.max(1)
    check(values, X.max(1), ms.float32)
    check(indices, X.argmax(1), ms.int64)
    values, indices = x.min(dim=0, keepdim=True)
    check(values, X.min(0, keepdims=True), ms.float32)
    check(indices, X.argmin(0)[None], ms.int64)
    check(t(X3).max(axis=(0, 2)), X3.max((0, 2)), ms.float32)
    values, indices = x.max(axis=1, return_indices=True)
    check(indices, X.argmax(1), ms.int64)


def test_argmax_argmin():
    x = t(X)
    check(x.argmax(), X.argmax(), ms.int64)
    check(x.argmax(1), X.argmax(1), ms.int64)
    check(x.argmax(dim=0), X.argmax(0), ms.int64)
    check(x.argmax(1, True), X.argmax(1)[:, None], ms.int64)
    check(x.argmin(), X.argmin(), ms.int32)  # MindSpore: argmin is Int32, argmax Int64
    check(x.argmin(dim=1, keepdim=True), X.argmin(1)[:, None], ms.int32)


# --- shapes --------------------------------------------------------------------------------------------------

def test_shape_methods():
    x = t(X)
    check(x.reshape(3, 2), X.reshape(3, 2), ms.float32)
    check(x.reshape((3, 2)), X.reshape(3, 2), ms.float32)
    check(x.view(-1), X.reshape(-1), ms.float32)
    check(x.transpose(), X.T, ms.float32)
    check(x.T, X.T, ms.float32)
    assert t(X3).T.shape == (4, 3, 2)
    assert t(X3).transpose(1, 0, 2).shape == (3, 2, 4)
    assert t(X3).permute(2, 0, 1).shape == (4, 2, 3)
    assert t(X3).flatten().shape == (24,)  # Tensor.flatten starts at 0, ops.flatten at 1
    assert t(X3).flatten(start_dim=1).shape == (2, 12)
    assert Tensor(2.5).flatten().shape == (1,)
    assert t(np.ones((1, 2, 1, 3))).squeeze().shape == (2, 3)
    assert t(np.ones((3, 1))).squeeze(1).shape == (3,)
    assert x.expand_dims(-1).shape == (2, 3, 1)
    assert x.unsqueeze(0).shape == (1, 2, 3)
    assert t(X3).swapaxes(0, 2).shape == (4, 3, 2)
    assert [p.shape for p in t(X3).split(2, 2)] == [(2, 3, 2), (2, 3, 2)]
    assert [p.shape for p in x.chunk(2, 0)] == [(1, 3), (1, 3)]
    with pytest.raises(ValueError, match="proposed_shape"):
        x.view(7)


def test_casts_and_conversions():
    x, xi = t(X), t(XI, np.int32)
    check(xi.float(), XI, ms.float32)
    check(x.int(), X.astype(np.int32), ms.int32)
    check(xi.half(), XI, ms.float16)
    check(x.double(), X, ms.float64)
    check(x.long(), X.astype(np.int64), ms.int64)
    check(x.bool(), X != 0, ms.bool_)
    check(x.to(ms.int32), X.astype(np.int32), ms.int32)
    check(x.astype("float16"), X, ms.float16)
    check(xi.astype(np.float64), XI, ms.float64)
    check(x.astype(float), X, ms.float64)  # Python float means Float64 for astype
    check(x.type(ms.int64), X.astype(np.int64), ms.int64)
    assert x.type() == "Float32" and xi.type() == "Int32"
    with pytest.raises(TypeError, match="Tensor.to"):
        x.to(np.float16)
    with pytest.raises(TypeError, match="astype"):
        x.astype("float128")
    assert Tensor(2.5).item() == 2.5 and Tensor(7).item() == 7
    assert x.tolist() == X.tolist()
    assert len(x) == 2 and [r.shape for r in x] == [(3,), (3,)]
    copied = x.copy()
    copied[0] = 0.0
    check(x, X, ms.float32)
    with pytest.raises(ValueError, match="only one element"):
        x.item()


def test_elementwise_methods():
    p = t([0.25, 1.0, 4.0])
    check(p.sqrt(), [0.5, 1.0, 2.0], ms.float32)
    check(p.exp(), np.exp([0.25, 1.0, 4.0]), ms.float32)
    check(t(XI, np.int32).abs(), np.abs(XI), ms.int32)
    check(t(X).pow(2), X ** 2, ms.float32)
    check(t(XI, np.int32).div(2), XI / 2, ms.float32)
    check(t(X).where(t(X) > 0, 0.0), np.where(X > 0, X, 0), ms.float32)
    assert not hasattr(Tensor, "relu")  # MindSpore's Tensor has no relu method


# --- operators -----------------------------------------------------------------------------------------------

def test_operator_sequence_operands():
    x, xi = t(X), t(XI, np.int32)
    check(x + [1.0, 2.0, 3.0], X + [1, 2, 3], ms.float32)
    check(xi + [1.5, 2.5, -1.5], XI + np.array([1, 2, -1]), ms.int32)  # the list takes the Tensor's dtype
    check([1, 2, 3] - xi, np.array([1, 2, 3]) - XI, ms.int32)
    check(xi // (2, 2, 2), XI // 2, ms.int32)
    check([1.0, 2.0, 3.0] ** x, np.array([1.0, 2.0, 3.0]) ** X, ms.float32)
    for op in (lambda: x * [1.0, 2.0, 3.0], lambda: x / [1.0, 2.0, 3.0], lambda: x ** [1.0, 2.0, 3.0],
               lambda: x < [1.0, 2.0, 3.0], lambda: x % [1.0, 2.0, 3.0]):
        with pytest.raises(TypeError, match="Failed calling"):
            op()
    with pytest.raises(TypeError, match=r"Failed calling AddExt.*numpy.ndarray"):
        x + np.ones(3, np.float32)
    with pytest.raises(TypeError):
        x + None
    with pytest.raises(TypeError):
        1 & t([1], np.int32)  # MindSpore defines no reflected bitwise operators


def test_equality_with_non_tensors_is_identity():
    x = t(X)
    assert (x == None) is False  # noqa: E711
    assert (x != "a") is True
    assert (x == [1.5, -2.0, 3.0]) is False
    check(x == 1.5, X == 1.5, ms.bool_)
    assert len({x, x, t(X)}) == 2  # hashable by identity


def test_unary_dunders():
    check(-t(X), -X, ms.float32)
    check(+t(X), X, ms.float32)
    check(abs(t(XI, np.int32)), np.abs(XI), ms.int32)
    check(~t(B, np.bool_), ~B, ms.bool_)
    check(~t(XI, np.int32), XI == 0, ms.bool_)
    with pytest.raises(TypeError, match="Neg.*Bool"):
        -t(B, np.bool_)


def test_bool_operands_of_reflected_operators():
    b = t([True, False], np.bool_)
    check(True + b, [True, True], ms.bool_)
    check(b - True, [False, True], ms.bool_)
    check(True // b, [True, True], ms.bool_)
    with pytest.raises(TypeError, match="Sub.*Bool"):
        True - b  # `-` reflected runs Sub, which refuses Bool
    check(1 - b, [0, 1], ms.int64)


def test_python_number_conversions():
    assert float(Tensor(2.5)) == 2.5 and int(Tensor(-3.7)) == -3 and bool(Tensor(0.0)) is False
    assert [10, 20, 30][Tensor(1)] == 20
    for convert in (float, bool):
        with pytest.raises(ValueError):
            convert(t(X))
    with pytest.raises(TypeError, match="0-D"):
        len(Tensor(1.0))


# --- indexing ------------------------------------------------------------------------------------------------

M = np.arange(12, dtype=np.float32).reshape(3, 4)


@pytest.mark.parametrize("index", [
    1, -1, (1, 2), slice(1, None), slice(None, None, 2), slice(None, None, -1), (slice(None), 1), None,
    (Ellipsis, 1), [0, 2], [-1, 0], ([0, 1], [1, 2]), (slice(None), [0, 3]), (slice(None), None, slice(1, 3)),
])
def test_getitem_matches_numpy(index):
    check(t(M)[index], M[index], ms.float32)


def test_getitem_tensor_and_mask_indices():
    m = t(M)
    check(m[t([2, 0], np.int32)], M[[2, 0]], ms.float32)
    check(m[Tensor(1)], M[1], ms.float32)
    check(m[m > 5], M[M > 5], ms.float32)
    check(m[t([True, False, True], np.bool_)], M[[True, False, True]], ms.float32)
    check(m[[True, False, True]], M[[True, False, True]], ms.float32)
    check(t(X3)[1, 2, 3], X3[1, 2, 3], ms.float32)


def test_getitem_errors():
    m = t(M)
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension with size 3"):
        m[5]
    with pytest.raises(IndexError, match="too many indices"):
        m[0, 0, 0]
    with pytest.raises(IndexError, match="index 3 out of bounds"):
        m[[0, 3]]
    with pytest.raises(RuntimeError, match=r"Gather.*4"):
        m[t([0, 4], np.int32)]  # MindSpore gathers with a Tensor index
    for bad in (1.5, "a", t([0.0])):
        with pytest.raises(IndexError):
            m[bad]


def test_setitem():
    m = t(M)
    alias = m
    m[0] = 5.0
    m[m > 9] = 0.0
    m[:, 1] = t([10.0, 20.0, 30.0])
    m[[1, 2], 0] = 1
    expected = M.copy()
    expected[0] = 5.0
    expected[expected > 9] = 0.0
    expected[:, 1] = [10.0, 20.0, 30.0]
    expected[[1, 2], 0] = 1
    check(alias, expected, ms.float32)  # the same Tensor object was updated
    ints = t([4, 5, 6], np.int64)
    ints[1] = 2.9
    ints[0:2] = [7.0, 8.0]
    check(ints, [7, 8, 6], ms.int64)
    with pytest.raises(IndexError, match="out of bounds"):
        m[3] = 1.0
    with pytest.raises(ValueError):
        m[0] = t(np.ones(5))
