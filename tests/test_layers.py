"""nn layers (PyNative unless a test says otherwise): Dense, Conv2d, MaxPool2d/AvgPool2d, Flatten, activations,
Dropout, BatchNorm1d/2d, SequentialCell and CellList — shapes, Parameter names, defaults, reprs and errors as
MindSpore 2.10 has them (probed), values against numpy computations made here."""
import re
from collections import OrderedDict

import numpy as np
import pytest

import msjax as ms
from msjax import Tensor, nn, ops
from msjax.common.initializer import HeUniform, Uniform

RNG = np.random.default_rng(20)


def t(a):
    return Tensor(np.asarray(a, np.float32))


def randn(*shape, scale=1.0, shift=0.0):
    return (RNG.standard_normal(shape) * scale + shift).astype(np.float32)


def params(cell):
    return [(p.name, p.shape, p.requires_grad) for p in cell.get_parameters()]


def no_addresses(text):
    return re.sub(r" object at 0x[0-9a-f]+", " object", text)


@pytest.fixture
def graph_mode():
    ms.set_context(mode=ms.GRAPH_MODE)
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


# --- numpy references ------------------------------------------------------------------------------------------

def same_pads(size, kernel, stride, dilation=1):
    """MindSpore's 'same': output ceil(size / stride); the odd padding pixel goes to the bottom/right."""
    total = max((-(-size // stride) - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def np_conv2d(x, w, stride, pads, dilation, groups):
    """Direct (loop) NCHW/OIHW convolution in float64."""
    x, w = x.astype(np.float64), w.astype(np.float64)
    n, _, _, _ = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0)) + tuple(pads))
    oh = (xp.shape[2] - (kh - 1) * dilation[0] - 1) // stride[0] + 1
    ow = (xp.shape[3] - (kw - 1) * dilation[1] - 1) // stride[1] + 1
    out = np.zeros((n, o, oh, ow))
    per_group = o // groups
    for oc in range(o):
        g = oc // per_group
        for i in range(oh):
            for j in range(ow):
                r, c = i * stride[0], j * stride[1]
                patch = xp[:, g * cg:(g + 1) * cg, r:r + (kh - 1) * dilation[0] + 1:dilation[0],
                           c:c + (kw - 1) * dilation[1] + 1:dilation[1]]
                out[:, oc, i, j] = (patch * w[oc]).sum((1, 2, 3))
    return out


def np_pool(x, kernel, stride, pads, reduce):
    """``reduce`` over each window clipped to the input (padding positions are never part of a window)."""
    _, _, h, w = x.shape
    (top, bottom), (left, right) = pads
    oh = (h + top + bottom - kernel[0]) // stride[0] + 1
    ow = (w + left + right - kernel[1]) // stride[1] + 1
    out = np.zeros(x.shape[:2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            r, c = i * stride[0] - top, j * stride[1] - left
            window = x[:, :, max(r, 0):min(r + kernel[0], h), max(c, 0):min(c + kernel[1], w)]
            out[:, :, i, j] = reduce(window.astype(np.float64), axis=(2, 3))
    return out


def pair(v):
    return v if isinstance(v, tuple) else (v, v)


# --- Dense -----------------------------------------------------------------------------------------------------

def test_dense_parameters_and_repr():
    dense = nn.Dense(3, 4)
    assert params(dense) == [("weight", (4, 3), True), ("bias", (4,), True)]
    assert repr(dense) == "Dense(input_channels=3, output_channels=4, has_bias=True)"
    assert repr(nn.Dense(3, 4, has_bias=False)) == "Dense(input_channels=3, output_channels=4)"
    assert params(nn.Dense(3, 4, has_bias=False)) == [("weight", (4, 3), True)]
    assert repr(nn.Dense(3, 4, activation="relu")) == (
        "Dense(\n  input_channels=3, output_channels=4, has_bias=True, activation=ReLU()\n  (activation): ReLU()\n)")
    assert str(nn.Dense(2, 2, dtype=ms.float16).weight.dtype) == "Float16"


def test_dense_default_init_is_uniform_in_inverse_sqrt_fan_in():
    dense = nn.Dense(400, 300)
    bound = 1 / np.sqrt(400)
    w, b = dense.weight.asnumpy(), dense.bias.asnumpy()
    assert np.abs(w).max() <= bound and w.max() > 0.99 * bound and w.min() < -0.99 * bound
    assert abs(w.std() - bound / np.sqrt(3)) < 0.03 * bound
    assert np.abs(b).max() <= bound and np.abs(b).max() > 0.9 * bound


@pytest.mark.parametrize("shape", [(2, 3), (2, 5, 3), (3,)])
def test_dense_forward_matches_numpy(shape):
    dense = nn.Dense(3, 4, activation="tanh")
    x = randn(*shape)
    want = np.tanh(x @ dense.weight.asnumpy().T + dense.bias.asnumpy())
    out = dense(t(x))
    assert out.shape == shape[:-1] + (4,) and str(out.dtype) == "Float32"
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-5, atol=1e-6)


def test_dense_inits_and_activation_kinds():
    dense = nn.Dense(2, 2, weight_init=t([[1, 2], [3, 4]]), bias_init=0.5, activation=ops.Sigmoid())
    x = np.array([[1.0, -1.0]], np.float32)
    np.testing.assert_allclose(dense(t(x)).asnumpy(), 1 / (1 + np.exp(-(x @ [[1, 3], [2, 4]] + 0.5))), rtol=1e-6)
    relu_dense = nn.Dense(2, 3, weight_init="ones", bias_init="zeros", activation=nn.ReLU())
    np.testing.assert_array_equal(relu_dense(t([[1.0, -3.0]])).asnumpy(), [[0, 0, 0]])


def test_dense_errors():
    with pytest.raises(ValueError, match="For 'MatMul' the input dimensions must be equal, but got 'x1_col': 5 and "
                                         "'x2_row': 3"):
        nn.Dense(3, 4)(t(np.ones((2, 5))))
    with pytest.raises(ValueError, match="For 'Dense', the 'in_channels' must be int and must > 0, but got '0'"):
        nn.Dense(0, 4)
    with pytest.raises(TypeError, match="For 'Dense', the 'in_channels' must be int, but got 'float'"):
        nn.Dense(3.0, 4)
    with pytest.raises(TypeError, match="For 'Dense', the 'has_bias' must be a bool, but got int."):
        nn.Dense(3, 4, has_bias=1)
    with pytest.raises(KeyError, match="The 'name' must be in .*, but got foo."):
        nn.Dense(3, 4, activation="foo")
    with pytest.raises(TypeError, match="For 'Dense', the 'activation' must be str or Cell or Primitive, but got int."):
        nn.Dense(3, 4, activation=3)
    with pytest.raises(ValueError, match="For 'Dense', weight init shape error."):
        nn.Dense(3, 4, weight_init=t(np.ones((3, 4))))
    with pytest.raises(ValueError, match="For 'Dense', bias init shape error."):
        nn.Dense(3, 4, bias_init=t(np.ones(3)))


# --- Conv2d ----------------------------------------------------------------------------------------------------

def test_conv2d_defaults_parameters_and_repr():
    conv = nn.Conv2d(2, 3, 3)
    assert params(conv) == [("weight", (3, 2, 3, 3), True)]  # has_bias=False by default
    assert (conv.pad_mode, conv.stride, conv.dilation, conv.padding, conv.group) == ("same", (1, 1), (1, 1), 0, 1)
    assert isinstance(conv.weight_init, HeUniform) and conv.bias_init is None
    assert (conv.weight_init.negative_slope, conv.weight_init.mode, conv.weight_init.nonlinearity) == (
        np.sqrt(5), "fan_in", "leaky_relu")
    assert no_addresses(repr(conv)) == (
        "Conv2d(input_channels=2, output_channels=3, kernel_size=(3, 3), stride=(1, 1), pad_mode=same, padding=0, "
        "dilation=(1, 1), group=1, has_bias=False, weight_init=<mindspore.common.initializer.HeUniform object>, "
        "bias_init=None, format=NCHW)")
    grouped = nn.Conv2d(4, 6, (3, 5), group=2, dilation=2, pad_mode="pad", padding=1, has_bias=True)
    assert params(grouped) == [("weight", (6, 2, 3, 5), True), ("bias", (6,), True)]
    assert no_addresses(repr(grouped)) == (
        "Conv2d(input_channels=4, output_channels=6, kernel_size=(3, 5), stride=(1, 1), pad_mode=pad, padding=1, "
        "dilation=(2, 2), group=2, has_bias=True, weight_init=<mindspore.common.initializer.HeUniform object>, "
        "bias_init=<mindspore.common.initializer.Uniform object>, format=NCHW)")
    # default bias: Uniform(1/sqrt(fan_in)), fan_in = in/group * kh * kw
    assert isinstance(grouped.bias_init, Uniform) and grouped.bias_init.scale == pytest.approx(1 / np.sqrt(2 * 15))


def test_conv2d_default_weight_bound():
    # HeUniform(sqrt(5)): gain sqrt(2 / (1 + 5)), bound sqrt(3) * gain / sqrt(fan_in) = 1 / sqrt(fan_in)
    w = nn.Conv2d(20, 300, 3).weight.asnumpy()
    bound = 1 / np.sqrt(20 * 9)
    assert np.abs(w).max() <= bound and w.max() > 0.99 * bound and w.min() < -0.99 * bound


@pytest.mark.parametrize("pad_mode, kernel, stride, dilation, padding, group", [
    ("same", 3, 1, 1, 0, 1), ("same", 2, 1, 1, 0, 1), ("same", 4, 3, 1, 0, 1), ("same", (2, 3), (2, 1), 1, 0, 2),
    ("same", 3, 1, 2, 0, 4), ("valid", 3, 2, 1, 0, 1), ("valid", 2, 1, (2, 1), 0, 2), ("pad", 3, 1, 1, 1, 1),
    ("pad", 3, 2, 1, (1, 0, 2, 0), 2), ("pad", (1, 3), 1, (1, 2), (0, 0, 1, 1), 1)])
def test_conv2d_matches_numpy(pad_mode, kernel, stride, dilation, padding, group):
    x = randn(2, 4, 7, 6)
    conv = nn.Conv2d(4, 4, kernel, stride, pad_mode, padding, dilation, group=group, has_bias=True)
    kernel, stride, dilation = pair(kernel), pair(stride), pair(dilation)
    if pad_mode == "same":
        pads = tuple(same_pads(x.shape[2 + i], kernel[i], stride[i], dilation[i]) for i in range(2))
    elif pad_mode == "valid":
        pads = ((0, 0), (0, 0))
    else:
        p = (padding,) * 4 if isinstance(padding, int) else padding
        pads = ((p[0], p[1]), (p[2], p[3]))
    want = np_conv2d(x, conv.weight.asnumpy(), stride, pads, dilation, group) + conv.bias.asnumpy().reshape(-1, 1, 1)
    out = conv(t(x))
    assert out.shape == want.shape and str(out.dtype) == "Float32"
    if pad_mode == "same":
        assert out.shape[2:] == tuple(-(-x.shape[2 + i] // stride[i]) for i in range(2))
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-5, atol=1e-5)


def test_conv2d_errors():
    conv = nn.Conv2d(2, 3, 3)
    with pytest.raises(ValueError, match=r"For primitive\[Conv2D\], the x shape size must be equal to 4, but got 2."):
        conv(t(np.ones((5, 5))))
    with pytest.raises(ValueError, match=r"For primitive\[Conv2D\], the x shape size must be equal to 4, but got 3."):
        conv(t(np.ones((2, 5, 5))))
    with pytest.raises(RuntimeError, match="For 'Conv2D', 'C_in' of input 'x' shape divide by parameter 'group' must "
                                           "be equal to 'C_in' of input 'weight' shape: 2, but got 'C_in' of input "
                                           "'x' shape: 3, and 'group': 1."):
        conv(t(np.ones((1, 3, 5, 5))))
    with pytest.raises(TypeError, match=r"For primitive\[Conv2D\], the input type must be same."):
        conv(Tensor(np.ones((1, 2, 5, 5))))
    with pytest.raises(ValueError, match="For 'Conv2d', input shape's h and w after padding must be greater than"):
        nn.Conv2d(1, 1, 7, pad_mode="valid")(t(np.ones((1, 1, 5, 5))))
    with pytest.raises(ValueError, match="The argument 'group' should be divisible by 'in_channels' and "
                                         "'out_channels', but got group:2, in_channels:3, out_channels:4."):
        nn.Conv2d(3, 4, 3, group=2)
    with pytest.raises(ValueError, match=r"For 'Conv2D', the 'pad_mode' must be str and must be in "
                                         r"'\['valid', 'same', 'pad'\]', but got 'full'."):
        nn.Conv2d(3, 4, 3, pad_mode="full")
    with pytest.raises(ValueError, match="For 'Conv2D', the 'pad' must be zero when 'pad_mode' is not 'pad'"):
        nn.Conv2d(3, 4, 3, padding=1)
    with pytest.raises(ValueError, match="For 'Conv2D', the 'pad size' must be int and must = 4, but got '2'"):
        nn.Conv2d(1, 1, 3, pad_mode="pad", padding=(1, 1))
    with pytest.raises(ValueError, match="For 'Conv2d', the 'kernel_size item' must be int and must > 0, but got '0'"):
        nn.Conv2d(3, 4, 0)
    with pytest.raises(TypeError, match="When expanding an int number to tuple, input type must be integer"):
        nn.Conv2d(3, 4, 2.0)
    with pytest.raises(TypeError, match="For 'Conv2d', the 'has_bias' must be a bool, but got int."):
        nn.Conv2d(1, 1, 3, has_bias=1)
    with pytest.raises(ValueError, match="For 'Conv2d', the 'in_channels' must be int and must > 0, but got '0'"):
        nn.Conv2d(0, 1, 3)


# --- pooling ---------------------------------------------------------------------------------------------------

def test_pool_defaults_and_reprs():
    pool = nn.MaxPool2d()
    assert (pool.kernel_size, pool.stride, pool.pad_mode) == (1, 1, "VALID")
    assert repr(pool) == "MaxPool2d(kernel_size=1, stride=1, pad_mode=VALID)"
    assert repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=2, stride=1, pad_mode=VALID)"  # stride stays 1
    assert repr(nn.AvgPool2d(3, 2)) == "AvgPool2d(kernel_size=3, stride=2, pad_mode=VALID)"
    x = t(randn(2, 4, 7, 6))
    assert nn.MaxPool2d()(x).shape == (2, 4, 7, 6)
    assert nn.AvgPool2d(2)(x).shape == (2, 4, 6, 5)
    assert nn.MaxPool2d(2, 2)(t(randn(4, 7, 6))).shape == (4, 3, 3)  # CHW input: a batch of one


@pytest.mark.parametrize("kernel, stride, mode", [(2, 2, "valid"), (3, 2, "valid"), (2, 1, "same"), (3, 2, "same"),
                                                  ((2, 3), (1, 2), "same"), (3, 3, "same")])
def test_pooling_matches_numpy_windows(kernel, stride, mode):
    x = randn(2, 4, 7, 6)
    kernel, stride = pair(kernel), pair(stride)
    pads = (tuple(same_pads(x.shape[2 + i], kernel[i], stride[i]) for i in range(2)) if mode == "same"
            else ((0, 0), (0, 0)))
    max_out = nn.MaxPool2d(kernel, stride, mode)(t(x))
    avg_out = nn.AvgPool2d(kernel, stride, mode)(t(x))
    np.testing.assert_array_equal(max_out.asnumpy(), np_pool(x, kernel, stride, pads, np.max))
    # 'same' averages over the positions inside the input only
    np.testing.assert_allclose(avg_out.asnumpy(), np_pool(x, kernel, stride, pads, np.mean), rtol=1e-6, atol=1e-6)


def test_pooling_pad_mode_matches_numpy():
    x = randn(2, 3, 7, 6)
    for padding in (1, (1, 0)):
        p = pair(padding)
        want = np_pool(x, (3, 3), (2, 2), ((p[0], p[0]), (p[1], p[1])), np.max)
        np.testing.assert_array_equal(nn.MaxPool2d(3, 2, "pad", padding=padding)(t(x)).asnumpy(), want)
    padded_sums = np_pool(np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1))), (3, 3), (2, 2), ((0, 0), (0, 0)), np.sum)
    counts = np_pool(np.ones_like(x), (3, 3), (2, 2), ((1, 1), (1, 1)), np.sum)
    for kwargs, divisor in [({}, 9), ({"count_include_pad": False}, counts), ({"divisor_override": 4}, 4)]:
        out = nn.AvgPool2d(3, 2, "pad", padding=1, **kwargs)(t(x)).asnumpy()
        np.testing.assert_allclose(out, padded_sums / divisor, rtol=1e-5, atol=1e-6)
    values, indices = nn.MaxPool2d(2, 2, "pad", padding=1, return_indices=True)(t(x))
    assert values.shape == indices.shape == (2, 3, 4, 4) and str(indices.dtype) == "Int64"
    np.testing.assert_array_equal(np.take_along_axis(x.reshape(2, 3, -1), indices.asnumpy().reshape(2, 3, -1), -1),
                                  values.asnumpy().reshape(2, 3, -1))


def test_pooling_errors():
    with pytest.raises(ValueError, match=r"For primitive\[MaxPool\], the length of input must be equal to 4 , but got 2"):
        nn.MaxPool2d(2)(t(np.ones((5, 5))))
    with pytest.raises(ValueError, match=r"For primitive\[AvgPool\], the x_rank must be equal to 4, but got 5."):
        nn.AvgPool2d(2)(t(np.ones((1, 1, 1, 5, 5))))
    with pytest.raises(ValueError, match=r"For 'MaxPool', the each element of the output shape must be larger than 0, "
                                         r"but got output shape: \[const vector\]\{1, 1, -1, 0\}."):
        nn.MaxPool2d((7, 6))(t(np.ones((1, 1, 5, 5))))
    with pytest.raises(RuntimeError, match="For 'AvgPool' op, H_out/W_out must be positive, but H_out/W_out is 0,"):
        nn.AvgPool2d((6, 7))(t(np.ones((1, 1, 5, 5))))
    with pytest.raises(ValueError, match=r"For 'MaxPool2d', the 'pad_mode' must be str and must be in "
                                         r"'\['VALID', 'SAME', 'PAD'\]', but got 'FULL'."):
        nn.MaxPool2d(2, pad_mode="full")
    with pytest.raises(ValueError, match="For 'MaxPool2d', the 'kernel_size' must be an positive int number or a "
                                         "tuple, but got 0"):
        nn.MaxPool2d(0)
    with pytest.raises(TypeError, match="For 'MaxPool2d', the type of 'kernel_size' should be one of"):
        nn.MaxPool2d(2.0)
    with pytest.raises(ValueError, match="For MaxPool2d, the parameter 'padding', 'dilation', 'return_indices', "
                                         "'ceil_mode' can not be set to non-default value when pad_mode is not 'pad'"):
        nn.MaxPool2d(2, padding=1)
    with pytest.raises(TypeError, match="MaxPool"):
        nn.MaxPool2d(2)(Tensor(np.ones((1, 1, 4, 4), np.int32)))


# --- Flatten and activations -----------------------------------------------------------------------------------

def test_flatten():
    x = t(np.arange(120).reshape(2, 3, 4, 5))
    assert repr(nn.Flatten()) == "Flatten()"
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(0, 2)(x).shape == (24, 5)
    assert nn.Flatten(2)(x).shape == (2, 3, 20)
    assert nn.Flatten(-2)(x).shape == (2, 3, 20)
    np.testing.assert_array_equal(nn.Flatten()(x).asnumpy(), np.arange(120).reshape(2, 60))
    with pytest.raises(ValueError, match="'start_dim' or 'end_dim' out of range."):
        nn.Flatten(0, 4)(x)
    with pytest.raises(ValueError, match="'start_dim' or 'end_dim' out of range."):
        nn.Flatten()(t(np.ones(3)))
    with pytest.raises(ValueError, match="For 'flatten', 'start_dim' cannot come after 'end_dim'"):
        nn.Flatten(2, 1)(x)
    with pytest.raises(TypeError, match="For 'flatten', both 'start_dim' and 'end_dim' must be int"):
        nn.Flatten(1.0)(x)


def softmax(a, axis):
    e = np.exp(a - a.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


@pytest.mark.parametrize("cell, fn, text", [
    (nn.ReLU(), lambda a: np.maximum(a, 0), "ReLU()"), (nn.Sigmoid(), lambda a: 1 / (1 + np.exp(-a)), "Sigmoid()"),
    (nn.Tanh(), np.tanh, "Tanh()"), (nn.Softmax(), lambda a: softmax(a, -1), "Softmax()"),
    (nn.Softmax(0), lambda a: softmax(a, 0), "Softmax()")])
def test_activations_match_numpy(cell, fn, text):
    x = randn(3, 5, scale=2.0)
    out = cell(t(x))
    assert repr(cell) == text and out.shape == (3, 5) and str(out.dtype) == "Float32"
    np.testing.assert_allclose(out.asnumpy(), fn(x.astype(np.float64)), rtol=1e-5, atol=1e-6)


def test_activation_errors_and_integer_relu():
    np.testing.assert_array_equal(nn.ReLU()(Tensor(np.array([-1, 2], np.int32))).asnumpy(), [0, 2])
    with pytest.raises(TypeError, match="Sigmoid"):
        nn.Sigmoid()(Tensor(np.array([-1, 2], np.int32)))
    with pytest.raises(TypeError, match="Tanh"):
        nn.Tanh()(Tensor(np.array([-1, 2], np.int32)))
    with pytest.raises(ValueError, match=r"For primitive\[Softmax\], the axis must be in \[-2,2\), but got 2."):
        nn.Softmax(2)(t(np.ones((2, 3))))
    with pytest.raises(TypeError, match=r"For primitive\[Softmax\], the input argument\[x\] must be a type of"):
        nn.Softmax()(Tensor(np.ones((2, 3), np.int32)))


# --- Dropout ---------------------------------------------------------------------------------------------------

def test_dropout_reprs_and_argument_errors():
    assert [repr(d) for d in (nn.Dropout(), nn.Dropout(keep_prob=0.8), nn.Dropout(p=0.3), nn.Dropout(p=0))] == [
        "Dropout(keep_prob=0.5)", "Dropout(keep_prob=0.8)", "Dropout(p=0.3)", "Dropout(p=0)"]
    with pytest.raises(ValueError, match=r"For 'Dropout', the 'p' must be a number in range \[0, 1\), but got 1."):
        nn.Dropout(p=1)
    with pytest.raises(ValueError, match=r"For 'Dropout', the 'p' must be a number in range \[0, 1\), but got -0.1."):
        nn.Dropout(p=-0.1)
    with pytest.raises(ValueError, match=r"For 'Dropout', the 'keep_prob' must be a number in range \(0, 1\], but "
                                         r"got 0.0."):
        nn.Dropout(keep_prob=0.0)
    with pytest.raises(TypeError, match="For 'Dropout', the type of 'keep_prob' should be 'float', but got type 'int'."):
        nn.Dropout(keep_prob=1)
    with pytest.raises(TypeError, match="For 'Dropout', the type of 'p' should be one of"):
        nn.Dropout(p="a")
    with pytest.raises(TypeError, match=r"For primitive\[Dropout\], the input argument\[x\] must be a type of"):
        nn.Dropout(p=0.5).set_train()(Tensor(np.ones(4, np.int32)))


def test_dropout_is_identity_unless_training():
    x = randn(50, 40)
    drop = nn.Dropout(p=0.5)
    assert drop.training is False
    np.testing.assert_array_equal(drop(t(x)).asnumpy(), x)  # before set_train()
    drop.set_train()
    assert (drop(t(x)).asnumpy() == 0).any()
    drop.set_train(False)
    np.testing.assert_array_equal(drop(t(x)).asnumpy(), x)
    np.testing.assert_array_equal(nn.Dropout(p=0.0).set_train()(t(x)).asnumpy(), x)
    ints = nn.Dropout(p=0.5)(Tensor(np.ones(4, np.int32)))  # the dtype is checked in training only
    assert str(ints.dtype) == "Int32" and ints.asnumpy().tolist() == [1, 1, 1, 1]


@pytest.mark.parametrize("make, p", [(lambda: nn.Dropout(p=0.3), 0.3), (lambda: nn.Dropout(keep_prob=0.75), 0.25)])
def test_dropout_training_scales_kept_values_and_drops_about_p(make, p):
    x = randn(400, 250, shift=3.0)  # 1e5 elements, none of them zero
    out = make().set_train()(t(x)).asnumpy()
    kept = out != 0
    np.testing.assert_allclose(out[kept], x[kept] / (1 - p), rtol=1e-6)
    assert abs((~kept).mean() - p) < 0.02  # the standard error is about 0.0015
    half = make().set_train()(Tensor(x.astype(np.float16)))
    assert str(half.dtype) == "Float16"


def test_dropout_fresh_mask_on_every_call():
    x = t(np.ones((60, 50)))
    drop = nn.Dropout(p=0.5).set_train()
    masks = [drop(x).asnumpy() != 0 for _ in range(3)]
    assert not np.array_equal(masks[0], masks[1]) and not np.array_equal(masks[1], masks[2])

    def step(inp):
        return drop(inp)

    compiled = ms.jit(step)
    jit_masks = [compiled(x).asnumpy() != 0 for _ in range(3)]
    assert not np.array_equal(jit_masks[0], jit_masks[1]) and not np.array_equal(jit_masks[1], jit_masks[2])
    jit_cell = ms.jit(drop)
    assert not np.array_equal(jit_cell(x).asnumpy(), jit_cell(x).asnumpy())

    def loss(inp):
        return drop(inp).sum()

    train_step = ms.jit(ms.grad(loss))  # a compiled gradient step: the mask reaches the gradient, fresh each call
    grads = [train_step(x).asnumpy() for _ in range(2)]
    assert set(np.unique(grads[0])) == {0.0, 2.0} and not np.array_equal(grads[0], grads[1])


def test_dropout_fresh_mask_in_graph_mode(graph_mode):
    x = t(np.ones((60, 50)))
    drop = nn.Dropout(p=0.5).set_train()
    first, second = drop(x).asnumpy(), drop(x).asnumpy()
    assert set(np.unique(first)) == {0.0, 2.0}
    assert not np.array_equal(first, second)


def test_dropout_masks_reproducible_with_set_seed():
    x = t(np.ones((40, 30)))

    def masks(seed):
        ms.set_seed(seed)
        drop = nn.Dropout(p=0.5).set_train()
        compiled = ms.jit(drop)
        return [drop(x).asnumpy(), drop(x).asnumpy(), compiled(x).asnumpy()]

    first, again, other = masks(3), masks(3), masks(4)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[1])
    assert not np.array_equal(first[0], other[0])


def test_dropout_gradient_uses_the_mask():
    drop = nn.Dropout(p=0.25).set_train()

    def loss(x):
        return drop(x).sum()

    grad = ms.grad(loss)(t(np.ones((100, 100)))).asnumpy()
    np.testing.assert_allclose(np.unique(grad), [0.0, 1 / 0.75], rtol=1e-6)


# --- BatchNorm -------------------------------------------------------------------------------------------------

GAMMA, BETA = np.array([1.0, 2.0, 0.5], np.float32), np.array([0.0, 1.0, -1.0], np.float32)


def make_bn2d(**kwargs):
    bn = nn.BatchNorm2d(3, **kwargs)
    bn.gamma.set_data(t(GAMMA))
    bn.beta.set_data(t(BETA))
    return bn


def np_bn(x, mean, var, eps=1e-5, gamma=GAMMA, beta=BETA):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return ((x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * gamma.reshape(shape)
            + beta.reshape(shape))


def batch_stats(x):
    axes = (0,) + tuple(range(2, x.ndim))
    return x.mean(axes), x.var(axes), x.var(axes, ddof=1)


def moving(bn):
    return bn.moving_mean.asnumpy().copy(), bn.moving_variance.asnumpy().copy()


def test_batchnorm_parameters_defaults_and_repr():
    bn = nn.BatchNorm2d(3)
    assert [(p.name, p.shape, str(p.dtype), p.requires_grad) for p in bn.get_parameters()] == [
        ("mean", (3,), "Float32", False), ("variance", (3,), "Float32", False), ("gamma", (3,), "Float32", True),
        ("beta", (3,), "Float32", True)]
    assert [p.name for p in bn.trainable_params()] == ["gamma", "beta"]
    assert [bn.gamma.asnumpy().tolist(), bn.beta.asnumpy().tolist(), *[m.tolist() for m in moving(bn)]] == [
        [1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]]
    assert bn.eps == 1e-5 and bn.use_batch_statistics is None and bn.training is False
    assert bn.momentum == pytest.approx(0.1)  # stored as the weight of the batch statistic
    assert repr(bn) == (
        "BatchNorm2d(num_features=3, eps=1e-05, momentum=0.9, gamma=Parameter (name=gamma, shape=(3,), dtype=Float32, "
        "requires_grad=True), beta=Parameter (name=beta, shape=(3,), dtype=Float32, requires_grad=True), moving_mean="
        "Parameter (name=mean, shape=(3,), dtype=Float32, requires_grad=False), moving_variance=Parameter (name="
        "variance, shape=(3,), dtype=Float32, requires_grad=False))")
    assert repr(nn.BatchNorm1d(2, eps=1e-3, momentum=0.8)).startswith(
        "BatchNorm1d(num_features=2, eps=0.001, momentum=0.8, gamma=")
    assert [(p.name, p.requires_grad) for p in nn.BatchNorm2d(2, affine=False).get_parameters()] == [
        ("mean", False), ("variance", False), ("gamma", False), ("beta", False)]

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.bn = nn.BatchNorm1d(4)

    assert [p.name for p in Net().get_parameters()] == ["bn.moving_mean", "bn.moving_variance", "bn.gamma", "bn.beta"]


def test_batchnorm2d_train_uses_batch_statistics_and_updates_moving_ones():
    x = randn(4, 3, 2, 2, scale=2.0, shift=1.0)
    bn = make_bn2d(momentum=0.7)
    mean, var, unbiased = batch_stats(x)
    np.testing.assert_allclose(bn(t(x)).asnumpy(), np_bn(x, np.zeros(3), np.ones(3)), rtol=1e-5, atol=1e-5)
    assert [m.tolist() for m in moving(bn)] == [[0, 0, 0], [1, 1, 1]]  # before set_train(): moving statistics
    bn.set_train()
    train_out = bn(t(x)).asnumpy()
    np.testing.assert_allclose(train_out, np_bn(x, mean, var), rtol=1e-5, atol=1e-5)  # biased batch variance
    # moving = momentum * moving + (1 - momentum) * batch, with the unbiased batch variance
    moving_mean, moving_var = 0.3 * mean, 0.7 + 0.3 * unbiased
    np.testing.assert_allclose(moving(bn), (moving_mean, moving_var), rtol=1e-5, atol=1e-6)
    bn(t(x))
    np.testing.assert_allclose(moving(bn), (0.7 * moving_mean + 0.3 * mean, 0.7 * moving_var + 0.3 * unbiased),
                               rtol=1e-5, atol=1e-6)
    stats = moving(bn)
    bn.set_train(False)
    eval_out = bn(t(x)).asnumpy()
    np.testing.assert_allclose(eval_out, np_bn(x, *stats), rtol=1e-5, atol=1e-5)
    assert not np.allclose(eval_out, train_out, atol=1e-3)
    np.testing.assert_array_equal(moving(bn), stats)


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5)])
def test_batchnorm1d_2d_and_3d_inputs(shape):
    x = randn(*shape, shift=0.5)
    bn = nn.BatchNorm1d(3, momentum=0.8).set_train()
    mean, var, unbiased = batch_stats(x)
    ones = np.ones(3, np.float32)
    np.testing.assert_allclose(bn(t(x)).asnumpy(), np_bn(x, mean, var, gamma=ones, beta=0 * ones), rtol=1e-5,
                               atol=1e-5)
    np.testing.assert_allclose(moving(bn), (0.2 * mean, 0.8 + 0.2 * unbiased), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("momentum", [0.0, 1.0])
def test_batchnorm_momentum_extremes(momentum):
    x = randn(4, 3, 2, 2, shift=1.0)
    bn = make_bn2d(momentum=momentum).set_train()
    bn(t(x))
    mean, _, unbiased = batch_stats(x)
    want = (np.zeros(3), np.ones(3)) if momentum == 1.0 else (mean, unbiased)
    np.testing.assert_allclose(moving(bn), want, rtol=1e-5, atol=1e-6)


def test_batchnorm_use_batch_statistics():
    x = randn(4, 3, 2, 2, scale=2.0, shift=1.0)
    mean, var, unbiased = batch_stats(x)
    always = make_bn2d(use_batch_statistics=True)  # in eval mode: batch statistics, and moving ones updated
    np.testing.assert_allclose(always(t(x)).asnumpy(), np_bn(x, mean, var), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(moving(always), (0.1 * mean, 0.9 + 0.1 * unbiased), rtol=1e-5, atol=1e-6)
    never = make_bn2d(use_batch_statistics=False, moving_mean_init="ones",
                      moving_var_init=t([1.0, 4.0, 0.25])).set_train()
    np.testing.assert_allclose(never(t(x)).asnumpy(), np_bn(x, np.ones(3), np.array([1.0, 4.0, 0.25])), rtol=1e-5,
                               atol=1e-5)
    np.testing.assert_array_equal(moving(never), ([1, 1, 1], [1, 4, 0.25]))


class BNNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.bn = make_bn2d()

    def construct(self, x):
        return self.bn(x)


def check_steps(run, bn, batches):
    """Runs ``run`` on each batch and checks the moving statistics after each against the momentum formula."""
    want_mean, want_var = np.zeros(3), np.ones(3)
    for x in batches:
        run(t(x))
        mean, _, unbiased = batch_stats(x)
        want_mean, want_var = 0.9 * want_mean + 0.1 * mean, 0.9 * want_var + 0.1 * unbiased
        np.testing.assert_allclose(moving(bn), (want_mean, want_var), rtol=1e-5, atol=1e-6)


def test_batchnorm_moving_statistics_under_value_and_grad():
    net = BNNet().set_train()

    def loss_fn(x):
        return net(x).sum()

    grad_fn = ms.value_and_grad(loss_fn, None, net.trainable_params())
    x = randn(4, 3, 2, 2, shift=1.0)
    _, (g_gamma, g_beta) = grad_fn(t(x))
    np.testing.assert_allclose(g_beta.asnumpy(), [16, 16, 16])  # d sum / d beta = elements per channel
    np.testing.assert_allclose(g_gamma.asnumpy(), [0, 0, 0], atol=1e-4)  # the normalized values sum to 0
    mean, _, unbiased = batch_stats(x)
    np.testing.assert_allclose(moving(net.bn), (0.1 * mean, 0.9 + 0.1 * unbiased), rtol=1e-5, atol=1e-6)

    fresh = BNNet().set_train()

    def fresh_loss(inp):
        return fresh(inp).sum()

    fresh_grad = ms.value_and_grad(fresh_loss, None, fresh.trainable_params())

    @ms.jit
    def jit_step(inp):
        return fresh_grad(inp)

    check_steps(jit_step, fresh.bn, [randn(4, 3, 2, 2, shift=s) for s in (1.0, -1.0, 0.5)])


def test_batchnorm_moving_statistics_under_jit():
    net = BNNet().set_train()

    @ms.jit
    def step(x):
        return net(x)

    check_steps(step, net.bn, [randn(4, 3, 2, 2, shift=s) for s in (1.0, 2.0)])
    eval_net = BNNet()

    @ms.jit
    def eval_step(x):
        return eval_net(x)

    x = randn(4, 3, 2, 2, shift=1.0)
    np.testing.assert_allclose(eval_step(t(x)).asnumpy(), np_bn(x, np.zeros(3), np.ones(3)), rtol=1e-5, atol=1e-5)
    assert [m.tolist() for m in moving(eval_net.bn)] == [[0, 0, 0], [1, 1, 1]]


def test_batchnorm_moving_statistics_in_graph_mode(graph_mode):
    net = BNNet().set_train()
    check_steps(net, net.bn, [randn(4, 3, 2, 2, shift=s) for s in (1.0, -0.5)])
    stats = moving(net.bn)
    net.set_train(False)
    x = randn(4, 3, 2, 2)
    np.testing.assert_allclose(net(t(x)).asnumpy(), np_bn(x, *stats), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(moving(net.bn), stats)


def test_batchnorm_errors():
    x = t(np.ones((4, 3, 2, 2)))
    with pytest.raises(ValueError, match="For 'BatchNorm2d', the in_shape must have 4 dims, but got 2."):
        nn.BatchNorm2d(3)(t(np.ones((4, 3))))
    with pytest.raises(ValueError, match="For 'BatchNorm1d', the must have 2 dims or 3 dims, but got 4."):
        nn.BatchNorm1d(3)(x)
    with pytest.raises(ValueError, match="For BatchNorm, scale.shape\\[0\\] should be equal to input_x's channel "
                                         "dimension: 3, bug got scale.shape\\[0\\]: 4."):
        nn.BatchNorm2d(4)(x)
    with pytest.raises(TypeError, match=r"For primitive\[BatchNorm\], the input argument\[input_x\] must be a type of "
                                        r"\{Tensor\[Float16\], Tensor\[Float32\]\}, but got Tensor\[Float64\]."):
        nn.BatchNorm2d(3)(Tensor(np.ones((2, 3, 2, 2))))
    with pytest.raises(ValueError, match="For 'BatchNorm2d', the 'num_features' must be at least 1, but got 0."):
        nn.BatchNorm2d(0)
    with pytest.raises(TypeError, match="For 'BatchNorm2d', the type of 'num_features' should be 'int'"):
        nn.BatchNorm2d(2.0)
    with pytest.raises(ValueError, match=r"For 'BatchNorm2d', the 'momentum' must be a number in range \[0, 1\], but "
                                         "got 1.5."):
        nn.BatchNorm2d(2, momentum=1.5)
    with pytest.raises(ValueError, match="For 'BatchNorm2d', the 'use_batch_statistics' must be a boolean value or "
                                         "None, but got 1."):
        nn.BatchNorm2d(2, use_batch_statistics=1)


# --- SequentialCell and CellList -------------------------------------------------------------------------------

def test_sequential_cell_names_repr_and_forward():
    seq = nn.SequentialCell(nn.Dense(3, 4), nn.ReLU(), nn.Dense(4, 2))
    assert params(seq) == [("0.weight", (4, 3), True), ("0.bias", (4,), True), ("2.weight", (2, 4), True),
                           ("2.bias", (2,), True)]
    assert repr(seq) == ("SequentialCell(\n  (0): Dense(input_channels=3, output_channels=4, has_bias=True)\n"
                         "  (1): ReLU()\n  (2): Dense(input_channels=4, output_channels=2, has_bias=True)\n)")
    x = randn(5, 3)
    w0, b0, w2, b2 = (p.asnumpy() for p in seq.get_parameters())
    np.testing.assert_allclose(seq(t(x)).asnumpy(), np.maximum(x @ w0.T + b0, 0) @ w2.T + b2, rtol=1e-5, atol=1e-6)
    assert len(seq) == 3 and isinstance(seq[1], nn.ReLU) and isinstance(seq[1:], nn.SequentialCell)
    assert [p.name for p in seq[1:].get_parameters()] == ["2.weight", "2.bias"]
    seq.append(nn.Dense(2, 1))
    assert [p.name for p in seq.get_parameters()][-2:] == ["3.weight", "3.bias"]
    del seq[0]
    assert [p.name for p in seq.get_parameters()] == ["1.weight", "1.bias", "2.weight", "2.bias"]

    named = nn.SequentialCell(OrderedDict([("fc", nn.Dense(2, 3)), ("act", nn.ReLU())]))
    assert [p.name for p in named.get_parameters()] == ["fc.weight", "fc.bias"]
    assert repr(named) == ("SequentialCell(\n  (fc): Dense(input_channels=2, output_channels=3, has_bias=True)\n"
                           "  (act): ReLU()\n)")
    assert nn.SequentialCell()(t([1.0, 2.0])).asnumpy().tolist() == [1.0, 2.0]


def test_cell_list_names_and_editing():
    cells = nn.CellList([nn.Dense(3, 4), nn.Dense(4, 2)])
    assert params(cells) == [("0.weight", (4, 3), True), ("0.bias", (4,), True), ("1.weight", (2, 4), True),
                             ("1.bias", (2,), True)]
    assert repr(cells) == ("CellList(\n  (0): Dense(input_channels=3, output_channels=4, has_bias=True)\n"
                           "  (1): Dense(input_channels=4, output_channels=2, has_bias=True)\n)")
    edited = nn.CellList([nn.Dense(2, 2)])
    edited.append(nn.Dense(2, 3))
    edited.insert(0, nn.ReLU())
    edited.extend([nn.Dense(3, 3)])
    assert [type(c).__name__ for c in edited] == ["ReLU", "Dense", "Dense", "Dense"]
    assert [p.name for p in edited.get_parameters()] == ["1.weight", "1.bias", "2.weight", "2.bias", "3.weight",
                                                         "3.bias"]


def test_nested_container_names():
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.seq = nn.SequentialCell([nn.Dense(3, 4), nn.ReLU()])
            self.bn = nn.BatchNorm1d(4)
            self.layers = nn.CellList([nn.Dense(4, 4)])

    assert [(p.name, p.requires_grad) for p in Net().get_parameters()] == [
        ("seq.0.weight", True), ("seq.0.bias", True), ("bn.moving_mean", False), ("bn.moving_variance", False),
        ("bn.gamma", True), ("bn.beta", True), ("layers.0.weight", True), ("layers.0.bias", True)]


def test_container_errors():
    seq = nn.SequentialCell(nn.Dense(3, 4), nn.ReLU(), nn.Dense(4, 2))
    cells = nn.CellList([nn.Dense(3, 4), nn.Dense(4, 2)])
    with pytest.raises(TypeError, match="For 'SequentialCell', the 'args\\[0\\]' must be Cell, list or orderedDict, "
                                        "but got int"):
        nn.SequentialCell(3)
    with pytest.raises(TypeError, match="For 'insert_child_to_cell', the argument 'child_cell' must be 'Cell' if not "
                                        "None"):
        nn.SequentialCell([nn.Dense(1, 1), 3])
    with pytest.raises(IndexError, match=r"For 'SequentialCell', the value of 'index' must be a number in range "
                                         r"\[-3, 3\), but got 5."):
        seq[5]
    with pytest.raises(TypeError, match="For 'CellList', each cell must be subclass of Cell, but got int."):
        nn.CellList([nn.Dense(1, 1), 3])
    with pytest.raises(IndexError, match=r"For 'CellList', the value of 'index' must be a number in range \[-2, 2\), "
                                         "but got 5."):
        cells[5]
    with pytest.raises(TypeError, match="For 'CellList', the type of 'index' must be int or slice, but got str."):
        cells["a"]
    with pytest.raises(TypeError, match="For 'CellList', the new cells wanted to append should be instance of list, "
                                        "but got Dense."):
        cells.extend(nn.Dense(1, 1))
    with pytest.raises(NotImplementedError):
        cells(t([1.0]))
