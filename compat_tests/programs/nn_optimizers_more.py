"""Probe of RMSProp (plain, momentum, centered), Adagrad (accum) and more SGD / Adam configurations (nesterov with
dampening and weight decay, use_nesterov with use_amsgrad) on the Optimizer base: parameter groups (lr,
weight_decay; grad_centralization is not probed: MindSpore's CPU backend has no Centralization kernel), weight decay
as a float and as a Cell, loss_scale, learning-rate schedules, float16 Parameters, state Parameters and their names,
constructor and call errors. Each optimizer runs >= 5 steps on fixed weights and fixed gradients and prints every
Parameter it holds after every step; a last section trains a small net through value_and_grad (and under ms.jit)."""
import numpy as np
import mindspore as ms
from mindspore import Parameter, Tensor, nn, ops

ms.set_context(pynative_synchronize=True)

from _probe import case, fmt  # noqa: E402

W0 = np.array([[0.5, -1.0, 0.25], [1.5, 0.75, -0.5]], np.float32)
B0 = np.array([0.1, -0.2, 0.3], np.float32)
G0 = np.array([0.2, -0.1, 0.4], np.float32)


def make_params(dtype=np.float32):
    return [Parameter(Tensor(W0.astype(dtype)), name="fc.weight"), Parameter(Tensor(B0.astype(dtype)), name="fc.bias"),
            Parameter(Tensor(G0.astype(dtype)), name="norm.gamma")]


def grads_at(step, params, dtype=np.float32):
    """Fixed, step-dependent gradients (signs and sizes change from step to step)."""
    out = []
    for index, p in enumerate(params):
        base = np.arange(1, int(np.prod(p.shape)) + 1, dtype=np.float32).reshape(p.shape)
        out.append(Tensor((np.cos(base * (step + 1) + index) * (0.5 + 0.25 * step)).astype(dtype)))
    return tuple(out)


def show(label, opt, steps=5, dtype=np.float32):
    params = list(opt.parameters)
    print(f"{label}: names {[n for n, _ in opt.parameters_and_names()]}")
    for step in range(steps):
        result = opt(grads_at(step, params, dtype))
        print(f"{label} step {step}: result {fmt(result)}")
        for name, p in opt.parameters_and_names():
            print(f"{label} step {step}: {name} = {fmt(p)}")


class DecaySchedule(nn.Cell):
    """A weight decay that changes with the step."""

    def construct(self, global_step):
        return 0.1 / (1.0 + ops.cast(global_step, ms.float32))


def groups():
    w, b, g = make_params()
    return [{"params": [w], "lr": 0.05, "weight_decay": 0.1},
            {"params": [b]}, {"params": [g], "lr": nn.ExponentialDecayLR(0.1, 0.8, 2)}]


# --- RMSProp ---
show("RMSProp default", nn.RMSProp(make_params()))
show("RMSProp momentum", nn.RMSProp(make_params(), learning_rate=0.01, decay=0.8, momentum=0.9, epsilon=1e-6))
show("RMSProp centered momentum", nn.RMSProp(make_params(), 0.01, 0.95, 0.5, 1e-8, centered=True))
show("RMSProp loss_scale", nn.RMSProp(make_params(), 0.01, momentum=0.5, weight_decay=0.1, loss_scale=4.0))
show("RMSProp decay Cell", nn.RMSProp(make_params(), 0.01, weight_decay=DecaySchedule()))
show("RMSProp groups", nn.RMSProp(groups(), learning_rate=0.02, momentum=0.5, weight_decay=0.01))
show("RMSProp centered groups", nn.RMSProp(groups(), learning_rate=0.02, centered=True))
show("RMSProp schedule", nn.RMSProp(make_params(), learning_rate=nn.CosineDecayLR(0.001, 0.02, 4)))

# --- Adagrad ---
show("Adagrad default", nn.Adagrad(make_params()))
show("Adagrad options", nn.Adagrad(make_params(), accum=0.5, learning_rate=0.05))
# (update_slots=False is not probed: MindSpore's CPU ApplyAdagrad kernel ignores it and updates accum anyway; msjax
# keeps accum fixed, as the attribute documents.)
show("Adagrad loss_scale", nn.Adagrad(make_params(), learning_rate=0.05, weight_decay=0.1, loss_scale=8.0))
show("Adagrad groups", nn.Adagrad(groups(), learning_rate=0.1))
show("Adagrad schedule", nn.Adagrad(make_params(), learning_rate=nn.WarmUpLR(0.1, 3)))

# --- SGD and Adam options ---
show("SGD nesterov weight_decay", nn.SGD(make_params(), learning_rate=0.05, momentum=0.9, weight_decay=0.1,
                                         nesterov=True))
show("SGD nesterov groups", nn.SGD(groups(), learning_rate=0.05, momentum=0.8, nesterov=True))
show("SGD dampening loss_scale schedule", nn.SGD(make_params(), nn.PolynomialDecayLR(0.1, 0.01, 4, 2.0), momentum=0.7,
                                                dampening=0.5, loss_scale=2.0))
show("Adam nesterov amsgrad", nn.Adam(make_params(), learning_rate=0.01, use_nesterov=True, use_amsgrad=True))
show("Adam amsgrad groups", nn.Adam(groups(), learning_rate=0.01, use_amsgrad=True, weight_decay=0.05))
show("Adam decay Cell", nn.Adam(make_params(), learning_rate=0.01, weight_decay=DecaySchedule()))
show("AdamWeightDecay decay Cell", nn.AdamWeightDecay(make_params(), 0.01, weight_decay=DecaySchedule()))
case("SGD decay Cell", lambda: nn.SGD(make_params(), weight_decay=DecaySchedule()))

# --- float16 Parameters ---
for name, make in (("RMSProp", lambda p: nn.RMSProp(p, 0.01, momentum=0.5)),
                   ("RMSProp centered", lambda p: nn.RMSProp(p, 0.01, centered=True)),
                   ("Adagrad", lambda p: nn.Adagrad(p, learning_rate=0.05))):
    show(f"{name} f16", make(make_params(np.float16)), dtype=np.float16)

# --- attributes ---
rms = nn.RMSProp(make_params()[:2], 0.01, centered=True)
case("RMSProp attributes", lambda: (rms.decay, rms.momentum, rms.epsilon, rms.centered))
case("RMSProp ms", lambda: rms.ms)
case("RMSProp moment", lambda: rms.moment)
case("RMSProp mg", lambda: rms.mg)
case("RMSProp repr", lambda: repr(rms))
ada = nn.Adagrad(make_params()[:2], accum=0.25)
case("Adagrad accum", lambda: ada.accum)
case("Adagrad accum values", lambda: [p.asnumpy() for p in ada.accum])
case("Adagrad learning_rate", lambda: ada.learning_rate)
case("Adagrad int lr", lambda: nn.Adagrad(make_params()[:1], learning_rate=1).learning_rate)
case("Adagrad zero accum", lambda: [p.asnumpy() for p in nn.Adagrad(make_params()[:1], accum=0.0).accum])
case("bool lr", lambda: nn.SGD(make_params()[:1], learning_rate=True).learning_rate)

# --- constructor errors ---
ps = make_params()[:2]
for label, make in (
        ("RMSProp decay int", lambda: nn.RMSProp(ps, decay=1)),
        ("RMSProp decay negative", lambda: nn.RMSProp(ps, decay=-0.1)),
        ("RMSProp decay above 1", lambda: nn.RMSProp(ps, decay=1.5).decay),
        ("RMSProp momentum int", lambda: nn.RMSProp(ps, momentum=1)),
        ("RMSProp momentum negative", lambda: nn.RMSProp(ps, momentum=-0.5)),
        ("RMSProp epsilon int", lambda: nn.RMSProp(ps, epsilon=1)),
        ("RMSProp epsilon zero", lambda: nn.RMSProp(ps, epsilon=0.0)),
        ("RMSProp use_locking int", lambda: nn.RMSProp(ps, use_locking=1)),
        ("RMSProp centered int", lambda: nn.RMSProp(ps, centered=1)),
        ("RMSProp lr negative", lambda: nn.RMSProp(ps, learning_rate=-0.1)),
        ("RMSProp weight_decay negative", lambda: nn.RMSProp(ps, weight_decay=-0.1)),
        ("RMSProp loss_scale zero", lambda: nn.RMSProp(ps, loss_scale=0.0)),
        ("Adagrad accum int", lambda: nn.Adagrad(ps, accum=1)),
        ("Adagrad accum negative", lambda: nn.Adagrad(ps, accum=-0.1)),
        ("Adagrad update_slots int", lambda: nn.Adagrad(ps, update_slots=1)),
        ("Adagrad lr str", lambda: nn.Adagrad(ps, learning_rate="0.1")),
        ("SGD nesterov dampening", lambda: nn.SGD(ps, momentum=0.9, dampening=0.1, nesterov=True)),
        ("SGD nesterov no momentum", lambda: nn.SGD(ps, nesterov=True)),
        ("SGD dampening negative", lambda: nn.SGD(ps, dampening=-0.1)),
        ("SGD nesterov int", lambda: nn.SGD(ps, momentum=0.9, nesterov=1)),
        ("Adam use_amsgrad int", lambda: nn.Adam(ps, use_amsgrad=1)),
        ("Adam amsgrad lazy", lambda: nn.Adam(ps, use_amsgrad=True, use_lazy=True)),
        ("group grad_centralization int", lambda: nn.RMSProp([{"params": ps, "grad_centralization": 1}])),
        ("weight_decay str", lambda: nn.Adagrad(ps, weight_decay="0.1"))):
    case(label, make)

# --- call errors (nothing changes) ---
for name, opt in (("RMSProp", nn.RMSProp(make_params()[:2], 0.1)),
                  ("RMSProp centered", nn.RMSProp(make_params()[:2], 0.1, centered=True)),
                  ("Adagrad", nn.Adagrad(make_params()[:2]))):
    good = grads_at(0, list(opt.parameters))
    case(f"{name} call list", lambda: opt(list(good)))
    case(f"{name} call short", lambda: opt(good[:1]))
    case(f"{name} call long", lambda: opt(good + good[:1]))
    case(f"{name} call shapes", lambda: opt((good[1], good[0])))
    case(f"{name} call f16", lambda: opt(tuple(Tensor(g.asnumpy().astype(np.float16)) for g in good)))
    case(f"{name} call f64", lambda: opt(tuple(Tensor(g.asnumpy().astype(np.float64)) for g in good)))
    case(f"{name} call int", lambda: opt(tuple(Tensor(np.ones(g.shape, np.int32)) for g in good)))
    case(f"{name} after errors", lambda: [p for _, p in opt.parameters_and_names()])
half = nn.RMSProp(make_params(np.float16)[:1], 0.1)
case("RMSProp f16 param f32 grad", lambda: half(grads_at(0, list(half.parameters))))
half_ada = nn.Adagrad(make_params(np.float16)[:1], learning_rate=0.1)
case("Adagrad f16 param f32 grad", lambda: half_ada(grads_at(0, list(half_ada.parameters))))


# --- a small net trained through value_and_grad ---
class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(W0.T.copy()), name="w")
        self.b = Parameter(Tensor(np.array([0.05, -0.05], np.float32)), name="b")

    def construct(self, x):
        return ops.matmul(x, self.w) + self.b


X = Tensor(np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(4, 3))
Y = Tensor(np.array([[0.5, -0.5], [1.0, 0.0], [-0.3, 0.2], [0.1, 0.9]], np.float32))


def train(label, make_opt, steps=6, compiled=False):
    net = Net()
    loss_fn = nn.MSELoss()
    opt = make_opt(net.trainable_params())

    def forward(x, y):
        return loss_fn(net(x), y)

    grad_fn = ms.value_and_grad(forward, None, opt.parameters)

    def step(x, y):
        loss, grads = grad_fn(x, y)
        opt(grads)
        return loss

    if compiled:
        step = ms.jit(step)
    for index in range(steps):
        loss = step(X, Y)
        print(f"train {label} step {index}: loss {fmt(loss)}")
    for name, p in opt.parameters_and_names():
        print(f"train {label} final {name} = {fmt(p)}")


def rmsprop_opt(params):
    return nn.RMSProp(params, learning_rate=0.05, momentum=0.5, centered=True)


def adagrad_opt(params):
    return nn.Adagrad(params, learning_rate=0.2, weight_decay=0.01)


for name, make in (("RMSProp", rmsprop_opt), ("Adagrad", adagrad_opt)):
    train(name, make)
    train(name + " jit", make, compiled=True)
