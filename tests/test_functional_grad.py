"""mindspore.grad / value_and_grad / get_grad / vjp / vmap and ops.stop_gradient: return structures, values, the
errors MindSpore 2.10 raises (types and messages), Parameters (lifting, requires_grad=False, unused, writes,
restore on exception) and nesting. Behaviours were observed in MindSpore 2.10 (PyNative unless a test says GRAPH)."""
import jax
import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, ParameterTuple, Tensor, nn, ops
from msjax._src import primitive, state


def f32(*values):
    return Tensor(np.array(values, np.float32))


def arr(t):
    return np.asarray(t.asnumpy())


def assert_tensor(t, expected, dtype=ms.float32):
    assert isinstance(t, Tensor), f"expected a Tensor, got {type(t).__name__}"
    assert t.dtype == dtype
    np.testing.assert_allclose(arr(t), np.asarray(expected), rtol=1e-6, atol=1e-7)


def assert_concrete(*params):
    for p in params:
        assert not isinstance(p._value, jax.core.Tracer), f"{p.name} holds a tracer"


@pytest.fixture
def graph_mode():
    ms.set_context(mode=ms.GRAPH_MODE)
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


X, Y, V = f32(1.0, 2.0), f32(3.0, 4.0), f32(1.0, 10.0)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(f32(2.0), name="w")
        self.b = Parameter(f32(3.0), name="b")

    def construct(self, a, c):
        return a * c * self.w + self.b


def f(a, c):
    return a * a * c


def two_out(a, c):
    return a * c, a + c


def three_out(a, c):
    return (a * c).sum(), a + c, 7


# --- grad: positions, weights, has_aux, return_ids ------------------------------------------------------------

def test_grad_position_structures():
    gx, gy = [2.0 * 3, 2.0 * 2 * 4], [1.0, 4.0]
    assert_tensor(ms.grad(f)(X, Y), gx)
    assert_tensor(ms.grad(f, (0,))(X, Y), gx)  # a single position is unwrapped
    result = ms.grad(f, (1, 0))(X, Y)
    assert type(result) is tuple and len(result) == 2
    assert_tensor(result[0], gy)
    assert_tensor(result[1], gx)
    # Non-Tensor arguments get no slot; nothing left gives ().
    assert_tensor(ms.grad(lambda a, k, c: a * k * c, (0, 1, 2))(X, 3, Y)[1], [3.0, 6.0])
    assert ms.grad(lambda a, k: a * k, 1)(X, 3.0) == ()


def test_grad_weights_structures():
    net = Net()
    params = ParameterTuple(net.trainable_params())
    gw, gb = [3.0 + 8.0], [2.0]
    weights_only = ms.grad(net, None, params)(X, Y)
    assert type(weights_only) is tuple and len(weights_only) == 2
    assert_tensor(weights_only[0], gw)
    assert_tensor(weights_only[1], gb)
    assert_tensor(ms.grad(net, None, net.w)(X, Y), gw)  # a single Parameter: bare
    one = ms.grad(net, None, ParameterTuple([net.w]))(X, Y)
    assert type(one) is tuple and len(one) == 1
    gx, (rw, rb) = ms.grad(net, 0, params)(X, Y)
    assert_tensor(gx, [6.0, 8.0])
    assert_tensor(rw, gw)
    (rx, ry), _ = ms.grad(net, (0, 1), params)(X, Y)
    assert_tensor(ry, [2.0, 4.0])
    flat = ms.grad(net, 0, net.w)(X, Y)  # position + single Parameter: a flat pair
    assert type(flat) is tuple and isinstance(flat[1], Tensor)
    assert ms.grad(net, 0, ParameterTuple([]))(X, Y)[1] == ()


def test_grad_tuple_dict_and_non_tensor_outputs():
    gx, gy = ms.grad(two_out, (0, 1))(X, Y)  # every output contributes ones
    assert_tensor(gx, [4.0, 5.0])
    assert_tensor(gy, [2.0, 3.0])
    assert_tensor(ms.grad(lambda a, c: {"p": a * c, "q": a * 2}, 0)(X, Y), [5.0, 6.0])
    for fn in (lambda a: 3.0, lambda a: None, lambda a: a.argmax()):  # nothing differentiable: zeros
        assert_tensor(ms.grad(fn)(X), [0.0, 0.0])


def test_has_aux_returns_aux_as_a_tuple():
    grads, aux = ms.grad(three_out, (0, 1), has_aux=True)(X, Y)
    assert_tensor(grads[0], [3.0, 4.0])
    assert_tensor(grads[1], [1.0, 2.0])
    assert type(aux) is tuple and len(aux) == 2 and aux[1] == 7
    assert_tensor(aux[0], [4.0, 6.0])
    g, (z,) = ms.grad(two_out, 0, has_aux=True)(X, Y)
    assert_tensor(g, [3.0, 4.0])  # the aux output a + c does not contribute
    assert_tensor(z, [4.0, 6.0])
    (out, aux1, aux2), g = ms.value_and_grad(three_out, 0, has_aux=True)(X, Y)
    assert_tensor(out, 11.0)
    assert aux2 == 7
    with pytest.raises(ValueError, match="requires more than one outputs"):
        ms.grad(lambda a: a * 2, has_aux=True)(X)
    with pytest.raises(ValueError, match="requires more than one outputs"):
        ms.grad(lambda a: (a * 2,), has_aux=True)(X)


def test_value_and_grad_and_return_ids():
    out, g = ms.value_and_grad(f)(X, Y)
    assert_tensor(out, [3.0, 16.0])
    assert_tensor(g, [6.0, 16.0])
    net = Net()
    params = ParameterTuple(net.trainable_params())
    out, ((p0, g0), ((nw, gw), (nb, gb))) = ms.value_and_grad(net, 0, params, return_ids=True)(X, Y)
    assert_tensor(out, [9.0, 19.0])
    assert (p0, nw, nb) == (0, "w", "b")
    assert_tensor(g0, [6.0, 8.0])
    assert_tensor(gw, [11.0])
    pair = ms.grad(f, 0, return_ids=True)(X, Y)
    assert pair[0] == 0
    assert_tensor(pair[1], [6.0, 16.0])
    name, g = ms.grad(net, None, net.w, return_ids=True)(X, Y)
    assert name == "w"
    assert_tensor(g, [11.0])


def test_sens_param():
    assert_tensor(ms.grad(f, 0, sens_param=True)(X, Y, V), [6.0, 160.0])
    gx, gy = ms.grad(two_out, (0, 1), sens_param=True)(X, Y, (V, V))
    assert_tensor(gx, [4.0, 50.0])
    assert_tensor(ms.grad(two_out, 0, has_aux=True, sens_param=True)(X, Y, V)[0], [3.0, 40.0])
    assert_tensor(ms.grad(ops.sum, 0, sens_param=True)(X, 2.0), [2.0, 2.0])  # a number for a 0-d output
    with pytest.raises(ValueError, match=r"\[const vector\]\{2\}"):
        ms.grad(f, 0, sens_param=True)(X, Y, f32(1.0, 1.0, 1.0))


def test_grad_argument_errors():
    cases = [
        (lambda: ms.grad(f, [0, 1])(X, Y), TypeError, "'grad_position' must be int or tuple"),
        (lambda: ms.grad(f, 1.0)(X, Y), TypeError, "'grad_position' must be int or tuple"),
        (lambda: ms.grad(f, -1)(X, Y), ValueError, "grad_position must be >= 0"),
        (lambda: ms.grad(f, (0, 0))(X, Y), ValueError, "duplicate positions"),
        (lambda: ms.grad(f, ())(X, Y), RuntimeError, "grad_position should not be empty"),
        (lambda: ms.grad(f, 2)(X, Y), RuntimeError, "Position index 2 is exceed input size"),
        (lambda: ms.grad(f, None)(X, Y), ValueError, "can not be None at the same time"),
        (lambda: ms.grad(3)(X), TypeError, "The fn should be callable, but got int"),
        (lambda: ms.grad(f, 0, has_aux=1)(X, Y), TypeError, "'has_aux' should be bool, but got int"),
        (lambda: ms.grad(f, 0, return_ids=1)(X, Y), TypeError, "'return_ids' should be bool, but got int"),
        (lambda: ms.grad(f, 0, sens_param=1)(X, Y), TypeError, "'sens_param' should be bool, but got int"),
        (lambda: ms.grad(Net(), 0, 3)(X, Y), TypeError, "expected to be a tensor, or a list or tuple"),
        (lambda: ms.grad(Net(), 0, Net().get_parameters())(X, Y), TypeError, "expected to be a tensor"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()


def test_grad_position_out_of_range_graph(graph_mode):
    with pytest.raises(IndexError, match="Position index 2 is exceed input size"):
        ms.grad(f, 2)(X, Y)


def test_get_grad():
    net = Net()
    ids = ms.grad(net, (0, 1), ParameterTuple(net.trainable_params()), return_ids=True)(X, Y)
    assert_tensor(ms.get_grad(ids, 1), [2.0, 4.0])
    assert_tensor(ms.get_grad(ids, True), [2.0, 4.0])  # a bool is a position, as in MindSpore
    assert_tensor(ms.get_grad(ids, net.b), [2.0])
    assert_tensor(ms.get_grad(ms.grad(f, 0, return_ids=True)(X, Y), 0), [6.0, 16.0])
    for missing in (5, Parameter(f32(1.0), name="zz")):
        with pytest.raises(RuntimeError, match="Can not find the gradient for position or Parameter"):
            ms.get_grad(ids, missing)
    for gradients in (X, None, [ids]):
        with pytest.raises(RuntimeError, match="Can not find the gradient"):
            ms.get_grad(gradients, 0)
    with pytest.raises(ValueError):  # plain gradients, not (id, gradient) pairs
        ms.get_grad(ms.grad(f, (0, 1))(X, Y), 0)
    for bad in ("w", 1.0):
        with pytest.raises(TypeError, match="should be an integer or a Parameter"):
            ms.get_grad(ids, bad)


# --- stop_gradient --------------------------------------------------------------------------------------------

def test_stop_gradient_on_tensors_and_tuples():
    assert_tensor(ms.grad(lambda a: a * a + ops.stop_gradient(a * a))(X), [2.0, 4.0])
    pair = ops.stop_gradient((X, Y))
    assert type(pair) is tuple and pair[0] is not X
    assert_tensor(pair[1], [3.0, 4.0])
    assert type(ops.stop_gradient([X, Y])) is list
    assert ops.stop_gradient(3) == 3 and ops.stop_gradient(None) is None

    def nested(a):
        stopped = ops.stop_gradient((a * a, (a * 3, 2)))
        return stopped[0] + stopped[1][0] + a
    assert_tensor(ms.grad(nested)(X), [1.0, 1.0])
    # The autograd tutorial: stopping the second output gives the gradient of the first alone.
    g_stop = ms.grad(lambda a, c: (a * c, ops.stop_gradient(a + c)), 0)(X, Y)
    g_aux, _ = ms.grad(lambda a, c: (a * c, a + c), 0, has_aux=True)(X, Y)
    assert_tensor(g_stop, arr(g_aux))
    net = Net()
    assert_tensor(ms.grad(lambda a: a * ops.stop_gradient(net.w), None, net.w)(X), [0.0])


# --- Parameters -----------------------------------------------------------------------------------------------

class Partial(nn.Cell):
    def __init__(self):
        super().__init__()
        self.used = Parameter(f32(2.0), name="used")
        self.frozen = Parameter(f32(5.0), name="frozen", requires_grad=False)
        self.unused = Parameter(f32(1.0, 1.0), name="unused")

    def construct(self, a):
        return a * self.used * self.frozen


def test_requires_grad_false_and_unused_parameters_pynative():
    net = Partial()
    assert [p.name for p in net.trainable_params()] == ["used", "unused"]
    g_used, g_unused = ms.grad(net, None, net.trainable_params())(X)
    assert_tensor(g_used, [15.0])
    assert_tensor(g_unused, [0.0, 0.0])  # unused: zeros of its shape
    _, g_frozen, _ = ms.grad(net, None, list(net.get_parameters()))(X)
    assert_tensor(g_frozen, [0.0])  # requested although requires_grad=False: zeros in PyNative
    (gx,), (gw, g_unused) = ms.vjp(net, X, weights=net.trainable_params())[1](V)
    assert_tensor(gx, [10.0, 100.0])
    assert_tensor(gw, [105.0])
    assert_tensor(g_unused, [0.0, 0.0])
    net.frozen.requires_grad = True
    assert [p.name for p in net.trainable_params()] == ["used", "frozen", "unused"]


def test_requires_grad_false_graph_gets_the_gradient(graph_mode):
    net = Partial()
    _, g_frozen, _ = ms.grad(net, None, list(net.get_parameters()))(X)
    assert_tensor(g_frozen, [6.0])


def test_plain_tensor_weight_gets_zeros():
    gx, (gt,) = ms.grad(f, 0, [X])(X, Y)
    assert_tensor(gx, [6.0, 16.0])
    assert_tensor(gt, [0.0, 0.0])


W1 = np.array([[0.2, -0.3], [0.5, 0.1], [-0.4, 0.6]], np.float32)


class Linear(nn.Cell):
    def __init__(self):
        super().__init__()
        self.weight = Parameter(Tensor(W1), name="weight")
        self.bias = Parameter(f32(0.1, -0.2), name="bias")

    def construct(self, x):
        return ops.matmul(x, self.weight) + self.bias


def test_quick_start_forward_fn_over_a_global_cell():
    model = Linear()
    data = Tensor(np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32))
    label = Tensor(np.array([[0.5, -0.5], [1.0, 0.0]], np.float32))

    def forward_fn(data, label):
        logits = model(data)
        return ((logits - label) ** 2).mean(), logits

    grad_fn = ms.value_and_grad(forward_fn, None, model.trainable_params(), has_aux=True)
    (loss, logits), (g_weight, g_bias) = grad_fn(data, label)
    d, lab = arr(data).astype(np.float64), arr(label).astype(np.float64)
    expected_logits = d @ W1 + np.array([0.1, -0.2])
    residual = expected_logits - lab
    np.testing.assert_allclose(arr(logits), expected_logits, rtol=1e-6)
    np.testing.assert_allclose(arr(loss), (residual ** 2).mean(), rtol=1e-6)
    np.testing.assert_allclose(arr(g_weight), d.T @ (2 * residual / residual.size), rtol=1e-5)
    np.testing.assert_allclose(arr(g_bias), (2 * residual / residual.size).sum(0), rtol=1e-5)
    # The hand-written optimizer step of the quick start: the gradients apply to the same Parameters.
    for param, grad in zip(model.trainable_params(), (g_weight, g_bias)):
        ops.assign(param, param - 0.1 * grad)
    np.testing.assert_allclose(arr(model.bias), [0.1, -0.2] - 0.1 * arr(g_bias), rtol=1e-6)
    assert_concrete(model.weight, model.bias)
    # Without has_aux the logits output contributes too.
    _, (g_weight_sum, _) = ms.value_and_grad(forward_fn, None, model.trainable_params())(data, label)
    assert not np.allclose(arr(g_weight_sum), arr(ms.grad(forward_fn, None, model.trainable_params(),
                                                          has_aux=True)(data, label)[0][0]))


class Counter(nn.Cell):
    """Writes its Parameters while running; optionally raises afterwards."""

    def __init__(self, fail=False):
        super().__init__()
        self.w = Parameter(f32(2.0, 2.0), name="w")
        self.steps = Parameter(f32(0.0), name="steps")
        self.fail = fail

    def construct(self, a):
        ops.assign(self.steps, self.steps + 1)
        ops.assign(self.w, self.w * 10)
        if self.fail:
            raise ValueError("user code failed")
        return a * self.w


@pytest.mark.parametrize("transform", ["grad", "value_and_grad", "vjp", "vmap"])
def test_exception_restores_parameters(transform):
    counter = Counter(fail=True)
    calls = {
        "grad": lambda: ms.grad(counter, 0, counter.w)(X),
        "value_and_grad": lambda: ms.value_and_grad(counter, None, ParameterTuple([counter.w]))(X),
        "vjp": lambda: ms.vjp(counter, X, weights=counter.w),
        "vmap": lambda: ms.vmap(counter)(Tensor(np.ones((3, 2), np.float32))),
    }
    with pytest.raises(ValueError, match="user code failed"):
        calls[transform]()
    assert_tensor(counter.w.value(), [2.0, 2.0])
    assert_tensor(counter.steps.value(), [0.0])
    assert_concrete(counter.w, counter.steps)
    assert not state._frames and primitive.soft_ints_active == 0


def test_writes_are_written_back_once():
    counter = Counter()
    gx, gw = ms.grad(counter, 0, counter.w)(X)
    assert_tensor(gx, [20.0, 20.0])
    assert_tensor(gw, [10.0, 20.0])
    assert_tensor(counter.steps.value(), [1.0])
    out, vjp_fn = ms.vjp(counter, X)
    assert_tensor(out, [200.0, 400.0])
    assert_tensor(vjp_fn(V)[0], [200.0, 2000.0])
    vjp_fn(V)  # the pullback runs no user code
    assert_tensor(counter.steps.value(), [2.0])
    assert_tensor(counter.w.value(), [200.0, 200.0])
    assert_concrete(counter.w, counter.steps)


# --- vjp ------------------------------------------------------------------------------------------------------

def cube(a):
    return a * a * a


def test_vjp_structures():
    out, fn = ms.vjp(cube, X)
    assert_tensor(out, [1.0, 8.0])
    (g,) = fn(V)  # a tuple even for one input
    assert_tensor(g, [3.0, 120.0])
    out, fn = ms.vjp(two_out, X, Y)
    gx, gy = fn((V, V))
    assert_tensor(gx, [4.0, 50.0])
    assert_tensor(gy, [2.0, 30.0])
    assert_tensor(fn([V, V])[0], [4.0, 50.0])  # a list cotangent works too
    out, fn, aux = ms.vjp(lambda a: (a * a, a + 1), X, has_aux=True)
    assert_tensor(aux, [2.0, 3.0])  # one aux output: bare
    assert_tensor(fn(V)[0], [2.0, 40.0])
    _, _, aux = ms.vjp(lambda a: (a * a, a + 1, a - 1), X, has_aux=True)
    assert type(aux) is tuple and len(aux) == 2
    net = Net()
    (gx, gy), gw = ms.vjp(net, X, Y, weights=net.w)[1](V)
    assert_tensor(gw, [83.0])  # sum(a * c * v)
    assert_tensor(ms.vjp(lambda a: (a * 2, 3), X)[1]((V, 1))[0], [2.0, 20.0])


def test_vjp_errors():
    _, fn = ms.vjp(cube, X)
    cases = [
        (lambda: ms.vjp(3, X), TypeError, "The fn should be callable, but got int"),
        (lambda: ms.vjp(cube, 3.0), TypeError, "The inputs type must be Tensor"),
        (lambda: ms.vjp(two_out, X, Y, has_aux=1), TypeError, "'has_aux' must be bool"),
        (lambda: ms.vjp(cube, X, has_aux=True), ValueError, "requires more than one outputs"),
        (lambda: fn(), RuntimeError, "Can not find top cell for backward"),
        (lambda: fn((V, V)), RuntimeError, "sens gradient's size should be same as out of network"),
        (lambda: fn(f32(1.0, 1.0, 1.0)), ValueError, r"\[const vector\]\{2\}, but got \[const vector\]\{3\}"),
        (lambda: fn(V.astype(ms.float64)), TypeError, "The dtype should be Float32, but got Float64"),
        (lambda: ms.vjp(ops.sum, X)[1](2.0), TypeError, "The inputs type must be Tensor"),
        (lambda: ms.vjp(lambda a: {"p": a}, X)[1]({"p": V}), TypeError, "The inputs type must be Tensor"),
        (lambda: ms.vjp(Partial(), X, weights=Partial().get_parameters())[1](V), TypeError,
         "expected to be a tensor, or a list or tuple"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
    out, bad_weights_fn = ms.vjp(Net(), X, Y, weights=3)  # bad weights are reported by vjp_fn
    assert_tensor(out, [9.0, 19.0])
    with pytest.raises(TypeError, match="expected to be a tensor, or a list or tuple"):
        bad_weights_fn(V)


def test_vjp_integer_input_gradient_is_cast():
    (g,) = ms.vjp(lambda a: (a * a).astype(ms.float32), Tensor(np.array([1, 2], np.int32)))[1](V)
    assert_tensor(g, [2, 40], ms.int32)


# --- vmap -----------------------------------------------------------------------------------------------------

B = Tensor(np.arange(6, dtype=np.float32).reshape(3, 2))


def dot(a, b):
    return (a * b).sum()


def test_vmap_axes_and_structures():
    assert_tensor(ms.vmap(dot)(B, B), [1.0, 13.0, 41.0])
    assert_tensor(ms.vmap(dot, in_axes=(0, None))(B, X), [2.0, 8.0, 14.0])
    assert_tensor(ms.vmap(dot, in_axes=1)(B, B), [20.0, 35.0])
    assert_tensor(ms.vmap(lambda a: a * 2, in_axes=-1)(B), arr(B).T * 2)
    doubled, sums = ms.vmap(lambda a: (a * 2, a.sum()), out_axes=(1, 0))(B)
    assert_tensor(doubled, arr(B).T * 2)
    assert_tensor(sums, [1.0, 5.0, 9.0])
    assert_tensor(ms.vmap(lambda t: t[0] * t[1])((B, B)), arr(B) ** 2)
    assert_tensor(ms.vmap(lambda t: t[0] * t[1], in_axes=((0, None),))((B, X)), arr(B) * [1.0, 2.0])
    assert_tensor(ms.vmap(lambda a, k: a * k, in_axes=(0, None))(B, 3.0), arr(B) * 3)
    ints = ms.vmap(lambda a: a * 2)(Tensor(np.arange(6).reshape(3, 2)))
    assert_tensor(ints, np.arange(6).reshape(3, 2) * 2, ms.int64)


def test_vmap_errors():
    cases = [
        (lambda: ms.vmap(3)(B), "'VmapOperation' arg0 must be a 'Function' or 'Cell'"),
        (lambda: ms.vmap(dot)(B, Tensor(np.ones((4, 2), np.float32))), "'axis_size' of each argument"),
        (lambda: ms.vmap(dot, in_axes=(0, 0, 0))(B, B), "must be equal to the number of arguments"),
        (lambda: ms.vmap(dot, in_axes=3)(B, B), "out of bounds"),
        (lambda: ms.vmap(dot, in_axes=1.0)(B, B), "can only be of type Int or None"),
        (lambda: ms.vmap(dot, in_axes=None)(B, B), "cannot be a single None"),
        (lambda: ms.vmap(lambda a, k: a * k, in_axes=(0, 0))(B, 3.0), "map over Tensors"),
        (lambda: ms.vmap(lambda a: (a, a.sum()), out_axes=(0, None))(B), "out_axes"),
        (lambda: ms.vmap(lambda a: (a, a.sum()), out_axes=(0, 0, 0))(B), "out_axes"),
        (lambda: ms.vmap(dot)(B, b=B), "unexpected keyword argument 'b'"),
    ]
    for call, message in cases:
        with pytest.raises(RuntimeError, match=message):
            call()


def test_vmap_parameter_reads_and_writes():
    p = Parameter(f32(1.0), name="p")

    def write_unbatched(a):
        ops.assign(p, p + 1)
        return a * p

    assert_tensor(ms.vmap(write_unbatched)(B), arr(B) * 2)  # the write is made once
    assert_tensor(p.value(), [2.0])

    def write_batched(a):
        ops.assign(p, a.sum().reshape(1))
        return a

    with pytest.raises(ValueError, match="execution order of operator `Assign` cannot be guaranteed"):
        ms.vmap(write_batched)(B)
    assert_tensor(p.value(), [2.0])
    assert_concrete(p)
    net = Net()
    assert_tensor(ms.vmap(net, in_axes=(0, None))(B, Y), arr(B) * [3.0, 4.0] * 2 + 3)


# --- nesting --------------------------------------------------------------------------------------------------

def test_sin_to_fourth_order_by_nested_grad():
    x = Tensor(np.linspace(-2.0, 2.0, 5))
    d = ms.grad(ops.sin)
    expected = [np.cos, lambda t: -np.sin(t), lambda t: -np.cos(t), np.sin]
    for order in range(4):
        np.testing.assert_allclose(arr(d(x)), expected[order](arr(x)), rtol=1e-12, atol=1e-12)
        d = ms.grad(d)


def test_nested_multi_input_grad_differentiates_the_sum_of_the_inner_tuple():
    # d/dx (d/dx + d/dy of x*x*y) = d/dx (2xy + x^2) = 2y + 2x; d/dy (...) = 2x
    gx, gy = ms.grad(ms.grad(f, (0, 1)), (0, 1))(X, Y)
    assert_tensor(gx, [8.0, 12.0])
    assert_tensor(gy, [2.0, 4.0])


def test_vmap_of_grad_and_grad_of_vmap():
    per_sample = ms.vmap(ms.grad(lambda a: (a ** 3).sum()))(B)
    assert_tensor(per_sample, 3 * arr(B) ** 2)
    assert_tensor(ms.grad(lambda b: ms.vmap(lambda a: (a ** 3).sum())(b).sum())(B), 3 * arr(B) ** 2)
    # The per-sample-gradients tutorial: TD(0) updates with the target's gradient stopped.
    theta = f32(0.2, -0.2, 0.1)

    def td_loss(theta, s_t, r_tp1, s_tp1):
        target = r_tp1 + (theta * s_tp1).sum()
        return (ops.stop_gradient(target) - (theta * s_t).sum()) ** 2

    states = Tensor(np.array([[2.0, 1.0, -2.0], [0.0, 1.0, 1.0]], np.float32))
    rewards, next_states = f32(2.0, 0.0), Tensor(np.array([[1.0, 2.0, 0.0], [1.0, 0.0, 1.0]], np.float32))
    grads = ms.vmap(ms.grad(td_loss), in_axes=(None, 0, 0, 0))(theta, states, rewards, next_states)
    th, st, rw, ns = arr(theta), arr(states), arr(rewards), arr(next_states)
    delta = rw + ns @ th - st @ th
    assert_tensor(grads, -2 * delta[:, None] * st)


def test_grad_of_value_and_grad_and_of_vjp():
    assert_tensor(ms.grad(lambda a: ms.value_and_grad(lambda b: ops.sin(b).sum())(a)[1].sum())(X),
                  -np.sin(arr(X)))
    # vjp of grad is a Hessian-vector product: H(sum a^3) = diag(6a)
    assert_tensor(ms.vjp(ms.grad(lambda a: (a * a * a).sum()), X)[1](V)[0], [6.0, 120.0])
