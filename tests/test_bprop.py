"""Custom backward rules: ``bprop_getters.register`` (honoured by msjax; MindSpore 2.10 ignores it for built-in ops)
and ``Cell.bprop``, both run as one `jax.custom_vjp` by `bprop.call_with_rule`.

Design note: the rules are reverse-mode only; forward-mode transforms through them are built by transposing msjax's
vjp, never by `jax.jvp` (which refuses custom_vjp functions).
"""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, ParameterTuple, Tensor, nn, ops
from msjax._src import bprop as bprop_mod
from msjax._src import state
from msjax._src.primitive import Primitive


def f32(*values):
    return Tensor(np.array(values, np.float32))


def arr(t):
    return np.asarray(t.asnumpy())


X, Y = f32(1.0, 2.0), f32(3.0, 4.0)
G = ops.GradOperation()
GA = ops.GradOperation(get_all=True)


@pytest.fixture
def registry():
    """The registry, with every registration made by the test removed afterwards."""
    registered = []
    real_register = bprop_mod.bprop_getters.register

    def register(prim):
        registered.append(prim)
        return real_register(prim)

    bprop_mod.bprop_getters.register = register
    yield bprop_mod.bprop_getters
    del bprop_mod.bprop_getters.register
    for prim in registered:
        bprop_mod.bprop_getters.unregister(prim)


def times(k):
    def getter(prim):
        def rule(x, out, dout):
            return (dout * k,)
        return rule
    return getter


# --- bprop_getters ------------------------------------------------------------------------------------------------

def test_registration_after_first_use_class_and_functional(registry):
    x = Tensor(np.array([0.3, 1.2], np.float64))
    sin_op = ops.Sin()
    np.testing.assert_allclose(arr(G(ops.sin)(x)), np.cos(arr(x)))  # first use: the built-in gradient
    np.testing.assert_allclose(arr(G(sin_op)(x)), np.cos(arr(x)))
    registry.register(ops.Sin)(times(10.0))
    np.testing.assert_allclose(arr(G(ops.sin)(x)), [10.0, 10.0])
    np.testing.assert_allclose(arr(G(sin_op)(x)), [10.0, 10.0])
    np.testing.assert_allclose(arr(G(lambda t: ops.Sin()(t) * 3.0)(x)), [30.0, 30.0])
    registry.register(ops.Sin)(times(-1.0))  # a new registration replaces the previous one
    np.testing.assert_allclose(arr(G(sin_op)(x)), [-1.0, -1.0])
    registry.unregister(ops.Sin)             # unregistering restores the built-in gradient
    np.testing.assert_allclose(arr(G(ops.sin)(x)), np.cos(arr(x)))
    np.testing.assert_allclose(arr(ops.sin(x)), np.sin(arr(x)))


class Cube(Primitive):
    inputs = ("input: Tensor",)

    def kernel(self, x):
        return x * x * x


def test_registration_before_first_use_by_name_and_instance(registry):
    x = f32(1.0, 2.0)
    registry.register("Cube")(times(7.0))
    cube = Cube()
    np.testing.assert_allclose(arr(cube(x)), [1.0, 8.0])
    np.testing.assert_allclose(arr(G(cube)(x)), [7.0, 7.0])
    registry.register(cube)(times(5.0))  # an instance registers its primitive's name
    np.testing.assert_allclose(arr(G(cube)(x)), [5.0, 5.0])
    registry.unregister("Cube")
    np.testing.assert_allclose(arr(G(cube)(x)), [3.0, 12.0])
    assert "Cube" not in registry


_FRESH_PROCESS = """
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor
from mindspore.ops._grad.grad_base import bprop_getters  # the seed's path

@bprop_getters.register(ops.Sin)          # before Sin has ever run in this process
def get_bprop_sin(self):
    def bprop(x, out, dout):
        return (dout * 10,)
    return bprop

x = Tensor(np.array([0.5, 1.0], np.float32))
print(ops.GradOperation()(ops.Sin())(x).asnumpy().tolist(), ops.GradOperation()(ops.sin)(x).asnumpy().tolist())
"""


def test_registration_before_first_use_of_sin_in_a_fresh_process():
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    completed = subprocess.run([sys.executable, "-c", "import msjax; msjax.install()\n" + _FRESH_PROCESS],
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.split() == ["[10.0,", "10.0]", "[10.0,", "10.0]"]


def test_old_and_new_import_paths_share_one_registry():
    import mindspore.ops._grad.grad_base as old_path  # noqa: PLC0415  (the seed's MindSpore 1.x path)
    import mindspore.ops._grad_experimental.grad_base as new_path  # noqa: PLC0415
    from msjax.ops._grad.grad_base import bprop_getters as old_msjax  # noqa: PLC0415

    assert old_path.bprop_getters is new_path.bprop_getters is old_msjax is bprop_mod.bprop_getters
    assert isinstance(old_path.bprop_getters, old_path.BpropRegistry)


def test_rule_in_nested_gradients_is_used_at_every_order(registry):
    x = Tensor(np.array([0.4, 1.3], np.float64))
    registry.register(ops.Sin)(lambda prim: (lambda t, out, dout: (dout * ops.cos(t),)))

    def sin_squared(t):
        return ops.sin(t) * ops.sin(t)

    d1 = G(sin_squared)
    d2 = G(d1)
    v = arr(x)
    np.testing.assert_allclose(arr(d1(x)), np.sin(2 * v), rtol=1e-12)
    np.testing.assert_allclose(arr(d2(x)), 2 * np.cos(2 * v), rtol=1e-12)
    registry.register(ops.Sin)(times(10.0))  # not the derivative: every order goes through the rule
    np.testing.assert_allclose(arr(d1(x)), 20 * np.sin(v), rtol=1e-12)
    np.testing.assert_allclose(arr(d2(x)), [200.0, 200.0], rtol=1e-12)


def test_rule_sees_forward_values_and_outer_dout(registry):
    seen = []

    def getter(prim):
        def rule(t, out, dout):
            seen.append((arr(t), arr(out), arr(dout)))
            return (dout * 2.0,)
        return rule

    registry.register(ops.Exp)(getter)
    result = G(lambda t: ops.exp(t * 3.0) * 5.0)(X)
    np.testing.assert_allclose(arr(result), [30.0, 30.0])
    (t, out, dout), = seen
    np.testing.assert_allclose(t, [3.0, 6.0])
    np.testing.assert_allclose(out, np.exp([3.0, 6.0]), rtol=1e-6)
    np.testing.assert_allclose(dout, [5.0, 5.0])


# --- Cell.bprop -----------------------------------------------------------------------------------------------------

class Mul(nn.Cell):
    def __init__(self):
        super().__init__()
        self.calls = []

    def construct(self, a, b):
        return a * b

    def bprop(self, a, b, out, dout):
        self.calls.append([arr(a), arr(b), arr(out), arr(dout)])
        return dout * 10, dout * b


def test_cell_bprop_arguments_and_dout_scaling():
    mul = Mul()
    np.testing.assert_allclose(arr(mul(X, Y)), [3.0, 8.0])
    assert mul.calls == []  # outside a gradient the bprop is not involved
    gx, gy = GA(lambda a, b: mul(a, b) * 2.0)(X, Y)
    np.testing.assert_allclose(arr(gx), [20.0, 20.0])
    np.testing.assert_allclose(arr(gy), [6.0, 8.0])
    (a, b, out, dout), = mul.calls
    np.testing.assert_allclose(a, [1.0, 2.0])
    np.testing.assert_allclose(b, [3.0, 4.0])
    np.testing.assert_allclose(out, [3.0, 8.0])
    np.testing.assert_allclose(dout, [2.0, 2.0])


def test_cell_bprop_multi_output_gets_a_dout_tuple():
    douts = []

    class Split(nn.Cell):
        def construct(self, a):
            return a * 2.0, a * a

        def bprop(self, a, out, dout):
            douts.append(tuple(arr(d) for d in dout))
            return (dout[0] * 100 + dout[1],)

    split = Split()
    (g,) = GA(lambda a: split(a)[0] * 5.0)(X)
    np.testing.assert_allclose(arr(g), [500.0, 500.0])
    np.testing.assert_allclose(douts[0][1], [0.0, 0.0])


def test_cell_bprop_result_checks():
    class Rule(nn.Cell):
        def __init__(self, result):
            super().__init__()
            self.result = result

        def construct(self, a, b):
            return a * b

        def bprop(self, a, b, out, dout):
            return self.result(dout)

    with pytest.raises(RuntimeError, match="Grad size should lager than forward inputs, but got 1 vs 2"):
        GA(Rule(lambda d: (d,)))(X, Y)
    with pytest.raises(RuntimeError, match=r"got \[const vector\]\{1\} vs \[const vector\]\{2\}"):
        GA(Rule(lambda d: (f32(1.0), d)))(X, Y)  # the shape must be the input's, no broadcasting
    none_grad = GA(Rule(lambda d: (d, None)))(X, Y)
    np.testing.assert_allclose(arr(none_grad[1]), [0.0, 0.0])
    extra = GA(Rule(lambda d: (d * 2, d * 3, d * 4)))(X, Y)
    np.testing.assert_allclose(arr(extra[1]), [3.0, 3.0])
    cast = GA(Rule(lambda d: (Tensor(np.array([1.0, 2.0], np.float16)), d)))(X, Y)
    assert cast[0].dtype == ms.float32


class Bare(nn.Cell):
    def construct(self, a):
        return a * a

    def bprop(self, a, out, dout):
        return dout * 4


def test_cell_bprop_bare_tensor_pynative_accepts_graph_rejects():
    np.testing.assert_allclose(arr(G(Bare())(X)), [4.0, 4.0])
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        with pytest.raises(TypeError, match="output should be a tuple"):
            G(Bare())(X)
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)


def test_cell_bprop_scalar_keyword_and_integer_inputs():
    class Scaled(nn.Cell):
        def construct(self, a, k, c=None):
            return a * k * c

        def bprop(self, a, k, c, out, dout):
            assert k == 3.0
            return dout * 7, 0, dout * 2.7

    a32 = Tensor(np.array([3, 4], np.int32))
    scaled = Scaled()
    ga, gc = GA(lambda a, c: scaled(a, 3.0, c=c))(X, Y)
    np.testing.assert_allclose(arr(ga), [7.0, 7.0])
    np.testing.assert_allclose(arr(gc), [2.7, 2.7], rtol=1e-6)
    gf, gi = GA(lambda f, i: scaled(f, 3.0, c=i))(X, a32)  # an integer input's gradient is truncated
    assert gi.dtype == ms.int32
    np.testing.assert_array_equal(arr(gi), [2, 2])


def test_cell_bprop_integer_output_gets_integer_dout():
    douts = []

    class IntOut(nn.Cell):
        def construct(self, b):
            return b * 2, ops.argmax(b)

        def bprop(self, b, out, dout):
            douts.append(dout)
            return (dout[0] * 3,)

    (g,) = GA(IntOut())(X)
    np.testing.assert_allclose(arr(g), [3.0, 3.0])
    assert douts[0][1].dtype == ms.int64 and int(arr(douts[0][1])) == 1


class WithParam(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(f32(5.0, 6.0), name="w")
        self.seen = []

    def construct(self, a):
        return a * self.w

    def bprop(self, a, out, dout):
        self.seen.append(arr(self.w.value()))
        return (dout * self.w * 2,)


def test_parameters_inside_a_bprop_cell_get_zero_gradients():
    inner = WithParam()
    v = Parameter(f32(0.5), name="v")

    def outer(a):
        ops.assign(inner.w, inner.w + 1)  # the bprop reads the value the forward saw
        return inner(a) * v

    inputs, (gw, gv) = ops.GradOperation(get_all=True, get_by_list=True)(outer, ParameterTuple([inner.w, v]))(X)
    np.testing.assert_allclose(inner.seen[0], [6.0, 7.0])
    np.testing.assert_allclose(arr(inputs[0]), [6.0, 7.0])
    np.testing.assert_allclose(arr(gw), [0.0, 0.0])
    np.testing.assert_allclose(arr(gv), [6.0 + 14.0])
    np.testing.assert_allclose(arr(inner.w.value()), [6.0, 7.0])


def test_exception_in_a_bprop_restores_state():
    class Failing(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(f32(1.0), name="fw")

        def construct(self, a):
            ops.assign(self.w, self.w + 1)
            return a * self.w

        def bprop(self, a, out, dout):
            raise KeyError("bprop failed")

    cell = Failing()
    with pytest.raises(KeyError):
        G(cell)(X)
    assert not state._frames
    # The forward had succeeded: its write landed once (as in PyNative), as a concrete value.
    np.testing.assert_allclose(arr(cell.w.value()), [2.0])
    assert not isinstance(cell.w._value, jax.core.Tracer)
    np.testing.assert_allclose(arr(cell(X)), [3.0, 6.0])  # a following eager call works


def test_cell_bprop_inside_nested_gradients():
    class Straight(nn.Cell):
        def construct(self, a):
            return ops.round(a)

        def bprop(self, a, out, dout):
            return (dout * a,)

    straight = Straight()
    x = f32(1.4, 2.6)
    first = G(lambda a: straight(a) * straight(a))(x)  # dout = round(a) for each call
    np.testing.assert_allclose(arr(first), [2 * 1.4 * 1.0, 2 * 2.6 * 3.0], rtol=1e-6)
    second = G(lambda a: G(straight)(a) * a)(x)  # d/da (a * a) through the rule's own output
    np.testing.assert_allclose(arr(second), [2.8, 5.2], rtol=1e-6)
    assert jnp.asarray(second._data).dtype == jnp.float32
