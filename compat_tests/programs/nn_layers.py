"""Core nn layers (MindSpore 2.10): Dense, Conv2d, MaxPool2d/AvgPool2d, Flatten, activations — shapes, Parameter
names, reprs, forward values with weights set from numpy, padding modes, and argument errors."""
import re

import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
from _probe import case


def arange(*shape, scale=1.0, dtype=np.float32):
    values = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    return Tensor(((values % 7) - 3) * scale, ms.float32 if dtype == np.float32 else None)


def params(cell):
    return [(p.name, p.shape, str(p.dtype), p.requires_grad) for p in cell.get_parameters()]


def no_addresses(text):
    return re.sub(r" object at 0x[0-9a-f]+", " object", text)


def set_weights(cell, seed):
    rng = np.random.default_rng(seed)
    for p in cell.get_parameters():
        p.set_data(Tensor(rng.uniform(-1, 1, p.shape).astype(np.float32)))
    return cell


# --- Dense -------------------------------------------------------------------------------------------------------
dense = nn.Dense(3, 4)
print("dense params", params(dense))
print("dense repr", repr(dense))
print("dense default init bounds", bool(np.abs(dense.weight.asnumpy()).max() <= 1 / np.sqrt(3)),
      bool(np.abs(dense.bias.asnumpy()).max() <= 1 / np.sqrt(3)))
set_weights(dense, 0)
x2 = arange(2, 3, scale=0.5)
case("dense 2d", lambda: dense(x2))
case("dense 3d", lambda: dense(arange(2, 5, 3, scale=0.25)))
case("dense 1d", lambda: dense(arange(3)))
relu_dense = set_weights(nn.Dense(3, 2, activation="relu"), 1)
print("dense relu repr", repr(relu_dense))
case("dense relu", lambda: relu_dense(x2))
tanh_dense = set_weights(nn.Dense(3, 2, activation=nn.Tanh(), has_bias=False), 2)
print("dense tanh params", params(tanh_dense))
print("dense tanh repr", repr(tanh_dense))
case("dense tanh", lambda: tanh_dense(x2))
prim_dense = set_weights(nn.Dense(3, 2, activation=ops.Sigmoid()), 3)
print("dense prim repr", repr(prim_dense))
case("dense sigmoid prim", lambda: prim_dense(x2))
init_dense = nn.Dense(2, 3, weight_init="ones", bias_init="zeros")
case("dense string init", lambda: init_dense(arange(1, 2)))
tensor_dense = nn.Dense(2, 2, weight_init=Tensor(np.array([[1, 2], [3, 4]], np.float32)), bias_init=0.5)
case("dense tensor init", lambda: tensor_dense(arange(1, 2)))
print("dense f16", params(nn.Dense(2, 2, dtype=ms.float16)))
case("dense wrong in", lambda: dense(arange(2, 4)))
case("dense float64 input", lambda: dense(Tensor(np.ones((2, 3)))))
case("dense int input", lambda: dense(Tensor(np.ones((2, 3), np.int32))))
case("dense in 0", lambda: nn.Dense(0, 4))
case("dense in float", lambda: nn.Dense(3.0, 4))
case("dense in bool", lambda: nn.Dense(True, 4))
case("dense has_bias int", lambda: nn.Dense(3, 4, has_bias=1))
case("dense bad activation name", lambda: nn.Dense(3, 4, activation="foo"))
case("dense bad activation type", lambda: nn.Dense(3, 4, activation=3))
case("dense bad weight_init shape", lambda: nn.Dense(3, 4, weight_init=Tensor(np.ones((3, 4), np.float32))))
case("dense bad bias_init shape", lambda: nn.Dense(3, 4, bias_init=Tensor(np.ones((3,), np.float32))))

# --- Conv2d ------------------------------------------------------------------------------------------------------
conv = nn.Conv2d(2, 3, 3)
print("conv params", params(conv))
print("conv repr", no_addresses(repr(conv)))
print("conv weight_init", type(conv.weight_init).__name__, conv.weight_init.negative_slope, conv.weight_init.mode,
      conv.weight_init.nonlinearity, conv.bias_init)
print("conv default init bound", bool(np.abs(conv.weight.asnumpy()).max() <= 1 / np.sqrt(18)))
conv_bias = nn.Conv2d(4, 6, (3, 5), stride=(1, 2), pad_mode="pad", padding=(1, 1, 2, 2), dilation=(2, 1), group=2,
                      has_bias=True)
print("conv bias params", params(conv_bias))
print("conv bias repr", no_addresses(repr(conv_bias)))
print("conv bias init", type(conv_bias.bias_init).__name__, round(conv_bias.bias_init.scale, 6))
print("conv string init repr", repr(nn.Conv2d(1, 1, 2, weight_init="normal", bias_init="zeros", has_bias=True)))
xc = arange(1, 2, 5, 6, scale=0.5)
for pad_mode, kernel, stride, dilation, padding in [("same", 3, 1, 1, 0), ("same", 2, 1, 1, 0), ("same", 3, 2, 1, 0),
                                                    ("same", 4, 3, 1, 0), ("same", (2, 3), (2, 1), 1, 0),
                                                    ("same", 3, 1, 2, 0), ("valid", 3, 1, 1, 0),
                                                    ("valid", 2, 2, 1, 0), ("valid", 3, 1, 2, 0),
                                                    ("pad", 3, 1, 1, 1), ("pad", 3, 2, 1, (1, 0, 2, 0)),
                                                    ("pad", (1, 3), 1, (1, 2), (0, 0, 1, 1))]:
    layer = set_weights(nn.Conv2d(2, 4, kernel, stride, pad_mode, padding, dilation, has_bias=True), 4)
    case(f"conv {pad_mode} k={kernel} s={stride} d={dilation} p={padding}", lambda: layer(xc))
grouped = set_weights(nn.Conv2d(2, 4, 2, group=2, pad_mode="valid"), 5)
case("conv group 2", lambda: grouped(xc))
case("conv 2d input", lambda: conv(arange(5, 5)))
case("conv 3d input", lambda: conv(arange(2, 5, 5)))
case("conv float64 input", lambda: conv(Tensor(np.ones((1, 2, 5, 5)))))
case("conv float16 input", lambda: conv(Tensor(np.ones((1, 2, 5, 5), np.float16))))
case("conv wrong channels", lambda: conv(arange(1, 3, 5, 5)))
case("conv too small", lambda: nn.Conv2d(1, 1, 7, pad_mode="valid")(arange(1, 1, 5, 5)))
case("conv padding tuple2", lambda: nn.Conv2d(1, 1, 3, pad_mode="pad", padding=(1, 1)))
case("conv padding without pad mode", lambda: nn.Conv2d(1, 1, 3, padding=1))
case("conv bad pad_mode", lambda: nn.Conv2d(1, 1, 3, pad_mode="full"))
case("conv bad group", lambda: nn.Conv2d(3, 4, 3, group=2))
case("conv kernel 0", lambda: nn.Conv2d(3, 4, 0))
case("conv kernel 3-tuple", lambda: nn.Conv2d(3, 4, (1, 2, 3)))
case("conv kernel float", lambda: nn.Conv2d(3, 4, 2.0))
case("conv padding float", lambda: nn.Conv2d(3, 4, 2, padding=1.0))
case("conv padding list", lambda: nn.Conv2d(3, 4, 2, pad_mode="pad", padding=[1, 1, 1, 1]))
case("conv has_bias int", lambda: nn.Conv2d(1, 1, 3, has_bias=1))
case("conv NHWC on CPU", lambda: nn.Conv2d(3, 4, 2, data_format="NHWC"))
wc = Tensor(np.linspace(-1, 1, 4 * 2 * 3 * 3).reshape(4, 2, 3, 3).astype(np.float32))
case("ops.conv2d", lambda: ops.conv2d(xc, wc))
case("ops.conv2d pad bias", lambda: ops.conv2d(xc, wc, Tensor(np.arange(4, dtype=np.float32)), 2, "pad", (1, 0)))
case("ops.conv2d same dilation", lambda: ops.conv2d(xc, wc, None, 1, "same", 0, 2))
case("ops.conv2d groups", lambda: ops.conv2d(xc, Tensor(np.ones((4, 1, 2, 2), np.float32)), groups=2))
case("ops.conv2d bias shape", lambda: ops.conv2d(xc, wc, Tensor(np.ones(3, np.float32))))
case("ops.Conv2D", lambda: ops.Conv2D(4, 3, pad_mode="same")(xc, wc))
case("ops.Conv2D kernel mismatch", lambda: ops.Conv2D(4, 2)(xc, wc))
case("ops.Conv2D out_channel mismatch", lambda: ops.Conv2D(3, 3)(xc, wc))
case("ops.Conv2D weight 3d", lambda: ops.Conv2D(4, 3)(xc, wc[0]))

# --- pooling -----------------------------------------------------------------------------------------------------
xp = Tensor((np.arange(60, dtype=np.float32).reshape(1, 2, 5, 6) * np.array([1, -1, 1, -1, 1, -1])).astype(np.float32))
for kernel, stride, mode in [(1, 1, "valid"), (2, 1, "valid"), (2, 2, "valid"), (3, 2, "valid"), (2, 1, "same"),
                             (2, 2, "same"), (3, 2, "same"), ((2, 3), (1, 2), "same")]:
    case(f"maxpool k={kernel} s={stride} {mode}", lambda: nn.MaxPool2d(kernel, stride, mode)(xp))
    case(f"avgpool k={kernel} s={stride} {mode}", lambda: nn.AvgPool2d(kernel, stride, mode)(xp))
for kwargs in [dict(padding=1), dict(padding=1, ceil_mode=True), dict(padding=0, ceil_mode=True),
               dict(padding=(1, 0)), dict(padding=0, dilation=2)]:
    case(f"maxpool k=3 s=2 pad {kwargs}", lambda: nn.MaxPool2d(3, 2, "pad", **kwargs)(xp))
case("maxpool pad return_indices", lambda: nn.MaxPool2d(2, 2, "pad", padding=1, return_indices=True)(xp))
case("maxpool pad ceil last window", lambda: nn.MaxPool2d(2, 2, "pad", padding=1, ceil_mode=True)(xp))
for kwargs in [dict(padding=1), dict(padding=1, count_include_pad=False), dict(padding=1, ceil_mode=True),
               dict(padding=1, ceil_mode=True, count_include_pad=False), dict(padding=1, divisor_override=4),
               dict(padding=(1, 0)), dict(padding=0, ceil_mode=True)]:
    case(f"avgpool k=3 s=2 pad {kwargs}", lambda: nn.AvgPool2d(3, 2, "pad", **kwargs)(xp))
case("avgpool valid divisor", lambda: nn.AvgPool2d(2, 2, divisor_override=3)(xp))
case("avgpool same no count", lambda: nn.AvgPool2d(3, 2, "same", count_include_pad=False)(xp))
case("avgpool same ceil", lambda: nn.AvgPool2d(3, 2, "same", ceil_mode=True)(xp))
case("avgpool pad ceil last window", lambda: nn.AvgPool2d(2, 2, "pad", padding=1, ceil_mode=True)(xp))
case("maxpool 3d input", lambda: nn.MaxPool2d(2, 2)(xp[0]))
case("maxpool pad 3d input", lambda: nn.MaxPool2d(2, 2, "pad", padding=1)(xp[0]))
case("avgpool 3d input", lambda: nn.AvgPool2d(2, 2)(xp[0]))
case("avgpool pad 3d input", lambda: nn.AvgPool2d(2, 2, "pad", padding=1)(xp[0]))
case("maxpool float64", lambda: nn.MaxPool2d(2, 2)(Tensor(xp.asnumpy().astype(np.float64))))
case("maxpool int32", lambda: nn.MaxPool2d(2, 2)(Tensor(xp.asnumpy().astype(np.int32))))
# non-negative values: MindSpore's CPU kernel starts integer maxima at 0, so all-negative windows would give 0
case("maxpool pad int32", lambda: nn.MaxPool2d(2, 2, "pad", padding=1)(Tensor(np.abs(xp.asnumpy()).astype(np.int32))))
case("avgpool pad int32", lambda: nn.AvgPool2d(2, 2, "pad", padding=1)(Tensor(xp.asnumpy().astype(np.int32))))
case("maxpool 2d input", lambda: nn.MaxPool2d(2, 1)(xp[0, 0]))
case("maxpool kernel too big", lambda: nn.MaxPool2d(7, 1)(xp))
case("maxpool padding in valid mode", lambda: nn.MaxPool2d(2, 2, "valid", padding=1))
case("maxpool pad too big", lambda: nn.MaxPool2d(2, 2, "pad", padding=2)(xp))
case("avgpool pad too big", lambda: nn.AvgPool2d(2, 2, "pad", padding=2)(xp))
case("avgpool padding 4-tuple", lambda: nn.AvgPool2d(3, 1, "pad", padding=(1, 0, 1, 1)))
case("maxpool bad mode", lambda: nn.MaxPool2d(2, pad_mode="full"))
case("maxpool kernel 0", lambda: nn.MaxPool2d(0))
case("maxpool kernel float", lambda: nn.MaxPool2d(2.0))
print("pool reprs", repr(nn.MaxPool2d(2)), repr(nn.AvgPool2d(3, 2, "same")),
      repr(nn.MaxPool2d((2, 3), (1, 2), "pad", padding=1)), repr(nn.AvgPool2d((3,), (2,))))
case("ops.max_pool2d", lambda: ops.max_pool2d(xp, 2))
case("ops.max_pool2d tuple", lambda: ops.max_pool2d(xp, (2, 3)))
case("ops.max_pool2d indices", lambda: ops.max_pool2d(xp, 3, 2, 1, return_indices=True))
case("ops.max_pool2d ceil", lambda: ops.max_pool2d(xp, 2, 2, 1, ceil_mode=True))
case("ops.max_pool2d 3d", lambda: ops.max_pool2d(xp[0], 2))
case("ops.max_pool2d pad too big", lambda: ops.max_pool2d(xp, 2, 2, 2))
case("ops.avg_pool2d", lambda: ops.avg_pool2d(xp, 2, 2, 1))
case("ops.avg_pool2d default", lambda: ops.avg_pool2d(xp))
case("ops.avg_pool2d pad4", lambda: ops.avg_pool2d(xp, 2, 2, (1, 0, 1, 0)))
case("ops.avg_pool2d ceil no count", lambda: ops.avg_pool2d(xp, 3, 2, 1, True, False))
case("ops.avg_pool2d divisor", lambda: ops.avg_pool2d(xp, 2, 2, 0, False, True, 3))
case("ops.avg_pool2d padding 2-tuple", lambda: ops.avg_pool2d(xp, 2, 2, (1, 0)))
case("ops.avg_pool2d 3d", lambda: ops.avg_pool2d(xp[0], 2))
case("ops.MaxPool same", lambda: ops.MaxPool(3, 2, "same")(xp))
case("ops.AvgPool valid", lambda: ops.AvgPool(2, 2)(xp))
case("ops.MaxPool kernel 4-tuple", lambda: ops.MaxPool((1, 1, 2, 2), 1))

# --- Flatten and activations -------------------------------------------------------------------------------------
x4 = arange(2, 3, 2, 2, scale=0.5)
print("flatten reprs", repr(nn.Flatten()), repr(nn.Flatten(0, 2)))
case("flatten", lambda: nn.Flatten()(x4))
case("flatten 0..2", lambda: nn.Flatten(0, 2)(x4))
case("flatten 2..-1", lambda: nn.Flatten(2)(x4))
case("flatten 1d", lambda: nn.Flatten()(arange(3)))
case("flatten 0d", lambda: nn.Flatten()(Tensor(1.0)))
case("flatten out of range", lambda: nn.Flatten(0, 4)(x4))
case("flatten reversed", lambda: nn.Flatten(2, 1)(x4))
xa = arange(2, 5, scale=0.75)
for act in [nn.ReLU(), nn.Sigmoid(), nn.Tanh(), nn.Softmax(), nn.Softmax(0)]:
    case(f"activation {act!r}", lambda: act(xa))
# small inputs: MindSpore's float32 LogSoftmax is off by ~1e-6, beyond the comparison's tolerance for results near 0
for act in [nn.LogSoftmax(), nn.LogSoftmax(0)]:
    case(f"activation {act!r}", lambda: act(xa * 0.2))
case("relu int", lambda: nn.ReLU()(Tensor(np.array([-2, 3], np.int32))))
case("sigmoid int", lambda: nn.Sigmoid()(Tensor(np.array([-2, 3], np.int32))))
case("softmax axis out of range", lambda: nn.Softmax(2)(xa))
case("get_activation", lambda: repr(nn.get_activation("relu")))
case("get_activation unknown", lambda: nn.get_activation("foo"))
case("ops.bias_add", lambda: ops.bias_add(arange(2, 3, 2), Tensor(np.array([1, 2, 3], np.float32))))
case("ops.bias_add 1d", lambda: ops.bias_add(arange(3), Tensor(np.ones(3, np.float32))))
case("ops.bias_add mismatch", lambda: ops.bias_add(arange(2, 3), Tensor(np.ones(2, np.float32))))
case("ops.bias_add dtype", lambda: ops.bias_add(arange(2, 3), Tensor(np.ones(3, np.float16))))
