"""A compiled train step, called with inputs already on the device, makes no host transfer (issue 6): nothing in its
call path converts a Python number or a numpy array to a device array, or copies a device array to the host.

`jax.transfer_guard("disallow")` surrounds the step calls only (building, compiling and reading the loss happen
outside). On the CPU backend JAX's guard catches host-to-device transfers (numpy arrays, Python scalars) but not
device-to-host ones, since CPU arrays already live in host memory; on a GPU it catches both.
"""
import jax
import numpy as np
import pytest

import msjax as ms
from msjax import Tensor, nn


@pytest.fixture(autouse=True)
def pynative_after():
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


class Net(nn.Cell):
    """Dense layers with the state a train step writes besides the weights: BatchNorm statistics, Dropout's key."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(8, 16, has_bias=False)  # a bias before BatchNorm would get no gradient
        self.bn = nn.BatchNorm1d(16)
        self.dropout = nn.Dropout(p=0.25)
        self.fc2 = nn.Dense(16, 4)
        self.relu = nn.ReLU()

    def construct(self, x):
        return self.fc2(self.dropout(self.relu(self.bn(self.fc1(x)))))


OPTIMIZERS = {
    "Momentum": lambda params: nn.Momentum(params, learning_rate=0.05, momentum=0.9, weight_decay=1e-4,
                                           loss_scale=2.0),
    "SGD, a rate per step": lambda params: nn.SGD(params, learning_rate=[0.1, 0.05] * 4, momentum=0.9),
    "Adam": lambda params: nn.Adam(params, learning_rate=0.01),
    "AdamWeightDecay": lambda params: nn.AdamWeightDecay(params, learning_rate=0.01, weight_decay=0.01),
}
STEPS = 4


def _on_device():
    rng = np.random.default_rng(0)
    x = jax.device_put(rng.standard_normal((6, 8)).astype(np.float32))
    labels = jax.device_put(np.array([0, 1, 2, 3, 1, 2], np.int32))
    return Tensor(x), Tensor(labels)


def _run_guarded(step, net, x, labels):
    """The first call compiles; the next STEPS calls run under the guard without tracing again, then every weight
    and BatchNorm statistic has moved and the loss is a float32 number."""
    step(x, labels)
    before = [p.asnumpy() for p in net.get_parameters()]
    traces = ms.trace_count()
    with jax.transfer_guard("disallow"):
        for _ in range(STEPS):
            loss = step(x, labels)
    assert ms.trace_count() == traces
    unchanged = [p.name for value, p in zip(before, net.get_parameters()) if np.array_equal(value, p.asnumpy())]
    assert unchanged == []
    assert loss.dtype == ms.float32 and np.isfinite(loss.asnumpy())


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_graph_mode_train_one_step_cell(optimizer):
    ms.set_context(mode=ms.GRAPH_MODE)
    net = Net()
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    train_step = nn.TrainOneStepCell(nn.WithLossCell(net, loss_fn), OPTIMIZERS[optimizer](net.trainable_params()))
    train_step.set_train()
    _run_guarded(train_step, net, *_on_device())
    assert train_step.optimizer.global_step.asnumpy().tolist() == [STEPS + 1]


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_jitted_functional_train_step(optimizer):
    net = Net()
    net.set_train()
    loss_fn = nn.CrossEntropyLoss()
    opt = OPTIMIZERS[optimizer](net.trainable_params())

    def forward(data, label):
        return loss_fn(net(data), label)

    grad_fn = ms.value_and_grad(forward, None, opt.parameters)

    @ms.jit
    def train_step(data, label):
        loss, grads = grad_fn(data, label)
        opt(grads)
        return loss

    _run_guarded(train_step, net, *_on_device())
    assert opt.global_step.asnumpy().tolist() == [STEPS + 1]
