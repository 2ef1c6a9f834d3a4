"""msjax.to_jax / from_jax / load_jax_params: a Cell as a pure JAX function, JAX functions inside construct."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import msjax as ms
from msjax import nn, ops, Parameter, Tensor
from msjax._src import state


class Linear(nn.Cell):
    """y = x @ w + b (msjax has no nn.Dense yet)."""

    def __init__(self, n_in=3, n_out=2, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.w = Parameter(Tensor(rng.normal(size=(n_in, n_out)).astype(np.float32)), name="w")
        self.b = Parameter(Tensor(rng.normal(size=(n_out,)).astype(np.float32)), name="b")

    def construct(self, x):
        return ops.matmul(x, self.w) + self.b


class Normalizer(nn.Cell):
    """A hand-written moving average in a non-trainable Parameter, updated with ops.assign."""

    def __init__(self):
        super().__init__()
        self.linear = Linear()
        self.mean = Parameter(Tensor(np.zeros(2, np.float32)), name="mean", requires_grad=False)

    def construct(self, x):
        y = self.linear(x)
        ops.assign(self.mean, 0.9 * self.mean + 0.1 * ops.mean(y, 0))
        return y - self.mean


def _x(shape=(4, 3), seed=1):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def _no_tracers(cell):
    return all(not isinstance(p._value, jax.core.Tracer) for p in cell.get_parameters())


# --- to_jax --------------------------------------------------------------------------------------------------

def test_params_and_forward_match_the_cell():
    net = Normalizer()
    apply, params = ms.to_jax(net)
    assert list(params) == ["mean", "linear.w", "linear.b"]  # parameters_and_names order, non-trainable too
    assert all(isinstance(v, jax.Array) for v in params.values())
    x = _x()
    out, updated = apply(params, x)
    assert isinstance(out, jax.Array)
    before = {p.name: p.asnumpy() for p in net.get_parameters()}
    expected = net(Tensor(x)).asnumpy()  # the Cell's own forward (this one writes `mean`)
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    np.testing.assert_allclose(updated["mean"], net.mean.asnumpy(), rtol=1e-6)
    assert list(updated) == ["mean"]
    np.testing.assert_array_equal(before["mean"], np.zeros(2, np.float32))


def test_apply_is_pure_and_takes_tensors():
    net = Linear()
    apply, params = ms.to_jax(net)
    w0 = net.w.asnumpy()
    new = {"w": params["w"] * 2, "b": params["b"]}
    out, updated = apply(new, Tensor(_x()))
    assert updated == {}
    np.testing.assert_allclose(out, _x() @ (2 * w0) + net.b.asnumpy(), rtol=1e-6)
    np.testing.assert_array_equal(net.w.asnumpy(), w0)  # the Cell is untouched


def test_structured_outputs_and_inputs():
    class Multi(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(Tensor(np.float32(2.0)), name="w")

        def construct(self, pair, scale=1.0):
            a, b = pair
            return (a * self.w, [b * scale]), {"w": self.w, "n": 3}

    apply, params = ms.to_jax(Multi())
    (first, second), extra = jax.jit(apply)(params, (jnp.ones(2), jnp.arange(3.0)), scale=2.0)[0]
    np.testing.assert_array_equal(first, [2.0, 2.0])
    assert isinstance(second, list)
    np.testing.assert_array_equal(second[0], [0.0, 2.0, 4.0])
    assert float(extra["w"]) == 2.0 and int(extra["n"]) == 3  # a returned Parameter gives the bound value


def test_jit_and_vmap():
    net = Linear()
    apply, params = ms.to_jax(net)
    xs = _x((5, 4, 3))
    out, _ = jax.jit(apply)(params, xs[0])
    np.testing.assert_allclose(out, net(Tensor(xs[0])).asnumpy(), rtol=1e-6)
    batched, _ = jax.vmap(apply, in_axes=(None, 0))(params, xs)  # over inputs
    np.testing.assert_allclose(batched, np.stack([net(Tensor(x)).asnumpy() for x in xs]), rtol=1e-6)
    ensemble = jax.tree_util.tree_map(lambda v: jnp.stack([v, 2 * v]), params)
    outs, _ = jax.jit(jax.vmap(apply, in_axes=(0, None)))(ensemble, xs[0])  # over params (an ensemble)
    np.testing.assert_allclose(outs[1], xs[0] @ (2 * net.w.asnumpy()) + 2 * net.b.asnumpy(), rtol=1e-5)
    assert _no_tracers(net)


def test_forward_mode_of_apply():
    net = Normalizer()
    apply, params = ms.to_jax(net)
    x = jnp.asarray(_x())
    jac = jax.jit(jax.jacfwd(lambda x: apply(params, x)[0]))(x)
    np.testing.assert_allclose(jac, jax.jacrev(lambda x: apply(params, x)[0])(x), rtol=1e-6)
    _, (_, tangent_state) = jax.jvp(lambda p: apply(p, x), (params,), (params,))
    assert set(tangent_state) == {"mean"}


def test_cell_bprop_is_honoured_by_jax_grad():
    class Scaled(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(Tensor(np.float32(3.0)), name="w")

        def construct(self, x):
            return x * self.w

        def bprop(self, x, out, dout):
            return (dout * 10,)

    net = Scaled()
    apply, params = ms.to_jax(net)
    x = np.ones(3, np.float32)
    gx, gp = jax.jit(jax.grad(lambda x, p: apply(p, x)[0].sum(), argnums=(0, 1)))(x, params)
    np.testing.assert_array_equal(gx, ms.grad(net)(Tensor(x)).asnumpy())  # 10, from the bprop
    assert float(gp["w"]) == 0.0  # a bprop gives Parameters zero gradient, as in MindSpore


def test_vmapped_write_is_batched():
    net = Normalizer()
    apply, params = ms.to_jax(net)
    xs = _x((3, 4, 3))
    _, updated = jax.vmap(apply, in_axes=(None, 0))(params, xs)
    assert updated["mean"].shape == (3, 2)
    _, first = apply(params, xs[0])
    np.testing.assert_allclose(updated["mean"][0], first["mean"], rtol=1e-6)


def test_grad_matches_ms_grad():
    net = Linear()
    apply, params = ms.to_jax(net)
    x = _x()

    def loss(p, x):
        return apply(p, x)[0].sum()

    gp, gx = jax.jit(jax.grad(loss, argnums=(0, 1)))(params, jnp.asarray(x))
    weights = net.trainable_params()
    ms_gx, ms_gw = ms.grad(net, 0, weights)(Tensor(x))  # sens of ones = gradient of the sum
    for w, g in zip(weights, ms_gw):
        np.testing.assert_allclose(gp[w.name], g.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(gx, ms_gx.asnumpy(), rtol=1e-6)
    value, grads = jax.value_and_grad(loss)(params, x)
    np.testing.assert_allclose(value, net(Tensor(x)).asnumpy().sum(), rtol=1e-6)
    assert set(grads) == {"w", "b"}
    assert _no_tracers(net)


def test_grad_through_a_write_with_has_aux():
    net = Normalizer()
    apply, params = ms.to_jax(net)
    x = _x()

    def loss(p):
        out, updated = apply(p, x)
        return (out ** 2).sum(), updated

    (value, updated), grads = jax.jit(jax.value_and_grad(loss, has_aux=True))(params)
    ms_grads = ms.grad(lambda t: (net(t) ** 2).sum(), None, net.trainable_params())(Tensor(x))
    np.testing.assert_allclose(grads["linear.w"], ms_grads[0].asnumpy(), rtol=1e-5)
    np.testing.assert_allclose(updated["mean"], net.mean.asnumpy(), rtol=1e-6)  # ms.grad wrote it back
    assert _no_tracers(net)


def test_no_tracer_left_after_jit_or_exception():
    class Raising(Normalizer):
        def construct(self, x):
            y = super().construct(x)  # writes `mean` first
            if x.shape[0] == 1:
                raise ValueError("bad batch")
            return y

    net = Raising()
    apply, params = ms.to_jax(net)
    jitted = jax.jit(apply)
    jitted(params, _x())
    assert _no_tracers(net)
    np.testing.assert_array_equal(net.mean.asnumpy(), np.zeros(2, np.float32))  # pure: no write-back
    for fn in (jitted, jax.grad(lambda p, x: apply(p, x)[0].sum()), apply):
        with pytest.raises(ValueError, match="bad batch"):
            fn(params, _x((1, 3)))
        assert _no_tracers(net) and not state._frames
    np.testing.assert_array_equal(net.mean.asnumpy(), np.zeros(2, np.float32))


def test_params_are_checked():
    apply, params = ms.to_jax(Linear())
    with pytest.raises(KeyError, match="missing"):
        apply({"w": params["w"]}, _x())
    with pytest.raises(ValueError, match="shape"):
        apply({"w": params["w"].T, "b": params["b"]}, _x())
    with pytest.raises(ValueError, match="dtype"):
        apply({"w": params["w"].astype(jnp.float64), "b": params["b"]}, _x())


def test_writing_a_parameter_outside_the_cell_is_an_error():
    counter = Parameter(Tensor(np.float32(0.0)), name="counter")

    class Counting(Linear):
        def construct(self, x):
            ops.assign(counter, counter + 1)
            return super().construct(x)

    apply, params = ms.to_jax(Counting())
    with pytest.raises(ValueError, match="counter"):
        apply(params, _x())
    assert float(counter) == 0.0


def test_duplicate_names_are_refreshed_as_on_the_first_call():
    class Two(nn.Cell):
        def __init__(self):
            super().__init__()
            self.a = Linear()
            self.b = Linear()  # both children named their Parameters "w" and "b"

        def construct(self, x):
            return self.a(x) + self.b(x)

    net = Two()
    apply, params = ms.to_jax(net)
    assert list(params) == ["a.w", "a.b", "b.w", "b.b"]
    np.testing.assert_allclose(apply(params, _x())[0], net(Tensor(_x())).asnumpy(), rtol=1e-6)


def test_load_jax_params():
    net = Normalizer()
    apply, params = ms.to_jax(net)
    _, updated = apply(params, _x())
    ms.load_jax_params(net, updated)
    np.testing.assert_allclose(net.mean.asnumpy(), updated["mean"])
    ms.load_jax_params(net, {"linear.b": np.zeros(2)})  # cast to the Parameter's dtype, as set_data does
    assert net.linear.b.dtype == ms.float32 and not net.linear.b.asnumpy().any()
    with pytest.raises(KeyError):
        ms.load_jax_params(net, {"nope": jnp.zeros(2)})
    with pytest.raises(TypeError, match="tracer"):
        jax.jit(lambda p: ms.load_jax_params(net, p))(params)
    assert _no_tracers(net)


def test_training_with_optax():
    optax = pytest.importorskip("optax")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3
    net = Linear(3, 1)
    apply, params = ms.to_jax(net)

    def loss(p, x, y):
        return jnp.mean((apply(p, x)[0] - y) ** 2)

    opt = optax.adam(0.05)
    opt_state = opt.init(params)

    @jax.jit
    def step(params, opt_state, x, y):
        value, grads = jax.value_and_grad(loss)(params, x, y)
        updates, opt_state = opt.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, value

    first = float(loss(params, x, y))
    for _ in range(300):
        params, opt_state, value = step(params, opt_state, x, y)
    assert float(value) < 1e-3 * first
    ms.load_jax_params(net, params)  # back into the Cell: its own forward now gives the trained model
    trained = np.mean((net(Tensor(x)).asnumpy() - y) ** 2)
    assert trained < 1e-3 * first
    np.testing.assert_allclose(net.w.asnumpy().ravel(), [1.0, -2.0, 0.5], atol=1e-2)
    assert _no_tracers(net)


# --- from_jax ------------------------------------------------------------------------------------------------

def _jax_fn(x, w):
    return jnp.sin(x @ w) + jnp.sum(x ** 2)


class UsesJax(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(_x((3, 2), seed=5)), name="w")
        self.f = ms.from_jax(_jax_fn)

    def construct(self, x):
        return self.f(x, self.w) * 2


def _ref(x, w):
    return 2 * _jax_fn(x, w)


def test_from_jax_forward_and_pytrees():
    net = UsesJax()
    x = _x()
    out = net(Tensor(x))
    assert isinstance(out, Tensor) and out.dtype == ms.float32
    np.testing.assert_allclose(out.asnumpy(), _ref(x, net.w.asnumpy()), rtol=1e-6)

    @ms.from_jax
    def split(tree):
        return {"sum": tree["a"] + tree["b"]}, [tree["a"] * 2, 7]

    total, (double, seven) = split({"a": Tensor([1.0]), "b": jnp.ones(1)})
    assert isinstance(total["sum"], Tensor) and isinstance(double, Tensor) and seven == 7
    np.testing.assert_array_equal(total["sum"].asnumpy(), [2.0])
    assert split.__name__ == "split"


def test_from_jax_under_grad_operation_and_grad():
    net = UsesJax()
    x = _x()
    w = net.w.asnumpy()
    gx_ref, gw_ref = jax.grad(lambda x, w: _ref(x, w).sum(), argnums=(0, 1))(x, w)
    (gx,), (gw,) = ops.GradOperation(get_all=True, get_by_list=True)(net, net.trainable_params())(Tensor(x))
    np.testing.assert_allclose(gx.asnumpy(), gx_ref, rtol=1e-5)
    np.testing.assert_allclose(gw.asnumpy(), gw_ref, rtol=1e-5)
    gx, gw = ms.grad(net, 0, net.w)(Tensor(x))
    np.testing.assert_allclose(gx.asnumpy(), gx_ref, rtol=1e-5)
    np.testing.assert_allclose(gw.asnumpy(), gw_ref, rtol=1e-5)
    assert _no_tracers(net)


def test_from_jax_under_vjp_jvp_jacfwd_jacrev():
    net = UsesJax()
    x = _x((2, 3))
    w = net.w.asnumpy()
    v = np.ones((2, 2), np.float32)
    out, vjp_fn = ms.vjp(net, Tensor(x))
    _, ref_vjp = jax.vjp(lambda x: _ref(x, w), x)
    np.testing.assert_allclose(vjp_fn(Tensor(v))[0].asnumpy(), ref_vjp(v)[0], rtol=1e-5)
    t = _x((2, 3), seed=9)
    _, tangent = ms.jvp(net, Tensor(x), Tensor(t))
    np.testing.assert_allclose(tangent.asnumpy(), jax.jvp(lambda x: _ref(x, w), (x,), (t,))[1], rtol=1e-5)
    ref_jac = jax.jacfwd(lambda x: _ref(x, w))(x)
    np.testing.assert_allclose(ms.jacfwd(net)(Tensor(x)).asnumpy(), ref_jac, rtol=1e-5)
    np.testing.assert_allclose(ms.jacrev(net)(Tensor(x)).asnumpy(), ref_jac, rtol=1e-5)
    assert _no_tracers(net)


def test_from_jax_under_ms_vmap_and_derivative():
    net = UsesJax()
    xs = _x((5, 4, 3))
    np.testing.assert_allclose(ms.vmap(net)(Tensor(xs)).asnumpy(),
                               np.stack([_ref(x, net.w.asnumpy()) for x in xs]), rtol=1e-5)
    _, second = ops.derivative(ms.from_jax(jnp.sin), Tensor(np.float32(0.5)), 2)
    np.testing.assert_allclose(second.asnumpy(), -np.sin(0.5), rtol=1e-6)


def test_from_jax_custom_vjp_is_honoured():
    @jax.custom_vjp
    def clip_grad(x):
        return x

    clip_grad.defvjp(lambda x: (x, None), lambda _, g: (jnp.clip(g, -1.0, 1.0),))
    f = ms.from_jax(clip_grad)
    g = ms.grad(lambda x: f(x * 5.0).sum())(Tensor(np.ones(3, np.float32)))
    np.testing.assert_allclose(g.asnumpy(), 5.0 * np.ones(3))  # clipped to 1, then times 5


def test_from_jax_inside_to_jax():
    net = UsesJax()
    apply, params = ms.to_jax(net)
    x = _x()
    grads = jax.jit(jax.grad(lambda p: apply(p, x)[0].sum()))(params)
    np.testing.assert_allclose(grads["w"], jax.grad(lambda w: _ref(x, w).sum())(net.w.asnumpy()), rtol=1e-5)


def test_apply_in_graph_mode_runs_inline():
    """In GRAPH_MODE a Cell call is compiled by msjax's jit; inside apply's frame it runs inline in JAX's trace."""
    net = Normalizer()
    apply, params = ms.to_jax(net)
    expected = apply(params, _x())
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        out, updated = jax.jit(apply)(params, _x())
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
    np.testing.assert_allclose(out, expected[0], rtol=1e-6)
    np.testing.assert_allclose(updated["mean"], expected[1]["mean"], rtol=1e-6)
    assert _no_tracers(net)
