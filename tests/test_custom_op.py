"""``ops.Custom(func_type="pyfunc")``: a numpy function (called directly when eager, through `jax.pure_callback` on
traced values) whose bprop is a custom rule. Behaviour as recorded from MindSpore 2.10 (see
compat_tests/programs/custom_op.py)."""
import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, Tensor, nn, ops


def f32(*values):
    return Tensor(np.array(values, np.float32))


def arr(t):
    return np.asarray(t.asnumpy())


X, Y = f32(1.0, 2.0, 3.0), f32(4.0, 5.0, 6.0)
GA = ops.GradOperation(get_all=True)


def add(a, b):
    return a + b


def same(*args):
    return args[0]


def test_pyfunc_gets_numpy_and_infer_functions_get_shapes_and_tensor_types():
    seen = {}

    def func(a, b):
        seen["func"] = (type(a), a.dtype, type(b))
        return a + b

    def infer_shape(a, b):
        seen["shape"] = (a, b)
        return a

    def infer_dtype(a, b):
        seen["dtype"] = (str(a), str(b))
        return a

    op = ops.Custom(func, out_shape=infer_shape, out_dtype=infer_dtype, func_type="pyfunc")
    out = op(X, Y)
    assert out.dtype == ms.float32 and out.shape == (3,) and arr(out).tolist() == [5.0, 7.0, 9.0]
    assert seen == {"func": (np.ndarray, np.float32, np.ndarray), "shape": ([3], [3]),
                    "dtype": ("Tensor[Float32]", "Tensor[Float32]")}
    assert arr(op(X, 2)).tolist() == [3.0, 4.0, 5.0]
    assert seen["func"][2] is int and seen["shape"] == ([3], []) and seen["dtype"][1] == "Int64"
    op(X, 2.0)
    assert seen["dtype"][1] == "Float32"
    assert repr(op) == "Prim[Custom]<func_name=func, func_type=pyfunc>"
    assert (op.func_type, op.bprop, op.name, op.func is func, op.reg_info) == ("pyfunc", None, "Custom", True, None)


def test_output_specs():
    two = ops.Custom(lambda a: (a * 2, a + 1), out_shape=((3,), (3,)), out_dtype=(ms.float32, ms.float32),
                     func_type="pyfunc")(X)
    assert isinstance(two, tuple) and [arr(t).tolist() for t in two] == [[2.0, 4.0, 6.0], [2.0, 3.0, 4.0]]
    one = ops.Custom(add, out_shape=[[3]], out_dtype=[ms.float32], func_type="pyfunc")(X, Y)
    assert isinstance(one, tuple) and len(one) == 1
    reshaped = ops.Custom(lambda a, b: (a + b).reshape(3, 1), out_shape=(3,), out_dtype=ms.float32,
                          func_type="pyfunc")(X, Y)
    assert reshaped.shape == (3,)
    scalar = ops.Custom(lambda a: float(a.sum()), out_shape=(), out_dtype=ms.float32, func_type="pyfunc")(X)
    assert scalar.shape == (1,) and scalar.dtype == ms.float32 and arr(scalar).tolist() == [6.0]
    listed = ops.Custom(lambda a: [a * 2], out_shape=same, out_dtype=same, func_type="pyfunc")(X)
    assert listed.shape == (3,)


def test_function_may_modify_its_input_copy():
    def modify(a):
        a[0] = 100
        return a

    out = ops.Custom(modify, out_shape=same, out_dtype=same, func_type="pyfunc")(X)
    assert arr(out).tolist() == [100.0, 2.0, 3.0] and arr(X).tolist() == [1.0, 2.0, 3.0]


def test_errors():
    op = ops.Custom(add, out_shape=same, out_dtype=same, func_type="pyfunc")
    with pytest.raises(TypeError, match="must be Tensors or Python scalars, but got ndarray"):
        op(X, np.ones(3, np.float32))
    with pytest.raises(TypeError, match="unexpected keyword argument 'b'"):
        op(X, b=Y)
    with pytest.raises(RuntimeError, match="The output num is 1, with 2 expect"):
        ops.Custom(add, out_shape=((3,), (3,)), out_dtype=(ms.float32, ms.float32), func_type="pyfunc")(X, Y)
    with pytest.raises(RuntimeError, match=r"returned float64 \[3\], but out_dtype/out_shape declare float32 \[3\]"):
        ops.Custom(lambda a, b: (a + b).astype(np.float64), out_shape=(3,), out_dtype=ms.float32,
                   func_type="pyfunc")(X, Y)
    with pytest.raises(RuntimeError, match=r"declare float32 \[2\]"):
        ops.Custom(add, out_shape=(2,), out_dtype=ms.float32, func_type="pyfunc")(X, Y)
    with pytest.raises(TypeError, match="'out_shape' must be one of \\[tuple, list, function\\], but got <class "
                                        "'NoneType'>"):
        ops.Custom(add, out_dtype=ms.float32, func_type="pyfunc")(X, Y)
    with pytest.raises(TypeError, match="'out_dtype' must be one of"):
        ops.Custom(add, out_shape=(3,), out_dtype="float32", func_type="pyfunc")(X, Y)

    def raises(a, b):
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):  # eagerly the function's own exception comes through
        ops.Custom(raises, out_shape=(3,), out_dtype=ms.float32, func_type="pyfunc")(X, Y)
    with pytest.raises(ValueError, match=r"'func_type' must be one of \['hybrid', 'akg', 'tbe', 'aicpu', 'aot', "
                                         r"'pyfunc'\], but got julia"):
        ops.Custom(add, out_shape=(3,), out_dtype=ms.float32, func_type="julia")
    for func_type in ("hybrid", "akg", "tbe", "aicpu", "aot"):
        with pytest.raises(NotImplementedError, match='func_type="pyfunc".*bprop method'):
            ops.Custom(add, out_shape=(3,), out_dtype=ms.float32, func_type=func_type)


def test_gradient_without_bprop_raises_only_when_it_reaches_the_op():
    op = ops.Custom(add, out_shape=same, out_dtype=same, func_type="pyfunc")
    with pytest.raises(RuntimeError, match="Illegal primitive Custom's bprop not defined"):
        GA(lambda a, b: op(a, b) * 2)(X, Y)
    with pytest.raises(RuntimeError, match="Illegal primitive Custom's bprop not defined"):
        ms.grad(lambda a, b: op(a, b) * 2)(X, Y)

    def unused(a):
        op(a, Y)
        return a * 2

    assert arr(GA(unused)(X)[0]).tolist() == [2.0, 2.0, 2.0]


def test_bprop_arguments_and_scaled_dout():
    seen = []

    def bprop(a, b, out, dout):
        seen.append([arr(t).tolist() for t in (a, b, out, dout)])
        return dout * 2, dout * b

    op = ops.Custom(add, out_shape=same, out_dtype=same, func_type="pyfunc", bprop=bprop)

    def f(a, b):
        return op(a * 3, b) * 2

    grads = GA(f)(X, Y)
    assert [arr(g).tolist() for g in grads] == [[12.0] * 3, [8.0, 10.0, 12.0]]
    assert seen == [[[3.0, 6.0, 9.0], [4.0, 5.0, 6.0], [7.0, 11.0, 15.0], [2.0, 2.0, 2.0]]]
    value, grads = ms.value_and_grad(f, grad_position=(0, 1))(X, Y)
    assert arr(value).tolist() == [14.0, 22.0, 30.0] and arr(grads[1]).tolist() == [8.0, 10.0, 12.0]


def test_bprop_result_forms():
    def grad_of(bprop, func=add, fn=None):
        op = ops.Custom(func, out_shape=same, out_dtype=same, func_type="pyfunc", bprop=bprop)
        return GA(fn or (lambda *args: op(*args)))

    assert arr(grad_of(lambda a, out, dout: dout * 2 * a, func=lambda a: a * a)(X)[0]).tolist() == [2.0, 4.0, 6.0]
    assert [arr(g).tolist() for g in grad_of(lambda a, b, out, dout: (None, dout))(X, Y)] == [[0.0] * 3, [1.0] * 3]
    with pytest.raises(RuntimeError, match="Grad size should lager than forward inputs, but got 1 vs 2"):
        grad_of(lambda a, b, out, dout: dout * 2)(X, Y)
    with pytest.raises(TypeError, match="Unreasonable data type"):
        grad_of(lambda a, b, out, dout: (dout.asnumpy(), dout))(X, Y)

    scalar = ops.Custom(add, out_shape=same, out_dtype=same, func_type="pyfunc",
                        bprop=lambda a, k, out, dout: (dout * k, 0))
    assert arr(GA(lambda a: scalar(a, 5.0))(X)[0]).tolist() == [5.0] * 3


def test_bprop_tuple_dout_integer_input_and_parameter():
    douts = []

    def pair_bprop(a, out, dout):
        douts.append([arr(d).tolist() for d in dout])
        return (dout[0] * 2 + dout[1],)

    pair = ops.Custom(lambda a: (a * 2, a + 1), out_shape=lambda a: (a, a), out_dtype=lambda a: (a, a),
                      func_type="pyfunc", bprop=pair_bprop)
    assert arr(GA(lambda a: pair(a)[0] * 3)(X)[0]).tolist() == [6.0] * 3
    assert douts == [[[3.0] * 3, [0.0] * 3]]

    square = ops.Custom(lambda a: a * a, out_shape=same, out_dtype=same, func_type="pyfunc",
                        bprop=lambda a, out, dout: (dout,))
    grad = GA(lambda a: square(a).astype(ms.float32) * 2.5)(Tensor(np.array([1, 2], np.int32)))[0]
    assert grad.dtype == ms.int32 and arr(grad).tolist() == [2, 2]

    class WithParameter(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(f32(2.0, 2.0, 2.0), name="w")
            self.op = ops.Custom(add, out_shape=same, out_dtype=same, func_type="pyfunc",
                                 bprop=lambda a, b, out, dout: (dout * 3, dout * 4))

        def construct(self, a):
            return self.op(a, self.w) * 2

    net = WithParameter()
    x_grad, (w_grad,) = ms.grad(net, grad_position=0, weights=net.trainable_params())(X)
    assert arr(x_grad).tolist() == [6.0] * 3 and arr(w_grad).tolist() == [8.0] * 3


def test_traced_values_go_through_pure_callback():
    op = ops.Custom(lambda a: np.sort(a)[::-1].copy(), out_shape=same, out_dtype=same, func_type="pyfunc")
    rows = Tensor(np.array([[1.0, 3.0, 2.0], [0.0, -1.0, 5.0]], np.float32))
    assert arr(ms.vmap(op)(rows)).tolist() == [[3.0, 2.0, 1.0], [5.0, 0.0, -1.0]]


def test_graph_mode_honours_the_bprop():
    op = ops.Custom(add, out_shape=same, out_dtype=same, func_type="pyfunc",
                    bprop=lambda a, b, out, dout: (dout * 2, dout * 3))
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        grads = GA(lambda a, b: op(a, b) * 2)(X, Y)
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
    assert [arr(g).tolist() for g in grads] == [[4.0] * 3, [6.0] * 3]
