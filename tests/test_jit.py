"""mindspore.jit and GRAPH_MODE: trace cache and its keys, Parameter lifting and write-back, jit forms, fallbacks."""
import jax
import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, ParameterTuple, Tensor, nn, ops
from msjax._src.bprop import bprop_getters


@pytest.fixture(autouse=True)
def pynative_after():
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


def f32(*values):
    return Tensor(np.array(values, np.float32))


def arr(t):
    return t.asnumpy()


class Scale(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(f32(2.0, 3.0), name="w")

    def construct(self, x):
        return x * self.w


class Averager(nn.Cell):
    """A hand-written moving average: a non-trainable Parameter updated on every call."""

    def __init__(self):
        super().__init__()
        self.mean = Parameter(f32(0.0, 0.0), name="mean", requires_grad=False)

    def construct(self, x):
        ops.assign(self.mean, self.mean * 0.5 + x * 0.5)
        return x - self.mean


class Gate(nn.Cell):
    """Behaves differently in training, like Dropout."""

    def construct(self, x):
        return x * 0 if self.training else x


def traces(fn, *calls):
    before = ms.trace_count()
    results = [fn(*args) for args in calls]
    return ms.trace_count() - before, results


# --- trace cache -------------------------------------------------------------------------------------------------

def test_repeated_same_shape_calls_trace_once():
    net = Scale()
    ms.set_context(mode=ms.GRAPH_MODE)
    count, results = traces(net, (f32(1, 1),), (f32(2, 2),), (f32(3, 3),))
    assert count == 1
    assert [arr(r).tolist() for r in results] == [[2, 3], [4, 6], [6, 9]]


def test_each_cache_key_change_retraces():
    net = Scale()
    ms.set_context(mode=ms.GRAPH_MODE)
    net(f32(1, 1))
    assert traces(net, (f32(1, 1),))[0] == 0
    assert traces(net, (Tensor(np.ones((3, 2), np.float32)),))[0] == 1          # input shape
    assert traces(net, (Tensor(np.ones(2, np.float64)),))[0] == 1                # input dtype
    net.w.set_data(f32(1, 1, 1))                                                 # Parameter shape
    assert traces(net, (f32(1, 1, 1),))[0] == 1
    net.w.requires_grad = False                                                  # requires_grad
    assert traces(net, (f32(1, 1, 1),))[0] == 1
    net.w.set_data(f32(5, 5, 5))                                                 # same shape: no retrace,
    count, (out,) = traces(net, (f32(1, 1, 1),))                                  # and the new value is used
    assert count == 0 and arr(out).tolist() == [5, 5, 5]


def test_static_python_arguments_are_part_of_the_key():
    @ms.jit
    def power(x, n):
        out = x
        for _ in range(n - 1):
            out = out * x
        return out

    count, results = traces(power, (f32(2.0), 2), (f32(3.0), 2), (f32(2.0), 3))
    assert count == 2 and [arr(r).tolist() for r in results] == [[4.0], [9.0], [8.0]]


def test_argument_structure_and_static_types_are_part_of_the_key():
    @ms.jit
    def total(xs, n):
        out = xs[0] * n
        for x in xs[1:]:
            out = out + x
        return out

    pair = (f32(1.0), f32(2.0))
    count, results = traces(total, (pair, 2), (pair, 2), (list(pair), 2), (pair + (f32(3.0),), 2), (pair, 2.0),
                            (pair, True), (pair, 2))
    assert count == 5  # tuple vs list, length, and int vs float vs bool each trace; repeats do not
    assert [arr(r).tolist() for r in results] == [[4.0], [4.0], [4.0], [7.0], [4.0], [3.0], [4.0]]


def test_parameter_dtype_change_retraces():
    net = Scale()
    ms.set_context(mode=ms.GRAPH_MODE)
    net(f32(1, 1))
    net.w.data = Tensor(np.array([2.0, 3.0], np.float64))  # no cast, unlike set_data
    count, (out,) = traces(net, (f32(1, 1),))
    assert count == 1 and out.dtype == ms.float64


def test_compiled_function_inside_a_jax_trace_runs_inline():
    @ms.jit
    def double(x):
        return x * 2

    def raw(a):
        return double(Tensor._from_raw(a))._data

    double(f32(1.0, 2.0))
    count, (out,) = traces(jax.jit(raw), (jax.numpy.ones(2, np.float32),))
    assert count == 0 and np.asarray(out).tolist() == [2.0, 2.0]


def test_training_flag_of_called_cells_is_guarded():
    class Outer(nn.Cell):
        def __init__(self):
            super().__init__()
            self.gate = Gate()

        def construct(self, x):
            return self.gate(x) + 1

    net = Outer()
    ms.set_context(mode=ms.GRAPH_MODE)
    assert arr(net(f32(5.0))).tolist() == [6.0]
    net.set_train()
    count, (out,) = traces(net, (f32(5.0),))
    assert count == 1 and arr(out).tolist() == [1.0]  # no stale result after set_train
    net.set_train(False)
    count, (out,) = traces(net, (f32(5.0),))
    assert count == 0 and arr(out).tolist() == [6.0]  # the first entry is reused


def test_registering_a_bprop_retraces():
    def g(x):
        return ops.sin(x)

    grad_fn = ms.grad(g)
    ms.set_context(mode=ms.GRAPH_MODE)
    np.testing.assert_allclose(arr(grad_fn(f32(0.0))), [1.0])

    @bprop_getters.register(ops.Sin)
    def get_bprop(self):
        return lambda x, out, dout: (dout * 10,)

    try:
        count, (out,) = traces(grad_fn, (f32(0.0),))
        assert count == 1 and arr(out).tolist() == [10.0]
    finally:
        bprop_getters.unregister(ops.Sin)


# --- state ---------------------------------------------------------------------------------------------------------

def test_moving_average_is_written_back_on_every_call():
    net = Averager()
    ms.set_context(mode=ms.GRAPH_MODE)
    count, _ = traces(net, (f32(2.0, 4.0),), (f32(2.0, 4.0),))
    assert count == 1
    assert arr(net.mean).tolist() == [1.5, 3.0]
    assert not isinstance(net.mean._value, jax.core.Tracer)


def test_assign_based_sgd_step_with_global_model_is_lifted_not_baked_in():
    model = Scale()
    weights = ParameterTuple(model.trainable_params())

    def loss_fn(x):
        return (model(x) ** 2).sum()

    grad_fn = ms.value_and_grad(loss_fn, None, weights)

    @ms.jit
    def train_step(x):
        loss, grads = grad_fn(x)
        for p, g in zip(weights, grads):
            ops.assign(p, p - 0.1 * g)
        return loss

    x = f32(1.0, 1.0)
    count, losses = traces(train_step, (x,), (x,), (x,))
    assert count == 1
    # w <- w - 0.1 * 2 w x^2 = 0.8 w each step; the loss follows, so weights are inputs, not constants
    np.testing.assert_allclose([float(l) for l in losses], [13.0, 13.0 * 0.64, 13.0 * 0.64 ** 2], rtol=1e-6)
    np.testing.assert_allclose(arr(model.w), [2.0 * 0.8 ** 3, 3.0 * 0.8 ** 3], rtol=1e-6)


def test_attribute_assignment_and_setitem_on_parameters_inside_jit():
    class Writer(nn.Cell):
        def __init__(self):
            super().__init__()
            self.p = Parameter(f32(0.0, 0.0, 0.0), name="p")
            self.q = Parameter(f32(1.0), name="q")

        def construct(self, x):
            self.p[1] = x.sum()
            self.q = self.q * 2
            return self.p + 1

    net = Writer()
    out = ms.jit(net)(f32(3.0, 4.0))
    assert arr(out).tolist() == [1.0, 8.0, 1.0]
    assert arr(net.p).tolist() == [0.0, 7.0, 0.0] and arr(net.q).tolist() == [2.0]
    assert type(net.q).__name__ == "Parameter"


def test_parameters_and_cells_created_inside_jit():
    @ms.jit
    def fresh(x):
        inner = Scale()
        made = Parameter(x * 2, name="made")
        return inner(x) + made

    assert arr(fresh(f32(1.0, 2.0))).tolist() == [4.0, 10.0]
    assert arr(fresh(f32(1.0, 2.0))).tolist() == [4.0, 10.0]


def test_exception_inside_compiled_call_leaves_parameters_untouched():
    class Failing(nn.Cell):
        def __init__(self):
            super().__init__()
            self.p = Parameter(f32(1.0), name="p")

        def construct(self, x):
            ops.assign(self.p, x)
            raise ValueError("boom")

    net = Failing()
    ms.set_context(mode=ms.GRAPH_MODE)
    with pytest.raises(ValueError, match="boom"):
        net(f32(5.0))
    assert arr(net.p).tolist() == [1.0] and not isinstance(net.p._value, jax.core.Tracer)
    ms.set_context(mode=ms.PYNATIVE_MODE)
    with pytest.raises(ValueError):
        net(f32(5.0))


# --- forms and options -------------------------------------------------------------------------------------------

def test_jit_forms():
    def double(x):
        return x * 2

    assert arr(ms.jit(double)(f32(1.0))).tolist() == [2.0]
    assert arr(ms.jit()(double)(f32(1.0))).tolist() == [2.0]
    assert arr(ms.jit(capture_mode="bytecode", jit_level="O1")(double)(f32(1.0))).tolist() == [2.0]

    class OnConstruct(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(f32(3.0), name="w")

        @ms.jit
        def construct(self, x):
            return x * self.w

    net = OnConstruct()
    count, results = traces(net, (f32(1.0),), (f32(2.0),))
    assert count == 1 and [arr(r).tolist() for r in results] == [[3.0], [6.0]]
    assert arr(ms.jit(Scale())(f32(1.0, 1.0))).tolist() == [2.0, 3.0]


def test_jit_option_validation_matches_mindspore():
    with pytest.raises(ValueError, match="'capture_mode' must be str and must be in"):
        ms.jit(capture_mode="xx")
    with pytest.raises(ValueError, match="jit_level"):
        ms.jit(jit_level="O2")


def test_concretizing_code_runs_eagerly_with_one_warning():
    @ms.jit
    def uses_numpy(x):
        return Tensor(np.asarray(x.asnumpy()) + 1)

    with pytest.warns(ms.CompileFallbackWarning, match="eagerly"):
        out = uses_numpy(f32(1.0))
    assert arr(out).tolist() == [2.0]
    assert arr(uses_numpy(f32(2.0))).tolist() == [3.0]


# --- GRAPH_MODE ----------------------------------------------------------------------------------------------------

def test_graph_mode_gives_pynative_numbers_for_cells_and_gradients():
    net = Scale()
    x = f32(1.5, -2.0)
    grad_op = ops.GradOperation(get_all=True, get_by_list=True)(net, ParameterTuple(net.trainable_params()))
    eager_out, eager_grads = arr(net(x)), grad_op(x)
    ms.set_context(mode=ms.GRAPH_MODE)
    count, [(graph_out, graph_grads)] = traces(lambda a: (net(a), grad_op(a)), (x,))
    assert count == 2  # the Cell and the gradient are each one compiled function
    np.testing.assert_allclose(arr(graph_out), eager_out)
    for a, b in zip(jax.tree_util.tree_leaves(graph_grads), jax.tree_util.tree_leaves(eager_grads)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b))


def test_print_inside_compiled_code_runs_on_every_call(capfd):
    class Printer(nn.Cell):
        def construct(self, x):
            print("value:", x)
            ops.print_(x * 2)
            return x

    net = Printer()
    ms.set_context(mode=ms.GRAPH_MODE)
    net(f32(1.0, 2.0))
    net(f32(3.0, 4.0))
    jax.effects_barrier()
    out = capfd.readouterr().out.splitlines()
    assert out == ["value:", "Tensor(shape=[2], dtype=Float32, value=[ 1.00000000e+00  2.00000000e+00])",
                   "Tensor(shape=[2], dtype=Float32, value=[ 2.00000000e+00  4.00000000e+00])",
                   "value:", "Tensor(shape=[2], dtype=Float32, value=[ 3.00000000e+00  4.00000000e+00])",
                   "Tensor(shape=[2], dtype=Float32, value=[ 6.00000000e+00  8.00000000e+00])"]


def test_formatting_a_traced_tensor_falls_back_to_eager():
    @ms.jit
    def describe(x):
        return f"{x}"

    with pytest.warns(ms.CompileFallbackWarning):
        assert describe(f32(1.5)) == "[1.5]"


def test_tensor_while_under_a_compiled_gradient_runs_eagerly_once_warned():
    class Doubling(nn.Cell):
        def construct(self, x):
            while x.sum() < 10:
                x = x * 2
            return x

    net = Doubling()
    grad_fn = ops.GradOperation()(net)
    ms.set_context(mode=ms.GRAPH_MODE)
    assert arr(net(f32(1.0, 2.0))).tolist() == [4.0, 8.0]  # forward alone compiles to a while_loop
    with pytest.warns(ms.CompileFallbackWarning, match="eagerly"):
        assert arr(grad_fn(f32(1.0, 2.0))).tolist() == [4.0, 4.0]
    assert arr(grad_fn(f32(3.0, 3.0))).tolist() == [2.0, 2.0]


def test_forward_mode_transforms_compile_in_graph_mode():
    net = Scale()

    def cube(a):
        return a * a * a

    x, v = f32(1.0, 2.0), f32(1.0, 10.0)
    eager = [ms.jvp(net, x, v), ms.jacrev(cube)(x), ms.jacfwd(net)(x)]
    ms.set_context(mode=ms.GRAPH_MODE)
    count, [graph] = traces(lambda: [ms.jvp(net, x, v), ms.jacrev(cube)(x), ms.jacfwd(net)(x)], ())
    assert count == 3
    for a, b in zip(jax.tree_util.tree_leaves(graph), jax.tree_util.tree_leaves(eager)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b))
    assert traces(lambda: ms.jvp(net, x, v), ())[0] == 0


def test_gradient_transforms_made_every_call_share_one_trace():
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        net = nn.Dense(3, 2)
        x = Tensor(np.ones((1, 3), np.float32))

        def loss(x):
            return net(x).sum()

        before = ms.trace_count()
        grads = [ms.grad(loss, None, net.trainable_params())(x) for _ in range(3)]
        grads += [ops.GradOperation(get_by_list=True)(net, net.trainable_params())(x) for _ in range(3)]
        assert ms.trace_count() - before == 2
        for g in grads[1:]:
            np.testing.assert_array_equal(g[0].asnumpy(), grads[0][0].asnumpy())
        ms.grad(loss, 0)(x)  # other settings: their own trace
        assert ms.trace_count() - before == 3
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
