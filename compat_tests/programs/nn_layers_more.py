"""More nn layers (MindSpore 2.10): LayerNorm, GroupNorm, Conv1d, Conv2dTranspose, AdaptiveAvgPool2d, Embedding,
GELU/SiLU/LeakyReLU/ReLU6/LogSoftmax/Identity, Unflatten, CellDict and their functional ops -- Parameter names and
shapes, reprs, forward values, and gradients with respect to the input and every trainable Parameter (weights set
from seeded numpy arrays)."""
import re

import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
from _probe import case


def data(*shape, seed=0):
    return Tensor(np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32))


def set_weights(cell, seed):
    rng = np.random.default_rng(seed)
    for p in cell.get_parameters():
        p.set_data(Tensor(rng.uniform(-1, 1, p.shape).astype(p.dtype == ms.float16 and np.float16 or np.float32)))
    return cell


def params(cell):
    return [(p.name, p.shape, str(p.dtype), p.requires_grad) for p in cell.get_parameters()]


def no_addresses(text):
    return re.sub(r" object at 0x[0-9a-f]+", " object", text)


class Weighted(nn.Cell):
    """A scalar of the layer's output (a fixed random weighting) so every gradient is nontrivial."""

    def __init__(self, layer, weight):
        super().__init__()
        self.layer = layer
        self.weight = weight

    def construct(self, x):
        return (self.layer(x) * self.weight).sum()


def check(label, layer, x, input_grad=True, seed=1, grads=True):
    out = layer(x)
    case(f"{label} forward", lambda: out)
    if not grads:  # forward only: each differentiated case costs several kernel compilations
        return
    net = Weighted(layer, data(*out.shape, seed=seed))
    weights = net.trainable_params()
    grad_fn = ms.value_and_grad(net, 0 if input_grad else None, weights if weights else None)
    case(f"{label} grads", lambda: grad_fn(x))


# --- LayerNorm / GroupNorm --------------------------------------------------------------------------------------
x234 = data(2, 3, 4, seed=10)
ln = nn.LayerNorm((4,))
print("layernorm params", params(ln), ln.epsilon)
print("layernorm repr", repr(ln))
check("layernorm last", set_weights(ln, 2), x234)
check("layernorm (3,4) axis 1", set_weights(nn.LayerNorm((3, 4), 1, 1), 3), x234)
check("layernorm norm 1 params -1", set_weights(nn.LayerNorm((4,), 1, -1), 4), x234)
check("layernorm norm -1 params 1", set_weights(nn.LayerNorm((3, 4), -1, 1, epsilon=1e-3), 5), x234)
check("layernorm 2d", set_weights(nn.LayerNorm([5]), 6), data(3, 5, seed=11), grads=False)
case("layernorm shape mismatch ctor", lambda: nn.LayerNorm(4))
case("layernorm empty", lambda: nn.LayerNorm(()))

x2433 = data(2, 4, 3, 3, seed=12)
gn = nn.GroupNorm(2, 4)
print("groupnorm params", params(gn), repr(gn))
check("groupnorm 2 groups", set_weights(gn, 7), x2433)
check("groupnorm 1 group 3d", set_weights(nn.GroupNorm(1, 4, eps=1e-3), 8), data(2, 4, 5, seed=13))
check("groupnorm 4 groups", set_weights(nn.GroupNorm(4, 4), 9), x2433, grads=False)
print("groupnorm affine False", params(nn.GroupNorm(2, 4, affine=False)))
check("groupnorm affine False", nn.GroupNorm(2, 4, affine=False), x2433)
case("groupnorm not divisible", lambda: nn.GroupNorm(3, 4))
case("groupnorm eps int", lambda: nn.GroupNorm(2, 4, eps=1))

# --- Conv1d / Conv2dTranspose -----------------------------------------------------------------------------------
c1 = nn.Conv1d(4, 6, 3)
print("conv1d params", params(c1))
print("conv1d repr", no_addresses(repr(c1)))
x147 = data(2, 4, 7, seed=14)
check("conv1d same", set_weights(c1, 10), x147)
c1b = nn.Conv1d(4, 6, 3, stride=2, pad_mode="pad", padding=1, dilation=2, group=2, has_bias=True)
print("conv1d bias params", params(c1b))
print("conv1d bias repr", no_addresses(repr(c1b)))
check("conv1d pad stride dilation group bias", set_weights(c1b, 11), x147)
check("conv1d valid stride 2", set_weights(nn.Conv1d(4, 2, 2, stride=2, pad_mode="valid", has_bias=True), 12), x147)
check("conv1d same stride 3", set_weights(nn.Conv1d(4, 2, 3, stride=3), 13), x147, grads=False)
case("conv1d tuple kernel", lambda: nn.Conv1d(4, 6, (3,)))
case("conv1d padding with same", lambda: nn.Conv1d(4, 6, 3, padding=1))
case("conv1d weight tensor", lambda: nn.Conv1d(1, 1, 2, weight_init=Tensor(np.ones((1, 1, 2), np.float32))).weight)

ct = nn.Conv2dTranspose(4, 6, 3)
print("conv2dtranspose params", params(ct))
print("conv2dtranspose repr", no_addresses(repr(ct)))
x4 = data(2, 4, 3, 4, seed=15)
check("convT same", set_weights(ct, 14), x4)
check("convT same stride 2 bias", set_weights(nn.Conv2dTranspose(4, 2, 3, stride=2, has_bias=True), 15), x4)
check("convT valid stride 2 k23 d2", set_weights(nn.Conv2dTranspose(4, 2, (2, 3), stride=2, pad_mode="valid",
                                                                    dilation=2), 16), x4)
check("convT valid stride 3 k2", set_weights(nn.Conv2dTranspose(4, 2, 2, stride=3, pad_mode="valid"), 17), x4)
check("convT pad 4-tuple", set_weights(nn.Conv2dTranspose(4, 2, 3, stride=2, pad_mode="pad", padding=(1, 0, 2, 1)),
                                       18), x4)
check("convT pad output_padding group", set_weights(nn.Conv2dTranspose(4, 2, 3, stride=2, pad_mode="pad", padding=1,
                                                                       output_padding=1, group=2, has_bias=True),
                                                    19), x4)
case("convT output_padding same", lambda: nn.Conv2dTranspose(4, 2, 3, stride=2, output_padding=1)(x4))
case("convT padding with same", lambda: nn.Conv2dTranspose(4, 2, 3, padding=1))
case("convT group not divisible", lambda: nn.Conv2dTranspose(4, 6, 3, group=4))

# --- AdaptiveAvgPool2d ------------------------------------------------------------------------------------------
x57 = data(2, 3, 5, 7, seed=16)
print("adaptive repr", repr(nn.AdaptiveAvgPool2d((2, 3))))
for size in [1, (2, 3), (3, None), (None, 4), (4, 6), (6, 8)]:
    check(f"adaptive {size}", nn.AdaptiveAvgPool2d(size), x57, grads=size in [(2, 3), (4, 6), (6, 8)])
check("adaptive 3d input", nn.AdaptiveAvgPool2d(2), data(3, 5, 7, seed=17), grads=False)
case("adaptive None", lambda: nn.AdaptiveAvgPool2d(None))
case("adaptive list", lambda: nn.AdaptiveAvgPool2d([2, 3]))
case("adaptive negative", lambda: nn.AdaptiveAvgPool2d(-1))

# --- Embedding --------------------------------------------------------------------------------------------------
emb = nn.Embedding(5, 3)
print("embedding params", params(emb))
print("embedding repr", repr(emb))
ids = Tensor(np.array([[0, 4], [2, 2]], np.int32))
check("embedding gather", set_weights(emb, 20), ids, input_grad=False)
check("embedding one hot", set_weights(nn.Embedding(5, 3, use_one_hot=True), 21), ids, input_grad=False)
check("embedding int64 ids", emb, Tensor(np.array([1, 3, 3])), grads=False)
print("embedding padding_idx", nn.Embedding(4, 2, embedding_table="ones", padding_idx=1).embedding_table.asnumpy())
case("embedding padding_idx oor", lambda: nn.Embedding(4, 2, padding_idx=4))
case("embedding use_one_hot int", lambda: nn.Embedding(4, 2, use_one_hot=1))

# --- activations, Identity, Unflatten ---------------------------------------------------------------------------
xa = Tensor(np.array([[-2.0, -1.5, -0.25, 0.0, 0.5], [1.0, 1.75, 2.0, 6.0, 6.5]], np.float32))
for label, cell in [("gelu", nn.GELU()), ("gelu exact", nn.GELU(False)), ("silu", nn.SiLU()),
                    ("leakyrelu", nn.LeakyReLU()), ("leakyrelu 0.5", nn.LeakyReLU(0.5)),
                    ("leakyrelu 2", nn.LeakyReLU(2)), ("relu6", nn.ReLU6()), ("logsoftmax", nn.LogSoftmax()),
                    ("logsoftmax axis 0", nn.LogSoftmax(0)), ("identity", nn.Identity())]:
    print(label, "repr", repr(cell))
    check(label, cell, data(2, 5, seed=18) if label.startswith("logsoftmax") else xa)
case("gelu approximate str", lambda: nn.GELU("tanh"))
case("leakyrelu int input", lambda: nn.LeakyReLU(0.5)(Tensor(np.array([-2, 3]), ms.int32)))
case("gelu f16", lambda: nn.GELU()(Tensor(np.array([-1, 0.5, 2]), ms.float16)))

y46 = data(4, 6, seed=19)
for axis, size in [(1, (2, 3)), (-1, (3, 2)), (0, [2, 2]), (1, (-1, 2)), (-2, (2, 2))]:
    check(f"unflatten {axis} {size}", nn.Unflatten(axis, size), y46, grads=axis == 1)
case("unflatten axis float", lambda: nn.Unflatten(1.0, (2, 3)))


# --- CellDict ---------------------------------------------------------------------------------------------------
class DictNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.layers = nn.CellDict({"fc1": nn.Dense(2, 3), "act": nn.GELU(), "fc2": nn.Dense(3, 1)})

    def construct(self, x):
        return self.layers["fc2"](self.layers["act"](self.layers["fc1"](x)))


dict_net = set_weights(DictNet(), 22)
print("celldict names", params(dict_net))
print("celldict keys", list(dict_net.layers.keys()), len(dict_net.layers), "act" in dict_net.layers)
print("celldict repr", repr(dict_net))
check("celldict net", dict_net, data(3, 2, seed=20))
dict_net.layers["fc3"] = nn.Dense(1, 1)
print("celldict added", params(dict_net))
print("celldict pop", type(dict_net.layers.pop("fc3")).__name__, list(dict_net.layers.keys()))
case("celldict bad key", lambda: dict_net.layers.__setitem__("a.b", nn.ReLU()))
case("celldict list child", lambda: dict_net.layers.__setitem__("x", nn.CellList([nn.ReLU()])))


# --- functional counterparts ------------------------------------------------------------------------------------
def f_conv1d(x, w, b):
    return (ops.conv1d(x, w, b, stride=2, pad_mode="pad", padding=1, dilation=2, groups=2) ** 2).sum()


def f_adaptive(x):
    return (ops.adaptive_avg_pool2d(x, (3, 4)) ** 2).sum()


def f_group_norm(x, w, b):
    return (ops.group_norm(x, 2, w, b, 1e-3) * x).sum()


def f_gelu(x):
    return (ops.gelu(x) * x).sum() + (ops.gelu(x, approximate="tanh") ** 2).sum()


def f_silu_leaky(x):
    return (ops.silu(x) * x).sum() + (ops.leaky_relu(x, 0.1) ** 2).sum()


w1 = data(6, 2, 3, seed=21)
b1 = data(6, seed=22)
case("ops.conv1d", lambda: ops.conv1d(x147, w1, b1, stride=2, pad_mode="pad", padding=1, dilation=2, groups=2))
case("ops.conv1d grads", lambda: ms.grad(f_conv1d, (0, 1, 2))(x147, w1, b1))
case("ops.adaptive_avg_pool2d", lambda: ops.adaptive_avg_pool2d(x57, (3, 4)))
case("ops.adaptive_avg_pool2d grad", lambda: ms.grad(f_adaptive)(x57))
gw, gb = data(4, seed=23), data(4, seed=24)
case("ops.group_norm", lambda: ops.group_norm(x2433, 2, gw, gb, 1e-3))
case("ops.group_norm grads", lambda: ms.grad(f_group_norm, (0, 1, 2))(x2433, gw, gb))
case("ops.gelu", lambda: (ops.gelu(xa), ops.gelu(xa, approximate="tanh")))
case("ops.gelu grad", lambda: ms.grad(f_gelu)(xa))
case("ops.gelu bad approximate", lambda: ops.gelu(xa, approximate="x"))
case("ops.silu leaky_relu", lambda: (ops.silu(xa), ops.leaky_relu(xa), ops.leaky_relu(xa, 0.1)))
case("ops.silu leaky_relu grad", lambda: ms.grad(f_silu_leaky)(xa))
case("ops.leaky_relu alpha str", lambda: ops.leaky_relu(xa, "a"))
