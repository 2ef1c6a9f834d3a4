"""A float32 network stays float32: no float64/int64 value appears in the jaxpr of its forward or backward pass, nor
in the program msjax compiles for a whole train step (GRAPH_MODE TrainOneStepCell and an `@ms.jit` functional step,
on the benchmarks' MLP and LeNet-5).

msjax runs JAX in x64 mode (MindSpore needs Int64/Float64), where jnp would promote `float32 * 2.5` or
`int32 / 2` to 64 bits; every result dtype must come from MindSpore's rules instead.
"""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, ParameterTuple, Tensor, nn, ops

WIDE = {np.dtype(np.float64), np.dtype(np.int64), np.dtype(np.complex128), np.dtype(np.uint64)}


def _wide_values(jaxpr):
    found = []
    for eqn in jaxpr.eqns:
        for var in list(eqn.invars) + list(eqn.outvars):
            aval = getattr(var, "aval", None)
            if aval is not None and getattr(aval, "dtype", None) in WIDE:
                found.append(f"{eqn.primitive.name}: {aval}")
        for param in eqn.params.values():
            for sub in (param if isinstance(param, (tuple, list)) else (param,)):
                inner = getattr(sub, "jaxpr", sub)
                if hasattr(inner, "eqns"):
                    found.extend(_wide_values(inner))
    return found


class TinyNet(nn.Cell):
    def __init__(self):
        super().__init__()
        rng = np.random.default_rng(0)
        self.w = Parameter(Tensor(rng.normal(size=(4, 3)).astype(np.float32)), name="w")
        self.b = Parameter(Tensor(np.zeros(3, np.float32)), name="b")
        self.matmul = ops.MatMul()

    def construct(self, x, labels):
        hidden = ops.relu(self.matmul(x, self.w) + self.b) * 2.5 + np.float64(0.5)
        probs = ops.softmax(hidden / 3)
        picked = (probs * ops.one_hot(labels, 3, Tensor(1.0, ms.float32), Tensor(0.0, ms.float32))).sum(1)
        return -ops.log(picked + 1e-6).mean() + ops.sqrt(ops.square(self.w)).sum() / 10


def test_forward_and_backward_have_no_64_bit_values():
    net = TinyNet()
    grad_fn = ops.GradOperation(get_all=True, get_by_list=True)(net, ParameterTuple(net.trainable_params()))

    def step(x, labels):
        loss = net(Tensor._from_raw(x), Tensor._from_raw(labels))
        grads = grad_fn(Tensor._from_raw(x), Tensor._from_raw(labels))
        return loss._data, [g._data for g in jax.tree_util.tree_leaves(grads, is_leaf=lambda t: isinstance(t, Tensor))]

    x = jnp.ones((2, 4), jnp.float32)
    labels = jnp.array([0, 2], jnp.int32)
    closed = jax.make_jaxpr(step)(x, labels)
    assert _wide_values(closed.jaxpr) == []
    loss, grads = step(x, labels)
    assert loss.dtype == jnp.float32 and all(g.dtype == jnp.float32 for g in grads[:1] + grads[2:])
    assert grads[1].dtype == jnp.int32  # the gradient of an integer input keeps its dtype, as in MindSpore


# --- the compiled train steps of the benchmarks (benchmarks/workloads/mlp_ms.py, lenet_ms.py), at small batches ---

class MLP(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(784, 512)
        self.fc2 = nn.Dense(512, 512)
        self.fc3 = nn.Dense(512, 10)
        self.relu = nn.ReLU()

    def construct(self, x):
        return self.fc3(self.relu(self.fc2(self.relu(self.fc1(x)))))


class LeNet5(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, pad_mode="valid")
        self.conv2 = nn.Conv2d(6, 16, 5, pad_mode="valid")
        self.fc1 = nn.Dense(16 * 5 * 5, 120)
        self.fc2 = nn.Dense(120, 84)
        self.fc3 = nn.Dense(84, 10)
        self.relu = nn.ReLU()
        self.max_pool2d = nn.MaxPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()

    def construct(self, x):
        x = self.max_pool2d(self.relu(self.conv1(x)))
        x = self.max_pool2d(self.relu(self.conv2(x)))
        x = self.relu(self.fc1(self.flatten(x)))
        return self.fc3(self.relu(self.fc2(x)))


@pytest.fixture
def compiled_jaxprs(monkeypatch):
    """The jaxpr of every program msjax compiles while the test runs (a JitFunction traces, then lowers)."""
    seen = []
    lower = jax.stages.Traced.lower

    def recording_lower(traced, *args, **kwargs):
        seen.append(traced.jaxpr)
        return lower(traced, *args, **kwargs)

    monkeypatch.setattr(jax.stages.Traced, "lower", recording_lower)
    yield seen
    ms.set_context(mode=ms.PYNATIVE_MODE)


def _check_train_step_graph(closed):
    assert _wide_values(closed.jaxpr) == []
    # inputs: float32 weights, moments, rate and momentum, int32 data labels and global_step, the uint32 random key
    inputs = {np.dtype(v.aval.dtype) for v in closed.jaxpr.invars + closed.jaxpr.constvars}
    assert inputs <= {np.dtype(np.float32), np.dtype(np.int32), np.dtype(np.uint32)}, inputs
    assert [np.dtype(v.aval.dtype) for v in closed.jaxpr.outvars if v.aval.ndim == 0] == [np.float32]  # the loss


NETS = {"mlp": (MLP, (2, 784)), "lenet": (LeNet5, (2, 1, 32, 32))}


def _data(shape):
    x = Tensor(np.random.default_rng(0).standard_normal(shape).astype(np.float32))
    return x, Tensor(np.array([3, 7], np.int32))


@pytest.mark.parametrize("name", NETS)
def test_graph_mode_train_step_has_no_64_bit_values(name, compiled_jaxprs):
    ms.set_context(mode=ms.GRAPH_MODE)
    make, shape = NETS[name]
    net = make()
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    optimizer = nn.Momentum(net.trainable_params(), learning_rate=0.01, momentum=0.9)
    train_step = nn.TrainOneStepCell(nn.WithLossCell(net, loss_fn), optimizer)
    train_step.set_train()
    x, labels = _data(shape)
    losses = [train_step(x, labels) for _ in range(2)]
    assert len(compiled_jaxprs) == 1  # one program: forward, backward and the Momentum update
    _check_train_step_graph(compiled_jaxprs[0])
    assert all(loss.dtype == ms.float32 for loss in losses) and losses[1].asnumpy() < losses[0].asnumpy()


@pytest.mark.parametrize("name", NETS)
def test_jitted_functional_train_step_has_no_64_bit_values(name, compiled_jaxprs):
    make, shape = NETS[name]
    net = make()
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    optimizer = nn.Momentum(net.trainable_params(), learning_rate=0.01, momentum=0.9)

    def forward(data, label):
        return loss_fn(net(data), label)

    grad_fn = ms.value_and_grad(forward, None, optimizer.parameters)

    @ms.jit
    def train_step(data, label):
        loss, grads = grad_fn(data, label)
        optimizer(grads)
        return loss

    x, labels = _data(shape)
    losses = [train_step(x, labels) for _ in range(2)]
    assert len(compiled_jaxprs) == 1
    _check_train_step_graph(compiled_jaxprs[0])
    assert losses[1].asnumpy() < losses[0].asnumpy()
