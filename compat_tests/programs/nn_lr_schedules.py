"""Probe of learning-rate schedules: the six LearningRateSchedule Cells (values for steps 0..10 from 0-d and 1-element
step Tensors, attributes, constructor errors), the seven dynamic_lr list builders (their lists and argument errors),
and optimizers driven by a schedule, a list or a Tensor of rates for >= 5 steps (get_lr before each step,
global_step, the updated weight), in groups, and inside an ms.jit training step."""
import numpy as np
import mindspore as ms
from mindspore import Parameter, Tensor, nn, ops

ms.set_context(pynative_synchronize=True)

from _probe import case, fmt  # noqa: E402


def schedules():
    return {
        "ExponentialDecayLR": nn.ExponentialDecayLR(0.1, 0.9, 4),
        "ExponentialDecayLR stair": nn.ExponentialDecayLR(0.1, 0.5, 3, is_stair=True),
        "NaturalExpDecayLR": nn.NaturalExpDecayLR(0.1, 0.2, 4),
        "NaturalExpDecayLR stair": nn.NaturalExpDecayLR(0.1, 0.3, 3, True),
        "InverseDecayLR": nn.InverseDecayLR(0.1, 0.5, 2),
        "InverseDecayLR stair": nn.InverseDecayLR(0.1, 0.5, 3, True),
        "CosineDecayLR": nn.CosineDecayLR(0.01, 0.1, 6),
        "PolynomialDecayLR": nn.PolynomialDecayLR(0.1, 0.01, 6, 0.5),
        "PolynomialDecayLR update": nn.PolynomialDecayLR(0.1, 0.001, 3, 2.0, update_decay_steps=True),
        "WarmUpLR": nn.WarmUpLR(0.1, 4),
    }


# --- schedule values ---
for name, schedule in schedules().items():
    print(f"{name}: {[float(schedule(Tensor(step, ms.int32)).asnumpy()) for step in range(11)]}")
    case(f"{name} step [3]", lambda: schedule(Tensor(np.array([3], np.int32))))
    case(f"{name} step 3", lambda: schedule(Tensor(3, ms.int32)))
    case(f"{name} parameters", lambda: [n for n, _ in schedule.parameters_and_names()])
exp = nn.ExponentialDecayLR(0.1, 0.9, 4)
case("ExponentialDecayLR attributes", lambda: (exp.learning_rate, exp.decay_rate, exp.decay_steps, exp.is_stair))
case("ExponentialDecayLR repr", lambda: repr(exp))
case("ExponentialDecayLR int64 step", lambda: exp(Tensor(5, ms.int64)))
case("ExponentialDecayLR float step", lambda: exp(Tensor(2.5, ms.float32)))
cos = nn.CosineDecayLR(0.01, 0.1, 6)
case("CosineDecayLR attributes", lambda: (cos.min_lr, cos.max_lr, cos.decay_steps))
poly = nn.PolynomialDecayLR(0.1, 0.01, 6, 0.5)
case("PolynomialDecayLR attributes", lambda: (poly.start_learning_rate, poly.end_learning_rate, poly.decay_steps,
                                              poly.power, poly.update_decay_steps))
case("PolynomialDecayLR end above start", lambda: nn.PolynomialDecayLR(0.1, 0.2, 4, 2.0)(Tensor(1, ms.int32)))
case("WarmUpLR zero rate", lambda: nn.WarmUpLR(0.0, 4)(Tensor(2, ms.int32)))

# --- schedule errors ---
for cls in (nn.ExponentialDecayLR, nn.NaturalExpDecayLR, nn.InverseDecayLR):
    name = cls.__name__
    for label, args in (("int rate", (1, 0.9, 4)), ("negative rate", (-0.1, 0.9, 4)), ("zero rate", (0.0, 0.9, 4)),
                        ("int decay_rate", (0.1, 1, 4)), ("negative decay_rate", (0.1, -0.9, 4)),
                        ("float steps", (0.1, 0.9, 4.0)), ("zero steps", (0.1, 0.9, 0)),
                        ("bool steps", (0.1, 0.9, True)), ("int is_stair", (0.1, 0.9, 4, 1))):
        case(f"{name} {label}", lambda: cls(*args))
for label, make in (
        ("CosineDecayLR int min", lambda: nn.CosineDecayLR(0, 0.1, 4)),
        ("CosineDecayLR negative min", lambda: nn.CosineDecayLR(-0.1, 0.1, 4)),
        ("CosineDecayLR int max", lambda: nn.CosineDecayLR(0.01, 1, 4)),
        ("CosineDecayLR min >= max", lambda: nn.CosineDecayLR(0.1, 0.1, 4)),
        ("CosineDecayLR zero steps", lambda: nn.CosineDecayLR(0.01, 0.1, 0)),
        ("PolynomialDecayLR int rate", lambda: nn.PolynomialDecayLR(1, 0.01, 4, 0.5)),
        ("PolynomialDecayLR int end", lambda: nn.PolynomialDecayLR(0.1, 0, 4, 0.5)),
        ("PolynomialDecayLR negative end", lambda: nn.PolynomialDecayLR(0.1, -0.01, 4, 0.5)),
        ("PolynomialDecayLR negative steps", lambda: nn.PolynomialDecayLR(0.1, 0.01, -4, 0.5)),
        ("PolynomialDecayLR int update", lambda: nn.PolynomialDecayLR(0.1, 0.01, 4, 0.5, 1)),
        ("PolynomialDecayLR int power", lambda: nn.PolynomialDecayLR(0.1, 0.01, 4, 2)),
        ("PolynomialDecayLR negative power", lambda: nn.PolynomialDecayLR(0.1, 0.01, 4, -0.5)),
        ("WarmUpLR int rate", lambda: nn.WarmUpLR(1, 4)),
        ("WarmUpLR negative rate", lambda: nn.WarmUpLR(-0.1, 4)),
        ("WarmUpLR zero steps", lambda: nn.WarmUpLR(0.1, 0)),
        ("WarmUpLR float steps", lambda: nn.WarmUpLR(0.1, 2.0))):
    case(label, make)

# --- dynamic_lr lists ---
for label, make in (
        ("piecewise_constant_lr", lambda: nn.piecewise_constant_lr([2, 5, 6], [0.1, 0.05, 0.01])),
        ("piecewise_constant_lr tuples", lambda: nn.piecewise_constant_lr((2, 2, 3), (0.1, 0.05, 0.01))),
        ("exponential_decay_lr", lambda: nn.exponential_decay_lr(0.1, 0.9, 6, 2, 1)),
        ("exponential_decay_lr stair", lambda: nn.exponential_decay_lr(0.1, 0.9, 7, 1, 2, True)),
        ("exponential_decay_lr epochs", lambda: nn.exponential_decay_lr(0.1, 0.9, 7, 1, 2)),
        ("natural_exp_decay_lr", lambda: nn.natural_exp_decay_lr(0.1, 0.9, 6, 2, 2)),
        ("natural_exp_decay_lr stair", lambda: nn.natural_exp_decay_lr(0.1, 0.9, 6, 2, 2, True)),
        ("inverse_decay_lr", lambda: nn.inverse_decay_lr(0.1, 0.5, 6, 1, 4)),
        ("inverse_decay_lr stair", lambda: nn.inverse_decay_lr(0.1, 0.5, 6, 1, 4, True)),
        ("cosine_decay_lr", lambda: nn.cosine_decay_lr(0.01, 0.1, 6, 2, 2)),
        ("cosine_decay_lr zero min", lambda: nn.cosine_decay_lr(0.0, 0.1, 9, 1, 4)),
        ("polynomial_decay_lr", lambda: nn.polynomial_decay_lr(0.1, 0.01, 6, 2, 2, 0.5)),
        ("polynomial_decay_lr update", lambda: nn.polynomial_decay_lr(0.1, 0.01, 10, 1, 3, 2.0, True)),
        ("warmup_lr", lambda: nn.warmup_lr(0.1, 6, 2, 2)),
        ("warmup_lr steps", lambda: nn.warmup_lr(0.1, 9, 1, 4)),
        ("dynamic_lr module", lambda: nn.dynamic_lr.warmup_lr(0.1, 3, 1, 2))):
    case(label, make)
for label, make in (
        ("piecewise str milestone", lambda: nn.piecewise_constant_lr("ab", [0.1])),
        ("piecewise ndarray rates", lambda: nn.piecewise_constant_lr([2], np.array([0.1]))),
        ("piecewise sizes", lambda: nn.piecewise_constant_lr([2, 3], [0.1])),
        ("piecewise zero milestone", lambda: nn.piecewise_constant_lr([0, 3], [0.1, 0.2])),
        ("piecewise decreasing", lambda: nn.piecewise_constant_lr([3, 2], [0.1, 0.2])),
        ("piecewise int rate", lambda: nn.piecewise_constant_lr([3, 4], [0.1, 1])),
        ("piecewise float milestone", lambda: nn.piecewise_constant_lr([3.0], [0.1])),
        ("exponential int rate", lambda: nn.exponential_decay_lr(1, 0.9, 6, 2, 1)),
        ("exponential negative decay", lambda: nn.exponential_decay_lr(0.1, -0.9, 6, 2, 1)),
        ("exponential zero total", lambda: nn.exponential_decay_lr(0.1, 0.9, 0, 2, 1)),
        ("exponential float total", lambda: nn.exponential_decay_lr(0.1, 0.9, 6.0, 2, 1)),
        ("exponential zero step_per_epoch", lambda: nn.exponential_decay_lr(0.1, 0.9, 6, 0, 1)),
        ("exponential zero decay_epoch", lambda: nn.exponential_decay_lr(0.1, 0.9, 6, 2, 0)),
        ("exponential int is_stair", lambda: nn.exponential_decay_lr(0.1, 0.9, 6, 2, 1, 1)),
        ("natural str is_stair", lambda: nn.natural_exp_decay_lr(0.1, 0.9, 6, 2, 1, "x")),
        ("inverse int decay", lambda: nn.inverse_decay_lr(0.1, 1, 6, 2, 1)),
        ("cosine int min", lambda: nn.cosine_decay_lr(0, 0.1, 6, 2, 1)),
        ("cosine negative min", lambda: nn.cosine_decay_lr(-0.1, 0.1, 6, 2, 1)),
        ("cosine int max", lambda: nn.cosine_decay_lr(0.01, 1, 6, 2, 1)),
        ("cosine min above max", lambda: nn.cosine_decay_lr(0.2, 0.1, 6, 2, 1)),
        ("cosine negative total", lambda: nn.cosine_decay_lr(0.01, 0.1, -6, 2, 1)),
        ("polynomial int rate", lambda: nn.polynomial_decay_lr(1, 0.01, 6, 2, 2, 0.5)),
        ("polynomial int end", lambda: nn.polynomial_decay_lr(0.1, 0, 6, 2, 2, 0.5)),
        ("polynomial negative end", lambda: nn.polynomial_decay_lr(0.1, -0.01, 6, 2, 2, 0.5)),
        ("polynomial int power", lambda: nn.polynomial_decay_lr(0.1, 0.01, 6, 2, 2, 1)),
        ("polynomial int update", lambda: nn.polynomial_decay_lr(0.1, 0.01, 6, 2, 2, 0.5, 1)),
        ("warmup int rate", lambda: nn.warmup_lr(1, 6, 2, 2)),
        ("warmup negative rate", lambda: nn.warmup_lr(-0.1, 6, 2, 2)),
        ("warmup zero warmup_epoch", lambda: nn.warmup_lr(0.1, 6, 2, 0))):
    case(label, make)

# --- optimizers driven by schedules, lists and Tensors ---
W0 = np.array([[0.5, -1.0, 0.25], [1.5, 0.75, -0.5]], np.float32)
B0 = np.array([0.1, -0.2, 0.3], np.float32)


def make_params():
    return [Parameter(Tensor(W0), name="fc.weight"), Parameter(Tensor(B0), name="fc.bias")]


def grads_at(step):
    return tuple(Tensor((np.cos(np.arange(1, v.size + 1, dtype=np.float32).reshape(v.shape) * (step + 1) + i)
                         * 0.5).astype(np.float32)) for i, v in enumerate((W0, B0)))


def drive(label, opt, steps=6):
    case(f"{label} dynamic_lr", lambda: (opt.dynamic_lr, opt.is_group_lr, type(opt.learning_rate).__name__))
    case(f"{label} names", lambda: [n for n, _ in opt.parameters_and_names()])
    for step in range(steps):
        case(f"{label} get_lr before step {step}", lambda: opt.get_lr())
        opt(grads_at(step))
        case(f"{label} after step {step}", lambda: [p for _, p in opt.parameters_and_names()])


drive("SGD ExponentialDecayLR", nn.SGD(make_params(), learning_rate=nn.ExponentialDecayLR(0.1, 0.9, 2)))
drive("Momentum CosineDecayLR", nn.Momentum(make_params(), nn.CosineDecayLR(0.01, 0.1, 4), 0.9))
drive("Adam WarmUpLR", nn.Adam(make_params(), learning_rate=nn.WarmUpLR(0.01, 3)))
drive("AdamWeightDecay PolynomialDecayLR", nn.AdamWeightDecay(make_params(), nn.PolynomialDecayLR(0.01, 0.001, 3, 1.0),
                                                              weight_decay=0.1))
drive("RMSProp InverseDecayLR", nn.RMSProp(make_params(), learning_rate=nn.InverseDecayLR(0.01, 0.5, 1)))
drive("Adagrad NaturalExpDecayLR", nn.Adagrad(make_params(), learning_rate=nn.NaturalExpDecayLR(0.1, 0.2, 1, True)))
drive("SGD cosine_decay_lr list", nn.SGD(make_params(), learning_rate=nn.cosine_decay_lr(0.01, 0.1, 6, 1, 5)))
drive("Momentum warmup_lr Tensor", nn.Momentum(make_params(), Tensor(nn.warmup_lr(0.1, 6, 1, 3), ms.float32), 0.9))
w, b = make_params()
drive("SGD group schedules", nn.SGD([{"params": [w], "lr": nn.ExponentialDecayLR(0.1, 0.5, 1)},
                                     {"params": [b], "lr": nn.piecewise_constant_lr([2, 6], [0.2, 0.02])}],
                                    learning_rate=nn.WarmUpLR(0.1, 2)))
w, b = make_params()
mixed = nn.Momentum([{"params": [w], "lr": 0.05}, {"params": [b]}], nn.CosineDecayLR(0.01, 0.1, 4), 0.9)
drive("Momentum group fixed and schedule", mixed)
case("get_lr_parameter schedule", lambda: type(mixed.get_lr_parameter(w)).__name__)
case("get_lr_parameter list", lambda: [type(x).__name__ for x in mixed.get_lr_parameter([w, b])])
single = nn.SGD(make_params(), learning_rate=nn.WarmUpLR(0.1, 2))
case("get_lr_parameter single schedule", lambda: type(single.get_lr_parameter(single.parameters[0])).__name__)
case("learning_rate is the schedule", lambda: type(single.learning_rate).__name__)
case("schedule in parameters_and_names", lambda: [n for n, _ in single.parameters_and_names()])
short = nn.SGD(make_params(), learning_rate=nn.exponential_decay_lr(0.1, 0.9, 2, 1, 1))
for step in range(3):
    case(f"list past its end step {step}", lambda: short(grads_at(step)))
    case(f"list past its end global_step {step}", lambda: short.global_step)


# --- a jitted training step: the rate of step k is the k-th ---
class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(W0.T.copy()), name="w")

    def construct(self, x):
        return ops.matmul(x, self.w)


X = Tensor(np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(4, 3))
Y = Tensor(np.array([[0.5, -0.5], [1.0, 0.0], [-0.3, 0.2], [0.1, 0.9]], np.float32))


def train(label, learning_rate, steps=6):
    net = Net()
    loss_fn = nn.MSELoss()
    opt = nn.Momentum(net.trainable_params(), learning_rate, 0.9)

    def forward(x, y):
        return loss_fn(net(x), y)

    grad_fn = ms.value_and_grad(forward, None, opt.parameters)

    @ms.jit
    def step(x, y):
        loss, grads = grad_fn(x, y)
        opt(grads)
        return loss

    for index in range(steps):
        loss = step(X, Y)
        print(f"train {label} step {index}: loss {fmt(loss)} global_step {fmt(opt.global_step)}")
    print(f"train {label} final w = {fmt(net.w)}")


train("schedule", nn.ExponentialDecayLR(0.1, 0.5, 1))
train("list", nn.piecewise_constant_lr([1, 3, 6], [0.1, 0.01, 0.001]))
