"""Training through the wrappers users use, 6 steps each, from fixed weights and data: the loss at every step, then
every Parameter (trainable weights and BatchNorm moving statistics).

- a small MLP with each loss (MSE, L1, sparse/dense SoftmaxCrossEntropyWithLogits, CrossEntropyLoss with class
  indices and with probabilities, BCEWithLogitsLoss with pos_weight) through TrainOneStepCell(WithLossCell(...)),
  cycling through SGD (momentum, weight decay), Momentum, Adam and AdamWeightDecay;
- Conv2d + BatchNorm2d and Dense + BatchNorm1d nets trained in train mode, then run in eval mode;
- Dropout nets. Dropout's masks are random: real MindSpore and msjax draw from different generators, so they cannot
  agree value for value while a p > 0 dropout is active. A Dropout(p=0.0) net (accepted by MindSpore 2.10; the
  identity) is compared value for value. A Dropout(p=0.5) net is trained in train mode, and only facts that do not
  depend on the masks are printed: each loss's dtype, shape and finiteness, that every trainable weight moved, that
  the eval-mode output equals a numpy recomputation from the trained weights, and that the train-mode dropout keeps
  each value or zeroes it, scaling kept values by 1/(1-p);
- the MLP trained by mindspore.train.Model with LossMonitor, and by the 2.x functional loop (value_and_grad and the
  optimizer inside @ms.jit).
"""
import numpy as np
import mindspore as ms
import mindspore.dataset as ds
from mindspore import Tensor, nn
from mindspore.train import Callback, LossMonitor, Model
from _probe import fmt

STEPS = 6
N, D, H, C = 8, 5, 6, 3
data = np.random.RandomState(0)
X = data.randn(N, D).astype(np.float32)
LABELS = np.array([0, 1, 2, 1, 0, 2, 2, 1], np.int32)
ONE_HOT = np.eye(C, dtype=np.float32)[LABELS]
TARGET = data.randn(N, C).astype(np.float32)
logits = data.randn(N, C)
PROBS = (np.exp(logits) / np.exp(logits).sum(1, keepdims=True)).astype(np.float32)
BINARY = (data.rand(N, C) > 0.5).astype(np.float32)
IMAGES = data.randn(N, 1, 6, 6).astype(np.float32)


def init_weights(net, seed):
    """Every trainable Parameter from numpy, in name order: both frameworks start from the same weights."""
    rng = np.random.RandomState(seed)
    for p in sorted(net.trainable_params(), key=lambda q: q.name):
        noise = rng.randn(*p.shape).astype(np.float32)
        p.set_data(Tensor(1.0 + 0.1 * noise if p.name.endswith("gamma") else 0.4 * noise))
    return net


def show_params(label, net):
    for p in net.get_parameters():
        print(f"{label} final {fmt(p)}")


def show_loss(label, step, loss, value=True):
    print(f"{label} step {step}: {loss.dtype} {loss.shape}", f"{float(loss.asnumpy()):.9g}" if value else "")


class MLP(nn.Cell):
    def __init__(self, p=None):
        super().__init__()
        self.fc1 = nn.Dense(D, H)
        self.relu = nn.ReLU()
        self.drop = nn.Dropout(p=p) if p is not None else None
        self.fc2 = nn.Dense(H, C)

    def construct(self, x):
        h = self.relu(self.fc1(x))
        if self.drop is not None:
            h = self.drop(h)
        return self.fc2(h)


class ConvBN(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, pad_mode="valid")
        self.bn = nn.BatchNorm2d(2)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2, 2)
        self.flatten = nn.Flatten()
        self.fc = nn.Dense(8, C)

    def construct(self, x):
        return self.fc(self.flatten(self.pool(self.relu(self.bn(self.conv(x))))))


class DenseBN(nn.Cell):
    def __init__(self):
        super().__init__()
        # No bias before a train-mode BatchNorm: its exact gradient is 0 (BN subtracts the batch mean), so what
        # remains is float32 rounding noise, which Adam normalises into full-size steps that no two runs share.
        self.fc1 = nn.Dense(D, H, has_bias=False)
        self.bn = nn.BatchNorm1d(H, momentum=0.8)
        self.relu = nn.ReLU()
        self.fc2 = nn.Dense(H, C)

    def construct(self, x):
        return self.fc2(self.relu(self.bn(self.fc1(x))))


def sgd(params):
    return nn.SGD(params, learning_rate=0.1, momentum=0.9, weight_decay=0.01)


def momentum(params):
    return nn.Momentum(params, learning_rate=0.1, momentum=0.9)


def adam(params):
    return nn.Adam(params, learning_rate=0.02)


def adamw(params):
    return nn.AdamWeightDecay(params, learning_rate=0.02, weight_decay=0.1)


def train_one_step(label, net, loss_fn, make_opt, x, y, values=True):
    train_net = nn.TrainOneStepCell(nn.WithLossCell(net, loss_fn), make_opt(net.trainable_params()))
    train_net.set_train()
    losses = []
    for step in range(STEPS):
        loss = train_net(Tensor(x), Tensor(y))
        show_loss(label, step, loss, values)
        losses.append(loss)
    return losses


# --- the MLP with each loss, cycling through the optimizers --------------------------------------------------------
LOSSES = (
    ("MSELoss", nn.MSELoss(), TARGET),
    ("L1Loss", nn.L1Loss(), TARGET),
    ("SoftmaxCE sparse mean", nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"), LABELS),
    ("SoftmaxCE dense sum", nn.SoftmaxCrossEntropyWithLogits(sparse=False, reduction="sum"), ONE_HOT),
    ("CrossEntropyLoss indices", nn.CrossEntropyLoss(), LABELS),
    ("CrossEntropyLoss probabilities", nn.CrossEntropyLoss(), PROBS),
    ("BCEWithLogitsLoss", nn.BCEWithLogitsLoss(pos_weight=Tensor(np.array([1.0, 2.0, 0.5], np.float32))), BINARY),
)
OPTIMIZERS = (("SGD", sgd), ("Momentum", momentum), ("Adam", adam), ("AdamWeightDecay", adamw))
for index, (name, loss_fn, y) in enumerate(LOSSES):
    opt_name, make_opt = OPTIMIZERS[index % len(OPTIMIZERS)]
    label = f"{name} {opt_name}"
    net = init_weights(MLP(), index)
    train_one_step(label, net, loss_fn, make_opt, X, y)
    show_params(label, net)

# --- BatchNorm nets: train mode, then eval mode ----------------------------------------------------------------
conv = init_weights(ConvBN(), 10)
train_one_step("ConvBN Momentum", conv, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"), momentum,
               IMAGES, LABELS)
show_params("ConvBN Momentum", conv)
conv.set_train(False)
print("ConvBN eval:", conv(Tensor(IMAGES)).asnumpy().tolist())

dense_bn = init_weights(DenseBN(), 11)
train_one_step("DenseBN Adam", dense_bn, nn.CrossEntropyLoss(), adam, X, LABELS)
show_params("DenseBN Adam", dense_bn)
dense_bn.set_train(False)
print("DenseBN eval:", dense_bn(Tensor(X)).asnumpy().tolist())

# --- Dropout nets ----------------------------------------------------------------------------------------------
drop0 = init_weights(MLP(p=0.0), 12)
train_one_step("Dropout(p=0.0) SGD", drop0, nn.MSELoss(), sgd, X, TARGET)
show_params("Dropout(p=0.0) SGD", drop0)

drop = init_weights(MLP(p=0.5), 13)
initial = {p.name: p.asnumpy().copy() for p in drop.trainable_params()}
losses = train_one_step("Dropout(p=0.5) Momentum", drop, nn.MSELoss(), momentum, X, TARGET, values=False)
print("Dropout(p=0.5) losses finite:", all(np.isfinite(loss.asnumpy()).all() for loss in losses))
for p in drop.trainable_params():
    print(f"Dropout(p=0.5) {p.name} {p.dtype} {p.shape} moved:", not np.array_equal(p.asnumpy(), initial[p.name]))
drop.set_train(False)
w1, b1, w2, b2 = (p.asnumpy() for p in (drop.fc1.weight, drop.fc1.bias, drop.fc2.weight, drop.fc2.bias))
hidden = np.maximum(X @ w1.T + b1, 0.0)
expected = hidden @ w2.T + b2
out = drop(Tensor(X)).asnumpy()
print("Dropout(p=0.5) eval", out.dtype, out.shape, "equals numpy:", np.allclose(out, expected, rtol=1e-5, atol=1e-6))
print("Dropout(p=0.5) eval repeatable:", np.array_equal(drop(Tensor(X)).asnumpy(), out))
drop.set_train()
dropped = drop.drop(Tensor(hidden.astype(np.float32))).asnumpy()
print("Dropout(p=0.5) train keeps or zeroes:", dropped.dtype, dropped.shape,
      bool(np.all(np.isclose(dropped, 0.0) | np.isclose(dropped, 2.0 * hidden, rtol=1e-6))))

# --- mindspore.train.Model with LossMonitor ---------------------------------------------------------------------


class PreciseLoss(Callback):
    def on_train_step_end(self, run_context):
        args = run_context.original_args()
        show_loss("Model", args.cur_step_num - 1, args.net_outputs)


model_net = init_weights(MLP(), 20)
model = Model(model_net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"), adamw(
    model_net.trainable_params()))
dataset = ds.NumpySlicesDataset({"x": X, "y": LABELS}, shuffle=False).batch(4)
model.train(3, dataset, callbacks=[LossMonitor(1), PreciseLoss()], dataset_sink_mode=False)
show_params("Model", model_net)

# --- the functional loop: value_and_grad and the optimizer inside @ms.jit -----------------------------------------
func_net = init_weights(MLP(), 21)
func_loss = nn.MSELoss()
func_opt = sgd(func_net.trainable_params())


def forward(x, y):
    return func_loss(func_net(x), y)


grad_fn = ms.value_and_grad(forward, None, func_opt.parameters)


@ms.jit
def train_step(x, y):
    loss, grads = grad_fn(x, y)
    func_opt(grads)
    return loss


func_net.set_train()
for step in range(STEPS):
    show_loss("functional jit", step, train_step(Tensor(X), Tensor(TARGET)))
show_params("functional jit", func_net)
