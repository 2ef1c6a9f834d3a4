"""More nn layers (PyNative unless a test says otherwise): LayerNorm, GroupNorm, Conv1d, Conv2dTranspose,
AdaptiveAvgPool2d, Embedding, GELU/SiLU/LeakyReLU/ReLU6/LogSoftmax, Identity, Unflatten, CellDict and their
functional ops -- Parameter names, defaults, reprs and errors as MindSpore 2.10 has them (probed), values against
numpy computations made here. Forward values and gradients against real MindSpore: compat program
nn_layers_more.py."""
import math
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import msjax as ms
from msjax import Tensor, nn, ops
from msjax.common.initializer import HeUniform, Uniform

RNG = np.random.default_rng(7)


def randn(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def params(cell):
    return [(p.name, p.shape, p.requires_grad) for p in cell.get_parameters()]


def no_addresses(text):
    return re.sub(r" object at 0x[0-9a-f]+", " object", text)


def set_weights(cell):
    for p in cell.get_parameters():
        p.set_data(Tensor(randn(*p.shape)))
    return cell


def np_normalize(x, axes, eps):
    x = x.astype(np.float64)
    mean = x.mean(axes, keepdims=True)
    return (x - mean) / np.sqrt(x.var(axes, keepdims=True) + eps)


# --- LayerNorm -------------------------------------------------------------------------------------------------

def test_layernorm_defaults_names_and_repr():
    ln = nn.LayerNorm((3,))
    assert params(ln) == [("gamma", (3,), True), ("beta", (3,), True)]
    assert ln.epsilon == 1e-7 and ln.begin_norm_axis == -1 and ln.begin_params_axis == -1
    assert ln.gamma.asnumpy().tolist() == [1, 1, 1] and ln.beta.asnumpy().tolist() == [0, 0, 0]
    assert repr(ln) == ("LayerNorm(normalized_shape=(3,), begin_norm_axis=-1, begin_params_axis=-1, gammaParameter "
                        "(name=gamma, shape=(3,), dtype=Float32, requires_grad=True), beta=Parameter (name=beta, "
                        "shape=(3,), dtype=Float32, requires_grad=True))")
    assert [p.dtype for p in nn.LayerNorm([4], dtype=ms.float16).get_parameters()] == [ms.float16] * 2


@pytest.mark.parametrize("shape, norm_axis, params_axis", [((4,), -1, -1), ((3, 4), 1, 1), ((4,), 1, -1),
                                                           ((3, 4), -1, 1), ((2, 3, 4), 0, 0)])
def test_layernorm_values(shape, norm_axis, params_axis):
    x = randn(2, 3, 4)
    ln = set_weights(nn.LayerNorm(shape, norm_axis, params_axis, epsilon=1e-3))
    axes = tuple(range(norm_axis % 3, 3))
    expected = np_normalize(x, axes, 1e-3) * ln.gamma.asnumpy() + ln.beta.asnumpy()
    out = ln(Tensor(x))
    assert out.dtype == ms.float32
    np.testing.assert_allclose(out.asnumpy(), expected, rtol=1e-5, atol=1e-5)


def test_layernorm_dtypes():
    ln = nn.LayerNorm((4,))
    assert ln(Tensor(np.ones((2, 4)), ms.float16)).dtype == ms.float16
    assert ln(Tensor(np.ones((2, 4)), ms.float64)).dtype == ms.float64
    assert nn.LayerNorm((4,), dtype=ms.float16)(Tensor(randn(2, 4))).dtype == ms.float32
    with pytest.raises(TypeError, match=r"input_x\] must be a type of"):
        ln(Tensor(np.ones((2, 4)), ms.int32))


def test_layernorm_errors():
    x = Tensor(randn(2, 3, 4))
    with pytest.raises(TypeError, match=r"the type of 'normalized_shape' must be tuple\[int\] or list\[int\], but got "
                                        r"4 and the type is <class 'int'>"):
        nn.LayerNorm(4)
    with pytest.raises(ValueError, match="Expected normalized_shape to be at least 1-dimensional"):
        nn.LayerNorm(())
    with pytest.raises(ValueError, match=r"For 'LayerNorm', gamma or beta shape must match input shape, but got input "
                                         r"shape: \[const vector\]\{2, 3, 4\}, gamma shape: \[const vector\]\{3\}"):
        nn.LayerNorm((3,))(x)
    with pytest.raises(RuntimeError, match=r"input_x's rank is 3, while the 'begin_norm_axis' value should be in the "
                                           r"range \[-1, 3\), but got -2"):
        nn.LayerNorm((3, 4), -2, -2)(x)
    with pytest.raises(RuntimeError, match="'begin_params_axis' value should be in the range"):
        nn.LayerNorm((4,), -1, 3)(x)
    with pytest.raises(ValueError, match="But got begin_params_axis: 0, input_x shape size: 3, gamma shape size: 2"):
        nn.LayerNorm((3, 4), -1, 0)(x)
    with pytest.raises(TypeError, match=r'Failed calling LayerNorm with "LayerNorm\(begin_norm_axis=float, '
                                        r'begin_params_axis=int, epsilon=float\)'):
        nn.LayerNorm((4,), 1.0)(x)
    with pytest.raises(TypeError, match="epsilon=int"):
        nn.LayerNorm((4,), epsilon=1)(x)
    with pytest.raises(ValueError, match="the x_rank must be not equal to 0"):
        nn.LayerNorm((4,))(Tensor(1.0))


def test_layernorm_op_outputs_and_functional():
    x = randn(2, 3, 4)
    y, mean, rstd = ops.LayerNorm()(Tensor(x), Tensor(np.ones((3, 4), np.float32)), Tensor(np.zeros((3, 4),
                                                                                                      np.float32)))
    assert (ops.LayerNorm().begin_norm_axis, ops.LayerNorm().epsilon) == (1, 1e-7)
    assert y.shape == (2, 3, 4) and mean.shape == (2, 1, 1) and rstd.shape == (2, 1, 1)
    np.testing.assert_allclose(mean.asnumpy().ravel(), x.reshape(2, -1).mean(1), rtol=1e-5)
    out = ops.layer_norm(Tensor(x), (3, 4), eps=1e-3)
    np.testing.assert_allclose(out.asnumpy(), np_normalize(x, (1, 2), 1e-3), rtol=1e-5, atol=1e-5)


def mixed_net():
    return nn.SequentialCell([set_weights(nn.Conv2dTranspose(2, 3, 3, stride=2, has_bias=True)),
                              set_weights(nn.GroupNorm(1, 3)), nn.GELU(), nn.SiLU(), nn.AdaptiveAvgPool2d((2, 3)),
                              nn.Flatten(), set_weights(nn.LayerNorm((18,))), nn.LeakyReLU(), nn.GELU(False),
                              nn.Unflatten(1, (3, 6)), set_weights(nn.Conv1d(3, 2, 3, has_bias=True))])


def test_float32_network_of_new_layers_has_no_float64():
    net = mixed_net()
    grad_fn = ms.value_and_grad(net, 0, net.trainable_params())

    def step(x):
        loss, grads = grad_fn(Tensor._from_raw(x))
        return loss._data, [g._data for g in jax.tree_util.tree_leaves(grads, is_leaf=lambda v: isinstance(v,
                                                                                                          Tensor))]
    jaxpr = jax.make_jaxpr(step)(jnp.ones((2, 2, 3, 3), jnp.float32)).jaxpr

    def wide(eqns):
        for e in eqns:
            yield from (v for v in e.outvars if getattr(v.aval, "dtype", None) == np.float64)
            for param in e.params.values():
                yield from wide(getattr(getattr(param, "jaxpr", param), "eqns", []))
    assert list(wide(jaxpr.eqns)) == []


# --- GroupNorm -------------------------------------------------------------------------------------------------

def test_groupnorm_names_values_and_errors():
    gn = nn.GroupNorm(2, 4)
    assert params(gn) == [("gamma", (4,), True), ("beta", (4,), True)] and gn.eps == 1e-5
    assert repr(gn) == "GroupNorm(num_groups=2, num_channels=4)"
    assert params(nn.GroupNorm(2, 4, affine=False)) == [("gamma", (4,), False), ("beta", (4,), False)]
    set_weights(gn)
    for shape in [(2, 4), (2, 4, 3), (2, 4, 3, 3), (1, 4, 2, 2, 2)]:
        x = randn(*shape)
        grouped = np_normalize(x.reshape(shape[0], 2, -1), (2,), 1e-5).reshape(shape)
        channel = (1, 4) + (1,) * (len(shape) - 2)
        expected = grouped * gn.gamma.asnumpy().reshape(channel) + gn.beta.asnumpy().reshape(channel)
        np.testing.assert_allclose(gn(Tensor(x)).asnumpy(), expected, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="the 'num_channels' must be divided by 'num_groups', but got 'num_channels': "
                                         "4, 'num_groups': 3."):
        nn.GroupNorm(3, 4)
    with pytest.raises(TypeError, match="the type of 'eps' should be 'float', but got type 'int'"):
        nn.GroupNorm(2, 4, eps=1)
    with pytest.raises(ValueError, match="the 'num_groups' must be int and must > 0, but got '0'"):
        nn.GroupNorm(0, 4)
    with pytest.raises(ValueError, match=r"input_x's channel dimension: 6, bug got shape: \[const vector\]\{4\}"):
        gn(Tensor(np.ones((2, 6, 3), np.float32)))
    with pytest.raises(TypeError, match="But got input's type: Int32"):
        gn(Tensor(np.ones((2, 4), np.int32)))
    with pytest.raises(RuntimeError, match="The dim of input must be between 2 and 8. But got: 1"):
        gn(Tensor(np.ones(4, np.float32)))
    with pytest.raises(ValueError, match="'num_channels': 4 ,'num_groups': 3"):
        ops.group_norm(Tensor(np.ones((2, 4), np.float32)), 3)
    assert gn(Tensor(np.ones((2, 4, 3)), ms.float16)).dtype == ms.float16


# --- Conv1d / Conv2dTranspose ----------------------------------------------------------------------------------

def np_conv1d(x, w, stride, pad, dilation, groups):
    x = np.pad(x.astype(np.float64), ((0, 0), (0, 0), pad))
    n, _, length = x.shape
    o, cg, k = w.shape
    out_len = (length - (k - 1) * dilation - 1) // stride + 1
    out = np.zeros((n, o, out_len))
    for oc in range(o):
        g = oc // (o // groups)
        for i in range(out_len):
            window = x[:, g * cg:(g + 1) * cg, i * stride:i * stride + (k - 1) * dilation + 1:dilation]
            out[:, oc, i] = (window * w[oc]).sum((1, 2))
    return out


def test_conv1d_defaults_names_repr():
    conv = nn.Conv1d(4, 6, 3)
    assert params(conv) == [("weight", (6, 4, 1, 3), True)]
    assert isinstance(conv.weight_init, HeUniform) and conv.bias_init is None
    assert no_addresses(repr(conv)) == (
        "Conv1d(input_channels=4, output_channels=6, kernel_size=(1, 3), stride=(1, 1), pad_mode=same, "
        "padding=(0, 0, 0, 0), dilation=(1, 1), group=1, has_bias=False, weight_init=<mindspore.common.initializer."
        "HeUniform object>, bias_init=None, format=NCHW)")
    biased = nn.Conv1d(4, 6, 3, has_bias=True, group=2)
    assert params(biased) == [("weight", (6, 2, 1, 3), True), ("bias", (6,), True)]
    assert isinstance(biased.bias_init, Uniform)
    assert np.abs(biased.bias.asnumpy()).max() <= 1 / math.sqrt(6)
    tensor_init = nn.Conv1d(1, 1, 2, weight_init=Tensor(np.array([[[1.0, 2.0]]], np.float32)))
    assert tensor_init.weight.shape == (1, 1, 1, 2)


@pytest.mark.parametrize("kwargs, pad", [({}, (1, 1)), (dict(pad_mode="valid", stride=2), (0, 0)),
                                         (dict(pad_mode="pad", padding=2, dilation=2, group=2), (2, 2)),
                                         (dict(stride=2, dilation=2), (2, 2))])
def test_conv1d_values(kwargs, pad):
    conv = set_weights(nn.Conv1d(4, 6, 3, has_bias=True, **kwargs))
    x = randn(2, 4, 7)
    w = conv.weight.asnumpy()[:, :, 0]
    expected = np_conv1d(x, w, kwargs.get("stride", 1), pad, kwargs.get("dilation", 1), kwargs.get("group", 1))
    expected += conv.bias.asnumpy()[:, None]
    np.testing.assert_allclose(conv(Tensor(x)).asnumpy(), expected, rtol=1e-5, atol=1e-5)
    functional = ops.conv1d(Tensor(x), Tensor(w), conv.bias, stride=kwargs.get("stride", 1),
                            pad_mode=kwargs.get("pad_mode", "same"), padding=kwargs.get("padding", 0),
                            dilation=kwargs.get("dilation", 1), groups=kwargs.get("group", 1))
    np.testing.assert_allclose(functional.asnumpy(), expected, rtol=1e-5, atol=1e-5)


def test_conv1d_errors():
    with pytest.raises(TypeError, match="For 'Conv1d', the type of 'kernel_size' should be 'int', but got type "
                                        "'tuple'"):
        nn.Conv1d(4, 6, (3,))
    with pytest.raises(ValueError, match="the 'kernel_size' must be int and must >= 1, but got '0'"):
        nn.Conv1d(4, 6, 0)
    with pytest.raises(ValueError, match="The argument 'group' should be divisible by 'in_channels' and "
                                         "'out_channels', but got group:4, in_channels:4, out_channels:6."):
        nn.Conv1d(4, 6, 3, group=4)
    with pytest.raises(ValueError, match="the 'pad_mode' must be str and must be in"):
        nn.Conv1d(4, 6, 3, pad_mode="full")
    with pytest.raises(ValueError, match=r"For 'Conv2D', the 'pad' must be zero when 'pad_mode' is not 'pad', but got "
                                         r"'pad': \(0, 0, 1, 1\)"):
        nn.Conv1d(4, 6, 3, padding=1)
    with pytest.raises(ValueError, match="the 'weight_init_shape' must be int and must = 3, but got '2'"):
        nn.Conv1d(1, 1, 2, weight_init=Tensor(np.ones((1, 2), np.float32)))
    with pytest.raises(ValueError, match="the x shape size must be equal to 4, but got 3"):
        nn.Conv1d(4, 6, 3)(Tensor(np.ones((4, 7), np.float32)))
    with pytest.raises(ValueError, match="For 'conv1d', the input must be a 3D Tensor, but got input of 2D"):
        ops.conv1d(Tensor(np.ones((4, 7), np.float32)), Tensor(np.ones((6, 4, 3), np.float32)))


def np_conv_transpose(x, w, stride, dilation, out_size, pads, groups):
    """Scatter each input pixel through the kernel onto the output, then crop the forward conv's padding."""
    n, cin, h, wd = x.shape
    _, cout_g, kh, kw = w.shape
    full = np.zeros((n, cout_g * groups, out_size[0] + pads[0] + pads[1] + kh * dilation[0],
                     out_size[1] + pads[2] + pads[3] + kw * dilation[1]))
    for ic in range(cin):
        g = ic // (cin // groups)
        for i in range(h):
            for j in range(wd):
                for a in range(kh):
                    for b in range(kw):
                        full[:, g * cout_g:(g + 1) * cout_g, i * stride[0] + a * dilation[0],
                             j * stride[1] + b * dilation[1]] += x[:, ic, i, j, None] * w[ic, :, a, b]
    return full[:, :, pads[0]:pads[0] + out_size[0], pads[2]:pads[2] + out_size[1]]


def test_conv2d_transpose_names_repr_shapes():
    conv = nn.Conv2dTranspose(4, 6, 3)
    assert params(conv) == [("weight", (4, 6, 3, 3), True)]
    assert no_addresses(repr(conv)) == (
        "Conv2dTranspose(input_channels=4, output_channels=6, kernel_size=(3, 3), stride=(1, 1), pad_mode=same, "
        "padding=0, dilation=(1, 1), group=1, has_bias=False, weight_init=<mindspore.common.initializer.HeUniform "
        "object>, bias_init=None, format=NCHW)")
    assert params(nn.Conv2dTranspose(4, 6, 3, has_bias=True, group=2)) == [("weight", (4, 3, 3, 3), True),
                                                                           ("bias", (6,), True)]
    x = Tensor(np.ones((2, 4, 3, 5), np.float32))
    # (pad_mode, stride, kernel, dilation) -> (H, W), recorded from MindSpore 2.10 (pad mode: padding (1, 0, 2, 1))
    table = {("same", 2, (2, 3), 2): (6, 10), ("valid", 1, (2, 3), 2): (5, 9), ("valid", 2, (4, 2), 1): (8, 10),
             ("valid", 3, (2, 3), 1): (9, 15), ("valid", 3, (4, 2), 2): (13, 15), ("pad", 1, (1, 1), 1): (2, 2),
             ("pad", 2, (2, 3), 2): (6, 10), ("pad", 3, (4, 2), 1): (9, 11)}
    for (mode, stride, kernel, dilation), size in table.items():
        padding = (1, 0, 2, 1) if mode == "pad" else 0
        out = nn.Conv2dTranspose(4, 2, kernel, stride=stride, pad_mode=mode, padding=padding, dilation=dilation)(x)
        assert out.shape == (2, 2) + size, (mode, stride, kernel, dilation)
    padded = nn.Conv2dTranspose(4, 2, 3, stride=2, pad_mode="pad", output_padding=(1, 0))(x)
    assert padded.shape == (2, 2, 8, 11) and not padded.asnumpy()[:, :, -1].any()


@pytest.mark.parametrize("mode, stride, dilation, padding, group", [("same", 2, 1, 0, 1), ("valid", 3, 2, 0, 2),
                                                                    ("pad", 2, 1, (1, 0, 2, 1), 2)])
def test_conv2d_transpose_values(mode, stride, dilation, padding, group):
    conv = set_weights(nn.Conv2dTranspose(4, 2, (2, 3), stride=stride, pad_mode=mode, padding=padding,
                                          dilation=dilation, group=group, has_bias=True))
    x = randn(1, 4, 3, 2)
    out = conv(Tensor(x)).asnumpy()
    if mode == "same":
        pads = []
        for size, k in zip(out.shape[2:], (2, 3)):
            total = max((-(-size // stride) - 1) * stride + (k - 1) * dilation + 1 - size, 0)
            pads += [total // 2, total - total // 2]
    else:
        pads = [0] * 4 if mode == "valid" else list(padding)
    expected = np_conv_transpose(x, conv.weight.asnumpy(), (stride,) * 2, (dilation,) * 2, out.shape[2:], pads, group)
    np.testing.assert_allclose(out, expected + conv.bias.asnumpy()[:, None, None], rtol=1e-5, atol=1e-5)


def test_conv2d_transpose_errors():
    x = Tensor(np.ones((2, 4, 3, 5), np.float32))
    with pytest.raises(ValueError, match="when output_padding is not zero, pad_mode must be 'pad'"):
        nn.Conv2dTranspose(4, 2, 3, stride=2, output_padding=1)(x)
    with pytest.raises(ValueError, match=r"^output_padding must be in range of \[0, max\(stride_h, dilation_h\)\)"):
        nn.Conv2dTranspose(4, 2, 3, stride=2, pad_mode="pad", output_padding=2)(x)
    with pytest.raises(ValueError, match=r"output_padding\[1\] must be in range of \[0, max\(stride_w"):
        nn.Conv2dTranspose(4, 2, 3, stride=(2, 1), pad_mode="pad", output_padding=(1, 1))(x)
    with pytest.raises(ValueError, match="the 'padding size' must be int and must = 4, but got '3'"):
        nn.Conv2dTranspose(4, 2, 3, pad_mode="pad", padding=(1, 1, 1))
    with pytest.raises(ValueError, match="For 'Conv2DTranspose', the 'pad' must be zero or"):
        nn.Conv2dTranspose(4, 2, 3, padding=1)
    with pytest.raises(ValueError, match="the 'out_channels' must be divisible by attr 'group', but got "
                                         "'out_channels': 6 and 'group': 4"):
        nn.Conv2dTranspose(4, 6, 3, group=4)
    with pytest.raises(RuntimeError, match="could not create a primitive descriptor"):
        nn.Conv2dTranspose(4, 6, 3)(Tensor(np.ones((2, 5, 3, 5), np.float32)))
    with pytest.raises(ValueError, match=r"not enough values to unpack \(expected 4, got 3\)"):
        nn.Conv2dTranspose(4, 6, 3)(Tensor(np.ones((4, 3, 5), np.float32)))


# --- AdaptiveAvgPool2d -----------------------------------------------------------------------------------------

def np_adaptive(x, out):
    h, w = x.shape[-2:]
    oh, ow = (h if out[0] is None else out[0]), (w if out[1] is None else out[1])
    result = np.zeros(x.shape[:-2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            rows = slice(i * h // oh, -(-(i + 1) * h // oh))
            cols = slice(j * w // ow, -(-(j + 1) * w // ow))
            result[..., i, j] = x[..., rows, cols].mean((-2, -1))
    return result


def test_adaptive_avg_pool2d():
    x = randn(2, 3, 5, 7)
    for size, pair in [(1, (1, 1)), ((2, 3), (2, 3)), ((3, None), (3, None)), ((None, 4), (None, 4)),
                       ((6, 8), (6, 8)), ((4, 6), (4, 6))]:
        np.testing.assert_allclose(nn.AdaptiveAvgPool2d(size)(Tensor(x)).asnumpy(), np_adaptive(x, pair),
                                   rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ops.adaptive_avg_pool2d(Tensor(x[0]), 2).asnumpy(), np_adaptive(x[0], (2, 2)),
                               rtol=1e-5)
    assert nn.AdaptiveAvgPool2d(0)(Tensor(x)).shape == (2, 3, 0, 0)
    assert repr(nn.AdaptiveAvgPool2d(2)) == "AdaptiveAvgPool2d()"
    assert nn.AdaptiveAvgPool2d((3, None)).adaptive_avgpool2d.output_size == (3, -1)
    assert nn.AdaptiveAvgPool2d(2)(Tensor(x, ms.float16)).dtype == ms.float16
    with pytest.raises(TypeError, match="the type of 'output_size' should be one of '\\['int', 'tuple'\\]', but got "
                                        "type 'NoneType'"):
        nn.AdaptiveAvgPool2d(None)
    with pytest.raises(ValueError, match=r"the argument 'output_size\[0\]' must >= 0, but got -1"):
        nn.AdaptiveAvgPool2d(-1)
    with pytest.raises(ValueError, match="the 'length of output_size' must be int and must = 2, but got '3'"):
        nn.AdaptiveAvgPool2d((2, 3, 4))
    with pytest.raises(ValueError, match=r"the dim of x must be in \[3,4\], but got 2"):
        nn.AdaptiveAvgPool2d(2)(Tensor(np.ones((5, 7), np.float32)))
    with pytest.raises(TypeError, match=r"must be a type of \{Tensor\[Float16\], Tensor\[Float32\], "
                                        r"Tensor\[Float64\]\}"):
        nn.AdaptiveAvgPool2d(2)(Tensor(np.ones((1, 3, 5, 7), np.int32)))


# --- Embedding -------------------------------------------------------------------------------------------------

def test_embedding():
    emb = nn.Embedding(5, 3)
    assert params(emb) == [("embedding_table", (5, 3), True)] and emb.embedding_table.dtype == ms.float32
    assert np.abs(emb.embedding_table.asnumpy()).max() < 0.1  # Normal(0.01)
    assert repr(emb) == ("Embedding(vocab_size=5, embedding_size=3, use_one_hot=False, embedding_table=Parameter "
                         "(name=embedding_table, shape=(5, 3), dtype=Float32, requires_grad=True), dtype=Float32, "
                         "padding_idx=None)")
    table = np.arange(15, dtype=np.float32).reshape(5, 3)
    emb.embedding_table.set_data(Tensor(table))
    ids = np.array([[0, 4], [2, 2]], np.int32)
    assert emb(Tensor(ids)).asnumpy().tolist() == table[ids].tolist()
    assert emb(Tensor(3, ms.int32)).shape == (3,)
    one_hot = nn.Embedding(5, 3, use_one_hot=True)
    one_hot.embedding_table.set_data(Tensor(table))
    assert one_hot(Tensor(ids)).asnumpy().tolist() == table[ids].tolist()
    assert one_hot(Tensor(np.array([7, -1], np.int32))).asnumpy().tolist() == [[0, 0, 0], [0, 0, 0]]
    padded = nn.Embedding(4, 2, embedding_table="ones", padding_idx=1)
    assert padded.embedding_table.asnumpy().tolist() == [[1, 1], [0, 0], [1, 1], [1, 1]]
    assert nn.Embedding(4, 2, dtype=ms.float16).embedding_table.dtype == ms.float32
    assert nn.Embedding(2, 2, embedding_table=Tensor(np.ones((2, 2)))).embedding_table.dtype == ms.float64
    with pytest.raises(RuntimeError, match=r"For 'Gather', the 'input_indices' should be in the range \[0, 5\), but "
                                           r"got 5"):
        emb(Tensor(np.array([5], np.int32)))
    with pytest.raises(TypeError, match="must be a type of"):
        one_hot(Tensor(np.array([1.0], np.float32)))
    with pytest.raises(ValueError, match=r"the 'padding_idx' must be in range of \[0, 4\), but got 4 with type 'int'"):
        nn.Embedding(4, 2, padding_idx=4)
    with pytest.raises(TypeError, match="the type of 'vocab_size' should be 'int', but got type 'float'"):
        nn.Embedding(4.0, 2)
    with pytest.raises(TypeError, match="the type of 'use_one_hot' should be 'bool', but got type 'int'"):
        nn.Embedding(4, 2, use_one_hot=1)
    with pytest.raises(TypeError, match="the element of 'dtype' must be one of Int8, .* but got Bool"):
        nn.Embedding(4, 2, dtype=ms.bool_)


# --- activations, Identity, Unflatten --------------------------------------------------------------------------

def test_activations():
    values = np.array([-3, -1.5, -0.2, 0, 0.3, 2, 6, 7], np.float32)
    x = Tensor(values)
    v = values.astype(np.float64)
    tanh_gelu = 0.5 * v * (1 + np.tanh(np.sqrt(2 / np.pi) * (v + 0.044715 * v ** 3)))
    exact_gelu = v * 0.5 * (1 + np.array([math.erf(i / math.sqrt(2)) for i in v]))
    for cell, expected in [(nn.GELU(), tanh_gelu), (nn.GELU(False), exact_gelu), (nn.SiLU(), v / (1 + np.exp(-v))),
                           (nn.LeakyReLU(), np.where(v > 0, v, 0.2 * v)),
                           (nn.LeakyReLU(2), np.minimum(2 * v, v)), (nn.ReLU6(), np.clip(v, 0, 6)),
                           (nn.Identity(), v)]:
        out = cell(x)
        assert out.dtype == ms.float32
        np.testing.assert_allclose(out.asnumpy(), expected, rtol=1e-4, atol=1e-6)
    assert [repr(c) for c in (nn.GELU(), nn.SiLU(), nn.LeakyReLU(0.5), nn.Identity(1, a=2))] == [
        "GELU()", "SiLU()", "LeakyReLU()", "Identity()"]
    assert nn.LeakyReLU(0.5)(Tensor(np.array([-2, 3], np.int32))).asnumpy().tolist() == [0, 3]
    assert nn.LeakyReLU(-1.0)(Tensor(np.array([-2, 3], np.int32))).asnumpy().tolist() == [2, 3]
    assert nn.GELU()(Tensor(np.array([1.0]), ms.float16)).dtype == ms.float16
    assert isinstance(nn.get_activation("gelu"), nn.GELU) and isinstance(nn.get_activation("leakyrelu"), nn.LeakyReLU)
    with pytest.raises(TypeError, match="For 'GELU', the 'approximate' must be a bool, but got str"):
        nn.GELU("tanh")
    with pytest.raises(TypeError, match="For gelu, the input dtype must be bfloat16, float16, float32 or float64, but "
                                        "got Int32"):
        nn.GELU()(Tensor(np.array([1], np.int32)))
    with pytest.raises(ValueError, match="For ops.gelu, approximate value should be either 'none' or 'tanh'"):
        ops.gelu(x, approximate="x")
    with pytest.raises(TypeError, match="For 'leaky_relu', the type of 'alpha' should be one of"):
        nn.LeakyReLU("a")(x)
    with pytest.raises(TypeError, match=r"For primitive\[ReLU6\], the input argument\[input_x\] must be a type of "
                                        r"\{Tensor\[Float16\], Tensor\[Float32\]\}, but got Tensor\[Float64\]"):
        nn.ReLU6()(Tensor(np.ones(2)))
    with pytest.raises(TypeError):
        nn.SiLU()(Tensor(np.array([1], np.int32)))
    assert nn.Identity()(3) == 3


def test_relu6_and_leaky_relu_gradients_at_the_kinks():
    x = Tensor(np.array([-1, 0, 3, 6, 7], np.float32))
    assert ms.grad(nn.ReLU6())(x).asnumpy().tolist() == [0, 0, 1, 1, 0]  # 1 on (0, 6], as MindSpore
    # max(alpha * x, x) ties at 0 and Maximum splits the gradient there, as in MindSpore
    assert ms.grad(nn.LeakyReLU(0.5))(x).asnumpy().tolist() == [0.5, 0.75, 1, 1, 1]
    assert ms.grad(nn.LeakyReLU(2))(x).asnumpy().tolist() == [2, 1.5, 1, 1, 1]


def test_unflatten():
    y = Tensor(np.arange(24, dtype=np.float32).reshape(4, 6))
    assert repr(nn.Unflatten(1, (2, 3))) == "Unflatten()"
    for axis, size, shape in [(1, (2, 3), (4, 2, 3)), (-1, (3, 2), (4, 3, 2)), (0, [2, 2], (2, 2, 6)),
                              (1, (-1, 2), (4, 3, 2)), (-2, (2, 2), (2, 2, 6))]:
        assert nn.Unflatten(axis, size)(y).shape == shape
    with pytest.raises(TypeError, match="For 'Unflatten', the type of 'axis' must be 'int', but got 'float'"):
        nn.Unflatten(1.0, (2, 3))
    with pytest.raises(TypeError, match="the type of 'unflattended_size' should be one of"):
        nn.Unflatten(1, 6)
    with pytest.raises(ValueError):
        nn.Unflatten(1, (4, 2))(y)


# --- CellDict --------------------------------------------------------------------------------------------------

def names(cell):
    return [p.name for p in cell.get_parameters()]


def test_celldict_api_and_parameter_names():
    d = nn.CellDict({"conv": nn.Conv2d(1, 2, 3), "relu": nn.ReLU(), "dense": nn.Dense(2, 2)})
    assert names(d) == ["conv.weight", "dense.weight", "dense.bias"]
    assert list(d.keys()) == ["conv", "relu", "dense"] == list(d) and len(d) == 3 and "conv" in d
    assert isinstance(d.conv, nn.Conv2d) and isinstance(d["relu"], nn.ReLU)
    d["conv"] = nn.Dense(3, 3)
    assert names(d) == ["conv.weight", "conv.bias", "dense.weight", "dense.bias"]
    assert isinstance(d.pop("dense"), nn.Dense) and list(d.keys()) == ["conv", "relu"]
    with pytest.raises(KeyError):
        d.pop("dense")
    d.update([("a", nn.ReLU()), ("b", nn.Dense(1, 1))])
    d.update(nn.CellDict({"z": nn.Dense(1, 2)}))
    assert list(d.keys()) == ["conv", "relu", "a", "b", "z"]
    assert names(d) == ["conv.weight", "conv.bias", "b.weight", "b.bias", "z.weight", "z.bias"]
    for key, cell, error, message in [
            (1, nn.ReLU(), TypeError, "the type of key should be string but got int"),
            ("training", nn.ReLU(), KeyError, "the key can not be same with the attributes of Cell"),
            ("a.b", nn.ReLU(), KeyError, 'key can not contain "."'), ("", nn.ReLU(), KeyError, "empty string"),
            ("x", None, TypeError, "cell can not be None"), ("x", 3, TypeError, "should be Cell, but got int"),
            ("x", nn.SequentialCell([nn.ReLU()]), TypeError, "can not be CellDict, CellList or SequentialCell")]:
        with pytest.raises(error, match=message):
            d[key] = cell
    with pytest.raises(TypeError, match="should be Iterable; but got int"):
        d.update([3])
    with pytest.raises(ValueError, match="length should be 2; but has length 3"):
        d.update([("a", nn.ReLU(), 1)])
    with pytest.raises(TypeError, match="should be called with an iterable of key-value pairs, but got int"):
        d.update(3)
    with pytest.raises(NotImplementedError):
        d(Tensor(np.ones(1, np.float32)))
    d.clear()
    assert len(d) == 0 and names(d) == [] and not hasattr(d, "conv")
    assert names(nn.CellDict({"a": nn.Dense(1, 1)}, auto_prefix=False)) == ["weight", "bias"]
    assert repr(nn.CellDict()) == "CellDict()"


class DictNet(nn.Cell):
    def __init__(self, fill_later=False):
        super().__init__()
        self.layers = nn.CellDict() if fill_later else nn.CellDict({"fc1": nn.Dense(2, 3), "fc2": nn.Dense(3, 1)})
        if fill_later:
            self.layers["fc1"] = nn.Dense(2, 3)
            self.layers["fc2"] = nn.Dense(3, 1)

    def construct(self, x):
        return self.layers["fc2"](self.layers["fc1"](x))


def test_celldict_in_a_network():
    net = DictNet()
    assert names(net) == ["layers.fc1.weight", "layers.fc1.bias", "layers.fc2.weight", "layers.fc2.bias"]
    net.layers["fc3"] = nn.Dense(1, 1)
    assert names(net)[-2:] == ["layers.fc3.weight", "layers.fc3.bias"]
    # filled after being attached empty: MindSpore reads the prefix from the children present, so none
    assert names(DictNet(fill_later=True)) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert [k for k, _ in net.cells_and_names()] == ["", "layers", "layers.fc1", "layers.fc2", "layers.fc3"]
    x = Tensor(randn(4, 2))
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        compiled = net(x)
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
    np.testing.assert_allclose(compiled.asnumpy(), net(x).asnumpy(), rtol=1e-6)


def test_new_layers_in_graph_mode_match_pynative():
    net = mixed_net()
    x = Tensor(randn(2, 2, 3, 3))
    grad_fn = ms.value_and_grad(net, 0, net.trainable_params())
    eager = grad_fn(x)
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        compiled = grad_fn(x)
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
    for a, b in zip(jax.tree_util.tree_leaves(eager, is_leaf=lambda v: isinstance(v, Tensor)),
                    jax.tree_util.tree_leaves(compiled, is_leaf=lambda v: isinstance(v, Tensor))):
        np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=1e-5, atol=1e-6)
