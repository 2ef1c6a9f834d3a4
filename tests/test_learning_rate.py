"""Learning-rate schedules (the six LearningRateSchedule Cells), the dynamic_lr list builders, and optimizers driven
by them: values against the formulas (lists against MindSpore 2.10's own output, recorded by the probe in
compat_tests/programs/nn_lr_schedules.py), argument errors with MindSpore's types and messages, the rate used at
step k, and compiled training steps that compute the rate inside themselves (one trace for all steps)."""
import math

import jax

import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, Tensor, nn, ops

STEPS = range(11)


@pytest.fixture(autouse=True)
def pynative():
    ms.set_context(mode=ms.PYNATIVE_MODE)
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


def values(schedule, steps=STEPS):
    return np.array([schedule(Tensor(s, ms.int32)).asnumpy() for s in steps])


# --- schedules --------------------------------------------------------------------------------------------------

FORMULAS = [
    (lambda: nn.ExponentialDecayLR(0.1, 0.9, 4), lambda s: 0.1 * 0.9 ** (s / 4)),
    (lambda: nn.ExponentialDecayLR(0.1, 0.5, 3, True), lambda s: 0.1 * 0.5 ** (s // 3)),
    (lambda: nn.NaturalExpDecayLR(0.1, 0.2, 4), lambda s: 0.1 * math.exp(-0.2 * s)),
    (lambda: nn.NaturalExpDecayLR(0.1, 0.3, 3, True), lambda s: 0.1 * math.exp(-0.3 * (s // 3 * 3))),
    (lambda: nn.InverseDecayLR(0.1, 0.5, 2), lambda s: 0.1 / (1 + 0.5 * s / 2)),
    (lambda: nn.InverseDecayLR(0.1, 0.5, 3, True), lambda s: 0.1 / (1 + 0.5 * (s // 3))),
    (lambda: nn.CosineDecayLR(0.01, 0.1, 6), lambda s: 0.01 + 0.045 * (1 + math.cos(math.pi * min(s, 6) / 6))),
    (lambda: nn.PolynomialDecayLR(0.1, 0.01, 6, 0.5), lambda s: 0.09 * (1 - min(s, 6) / 6) ** 0.5 + 0.01),
    (lambda: nn.PolynomialDecayLR(0.1, 0.001, 3, 2.0, True),
     lambda s: 0.099 * (1 - s / (3 * max(math.ceil(s / 3), 1))) ** 2 + 0.001),
    (lambda: nn.WarmUpLR(0.1, 4), lambda s: 0.1 * min(s, 4) / 4),
]


@pytest.mark.parametrize("make, formula", FORMULAS)
def test_schedule_values(make, formula):
    schedule = make()
    got = values(schedule)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, [formula(s) for s in STEPS], rtol=2e-6, atol=1e-9)
    # the optimizer's global step is a 1-element int32 Tensor: the rate keeps that shape
    one = schedule(Tensor(np.array([3], np.int32)))
    assert one.shape == (1,) and one.dtype == ms.float32
    assert [n for n, _ in schedule.parameters_and_names()] == []


def test_schedule_attributes():
    exp = nn.ExponentialDecayLR(0.1, 0.9, 4)
    assert (exp.learning_rate, exp.decay_rate, exp.decay_steps, exp.is_stair) == (0.1, 0.9, 4, False)
    assert repr(exp) == "ExponentialDecayLR()"
    poly = nn.PolynomialDecayLR(0.1, 0.01, 6, 0.5)
    assert (poly.start_learning_rate, poly.end_learning_rate, poly.power) == (0.1, 0.01, 0.5)
    assert isinstance(exp, nn.learning_rate_schedule.LearningRateSchedule)
    np.testing.assert_allclose(exp(Tensor(2.5, ms.float32)).asnumpy(), 0.1 * 0.9 ** (2.5 / 4), rtol=1e-6)


def test_polynomial_schedule_reaches_its_end_when_compiled():
    schedule = nn.PolynomialDecayLR(0.1, 0.01, 6, 0.5)
    compiled = ms.jit(schedule.construct)
    got = [float(compiled(Tensor(s, ms.int32)).asnumpy()) for s in (5, 6, 7)]
    assert not np.isnan(got).any()
    np.testing.assert_allclose(got[1:], [0.01, 0.01], rtol=1e-6)


@pytest.mark.parametrize("build, error, message", [
    (lambda: nn.ExponentialDecayLR(1, 0.9, 4), TypeError,
     "For 'ExponentialDecayLR', the 'learning_rate' must be float, but got 'int'"),
    (lambda: nn.NaturalExpDecayLR(-0.1, 0.9, 4), ValueError,
     "For 'NaturalExpDecayLR', the 'learning_rate' must be float and must > 0, but got '-0.1' with type 'float'."),
    (lambda: nn.InverseDecayLR(0.1, 0.9, 4.0), TypeError, "For 'InverseDecayLR', the 'decay_steps' must be int, but "
                                                           "got 'float'"),
    (lambda: nn.InverseDecayLR(0.1, 0.9, True), TypeError, "the 'decay_steps' must be int and must > 0, but got "
                                                            "'True' with type 'bool'."),
    (lambda: nn.ExponentialDecayLR(0.1, 0.9, 0), ValueError, "the 'decay_steps' must be int and must > 0, but got '0'"),
    (lambda: nn.ExponentialDecayLR(0.1, 0.9, 4, 1), TypeError,
     "For 'ExponentialDecayLR', the type of 'is_stair' should be 'bool', but got type 'int'."),
    (lambda: nn.CosineDecayLR(0, 0.1, 4), TypeError,
     "For 'CosineDecayLR', the argument 'min_lr' must be type of float, but got 'min_lr' type: <class 'int'>."),
    (lambda: nn.CosineDecayLR(-0.1, 0.1, 4), ValueError, "the 'min_lr' must be float and must >= 0"),
    (lambda: nn.CosineDecayLR(0.1, 0.1, 4), ValueError, "For 'CosineDecayLR', the 'max_lr' must be greater than the "
                                                         "'min_lr', but got 'max_lr' value: 0.1, 'min_lr' value: 0.1."),
    (lambda: nn.PolynomialDecayLR(1, 0.01, 4, 0.5), TypeError, "^The 'learning_rate' must be float, but got 'int'"),
    (lambda: nn.PolynomialDecayLR(0.1, 0, 4, 0.5), TypeError, "the argument 'end_learning_rate' must be type of float"),
    (lambda: nn.PolynomialDecayLR(0.1, 0.01, 4, 2), TypeError, "For 'PolynomialDecayLR', the 'power' must be float"),
    (lambda: nn.PolynomialDecayLR(0.1, 0.01, 4, 0.5, 1), TypeError, "the type of 'update_decay_steps' should be "),
    (lambda: nn.WarmUpLR(1, 4), TypeError, "For 'WarmUpLR', the argument 'learning_rate' must be type of float"),
    (lambda: nn.WarmUpLR(0.1, 0), ValueError, "the 'warmup_steps' must be int and must > 0"),
])
def test_schedule_errors(build, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        build()


# --- dynamic_lr lists (expected values printed by MindSpore 2.10) -------------------------------------------------

@pytest.mark.parametrize("build, expected", [
    (lambda: nn.piecewise_constant_lr([2, 5, 6], [0.1, 0.05, 0.01]), [0.1, 0.1, 0.05, 0.05, 0.05, 0.01]),
    (lambda: nn.exponential_decay_lr(0.1, 0.9, 6, 2, 1),
     [0.1, 0.1, 0.09000000000000001, 0.09000000000000001, 0.08100000000000002, 0.08100000000000002]),
    (lambda: nn.exponential_decay_lr(0.1, 0.9, 7, 1, 2, True),
     [0.1, 0.1, 0.09000000000000001, 0.09000000000000001, 0.08100000000000002, 0.08100000000000002, 0.0729]),
    (lambda: nn.natural_exp_decay_lr(0.1, 0.9, 6, 2, 2, True),
     [0.1, 0.1, 0.1, 0.1, 0.016529888822158657, 0.016529888822158657]),
    (lambda: nn.inverse_decay_lr(0.1, 0.5, 6, 1, 4),
     [0.1, 0.08888888888888889, 0.08, 0.07272727272727274, 0.06666666666666667, 0.06153846153846154]),
    (lambda: nn.inverse_decay_lr(0.1, 0.5, 6, 1, 4, True), [0.1, 0.1, 0.1, 0.1, 0.06666666666666667,
                                                            0.06666666666666667]),
    (lambda: nn.cosine_decay_lr(0.0, 0.1, 9, 1, 4),
     [0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0, 0.0, 0.0, 0.0, 0.0]),
    (lambda: nn.polynomial_decay_lr(0.1, 0.01, 10, 1, 3, 2.0, True),
     [0.1, 0.05000000000000002, 0.020000000000000004, 0.01, 0.020000000000000004, 0.012499999999999999, 0.01,
      0.014444444444444444, 0.011111111111111113, 0.01]),
    (lambda: nn.warmup_lr(0.1, 9, 1, 4), [0.0, 0.025, 0.05, 0.07500000000000001, 0.1, 0.1, 0.1, 0.1, 0.1]),
])
def test_dynamic_lr_lists(build, expected):
    assert build() == expected                       # the same Python floats, to the last bit


@pytest.mark.parametrize("build, error, message", [
    (lambda: nn.piecewise_constant_lr("ab", [0.1]), TypeError,
     "The type of 'milestone' should be one of '['tuple', 'list']', but got type 'str'."),
    (lambda: nn.piecewise_constant_lr([2, 3], [0.1]), ValueError,
     "the size of 'milestone' must be same with the size of 'learning_rates', but got 'milestone' size: 2"),
    (lambda: nn.piecewise_constant_lr([3, 2], [0.1, 0.2]), ValueError,
     "the value of milestone[1] must be greater than milestone[0], but got milestone[1]: 2, milestone[0]: 3."),
    (lambda: nn.piecewise_constant_lr([3, 4], [0.1, 1]), TypeError,
     "The type of 'learning_rates[1]' must be 'float', but got 'int'."),
    (lambda: nn.exponential_decay_lr(0.1, 0.9, 6.0, 2, 1), TypeError, "The 'total_step' must be int, but got 'float'"),
    (lambda: nn.exponential_decay_lr(0.1, 0.9, 6, 0, 1), ValueError, "The 'step_per_epoch' must be int and must > 0"),
    (lambda: nn.natural_exp_decay_lr(0.1, -0.9, 6, 2, 1), ValueError, "The 'decay_rate' must be float and must > 0"),
    (lambda: nn.inverse_decay_lr(0.1, 0.5, 6, 2, 1, 1), TypeError,
     "The type of 'is_stair' should be 'bool', but got type 'int'."),
    (lambda: nn.cosine_decay_lr(0.2, 0.1, 6, 2, 1), ValueError, "For 'cosine_decay_lr', the 'max_lr' must be greater"),
    (lambda: nn.polynomial_decay_lr(0.1, 0, 6, 2, 2, 0.5), TypeError,
     "For 'polynomial_decay_lr', the argument 'end_learning_rate' must be type of float"),
    (lambda: nn.warmup_lr(-0.1, 6, 2, 2), ValueError, "The 'learning_rate' must be float and must >= 0, but got "
                                                      "'-0.1' with type 'float'."),
])
def test_dynamic_lr_errors(build, error, message):
    with pytest.raises(error) as info:
        build()
    assert message in str(info.value)


# --- optimizers driven by schedules -------------------------------------------------------------------------------

W0 = np.array([[0.5, -1.0, 0.25], [1.5, 0.75, -0.5]], np.float32)
G = Tensor(np.full((2, 3), 0.5, np.float32))


@pytest.mark.parametrize("learning_rate, rates", [
    (nn.ExponentialDecayLR(0.1, 0.5, 1), [0.1 * 0.5 ** k for k in range(5)]),
    (nn.piecewise_constant_lr([2, 5], [0.1, 0.01]), [0.1, 0.1, 0.01, 0.01, 0.01]),
    (Tensor(np.array([0.3, 0.2, 0.1, 0.05, 0.01], np.float32)), [0.3, 0.2, 0.1, 0.05, 0.01]),
])
def test_the_rate_of_step_k_is_the_kth(learning_rate, rates):
    w = Parameter(Tensor(W0), name="w")
    opt = nn.SGD([w], learning_rate=learning_rate)
    assert opt.dynamic_lr
    expected = W0.astype(np.float64)
    for k, rate in enumerate(rates):
        np.testing.assert_allclose(opt.get_lr().asnumpy(), rate, rtol=1e-6)
        assert opt.get_lr().shape == ()
        opt((G,))
        expected = expected - rate * 0.5
        np.testing.assert_allclose(w.asnumpy(), expected, rtol=1e-6, atol=1e-7)
        assert opt.global_step.asnumpy().tolist() == [k + 1]


def test_schedule_is_the_learning_rate_and_holds_no_parameter():
    schedule = nn.WarmUpLR(0.1, 2)
    opt = nn.Momentum([Parameter(Tensor(W0), name="w")], schedule, 0.9)
    assert opt.learning_rate is schedule and opt.get_lr_parameter(opt.parameters[0]) is schedule
    assert [n for n, _ in opt.parameters_and_names()] == ["global_step", "w", "momentum", "moments.w"]


def test_group_schedules():
    w, b = Parameter(Tensor(W0), name="w"), Parameter(Tensor(W0[0]), name="b")
    opt = nn.SGD([{"params": [w], "lr": nn.ExponentialDecayLR(0.1, 0.5, 1)}, {"params": [b], "lr": [0.2, 0.02]}],
                 learning_rate=0.3)
    assert type(opt.learning_rate).__name__ == "CellList" and opt.is_group_lr
    assert [n for n, _ in opt.parameters_and_names()] == ["global_step", "w", "b", "momentum", "accum.w", "accum.b",
                                                          "stat.w", "stat.b", "learning_rate.1.learning_rate"]
    for rates in ([0.1, 0.2], [0.05, 0.02]):
        np.testing.assert_allclose([x.asnumpy() for x in opt.get_lr()], rates, rtol=1e-6)
        opt((G, G[0]))


# --- compiled steps: the rate is computed inside, one trace for every step ----------------------------------------

class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(W0.T.copy()), name="w")

    def construct(self, x):
        return ops.matmul(x, self.w)


XS = Tensor(np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(4, 3))
YS = Tensor(np.array([[0.5, -0.5], [1.0, 0.0], [-0.3, 0.2], [0.1, 0.9]], np.float32))
RATES = {"schedule": lambda: nn.ExponentialDecayLR(0.1, 0.5, 1),
         "list": lambda: nn.piecewise_constant_lr([1, 3, 6], [0.1, 0.01, 0.001])}


def run_steps(make_rate, compiled, steps=6):
    net = Net()
    opt = nn.SGD(net.trainable_params(), learning_rate=make_rate())
    loss_fn = nn.MSELoss()
    traced = []

    def forward(x, y):
        traced.append(1)                 # runs once per trace when compiled, once per call when not
        return loss_fn(net(x), y)

    grad_fn = ms.value_and_grad(forward, None, opt.parameters)

    def step(x, y):
        loss, grads = grad_fn(x, y)
        opt(grads)
        return loss

    if compiled:
        step = ms.jit(step)
    before = ms.trace_count()
    weights, rates = [], []
    for _ in range(steps):
        rates.append(float(opt.get_lr().asnumpy()))
        step(XS, YS)
        weights.append(net.w.asnumpy())
    return weights, rates, len(traced), ms.trace_count() - before, opt


@pytest.mark.parametrize("name", list(RATES))
def test_jitted_step_with_dynamic_rate_traces_once(name):
    eager_weights, rates, _, _, _ = run_steps(RATES[name], compiled=False)
    weights, jit_rates, python_runs, traces, opt = run_steps(RATES[name], compiled=True)
    assert python_runs == 1 and traces == 1           # six steps, one trace: the rate is not baked in
    assert opt.global_step.asnumpy().tolist() == [6]
    assert len(set(rates)) > 1 and jit_rates == rates
    for got, want in zip(weights, eager_weights):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_graph_mode_train_one_step_cell_with_schedule_compiles_once():
    net = Net()
    opt = nn.SGD(net.trainable_params(), learning_rate=nn.CosineDecayLR(0.001, 0.1, 4))
    train = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), opt)
    ms.set_context(mode=ms.GRAPH_MODE)
    before = ms.trace_count()
    w = net.w.asnumpy().astype(np.float64)
    for k in range(6):
        rate = 0.001 + 0.0495 * (1 + math.cos(math.pi * min(k, 4) / 4))
        x, y = XS.asnumpy().astype(np.float64), YS.asnumpy().astype(np.float64)
        grad = 2 * x.T @ (x @ w - y) / y.size
        train(XS, YS)
        w = w - rate * grad
        np.testing.assert_allclose(net.w.asnumpy(), w, rtol=1e-5, atol=1e-7)
    assert ms.trace_count() - before == 1
    assert opt.global_step.asnumpy().tolist() == [6]


# --- float32 stays float32 ----------------------------------------------------------------------------------------

WIDE = {np.dtype(np.float64), np.dtype(np.int64)}


def wide_values(jaxpr):
    found = [f"{eqn.primitive.name}: {var.aval}" for eqn in jaxpr.eqns for var in list(eqn.invars) + list(eqn.outvars)
             if getattr(getattr(var, "aval", None), "dtype", None) in WIDE]
    for eqn in jaxpr.eqns:
        for param in eqn.params.values():
            for sub in (param if isinstance(param, (tuple, list)) else (param,)):
                inner = getattr(sub, "jaxpr", sub)
                if hasattr(inner, "eqns"):
                    found.extend(wide_values(inner))
    return found


@pytest.mark.parametrize("make", [
    lambda p: nn.RMSProp(p, nn.ExponentialDecayLR(0.1, 0.9, 2, True), momentum=0.5, weight_decay=0.1, loss_scale=2.0),
    lambda p: nn.RMSProp(p, nn.NaturalExpDecayLR(0.1, 0.9, 2, True), centered=True),
    lambda p: nn.Adagrad(p, learning_rate=nn.PolynomialDecayLR(0.1, 0.01, 3, 0.5, True)),
    lambda p: nn.SGD(p, nn.CosineDecayLR(0.01, 0.1, 3), momentum=0.9, nesterov=True),
    lambda p: nn.Momentum(p, nn.InverseDecayLR(0.1, 0.5, 2, True), 0.9),
    lambda p: nn.Adam(p, nn.WarmUpLR(0.1, 2), use_amsgrad=True),
    lambda p: nn.SGD(p, nn.warmup_lr(0.1, 4, 1, 2)),
])
def test_compiled_step_with_schedule_stays_float32(make, monkeypatch):
    seen = []
    lower = jax.stages.Traced.lower

    def recording_lower(traced, *args, **kwargs):
        seen.append(traced.jaxpr)
        return lower(traced, *args, **kwargs)

    monkeypatch.setattr(jax.stages.Traced, "lower", recording_lower)
    net = Net()
    opt = make(net.trainable_params())
    grad_fn = ms.value_and_grad(lambda x, y: nn.MSELoss()(net(x), y), None, opt.parameters)

    @ms.jit
    def step(x, y):
        loss, grads = grad_fn(x, y)
        opt(grads)
        return loss

    for _ in range(2):
        step(XS, YS)
    assert len(seen) == 1 and wide_values(seen[0].jaxpr) == []
    assert net.w.dtype == ms.float32
