"""Tier-1 ops (functional, Primitive classes): values against numpy, MindSpore 2.10's result dtypes and shapes, and
its exception types with messages that name the op and the offending shapes or dtypes. The behaviours come from
real MindSpore (compat_tests/programs/ops_*.py record them)."""
import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, Tensor, ops


def t(values, dtype=np.float32):
    return Tensor(np.array(values, dtype))


def check(result, expected, dtype):
    assert isinstance(result, Tensor)
    assert result.dtype == dtype, f"dtype {result.dtype}, expected {dtype}"
    expected = np.asarray(expected)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result.asnumpy().astype(np.float64), expected.astype(np.float64), rtol=1e-6)


X = np.array([[-1.5, 0.0, 2.0], [0.5, -3.0, 4.25]], np.float32)
POS = np.array([0.25, 1.0, 4.0], np.float32)
I32 = np.array([[1, -2, 3], [4, 5, -6]], np.int32)


# --- unary ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, reference", [
    ("sin", np.sin), ("cos", np.cos), ("exp", np.exp), ("log", np.log), ("tanh", np.tanh),
    ("sigmoid", lambda v: 1 / (1 + np.exp(-v))), ("sqrt", np.sqrt), ("rsqrt", lambda v: 1 / np.sqrt(v)),
    ("square", np.square), ("abs", np.abs), ("neg", np.negative), ("floor", np.floor), ("reciprocal", np.reciprocal),
])
def test_float_unary_values(name, reference):
    for dtype, mstype in ((np.float32, ms.float32), (np.float64, ms.float64)):
        check(getattr(ops, name)(t(POS, dtype)), reference(POS.astype(dtype)), mstype)


@pytest.mark.parametrize("name, prim", [("sin", "Sin"), ("cos", "Cos"), ("exp", "Exp"), ("log", "Log"),
                                        ("tanh", "Tanh"), ("sigmoid", "Sigmoid"), ("rsqrt", "Rsqrt"),
                                        ("floor", "Floor"), ("erf", "Erf")])
def test_float_only_unary_refuses_integers_and_bool(name, prim):
    for tensor, dtype_name in ((t([1, 2], np.int32), "Int32"), (t([True, False], np.bool_), "Bool")):
        with pytest.raises(TypeError, match=f"'{prim}'.*{dtype_name}"):
            getattr(ops, name)(tensor)
        with pytest.raises(TypeError, match=f"'{prim}'.*{dtype_name}"):
            getattr(ops, prim)()(tensor)


def test_sqrt_and_reciprocal_of_integers_are_float32():
    check(ops.sqrt(t([1, 4, 9], np.int32)), [1.0, 2.0, 3.0], ms.float32)
    check(ops.reciprocal(t([True, False], np.bool_)), [1.0, np.inf], ms.float32)
    check(ops.Sqrt()(t([4], np.int64)), [2.0], ms.float32)


def test_integer_and_bool_unary_dtypes():
    check(ops.abs(t(I32, np.int32)), np.abs(I32), ms.int32)
    check(ops.abs(t([True, False], np.bool_)), [True, False], ms.bool_)
    check(ops.relu(t([True, False], np.bool_)), [True, False], ms.bool_)
    check(ops.relu(t(I32, np.int32)), np.maximum(I32, 0), ms.int32)
    check(ops.round(t([0.5, 1.5, 2.5, -0.5, -1.7])), [0.0, 2.0, 2.0, -0.0, -2.0], ms.float32)  # half to even
    check(ops.sign(t([-2, 0, 3], np.int64)), [-1, 0, 1], ms.int64)
    with pytest.raises(TypeError, match="Sign.*UInt8"):
        ops.sign(t([1, 2], np.uint8))
    with pytest.raises(TypeError, match="Neg.*Bool"):
        ops.neg(t([True], np.bool_))
    check(ops.isnan(t([np.nan, 1.0])), [True, False], ms.bool_)
    check(ops.logical_not(t([0, 2], np.int32)), [True, False], ms.bool_)


def test_functional_ops_require_tensors():
    for argument, described in ((1.0, "float"), (np.ones(2, np.float32), "numpy.ndarray"), ([1.0, 2.0], "list")):
        with pytest.raises(TypeError, match=f"Failed calling Sin.*{described}"):
            ops.sin(argument)
    with pytest.raises(TypeError, match="Failed calling Add"):
        ops.add(t(POS), np.ones(3, np.float32))
    with pytest.raises(TypeError, match="Failed calling MatMulExt"):
        ops.matmul(t(X), np.ones((3, 2), np.float32))


# --- binary and promotion ------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, dtype", [
    (t([1, 2], np.int32), t([1.5, 2.0]), ms.float32),
    (t([1, 2], np.int64), t([1.5, 2.0], np.float16), ms.float16),
    (t([1, 2], np.uint8), t([1, 2], np.int8), ms.int16),
    (t([1, 2], np.int32), 2, ms.int32),                # Python scalars are weak
    (t([1, 2], np.int32), 1.5, ms.float32),
    (t([1, 2], np.float16), 1.5, ms.float16),
    (t([True, False], np.bool_), 1, ms.int64),
    (t([1, 2], np.float16), Tensor(1.5), ms.float32),  # a 0-d Tensor is strong for Add
    (t([1, 2], np.int32), Tensor(2), ms.int64),
    (3, 2, ms.int64),                                  # two scalars make a 0-d Tensor
])
def test_add_promotion(a, b, dtype):
    out = ops.add(a, b)
    assert out.dtype == dtype
    np.testing.assert_allclose(out.asnumpy().astype(np.float64),
                               np.add(np.asarray(a, np.float64), np.asarray(b, np.float64)).astype(dtype.np_dtype))


def test_mul_and_div_treat_zero_d_tensors_as_weak():
    f16, i32 = t([1.0, 2.0], np.float16), t([1, 2], np.int32)
    assert ops.mul(f16, Tensor(np.float32(1.5))).dtype == ms.float16
    assert (f16 * Tensor(np.float32(1.5))).dtype == ms.float16
    assert ops.mul(i32, Tensor(2)).dtype == ms.int32
    assert (Tensor(2) * i32).dtype == ms.int32
    assert ops.div(f16, Tensor(np.float32(2.0))).dtype == ms.float16
    assert ops.mul(i32, Tensor(np.float64(2.5))).dtype == ms.float64      # a higher category still promotes
    assert ops.mul(f16, t([1.5], np.float32)).dtype == ms.float32         # only 0-d Tensors are weak
    assert ops.RealDiv()(f16, Tensor(np.float32(1.5))).dtype == ms.float32
    assert ops.mul(t([1, 2], np.uint8), Tensor(np.int64(2))).dtype == ms.uint8


def test_division_family():
    a, b = t([7, -7, 6], np.int32), t([2, 2, -4], np.int32)
    check(ops.div(a, b), [3.5, -3.5, -1.5], ms.float32)
    check(a / b, [3.5, -3.5, -1.5], ms.float32)
    check(a // b, [3, -4, -2], ms.int32)
    check(a % b, [1, 1, -2], ms.int32)
    check(ops.div(a, b, rounding_mode="trunc"), [3, -3, -1], ms.int32)
    check(ops.div(a, b, rounding_mode="floor"), [3, -4, -2], ms.int32)
    check(ops.div(t([7.5, -7.5]), 2.0, rounding_mode="trunc"), [3.0, -3.0], ms.float32)
    check(ops.RealDiv()(a, b), [3, -3, -1], ms.int32)
    check(ops.remainder(t([7.5, -7.5]), 2.0), [1.5, 0.5], ms.float32)
    with pytest.raises(ValueError, match="rounding_mode"):
        ops.div(a, b, rounding_mode="round")


def test_integer_pow_with_negative_exponents():
    base = t([2, 1, -1, -2, -1, 3, 0], np.int32)
    exponent = t([-1, -2, -3, -2, -2, 0, 2], np.int32)
    check(ops.pow(base, exponent), [0, 1, -1, 0, 1, 1, 0], ms.int32)
    check(t([1, 2, 3], np.int32) ** 2, [1, 4, 9], ms.int32)
    check(2 ** t([1, 3], np.int32), [2, 8], ms.int32)
    check(t([1, 4], np.int32) ** 0.5, [1.0, 2.0], ms.float32)


def test_bool_arithmetic_operators_and_functional_refusal():
    a, b = t([True, False, True, False], np.bool_), t([True, True, False, False], np.bool_)
    check(a + b, [True, True, True, False], ms.bool_)
    check(a - b, [False, True, True, False], ms.bool_)
    check(a * b, [True, False, False, False], ms.bool_)
    check(a // b, [True, False, True, False], ms.bool_)
    check(ops.remainder(a, b), [False, False, True, False], ms.bool_)
    check(a / b, [1.0, 0.0, np.inf, np.nan], ms.float32)
    with pytest.raises(TypeError, match="Add.*Bool"):
        ops.add(a, b)
    with pytest.raises(TypeError, match="Pow.*Bool"):
        a ** b
    with pytest.raises(TypeError, match="FloorMod.*Bool"):
        a % b


def test_comparisons_and_logical_ops():
    x = t(X)
    check(x > 0, X > 0, ms.bool_)
    check(ops.ge(x, t([0.0, 0.0, 2.0])), X >= np.array([0.0, 0.0, 2.0]), ms.bool_)
    check(ops.equal(t([1, 2], np.int32), 2), [False, True], ms.bool_)
    check(3 < t([1, 5], np.int32), [False, True], ms.bool_)
    check(~t([0.0, 2.0]), [True, False], ms.bool_)  # MindSpore's `~` is logical not for every dtype
    check(ops.logical_and(t([True, False], np.bool_), True), [True, False], ms.bool_)
    with pytest.raises(TypeError, match="Failed calling Equal"):
        ops.equal(1, x)
    with pytest.raises(TypeError, match="Failed calling LogicalAnd"):
        ops.logical_and(t([True], np.bool_), 1)
    with pytest.raises(TypeError, match="BitwiseAnd.*Float32"):
        x & x


BINARY_BROADCAST = ["add", "sub", "mul", "div", "floor_divide", "pow", "maximum", "minimum", "equal", "ne", "gt",
                    "lt", "le", "ge"]


@pytest.mark.parametrize("name", BINARY_BROADCAST)
def test_broadcast_mismatch_names_the_op_and_shapes(name):
    with pytest.raises(ValueError, match=r"need to broadcast.*\[2, 3\].*\[4\]"):
        getattr(ops, name)(t(np.ones((2, 3))), t(np.ones(4)))


def test_operator_broadcast_mismatch_uses_mindspores_op_names():
    a, b = t(np.ones((2, 3))), t(np.ones(4))
    for op, name in ((lambda: a + b, "AddExt"), (lambda: a - b, "SubExt"), (lambda: a * b, "Mul"),
                     (lambda: a / b, "Div"), (lambda: a == b, "Equal"), (lambda: a < b, "Less")):
        with pytest.raises(ValueError, match=f"For '{name}'.*need to broadcast"):
            op()


# --- matmul --------------------------------------------------------------------------------------------------

A = np.arange(6, dtype=np.float32).reshape(2, 3)
B = np.arange(12, dtype=np.float32).reshape(3, 4) - 5


def test_matmul_family_values():
    check(ops.MatMul()(t(A), t(B)), A @ B, ms.float32)
    check(ops.MatMul(transpose_a=True)(t(A.T), t(B)), A @ B, ms.float32)
    check(ops.MatMul(transpose_b=True)(t(A), t(B.T)), A @ B, ms.float32)
    check(ops.matmul(t(A), t(B)), A @ B, ms.float32)
    check(t(A) @ t(B), A @ B, ms.float32)
    check(ops.matmul(t([1.0, 2.0, 3.0]), t([4.0, 5.0, 6.0])), 32.0, ms.float32)
    batched = np.arange(12, dtype=np.float32).reshape(2, 1, 2, 3)
    rhs = np.arange(36, dtype=np.float32).reshape(3, 3, 4)
    check(ops.matmul(t(batched), t(rhs)), np.matmul(batched, rhs), ms.float32)
    x3, y3 = np.arange(12, dtype=np.float32).reshape(2, 2, 3), np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    check(ops.BatchMatMul()(t(x3), t(y3)), x3 @ y3, ms.float32)
    check(ops.BatchMatMul(transpose_b=True)(t(x3), t(np.swapaxes(y3, 1, 2))), x3 @ y3, ms.float32)
    check(ops.bmm(t(x3), t(y3)), x3 @ y3, ms.float32)
    check(ops.matmul(t(I32, np.int32), t(I32.T, np.int32)), I32 @ I32.T, ms.int32)


def test_matmul_errors():
    a23 = t(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match=r"MatMulExt.*3 and 2"):
        ops.matmul(a23, a23)
    with pytest.raises(RuntimeError, match="MatMulExt"):
        a23 @ a23
    with pytest.raises(ValueError, match=r"MatMul.*'x1_col': 3 and 'x2_row': 4"):
        ops.matmul(a23, t(np.ones(4)))  # matrix x vector runs as MatMul in MindSpore
    with pytest.raises(RuntimeError, match="broadcastable"):
        ops.matmul(t(np.ones((2, 2, 3))), t(np.ones((3, 3, 2))))
    with pytest.raises(TypeError, match=r"MatMulExt.*Float32.*Float64"):
        ops.matmul(a23, t(np.ones((3, 2)), np.float64))
    with pytest.raises(ValueError, match=r"MatMul.*'x1_col': 3 and 'x2_row': 2"):
        ops.MatMul()(a23, a23)
    with pytest.raises(ValueError, match=r"MatMul.*\[2, 2, 3\]"):
        ops.MatMul()(t(np.ones((2, 2, 3))), a23)
    with pytest.raises(TypeError, match=r"MatMul.*Float16.*Float32"):
        ops.MatMul()(t(np.ones((2, 3)), np.float16), t(np.ones((3, 2))))
    with pytest.raises(ValueError, match=r"BatchMatMul.*\[2, 2, 3\]"):
        ops.BatchMatMul()(t(np.ones((2, 2, 3))), t(np.ones((2, 2, 3))))
    with pytest.raises(ValueError, match="BatchMatMul.*2D or higher"):
        ops.BatchMatMul()(t(np.ones(3)), a23)


# --- reductions ----------------------------------------------------------------------------------------------

R = np.array([[1.5, -2.0, 3.0, 0.5], [4.0, 0.25, -1.0, 2.0], [-3.5, 5.0, 1.0, 1.0]], np.float32)


def test_reduce_classes():
    check(ops.ReduceSum()(t(R)), R.sum(), ms.float32)
    check(ops.ReduceSum(keep_dims=True)(t(R), 1), R.sum(1, keepdims=True), ms.float32)
    check(ops.ReduceMean()(t(R), (0, 1)), R.mean(), ms.float32)
    check(ops.ReduceMax(True)(t(R), -1), R.max(-1, keepdims=True), ms.float32)
    check(ops.ReduceMin()(t(R), [0]), R.min(0), ms.float32)
    check(ops.ReduceProd()(t(I32, np.int32), 0), I32.prod(0), ms.int32)
    check(ops.ReduceAll()(t([[True, False], [True, True]], np.bool_), 1), [False, True], ms.bool_)
    check(ops.ReduceSum()(t(I32, np.int32), 0), I32.sum(0), ms.int32)          # the class keeps Int32
    check(ops.ReduceMean()(t([[1, 2], [3, 5]], np.int32), 1), [1, 4], ms.int32)  # integer mean truncates
    assert repr(ops.ReduceSum(keep_dims=True)) == "Prim[ReduceSum]<keep_dims=True, skip_mode=False>"


def test_functional_reduction_dtypes():
    i32 = t(I32, np.int32)
    check(ops.sum(i32), I32.sum(), ms.int64)
    check(ops.sum(t([[True, False]], np.bool_), 1), [1], ms.int64)
    check(ops.sum(i32, 1, True, dtype=ms.float32), I32.sum(1, keepdims=True), ms.float32)
    check(ops.mean(i32, 0), [2, 1, -1], ms.int32)
    check(ops.prod(i32, 1), I32.prod(1), ms.int64)
    check(ops.prod(i32, (0, 1)), I32.prod(), ms.int32)  # a tuple of axes runs ReduceProd
    check(ops.amax(t(R), (0, 1)), R.max(), ms.float32)
    check(ops.amax(t(R), 1, initial=2.0), np.maximum(R, 2.0).max(1), ms.float32)


def test_max_min_return_values_and_int64_indices():
    values, indices = ops.max(t(R), 1)
    check(values, R.max(1), ms.float32)
    check(indices, R.argmax(1), ms.int64)
    values, indices = ops.min(t(R), 0, keepdims=True)
    check(values, R.min(0, keepdims=True), ms.float32)
    check(indices, R.argmin(0)[None], ms.int64)
    values, index = ops.max(t(R))  # MindSpore 2.10: the index of a full reduction is always 0
    check(values, R.max(), ms.float32)
    check(index, 0, ms.int64)
    with pytest.raises(TypeError, match="dim"):
        ops.max(t(R), dim=1)


def test_argmax_argmin_dtypes():
    ties = t([[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]])
    check(ops.argmax(ties, 1), [1, 0], ms.int64)
    check(ops.argmax(ties), 1, ms.int64)
    check(ops.argmax(t([False, True], np.bool_)), 1, ms.int64)
    check(ops.argmax(ties, 1, True), [[1], [0]], ms.int64)
    check(ops.argmin(ties, 1), [0, 2], ms.int32)
    check(ops.argmin(ties), 0, ms.int32)
    check(ops.Argmax()(ties), [1, 0], ms.int32)
    check(ops.Argmax(axis=0, output_type=ms.int64)(ties), [1, 0, 0], ms.int64)
    indices, values = ops.ArgMaxWithValue(axis=1, keep_dims=True)(ties)
    check(indices, [[1], [0]], ms.int64)
    check(values, [[3.0], [2.0]], ms.float32)
    with pytest.raises(TypeError, match="Argmin.*Bool"):
        ops.argmin(t([True, False], np.bool_))


def test_reduction_errors():
    a23 = t(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"SumExt.*\[-2,2\).*2"):
        ops.sum(a23, 2)
    with pytest.raises(ValueError, match=r"ReduceMean.*\[-2,2\)"):
        ops.mean(a23, 5)
    with pytest.raises(RuntimeError, match="ReduceSum.*dim=0 appears multiple times"):
        ops.ReduceSum()(a23, (0, 0))
    with pytest.raises(RuntimeError, match="ReduceMean.*bool"):
        ops.mean(t([True], np.bool_))
    with pytest.raises(TypeError, match="ReduceMax.*Bool"):
        ops.amax(t([True], np.bool_))
    with pytest.raises(ValueError, match=r"Argmax.*\[-2,2\).*2"):
        ops.argmax(a23, 2)
    with pytest.raises(ValueError, match="ArgMaxWithValue"):
        ops.max(a23, 2)


# --- shape ops -----------------------------------------------------------------------------------------------

X3 = np.arange(24, dtype=np.int32).reshape(2, 3, 4)


def test_reshape_transpose_expand_squeeze():
    check(ops.reshape(t(X3, np.int32), (-1, 6)), X3.reshape(-1, 6), ms.int32)
    check(ops.Reshape()(t(X3, np.int32), [4, 6]), X3.reshape(4, 6), ms.int32)
    check(ops.transpose(t(X3, np.int32), (2, 0, 1)), X3.transpose(2, 0, 1), ms.int32)
    check(ops.transpose(t(X3, np.int32), (-1, 0, 1)), X3.transpose(2, 0, 1), ms.int32)
    assert ops.expand_dims(t(A), -1).shape == (2, 3, 1)
    assert ops.unsqueeze(t(A), 0).shape == (1, 2, 3)
    ones = t(np.ones((1, 3, 1, 2)))
    assert ops.squeeze(ones).shape == (3, 2)
    assert ops.squeeze(ones, (0, 2)).shape == (3, 2)
    assert ops.squeeze(t(A), 0).shape == (2, 3)  # an axis whose size is not 1 is left alone


def test_shape_errors():
    a23 = t(A)
    with pytest.raises(ValueError, match=r"proposed_shape.*\{4, 2\}.*size 6"):
        ops.reshape(a23, (4, 2))
    with pytest.raises(ValueError, match="only one dimension can be inferred"):
        ops.reshape(a23, (-1, -1))
    with pytest.raises(ValueError, match="invalid proposed_shape"):
        ops.reshape(a23, (-2, 3))
    with pytest.raises(ValueError, match="Transpose.*size of perm"):
        ops.transpose(a23, (0,))
    with pytest.raises(ValueError, match="Transpose.*unique"):
        ops.transpose(a23, (0, 0))
    with pytest.raises(ValueError, match="Transpose.*out of range"):
        ops.transpose(a23, (0, 2))
    with pytest.raises(ValueError, match=r"range of \[-3, 3\).*3"):
        ops.expand_dims(a23, 3)
    with pytest.raises(ValueError, match="Tile.*negative"):
        ops.tile(a23, (2, -1))
    with pytest.raises(ValueError, match="BroadcastTo"):
        ops.broadcast_to(t([1.0, 2.0, 3.0]), (2, 4))


def test_flatten_variants():
    x = t(np.zeros((2, 3, 4, 5)))
    assert ops.flatten(x).shape == (2, 60)
    assert ops.flatten(x, start_dim=1, end_dim=2).shape == (2, 12, 5)
    assert ops.flatten(x, start_dim=0).shape == (120,)
    assert ops.flatten(t([1.0, 2.0])).shape == (2,)
    assert ops.flatten(Tensor(2.0)).shape == (1,)
    assert ops.Flatten()(t([1.0, 2.0])).shape == (2, 1)
    with pytest.raises(RuntimeError, match="Flatten"):
        ops.Flatten()(Tensor(2.0))
    with pytest.raises(ValueError, match="out of range"):
        ops.flatten(t(A), start_dim=3)
    with pytest.raises(ValueError, match="cannot come after"):
        ops.flatten(x, start_dim=2, end_dim=1)


def test_concat_stack():
    a, b = t(A), t(np.arange(8, dtype=np.float32).reshape(2, 4))
    check(ops.concat((a, b), 1), np.concatenate([A, b.asnumpy()], 1), ms.float32)
    check(ops.cat([a, a]), np.concatenate([A, A]), ms.float32)
    check(ops.Concat(axis=1)((a, a)), np.concatenate([A, A], 1), ms.float32)
    check(ops.stack((a, a), -1), np.stack([A, A], -1), ms.float32)
    check(ops.Stack(axis=1)((a, a)), np.stack([A, A], 1), ms.float32)
    with pytest.raises(ValueError, match=r"Concat.*mismatch in 1.*\{2, 3\}.*\{2, 4\}"):
        ops.concat((a, b))
    with pytest.raises(ValueError, match="Concat.*rank"):
        ops.concat((a, t([1.0])))
    with pytest.raises(ValueError, match="Concat"):
        ops.concat(())
    with pytest.raises(TypeError, match="Failed calling Concat"):
        ops.concat(a)
    with pytest.raises(ValueError, match=r"Stack.*shape must be the same"):
        ops.stack((a, t(A.T)))
    with pytest.raises(TypeError, match="Stack.*Int32.*Float32"):
        ops.stack((a, t(A, np.int32)))
    with pytest.raises(ValueError, match=r"Stack.*\[-3, 3\).*3"):
        ops.stack((a, a), 3)


def test_split_and_chunk():
    five = t(np.arange(5, dtype=np.float32))
    assert [p.shape for p in ops.split(five, 2)] == [(2,), (2,), (1,)]
    assert [p.asnumpy().tolist() for p in ops.split(five, [1, 4])] == [[0.0], [1.0, 2.0, 3.0, 4.0]]
    assert [p.shape for p in ops.split(t(np.zeros((3, 4))), 2, axis=1)] == [(3, 2), (3, 2)]
    assert [p.shape for p in ops.Split(axis=1, output_num=2)(t(np.zeros((3, 4))))] == [(3, 2), (3, 2)]
    assert [p.shape for p in ops.chunk(five, 2)] == [(3,), (2,)]
    assert [p.shape for p in ops.chunk(t([1.0, 2.0, 3.0]), 5)] == [(1,), (1,), (1,)]
    with pytest.raises(ValueError, match="sum of 'split_size_or_sections'.*3.*2"):
        ops.split(t([1.0, 2.0, 3.0]), [1, 1])
    with pytest.raises(ValueError, match="more than zero"):
        ops.split(five, 0)
    with pytest.raises(ValueError, match="Split.*divisible"):
        ops.Split(0, 2)(t([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="chunks"):
        ops.chunk(five, 0)
    with pytest.raises(TypeError, match="chunks"):
        ops.chunk(five, 1.5)


def test_tile_broadcast_to():
    check(ops.tile(t([1.0, 2.0]), (2, 2)), np.tile([1.0, 2.0], (2, 2)), ms.float32)
    check(ops.tile(t(A), (2,)), np.tile(A, (2,)), ms.float32)
    check(ops.broadcast_to(t(np.ones((3, 1))), (-1, 4)), np.ones((3, 4)), ms.float32)
    check(ops.BroadcastTo((2, 3))(t([1.0, 2.0, 3.0])), np.broadcast_to([1.0, 2.0, 3.0], (2, 3)), ms.float32)


# --- creation, cast, one_hot, where, gather ------------------------------------------------------------------

def test_creation_dtypes():
    check(ops.ones((2, 3)), np.ones((2, 3)), ms.float32)
    check(ops.zeros(3, ms.int32), np.zeros(3), ms.int32)
    check(ops.full((2,), 2.5), [2, 2], ms.int64)  # MindSpore 2.10: ops.full defaults to Int64
    check(ops.full((2,), 2.5, dtype=ms.float32), [2.5, 2.5], ms.float32)
    check(ops.fill(ms.int32, (2,), 4), [4, 4], ms.int32)
    check(ops.ones_like(t(I32, np.int32)), np.ones((2, 3)), ms.int32)
    check(ops.zeros_like(t(A), dtype=ms.int64), np.zeros((2, 3)), ms.int64)
    check(ops.arange(5), np.arange(5), ms.int64)
    check(ops.arange(0.0, 1.0, 0.25), np.arange(0, 1, 0.25), ms.float32)
    check(ops.arange(5, 0, -2), [5, 3, 1], ms.int64)
    with pytest.raises(TypeError, match="Ones.*mindspore dtype"):
        ops.ones((2,), np.float32)
    with pytest.raises(TypeError, match="ops.full.*size"):
        ops.full(3, 1.0)


def test_cast():
    check(ops.cast(t(X), ms.int32), [[-1, 0, 2], [0, -3, 4]], ms.int32)  # toward zero
    check(ops.Cast()(t([0.0, 2.0]), ms.bool_), [False, True], ms.bool_)
    check(ops.cast(2.7, ms.int32), 2, ms.int32)
    for bad in (np.float32, "float32", float):
        with pytest.raises(TypeError, match="Cast"):
            ops.cast(t(X), bad)


def test_one_hot():
    idx = t([0, 2, 1], np.int32)
    check(ops.one_hot(idx, 3), np.eye(3)[[0, 2, 1]], ms.int64)
    check(ops.one_hot(idx, 3, Tensor(1.0), Tensor(0.0)), np.eye(3)[[0, 2, 1]], ms.float32)
    check(ops.one_hot(idx, 3, 2, -1), np.where(np.eye(3)[[0, 2, 1]] > 0, 2, -1), ms.int64)
    check(ops.OneHot(axis=0)(idx, 3, Tensor(1.0), Tensor(0.0)), np.eye(3)[[0, 2, 1]].T, ms.float32)
    check(ops.one_hot(t([0, 5, -1], np.int32), 3), np.zeros((3, 3)) + np.eye(3)[[0]] * [[1], [0], [0]], ms.int64)
    with pytest.raises(TypeError, match=r"OneHot.*indices.*Float32"):
        ops.one_hot(t([0.0, 1.0]), 3)
    with pytest.raises(TypeError, match="OneHot.*same"):
        ops.one_hot(idx, 3, Tensor(1.0), Tensor(0, ms.int32))
    with pytest.raises(TypeError, match="OneHot.*Float64"):
        ops.one_hot(idx, 3, Tensor(1.0, ms.float64), Tensor(0.0, ms.float64))
    with pytest.raises(ValueError, match="OneHot.*depth"):
        ops.one_hot(idx, -1)
    with pytest.raises(ValueError, match=r"OneHot.*axis.*\[-1,1\]"):
        ops.one_hot(idx, 3, Tensor(1.0), Tensor(0.0), 2)


def test_where_select():
    cond = t([[True, False, True], [False, True, False]], np.bool_)
    check(ops.where(cond, t(A), -t(A)), np.where(cond.asnumpy(), A, -A), ms.float32)
    check(ops.where(cond, t(A), 0.0), np.where(cond.asnumpy(), A, 0), ms.float32)
    check(ops.where(t([True, False], np.bool_), t([4, 5], np.int64), t([1.5, 2.5])), [4.0, 2.5], ms.float32)
    check(ops.select(cond, t(A), t(A) * 2), np.where(cond.asnumpy(), A, 2 * A), ms.float32)
    with pytest.raises(ValueError, match="Select"):
        ops.where(t(np.ones(4), np.bool_), t(A), t(A))


def test_gather():
    check(ops.gather(t(A), t([1, 0, 1], np.int32), 0), A[[1, 0, 1]], ms.float32)
    check(ops.gather(t(A), t([[2, 0]], np.int64), 1), A[:, [[2, 0]]], ms.float32)
    check(ops.Gather()(t(A), Tensor(1), 0), A[1], ms.float32)
    batch = np.arange(12, dtype=np.float32).reshape(2, 3, 2)
    check(ops.gather(t(batch), t([[0, 2], [1, 1]], np.int32), 1, batch_dims=1),
          np.stack([batch[0][[0, 2]], batch[1][[1, 1]]]), ms.float32)
    with pytest.raises(RuntimeError, match=r"Gather.*\[0, 3\).*5"):
        ops.gather(t([1.0, 2.0, 3.0]), t([5], np.int32), 0)
    with pytest.raises(TypeError, match="Failed calling Gather"):
        ops.gather(t(A), 1, 0)
    with pytest.raises(ValueError, match=r"Gather.*axis.*2"):
        ops.gather(t(A), t([0], np.int32), 2)


@pytest.mark.parametrize("mode", [ms.PYNATIVE_MODE, ms.GRAPH_MODE])
def test_gather_negative_indices_and_index_dtypes(mode):
    ms.set_context(mode=mode)
    try:
        params = np.arange(10, dtype=np.float32).reshape(5, 2)
        gather = ms.jit(ops.gather) if mode == ms.GRAPH_MODE else ops.gather
        # a negative index counts from the end once, in both modes (MindSpore 2.10)
        check(gather(t(params), t([-1, -5, 0], np.int32), 0), params[[4, 0, 0]], ms.float32)
        check(gather(t(params), t([-1], np.int32), 1), params[:, [1]], ms.float32)
        for dtype in (np.int16, np.int32, np.int64):
            check(gather(t(params), t([1, 0], dtype), 0), params[[1, 0]], ms.float32)
        # dtypes are known when compiling: MindSpore's CPU kernel-select TypeError in both modes
        for dtype, name in ((np.int8, "Int8"), (np.uint8, "UInt8"), (np.uint16, "UInt16"), (np.uint32, "UInt32"),
                            (np.uint64, "UInt64"), (np.bool_, "Bool"), (np.float32, "Float32")):
            with pytest.raises(TypeError) as info:
                gather(t(params), t([1, 0], dtype), 0)
            message = str(info.value)
            assert message.startswith("Select CPU operator[Gather] fail! Unsupported data type!\nThe supported data "
                                      "types are input[UInt8 Int32 Int64 Int64], output[UInt8]; ")
            assert message.endswith(f"input[Complex128 Int32 Int64 Int64], output[Complex128]; , but get input["
                                    f"Float32 {name} Int64 Int64 ] and output[Float32 ]"), message
        with pytest.raises(TypeError, match=r"but get input\[Float32 Int8 Int64 Int64 \]"):
            ms.nn.Embedding(5, 2)(t([1], np.int8))
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)


def test_gather_range_errors_report_the_wrapped_index():
    params = t(np.arange(10, dtype=np.float32).reshape(5, 2))
    for index, shown in (([-6], -1), ([0, -10], -5), ([5], 5)):
        with pytest.raises(RuntimeError) as info:
            ops.gather(params, t(index, np.int32), 0)
        assert str(info.value) == (f"For 'Gather', the 'input_indices' should be in the range [0, 5), but got "
                                   f"{shown}, error_code[58]")
    with pytest.raises(RuntimeError, match=r"range \[0, 2\), but got -1,"):
        ops.gather(params, t([-3], np.int32), 1)
    with pytest.raises(RuntimeError, match=r"range \[0, 5\), but got -1,"):
        ms.nn.Embedding(5, 2)(t([-6], np.int32))
    check(ms.nn.Embedding(5, 2, embedding_table="ones")(t([-1], np.int32)), np.ones((1, 2)), ms.float32)


def test_activations():
    s = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]], np.float32)
    expected = np.exp(s) / np.exp(s).sum(-1, keepdims=True)
    check(ops.softmax(t(s)), expected, ms.float32)
    check(ops.Softmax(axis=0)(t(s)), np.exp(s) / np.exp(s).sum(0, keepdims=True), ms.float32)
    check(ops.log_softmax(t(s)), np.log(expected), ms.float32)
    check(ops.softmax(t(s), dtype=ms.float64), expected, ms.float64)
    check(ops.relu(t(X)), np.maximum(X, 0), ms.float32)
    check(ops.relu6(t([-1.0, 3.0, 7.5])), [0.0, 3.0, 6.0], ms.float32)
    with pytest.raises(TypeError, match="Softmax.*Int32"):
        ops.softmax(t([1, 2], np.int32))
    with pytest.raises(ValueError, match=r"Softmax.*\[-2,2\)"):
        ops.softmax(t(s), 2)


# --- state and misc ------------------------------------------------------------------------------------------

def test_assign_depend_stop_gradient_shape():
    p = Parameter(t([0.0, 0.0, 0.0]), name="p")
    out = ops.assign(p, t([1.0, 2.0, 3.0]))
    assert type(out) is Tensor and out is not p
    check(p, [1.0, 2.0, 3.0], ms.float32)
    check(out, [1.0, 2.0, 3.0], ms.float32)
    with pytest.raises(ValueError, match=r"Assign.*\[1\].*\[3\]"):
        ops.assign(p, t([7.0]))
    v = t([1.0])
    assert ops.depend(v, t([2.0])) is v
    check(ops.stop_gradient(v), [1.0], ms.float32)
    assert ops.Shape()(t(X3)) == (2, 3, 4)
    assert ops.shape(t(A)) == (2, 3) and ops.rank(t(X3)) == 3 and ops.size(t(X3)) == 24
    with pytest.raises(TypeError, match="Shape"):
        ops.Shape()(np.ones(3))


def test_max_gradient_flows_to_the_selected_elements():
    def f(x):
        return ops.max(x, 1)[0].sum()
    grad = ops.GradOperation()(f)(t(R))
    expected = np.zeros_like(R)
    expected[np.arange(3), R.argmax(1)] = 1.0
    check(grad, expected, ms.float32)
