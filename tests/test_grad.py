"""ops.GradOperation and the `linearize` engine: return structures, analytic derivatives, Parameter lifting and
write-back (also when user code raises), mode-dependent rules, sens checks, integer inputs."""
import jax
import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, ParameterTuple, Tensor, nn, ops
from msjax._src import grad as grad_mod
from msjax._src import primitive, state


def f32(*values):
    return Tensor(np.array(values, np.float32))


def arr(t):
    return np.asarray(t.asnumpy())


@pytest.fixture
def graph_mode():
    ms.set_context(mode=ms.GRAPH_MODE)
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(f32(2.0), name="w")
        self.b = Parameter(f32(3.0), name="b")

    def construct(self, x, y):
        return x * y * self.w + self.b


X, Y, SENS = f32(1.0, 2.0), f32(3.0, 4.0), f32(1.0, 10.0)


def assert_tensor(t, expected, dtype=ms.float32):
    assert isinstance(t, Tensor), f"expected a Tensor, got {type(t).__name__}"
    assert t.dtype == dtype
    np.testing.assert_allclose(arr(t), np.asarray(expected), rtol=1e-6)


# --- the 8 flag combinations --------------------------------------------------------------------------------------

@pytest.mark.parametrize("as_function", [False, True])
@pytest.mark.parametrize("get_all", [False, True])
@pytest.mark.parametrize("get_by_list", [False, True])
@pytest.mark.parametrize("sens_param", [False, True])
def test_flag_combination_structure_and_values(as_function, get_all, get_by_list, sens_param):
    net = Net()
    target = (lambda x, y: x * y * net.w + net.b) if as_function else net
    params = ParameterTuple(net.trainable_params())
    op = ops.GradOperation(get_all=get_all, get_by_list=get_by_list, sens_param=sens_param)
    fn = op(target, params) if get_by_list else op(target)
    result = fn(X, Y, SENS) if sens_param else fn(X, Y)
    s = np.array([1.0, 10.0]) if sens_param else np.ones(2)
    gx, gy = np.array([3.0, 4.0]) * 2 * s, np.array([1.0, 2.0]) * 2 * s
    gw, gb = [np.sum(np.array([3.0, 8.0]) * s)], [np.sum(s)]
    if get_all and get_by_list:
        assert type(result) is tuple and len(result) == 2
        (rx, ry), (rw, rb) = result
        for t, e in ((rx, gx), (ry, gy), (rw, gw), (rb, gb)):
            assert_tensor(t, e)
    elif get_all:
        assert type(result) is tuple and len(result) == 2
        assert_tensor(result[0], gx)
        assert_tensor(result[1], gy)
    elif get_by_list:
        assert type(result) is tuple and len(result) == 2
        assert_tensor(result[0], gw)
        assert_tensor(result[1], gb)
    else:
        assert_tensor(result, gx)


def test_weight_forms():
    net = Net()
    single = ops.GradOperation(get_by_list=True)(net, net.w)(X, Y)
    assert_tensor(single, [11.0])
    listed = ops.GradOperation(get_by_list=True)(net, [net.b, net.w])(X, Y)
    assert type(listed) is tuple and [float(arr(g)[0]) for g in listed] == [2.0, 11.0]
    assert ops.GradOperation(get_by_list=True)(net, ParameterTuple([]))(X, Y) == ()
    inputs, weight = ops.GradOperation(get_all=True, get_by_list=True)(net, net.b)(X, Y)
    assert type(inputs) is tuple and len(inputs) == 2
    assert_tensor(weight, [2.0])
    assert_tensor(ops.GradOperation()(net, ParameterTuple(net.trainable_params()))(X, Y), [6.0, 8.0])
    plain = ops.GradOperation(get_by_list=True)(net, [Tensor(np.ones(1, np.float32))])(X, Y)
    assert_tensor(plain[0], [0.0])
    with pytest.raises(TypeError, match="weights you provided"):
        ops.GradOperation(get_by_list=True)(net, 3)(X, Y)


def test_single_input_get_all_is_a_one_tuple():
    result = ops.GradOperation(get_all=True)(lambda a: a * a)(X)
    assert type(result) is tuple and len(result) == 1
    assert_tensor(result[0], [2.0, 4.0])


def test_non_tensor_arguments_collapse():
    ga = ops.GradOperation(get_all=True)
    grads = ga(lambda a, n, b, arr_, t, none: a * n + b * 0.5)(X, 3, Y, np.ones(2), (X, Y), None)
    assert len(grads) == 2
    assert_tensor(grads[0], [3.0, 3.0])
    assert_tensor(grads[1], [0.5, 0.5])
    assert ops.GradOperation()(lambda n, a: a * n)(3.0, X) == ()
    assert len(ga(lambda n, a: a * n)(3.0, X)) == 1
    assert ga(lambda n, m: n * m)(2.0, 3.0) == ()
    kw = ga(lambda a, b=None: a * b * b)(X, b=Y)
    assert_tensor(kw[0], [9.0, 16.0])
    assert_tensor(kw[1], [6.0, 16.0])


def test_outputs_tuple_list_dict_and_non_tensor_leaves():
    ga = ops.GradOperation(get_all=True)
    gx, gy = ga(lambda a, b: {"p": a * b, "q": [a * a, (b, 3)], "r": 2.5})(X, Y)
    assert_tensor(gx, [3.0 + 2.0, 4.0 + 4.0])
    assert_tensor(gy, [1.0 + 1.0, 2.0 + 1.0])
    zero = ga(lambda a, b: ops.argmax(a * b))(X, Y)
    assert_tensor(zero[0], [0.0, 0.0])
    assert_tensor(ga(lambda a, b: 2.5)(X, Y)[1], [0.0, 0.0])


def test_unused_inputs_parameters_and_dtypes():
    ga = ops.GradOperation(get_all=True)
    assert_tensor(ga(lambda a, b: a * 2)(X, Y)[1], [0.0, 0.0])
    x16, x64 = Tensor(np.array([1.0, 2.0], np.float16)), Tensor(np.array([1.0, 2.0], np.float64))
    g16, g64 = ga(lambda a, b: (a * a, b * b * b))(x16, x64)
    assert_tensor(g16, [2.0, 4.0], ms.float16)
    assert_tensor(g64, [3.0, 12.0], ms.float64)
    net = Net()
    gw, gx = ga(lambda a, b: a * b)(net.w, X)  # a Parameter passed positionally is an ordinary input
    assert_tensor(gw, [3.0])
    assert_tensor(gx, [2.0, 2.0])


def test_same_tensor_passed_twice_gets_per_argument_gradients():
    # PyNative sums over both uses (an identity quirk); msjax follows GRAPH in both modes.
    gx1, gx2 = ops.GradOperation(get_all=True)(lambda a, b: a * b)(X, X)
    assert_tensor(gx1, [1.0, 2.0])
    assert_tensor(gx2, [1.0, 2.0])


class Frozen(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(f32(2.0, 3.0), name="fw")
        self.frozen = Parameter(f32(5.0, 7.0), name="frozen", requires_grad=False)
        self.unused = Parameter(f32(1.0), name="unused")

    def construct(self, a):
        return a * self.w * self.frozen


def test_requires_grad_false_pynative_zeros_graph_gradient(graph_mode):
    net = Frozen()
    everything = ParameterTuple(net.get_parameters())
    graph = ops.GradOperation(get_by_list=True)(net, everything)(X)
    assert_tensor(graph[1], [2.0, 6.0])
    ms.set_context(mode=ms.PYNATIVE_MODE)
    pynative = ops.GradOperation(get_by_list=True)(net, everything)(X)
    assert_tensor(pynative[0], [5.0, 14.0])
    assert_tensor(pynative[1], [0.0, 0.0])
    assert_tensor(pynative[2], [0.0])


G1 = Parameter(f32(2.0), name="g1")
G2 = Parameter(f32(5.0), name="g2", requires_grad=False)


class UsesGlobals(nn.Cell):
    def __init__(self):
        super().__init__()
        self.a = Parameter(f32(3.0), name="a")
        self.b = Parameter(f32(7.0), name="b")
        self.c = Parameter(f32(11.0), name="c")

    def construct(self, v):
        return v * self.b * G1 * G2 + v * self.a


def test_default_weights_pynative_are_trainable_reads_in_order():
    net = UsesGlobals()
    grads = ops.GradOperation(get_by_list=True)(net)(X)
    assert [float(arr(g)[0]) for g in grads] == [30.0, 105.0, 3.0]  # b, then the global g1, then a
    through = ops.GradOperation(get_by_list=True)(lambda v: net(v) * 2)(X)
    assert [float(arr(g)[0]) for g in through] == [60.0, 210.0, 6.0]
    assert ops.GradOperation(get_by_list=True)(lambda v: v * v)(X) == ()
    (only_trainable_read,) = ops.GradOperation(get_by_list=True)(Frozen())(X)  # not `frozen`, not `unused`
    assert_tensor(only_trainable_read, [5.0, 14.0])


def test_default_weights_graph_are_empty(graph_mode):
    net = UsesGlobals()
    assert ops.GradOperation(get_by_list=True)(net)(X) == ()
    inputs, weights = ops.GradOperation(get_all=True, get_by_list=True)(net)(X)
    assert weights == () and len(inputs) == 1


def test_global_cell_and_closure_parameters():
    net = Net()

    def forward_fn(x, y):
        return (net(x, y) ** 2).sum(), x

    gw, gb = ops.GradOperation(get_by_list=True)(forward_fn, net.trainable_params())(X, Y)
    out = np.array([1 * 3 * 2 + 3, 2 * 4 * 2 + 3], np.float32)
    assert_tensor(gw, [np.sum(2 * out * np.array([3.0, 8.0]))])
    assert_tensor(gb, [np.sum(2 * out)])

    scale = Parameter(f32(4.0), name="scale")
    inputs, (gs,) = ops.GradOperation(get_all=True, get_by_list=True)(lambda a: (a * scale).sum(),
                                                                        ParameterTuple([scale]))(X)
    assert_tensor(inputs[0], [4.0, 4.0])
    assert_tensor(gs, [3.0])


# --- analytic derivatives ------------------------------------------------------------------------------------------

def test_sin_to_fourth_order():
    x = Tensor(np.array([0.3, 1.1, -2.0], np.float64))
    d = [ops.sin]
    for _ in range(4):
        d.append(ops.GradOperation()(d[-1]))
    v = arr(x)
    expected = [np.sin(v), np.cos(v), -np.sin(v), -np.cos(v), np.sin(v)]
    for order in range(5):
        np.testing.assert_allclose(arr(d[order](x)), expected[order], rtol=1e-12)


def test_grad_cells_nest():
    class SinNet(nn.Cell):
        def construct(self, a):
            return ops.sin(a)

    class GradNet(nn.Cell):
        def __init__(self, network):
            super().__init__()
            self.network = network
            self.grad_op = ops.GradOperation()

        def construct(self, a):
            return self.grad_op(self.network)(a)

    np.testing.assert_allclose(arr(GradNet(GradNet(GradNet(SinNet())))(X)), -np.cos([1.0, 2.0]), rtol=1e-6)


def test_hessian_vector_product_of_quadratic_form():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4, 4))
    v = rng.normal(size=4)
    x = rng.normal(size=4)
    A, V = Tensor(a), Tensor(v)

    def quadratic(t):
        return (t * ops.matmul(A, t)).sum() * 0.5

    grad_f = ops.GradOperation()(quadratic)
    hvp = ops.GradOperation()(lambda t: (grad_f(t) * V).sum())(Tensor(x))
    np.testing.assert_allclose(arr(grad_f(Tensor(x))), 0.5 * (a + a.T) @ x, rtol=1e-10)
    np.testing.assert_allclose(arr(hvp), 0.5 * (a + a.T) @ v, rtol=1e-10)


def test_sens_for_single_and_tuple_outputs():
    gs = ops.GradOperation(get_all=True, sens_param=True)
    gx, gy = gs(lambda a, b: (a * b, a + b))(X, Y, (SENS, f32(2.0, 3.0)))
    assert_tensor(gx, [3.0 + 2.0, 40.0 + 3.0])
    assert_tensor(gy, [1.0 + 2.0, 20.0 + 3.0])
    nested_flat = gs(lambda a, b: (a * b, (a, b)))(X, Y, (SENS, SENS, SENS))  # PyNative matches Tensor leaves
    assert_tensor(nested_flat[0], [3.0 + 1.0, 40.0 + 10.0])
    one_tuple = ops.GradOperation(sens_param=True)(lambda a: a * 3.0)(X, (SENS,))
    assert_tensor(one_tuple, [3.0, 30.0])


# --- Parameter writes and exceptions ------------------------------------------------------------------------------

class Counter(nn.Cell):
    def __init__(self, fail=False):
        super().__init__()
        self.w = Parameter(f32(2.0, 2.0), name="cw")
        self.steps = Parameter(f32(0.0), name="steps", requires_grad=False)
        self.fail = fail

    def construct(self, a):
        ops.assign(self.steps, self.steps + 1)
        ops.assign(self.w, self.w * 10)
        if self.fail:
            raise ValueError("user code failed")
        return a * self.w


def assert_concrete(*params):
    for p in params:
        assert not isinstance(p._value, jax.core.Tracer)


def test_writes_inside_a_successful_call_are_written_back():
    counter = Counter()
    inputs, (gw,) = ops.GradOperation(get_all=True, get_by_list=True)(counter, ParameterTuple([counter.w]))(X)
    assert_tensor(inputs[0], [20.0, 20.0])  # the read after the assign sees the written value
    assert_tensor(gw, [10.0, 20.0])         # d(a * 10w)/dw
    assert_tensor(counter.steps.value(), [1.0])
    assert_tensor(counter.w.value(), [20.0, 20.0])
    assert_concrete(counter.w, counter.steps)
    ops.GradOperation()(counter)(X)
    assert_tensor(counter.steps.value(), [2.0])
    assert not state._frames


def test_exception_inside_the_differentiated_function_restores_parameters():
    counter = Counter(fail=True)
    grad_fn = ops.GradOperation(get_by_list=True)(counter, ParameterTuple([counter.w]))
    with pytest.raises(ValueError, match="user code failed"):
        grad_fn(X)
    assert_tensor(counter.steps.value(), [0.0])
    assert_tensor(counter.w.value(), [2.0, 2.0])
    assert_concrete(counter.w, counter.steps)
    assert not state._frames and primitive.soft_ints_active == 0
    counter.fail = False
    (gw,) = grad_fn(X)
    assert_tensor(gw, [10.0, 20.0])
    assert_tensor(counter.steps.value(), [1.0])


def test_exception_inside_a_nested_gradient():
    inner = Counter(fail=True)
    outer_param = Parameter(f32(1.0), name="outer_param")

    def outer(a):
        ops.assign(outer_param, outer_param + 1)
        g = ops.GradOperation()(inner)(a)
        return (g * a).sum()

    with pytest.raises(ValueError):
        ops.GradOperation()(outer)(X)
    assert_tensor(outer_param.value(), [1.0])
    assert_tensor(inner.w.value(), [2.0, 2.0])
    assert_concrete(outer_param, inner.w, inner.steps)
    assert not state._frames

    def outer_catching(a):  # the inner failure is caught: only the outer call's writes land
        ops.assign(outer_param, outer_param + 1)
        try:
            ops.GradOperation()(inner)(a)
        except ValueError:
            pass
        return (a * a).sum()

    assert_tensor(ops.GradOperation()(outer_catching)(X), [2.0, 4.0])
    assert_tensor(outer_param.value(), [2.0])
    assert_tensor(inner.steps.value(), [0.0])
    assert_concrete(outer_param, inner.w, inner.steps)
    inner.fail = False
    nested_ok = ops.GradOperation()(lambda a: (ops.GradOperation()(inner)(a) * a).sum())(X)
    assert_tensor(nested_ok, [20.0, 20.0])
    assert_tensor(inner.steps.value(), [1.0])


# --- errors ---------------------------------------------------------------------------------------------------------

def test_sens_errors_pynative():
    x = Tensor(np.ones((2, 3), np.float32))
    gs = ops.GradOperation(sens_param=True)
    f = lambda a: a * 3.0  # noqa: E731
    g = lambda a, b: (a * b, a + b)  # noqa: E731
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        gs(f)(x)
    with pytest.raises(ValueError, match=r"The shape should be \[const vector\]\{2, 3\}"):
        gs(f)(x, Tensor(np.ones((1, 3), np.float32)))
    with pytest.raises(TypeError, match="The dtype should be Float32, but got Float16"):
        gs(f)(x, Tensor(np.ones((2, 3), np.float16)))
    with pytest.raises(RuntimeError, match="grad tensor should be broadcast"):
        gs(f)(x, 2.0)
    with pytest.raises(RuntimeError, match="size should be same as out of network"):
        gs(g)(x, x, x)
    with pytest.raises(RuntimeError, match="size should be same as out of network"):
        gs(g)(x, x, (x,))


def test_sens_errors_graph(graph_mode):
    x = Tensor(np.ones((2, 3), np.float32))
    gs = ops.GradOperation(sens_param=True)
    with pytest.raises(TypeError, match="AbstractTensor cannot join with AbstractTuple"):
        gs(lambda a, b: (a * b, a + b))(x, x, x)
    with pytest.raises(IndexError):
        gs(lambda a, b: (a * b, a + b))(x, x, (x,))
    with pytest.raises(TypeError, match="Type Join Failed: dtype1 = Float16, dtype2 = Float32"):
        gs(lambda a: a * 3.0)(x, Tensor(np.ones((2, 3), np.float16)))
    with pytest.raises(RuntimeError, match="must be a 'Function' or 'Cell'"):
        ops.GradOperation()(3)(x)
    extra = gs(lambda a, b: (a * b, a + b))(x, x, (x, x, x))  # GRAPH ignores extra sens elements
    assert_tensor(extra, np.full((2, 3), 2.0))


def test_construction_and_callable_errors():
    with pytest.raises(TypeError, match="'get_all' should be bool"):
        ops.GradOperation(get_all=1)
    with pytest.raises(TypeError, match="'sens_param' should be bool"):
        ops.GradOperation(sens_param=None)
    grad_of_int = ops.GradOperation()(3)  # MindSpore checks when the gradient function is called
    with pytest.raises(TypeError, match="The fn should be callable, but got int"):
        grad_of_int(X)


# --- integer inputs -------------------------------------------------------------------------------------------------

A32 = Tensor(np.array([3, 4], np.int32))


def test_integer_gradients_are_cast_per_op():
    G = ops.GradOperation()
    assert_tensor(G(lambda a: (a * a).astype(ms.float32))(A32), [6, 8], ms.int32)
    assert_tensor(G(lambda a: a * f32(1.7, -2.6))(A32), [1, -2], ms.int32)
    assert_tensor(G(lambda a: a.astype(ms.float32) * 2.5)(A32), [2, 2], ms.int32)
    a64 = Tensor(np.array([3, 4], np.int64))
    assert_tensor(G(lambda a: a.astype(ms.float32) * -2.5)(a64), [-2, -2], ms.int64)
    # every use truncates its own gradient: trunc(1.5) twice, not trunc(3.0)
    mixed = ops.GradOperation(get_all=True)(lambda f, a: f * a.astype(ms.float32) * a.astype(ms.float32))
    assert_tensor(mixed(f32(0.5, -1.5), A32)[1], [2, -12], ms.int32)
    assert_tensor(G(lambda a: (lambda c: c * 0.6 + c * 0.6)(a.astype(ms.float32)))(A32), [1, 1], ms.int32)


def test_bool_gradients_are_nonzero_flags():
    b = Tensor(np.array([True, False]))
    assert_tensor(ops.GradOperation()(lambda c: c.astype(ms.float32) * 3.0)(b), [True, True], ms.bool_)
    assert_tensor(ops.GradOperation()(lambda c: c.astype(ms.float32) * 0.0)(b), [False, False], ms.bool_)


def test_float_to_int_cast_passes_the_gradient():
    x = f32(1.5, -2.5)
    assert_tensor(ops.GradOperation()(lambda t: (t.astype(ms.int32) * 2).astype(ms.float32))(x), [2.0, 2.0])
    assert_tensor(ops.GradOperation()(lambda t: t.astype(ms.int32) * 2)(x), [2.0, 2.0])


def test_integer_values_inside_the_call_stay_exact():
    big = Tensor(np.array([2 ** 60 + 1, -3], np.int64))
    seen = {}

    def fn(a, f):
        seen["value"] = a.asnumpy().copy()
        seen["dtype"] = a.dtype
        seen["index"] = arr(f32(10.0, 20.0, 30.0)[Tensor(np.array([2, 0], np.int32))])
        return (a - a).astype(ms.float32) * f, a

    inputs = ops.GradOperation(get_all=True)(fn)(big, f32(1.0, 1.0))
    np.testing.assert_array_equal(seen["value"], [2 ** 60 + 1, -3])
    assert seen["dtype"] == ms.int64
    np.testing.assert_array_equal(seen["index"], [30.0, 10.0])
    assert inputs[0].dtype == ms.int64
    np.testing.assert_array_equal(arr(inputs[0]), [1, 1])  # the returned integer output contributes ones


def test_integer_labels_next_to_float_inputs():
    weight = Parameter(Tensor(np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.5]], np.float32)), name="weight")

    def loss(data, label):
        logits = ops.matmul(data, weight)
        onehot = ops.one_hot(label, 3, Tensor(1.0, ms.float32), Tensor(0.0, ms.float32))
        return -(ops.log_softmax(logits, -1) * onehot).sum()

    data = Tensor(np.array([[1.0, 2.0], [-1.0, 0.5]], np.float32))
    labels = Tensor(np.array([2, 0], np.int32))
    g_data, g_label = ops.GradOperation(get_all=True)(loss)(data, labels)
    logits = arr(data) @ arr(weight)
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    expected = (probs - np.eye(3)[[2, 0]]) @ arr(weight).T
    np.testing.assert_allclose(arr(g_data), expected, rtol=1e-5, atol=1e-6)
    assert_tensor(g_label, [0, 0], ms.int32)


def test_linearize_is_one_engine_with_one_run():
    calls = []

    def fn(a):
        calls.append(1)
        return a * a

    lin = grad_mod.linearize(fn, (X,))
    assert len(calls) == 1
    assert_tensor(lin.output, [1.0, 4.0])
    (gx,), weights = lin.gradients(grad_mod.default_sens(lin))
    assert_tensor(gx, [2.0, 4.0]) and weights == []
    ops.GradOperation(get_all=True)(fn)(X)
    assert len(calls) == 2
