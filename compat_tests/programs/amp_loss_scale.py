"""Mixed precision and loss scaling: TrainOneStepWithLossScaleCell with a fixed, a dynamic and a Tensor scale over
6 steps (step 2 overflows: inf input; the dynamic scale grows every 2 clean steps), a float16 network trained with
a huge dynamic scale that overflows in its own backward pass, to_float and auto_mixed_precision O0-O3 forwards.

MindSpore's CPU backend has no kernel for the NPU float-status op the step's own overflow check uses there, so the
step here checks overflow through the documented override `get_overflow_status` with `amp.all_finite` (MindSpore's
GPU rule, which msjax uses on every device)."""
import numpy as np
import mindspore as ms
from mindspore import Parameter, Tensor, amp, nn, ops

rng = np.random.default_rng(0)
x = Tensor(rng.standard_normal((4, 3)).astype(np.float32))
y = Tensor(rng.standard_normal((4, 2)).astype(np.float32))
INF = Tensor(np.full((4, 3), np.inf, np.float32))


class Step(nn.TrainOneStepWithLossScaleCell):
    def get_overflow_status(self, status, compute_output):
        return ops.logical_not(amp.all_finite(compute_output))


def dense(n_in, n_out):
    cell = nn.Dense(n_in, n_out)
    cell.weight.set_data(Tensor(rng.standard_normal((n_out, n_in)).astype(np.float32) / 2))
    cell.bias.set_data(Tensor(rng.standard_normal((n_out,)).astype(np.float32) / 2))
    return cell


def show(label, out, net):
    loss, cond, scale = out
    print(f"{label}: loss {loss.dtype} {loss.shape} {loss.asnumpy()} overflow {cond.dtype} {cond.asnumpy()} "
          f"scale {scale.dtype} {scale.shape} {scale.asnumpy()} weight {net.weight.asnumpy()[0]}")


for kind in ("fixed", "dynamic", "tensor"):
    net = dense(3, 2)
    opt = nn.Momentum(net.trainable_params(), 0.1, 0.9)
    sense = {"fixed": nn.FixedLossScaleUpdateCell(1024.0),
             "dynamic": nn.DynamicLossScaleUpdateCell(loss_scale_value=2.0 ** 10, scale_factor=2, scale_window=2),
             "tensor": Tensor(16.0, ms.float32)}[kind]
    step = Step(nn.WithLossCell(net, nn.MSELoss()), opt, sense)
    for i in range(6):
        show(f"{kind} step {i}", step(INF if i == 2 else x, y), net)
    print(f"{kind} params:", [(name, p.name) for name, p in step.parameters_and_names()])
    print(f"{kind} optimizer step:", opt.global_step.asnumpy(), "moment", opt.moments[0].asnumpy()[0])

# --- a float16 network: a scale of 2**20 overflows float16 in the backward pass; the dynamic scale halves until
# the gradients fit, and those steps leave the weights alone
net = dense(3, 2)
opt = nn.SGD(net.trainable_params(), 0.05)
step = Step(nn.WithLossCell(net.to_float(ms.float16), nn.MSELoss()), opt,
            nn.DynamicLossScaleUpdateCell(loss_scale_value=2.0 ** 20, scale_factor=4, scale_window=3))
for i in range(8):
    show(f"float16 step {i}", step(x, y), net)
manager = amp.DynamicLossScaleManager(init_loss_scale=2 ** 10, scale_factor=2, scale_window=3)
for overflow in (False, False, True, False, False, False):
    manager.update_loss_scale(overflow)
    print("manager scale:", manager.get_loss_scale())
fixed = amp.FixedLossScaleManager(64.0, drop_overflow_update=False)
print("fixed manager:", fixed.get_loss_scale(), fixed.get_drop_overflow_update(), fixed.get_update_cell())
print("all_finite:", amp.all_finite([x, y]), amp.all_finite((x, INF)))

# --- functional loss scalers
scaler = amp.DynamicLossScaler(scale_value=2 ** 4, scale_factor=2, scale_window=2)
grads = (Tensor(np.array([1.0, -2.0], np.float32)), Tensor(np.array([0.5], np.float16)))
print("scale:", scaler.scale(grads), scaler.unscale(grads))
for finite in (True, True, False, True, True):
    scaler.adjust(Tensor(finite))
    print("dynamic scaler:", scaler.scale_value.asnumpy(), scaler.counter.asnumpy())
static = amp.StaticLossScaler(8)
print("static scaler:", static.scale(Tensor(np.array([1.5], np.float32))), static.adjust(Tensor(True)))


# --- to_float and auto_mixed_precision forwards
class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = dense(3, 4)
        self.bn = nn.BatchNorm1d(4)
        self.relu = nn.ReLU()
        self.fc2 = dense(4, 2)
        self.matmul = ops.MatMul()
        self.w = Parameter(Tensor(rng.standard_normal((2, 2)).astype(np.float32)), name="w")

    def construct(self, x):
        z = self.fc2(self.relu(self.bn(self.fc1(x))))
        return self.matmul(z, self.w) + 1.0


# (fresh Cells: MindSpore's GRAPH_MODE keeps a Cell's compiled graph when to_float is called after a first call)
print("dense float32:", dense(3, 2)(x))
d = dense(3, 2).to_float(ms.float16)
print("dense to_float float16:", d(x), d.weight.dtype, d.get_flags())
print("dense back to float32:", dense(3, 2).to_float(ms.float16).to_float(ms.float32)(x))
c = nn.SequentialCell([dense(3, 4), dense(4, 2)]).to_float(ms.float16)
c[1].to_float(ms.float32)
print("mixed sequential:", c(x))
for level in ("O0", "O1", "O2", "O3"):
    rng = np.random.default_rng(1)
    network = amp.auto_mixed_precision(Net(), level)
    print(f"{level}:", network(x), getattr(network, "_amp_level", "") or "-")
    if level in ("O2", "O3"):
        print(f"{level} network:", network)
    grads = ms.grad(network, grad_position=0, weights=network.trainable_params())(x)
    print(f"{level} grads:", grads[0].dtype, [g.dtype for g in grads[1]], grads[1][0])

# --- build_train_network: O2 (float16 network, BatchNorm kept float32, loss in float32) with a fixed scale that the
# optimizer divides out; O3 without a manager (losses only: float16 gradients move the weights a few float16 ulps
# apart between XLA and MindSpore's fused GRAPH kernels)
for level, manager, scale in (("O2", amp.FixedLossScaleManager(128.0, drop_overflow_update=False), 128.0),
                              ("O3", None, 1.0)):
    rng = np.random.default_rng(2)
    network = Net()
    opt = nn.Momentum(network.trainable_params(), 0.05, 0.9, loss_scale=scale)
    kwargs = {"loss_scale_manager": manager} if manager else {}
    train = amp.build_train_network(network, opt, nn.MSELoss(), level, **kwargs)
    print(f"build {level}:", type(train).__name__, type(train.network).__name__)
    for i in range(3):
        loss = train(x, y)
        print(f"build {level} step {i}:", loss.dtype, loss)
