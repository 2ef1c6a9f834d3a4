"""Probe of the optimizers of the quick start and LeNet: SGD, Momentum, Adam, AdamWeightDecay and the Optimizer base
(learning rates as float / list / Tensor, parameter groups, weight decay and its gamma/beta filter, loss_scale,
get_lr, global_step, state Parameters and their names, the result of `optimizer(grads)` and its errors). Each
optimizer runs ≥5 steps on fixed weights and fixed gradients; after every step the program prints every Parameter
the optimizer holds (weights and state), by name. A last section trains a small net through value_and_grad."""
import numpy as np
import mindspore as ms
from mindspore import Parameter, Tensor, nn, ops

ms.set_context(pynative_synchronize=True)

from _probe import case, fmt  # noqa: E402

W0 = np.array([[0.5, -1.0, 0.25], [1.5, 0.75, -0.5]], np.float32)
B0 = np.array([0.1, -0.2, 0.3], np.float32)
G0 = np.array([0.2, -0.1, 0.4], np.float32)
BE0 = np.array([-0.3, 0.05], np.float32)


def make_params():
    return [Parameter(Tensor(W0), name="dense.weight"), Parameter(Tensor(B0), name="dense.bias"),
            Parameter(Tensor(G0), name="norm.gamma"), Parameter(Tensor(BE0), name="norm.beta")]


def grads_at(step, params):
    """Fixed, step-dependent gradients (signs and sizes change from step to step)."""
    out = []
    for index, p in enumerate(params):
        shape = p.shape
        base = np.arange(1, int(np.prod(shape)) + 1, dtype=np.float32).reshape(shape)
        value = np.cos(base * (step + 1) + index) * (0.5 + 0.25 * step)
        out.append(Tensor(value.astype(np.float32)))
    return tuple(out)


def show(label, opt, steps=5):
    params = list(opt.parameters)
    print(f"{label}: names {[n for n, _ in opt.parameters_and_names()]}")
    for step in range(steps):
        result = opt(grads_at(step, params))
        print(f"{label} step {step}: result {fmt(result)}")
        for name, p in opt.parameters_and_names():
            print(f"{label} step {step}: {name} = {fmt(p)}")


# --- SGD ---
show("SGD default", nn.SGD(make_params()))
show("SGD momentum", nn.SGD(make_params(), learning_rate=0.05, momentum=0.9))
show("SGD dampening", nn.SGD(make_params(), learning_rate=0.05, momentum=0.8, dampening=0.3))
show("SGD nesterov", nn.SGD(make_params(), learning_rate=0.05, momentum=0.9, nesterov=True))
show("SGD weight_decay", nn.SGD(make_params(), learning_rate=0.05, momentum=0.5, weight_decay=0.1))
show("SGD dampening without momentum", nn.SGD(make_params(), learning_rate=0.05, dampening=0.5))
show("SGD loss_scale", nn.SGD(make_params(), learning_rate=0.05, momentum=0.5, weight_decay=0.1, loss_scale=4.0))

# --- Momentum ---
show("Momentum", nn.Momentum(make_params(), learning_rate=0.1, momentum=0.9))
# (use_nesterov=True is not probed: MindSpore's CPU ApplyMomentum kernel ignores it; msjax applies the documented
# Nesterov update, as MindSpore's GPU and Ascend kernels do.)
show("Momentum weight_decay", nn.Momentum(make_params(), learning_rate=0.1, momentum=0.9, weight_decay=0.05))
show("Momentum loss_scale", nn.Momentum(make_params(), 0.1, 0.9, weight_decay=0.05, loss_scale=2.0))
show("Momentum int lr", nn.Momentum(make_params(), learning_rate=1, momentum=0.5))

# --- Adam ---
show("Adam default", nn.Adam(make_params()))
show("Adam options", nn.Adam(make_params(), learning_rate=0.01, beta1=0.8, beta2=0.95, eps=1e-6))
show("Adam weight_decay", nn.Adam(make_params(), learning_rate=0.01, weight_decay=0.1))
show("Adam nesterov", nn.Adam(make_params(), learning_rate=0.01, use_nesterov=True, use_locking=True))
show("Adam amsgrad", nn.Adam(make_params(), learning_rate=0.01, use_amsgrad=True))
show("Adam lazy", nn.Adam(make_params(), learning_rate=0.01, use_lazy=True))
show("Adam loss_scale", nn.Adam(make_params(), learning_rate=0.01, weight_decay=0.1, loss_scale=8.0))

# --- AdamWeightDecay ---
show("AdamWeightDecay default", nn.AdamWeightDecay(make_params()))
show("AdamWeightDecay decay", nn.AdamWeightDecay(make_params(), learning_rate=0.01, weight_decay=0.1))
show("AdamWeightDecay options", nn.AdamWeightDecay(make_params(), 0.02, beta1=0.85, beta2=0.99, eps=1e-8,
                                                   weight_decay=0.01))

# --- learning rates: list, 1-d Tensor, 0-d Tensor; get_lr ---
LRS = [0.1, 0.05, 0.02, 0.01, 0.005]


def show_lr(label, opt, steps=5):
    case(f"{label} learning_rate", lambda: opt.learning_rate)
    case(f"{label} learning_rate type", lambda: type(opt.learning_rate).__name__)
    case(f"{label} dynamic_lr", lambda: opt.dynamic_lr)
    params = list(opt.parameters)
    for step in range(steps):
        case(f"{label} get_lr before step {step}", lambda: opt.get_lr())
        opt(grads_at(step, params))
        case(f"{label} global_step after step {step}", lambda: opt.global_step)
        case(f"{label} weight after step {step}", lambda: params[0])


show_lr("lr float", nn.SGD(make_params()[:2], learning_rate=0.1))
show_lr("lr list", nn.SGD(make_params()[:2], learning_rate=LRS))
show_lr("lr tuple", nn.Momentum(make_params()[:2], learning_rate=tuple(LRS), momentum=0.9))
show_lr("lr 1-d Tensor", nn.Adam(make_params()[:2], learning_rate=Tensor(np.array(LRS, np.float32))))
show_lr("lr 0-d Tensor", nn.Momentum(make_params()[:2], learning_rate=Tensor(0.05), momentum=0.9))
show_lr("lr 0-d f64 Tensor", nn.SGD(make_params()[:2], learning_rate=Tensor(np.float64(0.05))))
show("lr list Momentum", nn.Momentum(make_params(), learning_rate=LRS, momentum=0.9))
show("lr list Adam", nn.Adam(make_params(), learning_rate=LRS))
show("lr list AdamWeightDecay", nn.AdamWeightDecay(make_params(), learning_rate=LRS, weight_decay=0.1))

# --- parameter groups ---
def groups():
    w, b, g, be = make_params()
    return [{"params": [w, g], "lr": 0.05, "weight_decay": 0.1}, {"params": [b]}, {"params": [be], "lr": LRS}]


def groups_ordered():
    w, b, g, be = make_params()
    return [{"params": [w], "weight_decay": 0.2}, {"params": [b, g, be], "lr": 0.02},
            {"order_params": [b, w, be, g]}]


show("groups SGD", nn.SGD(groups(), learning_rate=0.1, momentum=0.9, weight_decay=0.01))
show("groups Momentum", nn.Momentum(groups(), learning_rate=0.1, momentum=0.9))
show("groups Adam", nn.Adam(groups(), learning_rate=0.01, weight_decay=0.05))
show("groups AdamWeightDecay", nn.AdamWeightDecay(groups(), learning_rate=0.01))
show("groups ordered Momentum", nn.Momentum(groups_ordered(), learning_rate=0.1, momentum=0.9, weight_decay=0.05))
show("groups ordered Adam", nn.Adam(groups_ordered(), learning_rate=0.01))
group_opt = nn.Momentum(groups(), learning_rate=0.1, momentum=0.9)
case("groups learning_rate", lambda: [type(schedule).__name__ for schedule in group_opt.learning_rate])
case("groups get_lr", lambda: group_opt.get_lr())
case("groups is_group", lambda: (group_opt.is_group, group_opt.is_group_lr, group_opt.dynamic_lr))
case("groups weight_decay", lambda: group_opt.weight_decay)
case("groups decay_flags", lambda: group_opt.decay_flags)
case("groups get_lr_parameter", lambda: group_opt.get_lr_parameter(list(group_opt.parameters)[:2]))
fixed_groups = nn.SGD([{"params": make_params()[:2], "lr": 0.3}, {"params": make_params()[2:]}], learning_rate=0.1)
case("fixed groups learning_rate", lambda: fixed_groups.learning_rate)
case("fixed groups get_lr", lambda: fixed_groups.get_lr())
case("fixed groups get_lr_parameter", lambda: fixed_groups.get_lr_parameter(fixed_groups.parameters[0]))

# --- attributes ---
opt = nn.Momentum(make_params(), learning_rate=0.1, momentum=0.9, weight_decay=0.01)
case("parameters type", lambda: type(opt.parameters).__name__)
case("parameters names", lambda: [p.name for p in opt.parameters])
case("learning_rate", lambda: opt.learning_rate)
case("get_lr", lambda: opt.get_lr())
case("get_lr is learning_rate", lambda: opt.get_lr() is opt.learning_rate)
case("global_step", lambda: opt.global_step)
case("momentum", lambda: opt.momentum)
case("moments", lambda: opt.moments)
case("weight_decay", lambda: opt.weight_decay)
case("get_weight_decay", lambda: opt.get_weight_decay())
case("decay_flags", lambda: opt.decay_flags)
case("exec_weight_decay", lambda: opt.exec_weight_decay)
case("loss_scale", lambda: opt.loss_scale)
case("is_group", lambda: (opt.is_group, opt.is_group_lr, opt.dynamic_lr))
case("trainable_params", lambda: [p.name for p in opt.trainable_params()])
case("untrainable_params", lambda: [p.name for p in opt.untrainable_params()])
case("requires_grad of state", lambda: [(p.name, p.requires_grad) for p in opt.get_parameters()])
case("get_lr_parameter", lambda: opt.get_lr_parameter(opt.parameters[1]))
adam = nn.Adam(make_params()[:1])
case("Adam beta1_power", lambda: adam.beta1_power)
case("Adam beta2_power", lambda: adam.beta2_power)
case("Adam moment1", lambda: adam.moment1)
case("Adam beta1", lambda: adam.beta1)
case("Adam eps", lambda: adam.eps)
adamw = nn.AdamWeightDecay(make_params()[:1])
case("AdamWeightDecay names", lambda: [n for n, _ in adamw.parameters_and_names()])
case("AdamWeightDecay beta1", lambda: adamw.beta1)
case("AdamWeightDecay eps", lambda: adamw.eps)
sgd = nn.SGD(make_params()[:1])
case("SGD names", lambda: [n for n, _ in sgd.parameters_and_names()])
case("SGD momentum", lambda: sgd.momentum)
case("SGD accum stat", lambda: (sgd.accum, sgd.stat))
case("repr Momentum", lambda: repr(nn.Momentum(make_params()[:1], 0.1, 0.9)))

# --- errors ---
ps = make_params()[:2]
good = grads_at(0, ps)
err_opt = nn.Momentum(ps, learning_rate=0.1, momentum=0.9)
case("call with list", lambda: err_opt(list(good)))
case("call too few", lambda: err_opt(good[:1]))
case("call too many", lambda: err_opt(good + good[:1]))
case("call wrong shape", lambda: err_opt((good[1], good[0])))
case("call f16 grads", lambda: err_opt(tuple(Tensor(g.asnumpy().astype(np.float16)) for g in good)))
case("call f64 grads", lambda: err_opt(tuple(Tensor(g.asnumpy().astype(np.float64)) for g in good)))
case("result after errors", lambda: ps[0])
case("non-Parameter", lambda: nn.SGD([Tensor(W0)]))
case("mixed Parameter dict", lambda: nn.SGD([ps[0], {"params": [ps[1]]}]))
case("empty params", lambda: nn.SGD([]))
case("None params", lambda: nn.SGD(None))
case("params not iterable", lambda: nn.SGD(ps[0]))
case("negative lr", lambda: nn.SGD(ps, learning_rate=-0.1))
case("2-d Tensor lr", lambda: nn.SGD(ps, learning_rate=Tensor(np.ones((2, 2), np.float32))))
case("str lr", lambda: nn.SGD(ps, learning_rate="0.1"))
case("negative weight_decay", lambda: nn.SGD(ps, weight_decay=-0.1))
case("zero loss_scale", lambda: nn.SGD(ps, loss_scale=0.0))
case("int loss_scale", lambda: nn.SGD(ps, loss_scale=2).loss_scale)
case("SGD negative momentum", lambda: nn.SGD(ps, momentum=-0.5))
case("SGD nesterov without momentum", lambda: nn.SGD(ps, nesterov=True))
case("SGD nesterov dampening", lambda: nn.SGD(ps, momentum=0.9, dampening=0.1, nesterov=True))
case("Momentum int momentum", lambda: nn.Momentum(ps, 0.1, 1))
case("Momentum negative momentum", lambda: nn.Momentum(ps, 0.1, -0.9))
case("Momentum missing momentum", lambda: nn.Momentum(ps, 0.1))
case("Adam beta1 range", lambda: nn.Adam(ps, beta1=1.0))
case("Adam beta2 int", lambda: nn.Adam(ps, beta2=1))
case("Adam eps zero", lambda: nn.Adam(ps, eps=0.0))
case("Adam bad kwarg", lambda: nn.Adam(ps, foo=True))
case("Adam use_nesterov int", lambda: nn.Adam(ps, use_nesterov=1))
case("AdamWeightDecay beta1 range", lambda: nn.AdamWeightDecay(ps, beta1=0.0))
case("group bad key", lambda: nn.SGD([{"params": ps, "momentum": 0.9}]))
case("group repeated param", lambda: nn.SGD([{"params": ps}, {"params": ps[:1]}]))
case("group non-Parameter", lambda: nn.SGD([{"params": [Tensor(W0)]}]))
case("group order_params mismatch", lambda: nn.SGD([{"params": ps}, {"order_params": ps[:1]}]))
case("duplicate names", lambda: nn.SGD([Parameter(Tensor(W0), name="x"), Parameter(Tensor(B0), name="x")]))
case("lr list with negative", lambda: nn.SGD(ps, learning_rate=[0.1, -0.1]))


# --- dtypes and per-optimizer errors ---
def make_opt(cls, params):
    return cls(params, 0.1, 0.9) if cls is nn.Momentum else cls(params, 0.1)


w2 = np.array([1.0, 2.0], np.float32)
for cls in (nn.SGD, nn.Momentum, nn.Adam, nn.AdamWeightDecay):
    name = cls.__name__
    opt16 = make_opt(cls, [Parameter(Tensor(w2.astype(np.float16)), name="w16")])
    for step in range(3):
        g16 = Tensor(np.array([1.0, step - 1.0], np.float16))
        case(f"{name} f16 params step {step}", lambda: opt16((g16,)))
        case(f"{name} f16 params state {step}", lambda: [p for _, p in opt16.parameters_and_names()])
    for label, grad in (("f16 grad", Tensor(np.array([1.0, -1.0], np.float16))),
                        ("f64 grad", Tensor(np.array([1.0, -1.0], np.float64))),
                        ("int grad", Tensor(np.array([1, -1], np.int32))),
                        ("long grad", Tensor(np.array([1.0, -1.0, 3.0], np.float32))),
                        ("short grad", Tensor(np.array([1.0], np.float32)))):
        param = Parameter(Tensor(w2), name="w")
        single = make_opt(cls, [param])
        case(f"{name} {label}", lambda: single((grad,)))
        case(f"{name} {label} weight", lambda: param)
    case(f"{name} list", lambda: single([Tensor(w2)]))
    case(f"{name} empty tuple", lambda: single(()))

# SGD's kernel takes a float32 gradient for a float16 Parameter
half = Parameter(Tensor(np.array([1.0, 2.0, 0.3], np.float16)), name="h")
half_opt = nn.SGD([half], 0.1, momentum=0.9)
for step in range(3):
    case(f"SGD f16 param f32 grad step {step}",
         lambda: half_opt((Tensor(np.array([0.1234567, -0.7654321, 1.0 + step], np.float32)),)))
    case(f"SGD f16 param f32 grad state {step}", lambda: [p for _, p in half_opt.parameters_and_names()])
half_plain = Parameter(Tensor(np.array([0.3], np.float16)), name="h")
plain_opt = nn.SGD([half_plain], 0.1)
for step in range(2):
    case(f"SGD f16 param f32 grad no momentum {step}",
         lambda: (plain_opt((Tensor(np.array([1.0 + step], np.float32)),)), half_plain))

over = Parameter(Tensor(w2), name="w")
over_opt = nn.SGD([over], learning_rate=[0.1, 0.2])
for step in range(4):
    case(f"lr list past the end get_lr {step}", lambda: over_opt.get_lr())
    case(f"lr list past the end step {step}", lambda: over_opt((Tensor(w2),)))
    case(f"lr list past the end weight {step}", lambda: over)
    case(f"lr list past the end global_step {step}", lambda: over_opt.global_step)

# --- a small net trained through value_and_grad, each optimizer ---
class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(W0.T.copy()), name="w")
        self.b = Parameter(Tensor(np.array([0.05, -0.05], np.float32)), name="b")
        self.gamma = Parameter(Tensor(np.array([1.0, 0.9], np.float32)), name="gamma")

    def construct(self, x):
        return ops.matmul(x, self.w) * self.gamma + self.b


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


def sgd_opt(params):
    return nn.SGD(params, learning_rate=0.1, momentum=0.9, weight_decay=0.01)


def momentum_opt(params):
    return nn.Momentum(params, learning_rate=0.1, momentum=0.9)


def adam_opt(params):
    return nn.Adam(params, learning_rate=0.05)


def adamw_opt(params):
    return nn.AdamWeightDecay(params, learning_rate=0.05, weight_decay=0.1)


def grouped_opt(params):
    return nn.Adam([{"params": params[:1], "lr": 0.02}, {"params": params[1:], "weight_decay": 0.1}],
                   learning_rate=LRS + [0.001])


for name, make in (("SGD", sgd_opt), ("Momentum", momentum_opt), ("Adam", adam_opt), ("AdamWeightDecay", adamw_opt),
                   ("grouped", grouped_opt)):
    train(name, make)
    train(name + " jit", make, compiled=True)
