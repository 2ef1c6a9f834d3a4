"""nn.MultiheadAttention and the Transformer Cells: Parameter names and inits, return structures and shapes, values
against a numpy computation made here, dropout, float32 purity, and the errors MindSpore 2.10 raises (probed)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import msjax
import msjax as ms
from msjax import Tensor, nn, ops
from msjax._src.layers_activation import GELU

RNG = np.random.default_rng(3)


def rand(*shape):
    return Tensor(RNG.uniform(-1, 1, shape).astype(np.float32))


def names(cell):
    return [name for name, _ in cell.parameters_and_names()]


def numpy_mha(q, k, v, w_in, b_in, w_out, b_out, heads, mask=None):
    """Sequence-first reference: softmax((q Wq)(k Wk)^T / sqrt(d) + mask) (v Wv), then the output projection."""
    e = q.shape[-1]
    d = e // heads
    qp, kp, vp = (x @ w_in[i * e:(i + 1) * e].T + b_in[i * e:(i + 1) * e] for i, x in enumerate((q, k, v)))
    split = [x.reshape(x.shape[0], x.shape[1] * heads, d).transpose(1, 0, 2) for x in (qp, kp, vp)]
    scores = split[0] @ split[1].transpose(0, 2, 1) / np.sqrt(d)
    if mask is not None:
        scores = scores + mask
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    out = (weights @ split[2]).transpose(1, 0, 2).reshape(q.shape[0], q.shape[1], e)
    return out @ w_out.T + b_out, weights.reshape(q.shape[1], heads, q.shape[0], k.shape[0]).mean(1)


# --- MultiheadAttention ------------------------------------------------------------------------------------------

def test_mha_parameters_inits_and_repr():
    mha = nn.MultiheadAttention(8, 2)
    assert [(p.name, p.shape, p.dtype) for p in mha.get_parameters()] == [
        ("in_proj_weight", (24, 8), ms.float32), ("in_proj_bias", (24,), ms.float32),
        ("out_proj.weight", (8, 8), ms.float32), ("out_proj.bias", (8,), ms.float32)]
    assert np.abs(mha.in_proj_weight.asnumpy()).max() <= np.sqrt(6 / (8 + 24))  # XavierUniform
    assert not mha.in_proj_bias.asnumpy().any()
    assert np.abs(mha.out_proj.weight.asnumpy()).max() <= 1 / np.sqrt(8)
    assert np.abs(mha.out_proj.bias.asnumpy()).max() <= 1 / np.sqrt(8)
    assert repr(mha) == ("MultiheadAttention(\n  (out_proj): Dense(input_channels=8, output_channels=8, "
                         "has_bias=True)\n)")
    sep = nn.MultiheadAttention(8, 2, has_bias=False, add_bias_kv=True, kdim=4, vdim=6, dtype=ms.float16)
    assert [(p.name, p.shape, p.dtype) for p in sep.get_parameters()] == [
        ("q_proj_weight", (8, 8), ms.float16), ("k_proj_weight", (8, 4), ms.float16),
        ("v_proj_weight", (8, 6), ms.float16), ("bias_k", (1, 1, 8), ms.float16), ("bias_v", (1, 1, 8), ms.float16),
        ("out_proj.weight", (8, 8), ms.float16)]
    assert sep.in_proj_weight is None and sep.in_proj_bias is None and sep.head_dim == 4


def test_mha_matches_numpy_with_a_float_mask():
    mha = nn.MultiheadAttention(8, 2)
    q, k, v, mask = rand(3, 2, 8), rand(4, 2, 8), rand(4, 2, 8), rand(3, 4)
    out, weights = mha(q, k, v, attn_mask=mask)
    want_out, want_weights = numpy_mha(q.asnumpy(), k.asnumpy(), v.asnumpy(), mha.in_proj_weight.asnumpy(),
                                       mha.in_proj_bias.asnumpy(), mha.out_proj.weight.asnumpy(),
                                       mha.out_proj.bias.asnumpy(), 2, mask.asnumpy())
    np.testing.assert_allclose(out.asnumpy(), want_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(weights.asnumpy(), want_weights, rtol=1e-5, atol=1e-6)
    assert out.dtype == weights.dtype == ms.float32


def test_mha_return_structure_and_shapes():
    mha = nn.MultiheadAttention(8, 2, batch_first=True)
    q, kv = rand(2, 3, 8), rand(2, 5, 8)
    out = mha(q, kv, kv)
    assert isinstance(out, tuple) and [o.shape for o in out] == [(2, 3, 8), (2, 3, 5)]
    only = mha(q, kv, kv, need_weights=False)
    assert isinstance(only, tuple) and len(only) == 1 and only[0].shape == (2, 3, 8)
    assert mha(q, kv, kv, average_attn_weights=False)[1].shape == (2, 2, 3, 5)
    unbatched = mha(q[0], kv[0], kv[0])  # batch_first does not apply to unbatched inputs
    assert [o.shape for o in unbatched] == [(3, 8), (3, 5)]
    np.testing.assert_allclose(unbatched[0].asnumpy(), out[0].asnumpy()[0], rtol=1e-5, atol=1e-6)


def test_mha_masks_bias_kv_and_zero_attention():
    mha = nn.MultiheadAttention(8, 2, add_bias_kv=True, add_zero_attn=True)
    q = rand(3, 2, 8)
    padding = Tensor(np.array([[False, True, False], [False, False, False]]))
    out, weights = mha(q, q, q, key_padding_mask=padding)
    assert weights.shape == (2, 3, 5)  # the bias and zero-attention key columns
    w = weights.asnumpy()
    assert (w[0, :, 1] == 0).all() and (w[1] > 0).all()
    np.testing.assert_allclose(w.sum(-1), 1, rtol=1e-6)
    causal = Tensor(np.triu(np.ones((3, 3), np.uint8), 1))  # uint8 masks count as bool
    plain = nn.MultiheadAttention(8, 2)
    masked = plain(q, q, q, attn_mask=causal)[1].asnumpy()
    assert (masked[:, 0, 1:] == 0).all() and (masked[:, 0, 0] == 1).all()


def test_mha_dropout_only_in_training():
    mha = nn.MultiheadAttention(8, 2, dropout=0.5)
    q = rand(3, 2, 8)
    first = mha(q, q, q)[1].asnumpy()
    np.testing.assert_array_equal(first, mha(q, q, q)[1].asnumpy())
    mha.set_train()
    dropped = mha(q, q, q, average_attn_weights=False)[1].asnumpy()
    assert (dropped == 0).any()
    kept = dropped[dropped != 0]
    assert kept.max() <= 2 + 1e-6  # kept weights are scaled by 1 / (1 - p)


def test_encoder_forward_and_backward_stay_float32():
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, activation="gelu"), 1)
    apply, params = msjax.to_jax(encoder)
    padding = jnp.array([[False, False, True], [False, False, False]])

    def loss(params, x):
        return apply(params, x, src_key_padding_mask=padding)[0].sum()

    def dtypes(jaxpr):
        for eqn in jaxpr.eqns:
            yield from (str(v.aval.dtype) for v in eqn.outvars if hasattr(v.aval, "dtype"))
            for param in eqn.params.values():
                inner = getattr(param, "jaxpr", param)
                if hasattr(inner, "eqns"):
                    yield from dtypes(inner)

    found = set(dtypes(jax.make_jaxpr(jax.grad(loss, argnums=(0, 1)))(params, jnp.ones((2, 3, 8), jnp.float32)).jaxpr))
    assert "float64" not in found and "float32" in found


@pytest.mark.parametrize("call, error, message", [
    (lambda m, x: nn.MultiheadAttention(7, 2), ValueError, "must be divisible by 'num_heads'"),
    (lambda m, x: m(rand(1, 3, 2, 8), x, x), ValueError, "unbatched 2D or batched 3D tensor, but got `query` with 4D"),
    (lambda m, x: m(x, rand(3, 8), x), ValueError, "the `key` and `value` must be 3D tensor"),
    (lambda m, x: m(x, rand(4, 2, 8), rand(5, 2, 8)), ValueError, "The shape of `key` (4, 2, 8) does not match"),
    (lambda m, x: m(rand(3, 2, 6), rand(3, 2, 6), rand(3, 2, 6)), ValueError, "The `embed_dim` should be 8, but got 6"),
    (lambda m, x: m(x, rand(4, 2, 6), rand(4, 2, 6)), RuntimeError, "shape1[-1] must be equal to shape2[-2]"),
    (lambda m, x: m(x, rand(4, 3, 8), rand(4, 3, 8)), ValueError,
     "proposed_shape '[const vector]{4, 4, 4}' is invalid for input of size 96"),
    (lambda m, x: m(x.astype(ms.float16), x, x), TypeError, "the type of 'x2' should be same as 'x1'"),
    (lambda m, x: m(x, x, x, key_padding_mask=Tensor(np.zeros((2, 3), np.int32))), ValueError,
     "only bool and floating types of key_padding_mask are supported"),
    (lambda m, x: m(x, x, x, key_padding_mask=Tensor(np.zeros(3, np.bool_))), ValueError,
     "the `key_padding_mask` must be `None` or 2D"),
    (lambda m, x: m(x, x, x, key_padding_mask=Tensor(np.zeros((2, 4), np.bool_))), ValueError,
     "The shape of `key_padding_mask` should be (2, 3), but got (2, 4)"),
    (lambda m, x: m(x, x, x, attn_mask=Tensor(np.zeros((3, 3), np.int32))), ValueError,
     "`attn_mask` only support float, byte, and bool types, but got not Int32"),
    (lambda m, x: m(x, x, x, attn_mask=rand(3)), ValueError, "must be `None`, 2-D or 3-D, but got `attn_mask` with1D"),
    (lambda m, x: m(x, x, x, attn_mask=rand(3, 4)), ValueError, "should be (3, 3), but got (3, 4)"),
    (lambda m, x: m(x, x, x, attn_mask=rand(2, 3, 3)), ValueError, "should be (4, 3, 3), but got (2, 3, 3)"),
    (lambda m, x: m(x[:, 0], x[:, 0], x[:, 0], attn_mask=rand(4, 3, 3)), ValueError,
     "The shape of `attn_mask` must to be (2, 3, 3), but got (4, 3, 3)"),
])
def test_mha_errors(call, error, message):
    with pytest.raises(error) as info:
        call(nn.MultiheadAttention(8, 2), rand(3, 2, 8))
    assert message in str(info.value)


def test_mha_separate_weight_errors():
    sep = nn.MultiheadAttention(8, 2, kdim=4, vdim=6)
    q = rand(3, 2, 8)
    with pytest.raises(ValueError, match=r"Expecting key weights shape of \(8, 5\), but got \(8, 4\)"):
        sep(q, rand(4, 2, 5), rand(4, 2, 6))
    with pytest.raises(ValueError, match="The sequence length and batch dims of `key`"):
        sep(q, rand(4, 2, 4), rand(5, 2, 6))


# --- encoder -----------------------------------------------------------------------------------------------------

def test_encoder_layer_names_defaults_and_activations():
    layer = nn.TransformerEncoderLayer(8, 2, 16)
    assert names(layer) == [
        "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
        "dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias", "norm1.gamma", "norm1.beta", "norm2.gamma",
        "norm2.beta"]
    assert (layer.dropout_num, layer.layernorm_eps, layer.batch_first, layer.norm_first) == (0.1, 1e-5, False, False)
    assert layer.activation is ops.relu and layer.activation1 == "relu"
    assert nn.TransformerEncoderLayer(8, 2, activation="gelu").activation is ops.gelu
    assert nn.TransformerEncoderLayer(8, 2, activation=ops.gelu).activation is ops.gelu
    assert layer(rand(3, 2, 8)).shape == (3, 2, 8)
    assert layer(rand(3, 8)).shape == (3, 8)


@pytest.mark.parametrize("activation, message", [
    ("tanh", "The activation must be relu/gelu, but get tanh"),
    (3, "must be str, callable or Cell instance, but get 3."),
    (nn.Tanh(), "must be nn.ReLU or nn.GELU instance, but get Tanh()."),
    (nn.ReLU(), "must be ops.relu or ops.gelu instance, but get ReLU()."),  # MindSpore 2.10 refuses its own Cells
    (GELU(), "must be ops.relu or ops.gelu instance"),
    (ops.tanh, "must be ops.relu or ops.gelu instance"),
])
def test_encoder_layer_activation_errors(activation, message):
    with pytest.raises(ValueError) as info:
        nn.TransformerEncoderLayer(8, 2, activation=activation)
    assert message in str(info.value)


def test_encoder_layer_errors():
    layer = nn.TransformerEncoderLayer(8, 2, 16)
    with pytest.raises(AssertionError, match="only bool and floating types of key_padding_mask are supported"):
        layer(rand(3, 2, 8), src_key_padding_mask=Tensor(np.zeros((2, 3), np.int32)))
    with pytest.raises(ValueError, match="'embed_dim' must be divisible by 'num_heads'"):
        nn.TransformerEncoderLayer(8, 3)
    with pytest.raises(ValueError, match=r"the 'p' must be a number in range \[0, 1\)"):
        nn.TransformerEncoderLayer(8, 2, dropout=1.5)


def test_encoder_copies_a_new_layer():
    layer = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, norm_first=True, activation="gelu")
    encoder = nn.TransformerEncoder(layer, 2, nn.LayerNorm((8,)))
    listed = names(encoder)
    assert listed[0] == "layers.0.self_attn.in_proj_weight" and listed[12] == "layers.1.self_attn.in_proj_weight"
    assert listed[-2:] == ["norm.gamma", "norm.beta"] and len(listed) == 26
    first, second = encoder.layers
    assert first.norm_first and first.batch_first and first.activation is ops.gelu
    for a, b, own in zip(first.get_parameters(), second.get_parameters(), layer.get_parameters()):
        assert a is not b and a.name != b.name
        np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    # the layer given is only a template: its Parameters are not used
    assert not np.array_equal(first.self_attn.in_proj_weight.asnumpy(), layer.self_attn.in_proj_weight.asnumpy())
    x = rand(2, 3, 8)
    want = encoder.norm(second(first(x)))
    np.testing.assert_allclose(encoder(x).asnumpy(), want.asnumpy(), rtol=1e-6)
    assert len(nn.TransformerEncoder(layer, 0).layers) == 0
    with pytest.raises(TypeError):
        nn.TransformerEncoder(layer, 2.0)


def test_transformer_shapes_and_errors():
    model = nn.Transformer(8, 2, 1, 1, 16, batch_first=True)
    assert names(model)[0] == "encoder.layers.0.self_attn.in_proj_weight" and "decoder.norm.beta" in names(model)
    assert model.decoder.layers[0].multihead_attn.in_proj_weight.name == \
        "decoder.layers.0.multihead_attn.in_proj_weight"
    assert model(rand(2, 3, 8), rand(2, 4, 8)).shape == (2, 4, 8)
    with pytest.raises(ValueError, match="must be equal to `d_model`"):
        model(rand(2, 3, 8), rand(2, 4, 6))
