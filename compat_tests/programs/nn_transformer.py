"""nn.MultiheadAttention, nn.TransformerEncoderLayer and nn.TransformerEncoder (MindSpore 2.10): Parameter names,
return structures, forward values and gradients w.r.t. inputs and every Parameter (weights set from numpy) for
several configurations and masks, and the argument errors."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
from _probe import case

rng = np.random.default_rng(7)


def rand(*shape):
    return Tensor(rng.uniform(-1, 1, shape).astype(np.float32))


def set_weights(cell, seed):
    weights = np.random.default_rng(seed)
    for p in sorted(cell.get_parameters(), key=lambda p: p.name):
        p.set_data(Tensor(weights.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    return cell


def params(cell):
    return [(name, p.name, p.shape, str(p.dtype)) for name, p in cell.parameters_and_names()]


def grads(fn, cell, *args, positions=(0, 1, 2)):
    return ms.grad(fn, grad_position=positions, weights=cell.trainable_params())(*args)


# --- MultiheadAttention ----------------------------------------------------------------------------------------
mha = set_weights(nn.MultiheadAttention(8, 2), 1)
print("mha params", params(mha))
print("mha repr", repr(mha))
x = rand(3, 2, 8)
case("mha self", lambda: mha(x, x, x))
case("mha no weights", lambda: mha(x, x, x, need_weights=False))

cross = set_weights(nn.MultiheadAttention(8, 4, batch_first=True), 2)
q2, k2, v2 = rand(2, 3, 8), rand(2, 4, 8), rand(2, 4, 8)
float_mask = rand(3, 4)
pad_mask = Tensor(np.array([[False, False, True, False], [False, False, False, True]]))
c2_out, c2_w = rand(2, 3, 8), rand(2, 4, 3, 4)
case("cross float mask bool padding", lambda: cross(q2, k2, v2, key_padding_mask=pad_mask, attn_mask=float_mask,
                                                     average_attn_weights=False))
case("cross uint8 mask", lambda: cross(q2, k2, v2, attn_mask=Tensor(np.tril(np.ones((3, 4), np.uint8)))))


def cross_loss(q, k, v, kpm, am):
    out, w = cross(q, k, v, key_padding_mask=kpm, attn_mask=am, average_attn_weights=False)
    return (out * c2_out).sum() + (w * c2_w).sum()


case("cross grads", lambda: grads(cross_loss, cross, q2, k2, v2, pad_mask, float_mask))

sep = set_weights(nn.MultiheadAttention(8, 2, has_bias=False, add_bias_kv=True, add_zero_attn=True, kdim=4, vdim=6),
                  3)
print("sep params", params(sep))
print("sep repr", repr(sep))
q3, k3, v3 = rand(3, 2, 8), rand(4, 2, 4), rand(4, 2, 6)
bool_mask = Tensor(np.array([[[False, True, False, False]] * 3, [[False, False, True, False]] * 3] * 2))
float_pad = Tensor(np.array([[0, 0, -1.5, 0], [0, 0.5, 0, 0]], np.float32))
c3_out, c3_w = rand(3, 2, 8), rand(2, 3, 6)
case("sep bias_kv zero_attn", lambda: sep(q3, k3, v3, key_padding_mask=float_pad, attn_mask=bool_mask))


def sep_loss(q, k, v, kpm, am):
    out, w = sep(q, k, v, key_padding_mask=kpm, attn_mask=am)
    return (out * c3_out).sum() + (w * c3_w).sum()


case("sep grads", lambda: grads(sep_loss, sep, q3, k3, v3, float_pad, bool_mask))
case("unbatched 3d mask", lambda: mha(x[:, 0], x[:, 0], x[:, 0], attn_mask=rand(2, 3, 3)))

# --- TransformerEncoderLayer / TransformerEncoder (one shape throughout: compiled kernels are shared) --------
post = set_weights(nn.TransformerEncoderLayer(8, 2, 16), 4)
print("encoder layer params", params(post))
print("encoder layer training", post.training, post.dropout_num, post.activation1)
src = rand(3, 2, 8)
case("encoder layer relu post-norm", lambda: post(src, src_mask=rand(3, 3)))
case("encoder layer unbatched", lambda: post(src[:, 1]))

pre = set_weights(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation=ops.gelu, batch_first=True,
                                             norm_first=True, layer_norm_eps=1e-3), 5)
src_b = rand(2, 3, 8)
src_pad = Tensor(np.array([[False, False, True], [False, False, False]]))
c5 = rand(2, 3, 8)
case("encoder layer gelu norm-first padding", lambda: pre(src_b, src_key_padding_mask=src_pad))


def pre_loss(x, kpm):
    return (pre(x, src_key_padding_mask=kpm) * c5).sum()


case("encoder layer norm-first grads", lambda: grads(pre_loss, pre, src_b, src_pad, positions=0))

encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True), 2,
                                nn.LayerNorm((8,)))
print("encoder params", params(encoder))
print("encoder layers start equal", all(
    bool((a.asnumpy() == b.asnumpy()).all())
    for a, b in zip(encoder.layers[0].get_parameters(), encoder.layers[1].get_parameters())))
print("encoder repr", repr(encoder))
set_weights(encoder, 6)
causal = Tensor(np.triu(np.ones((4, 3, 3), np.bool_), 1))
case("encoder causal", lambda: encoder(src_b, src_mask=causal))


def encoder_loss(x, mask, kpm):
    return (encoder(x, src_mask=mask, src_key_padding_mask=kpm) * c5).sum()


case("encoder grads", lambda: grads(encoder_loss, encoder, src_b, causal, src_pad, positions=0))
plain = set_weights(nn.TransformerEncoder(post, 1), 8)
case("encoder no norm", lambda: plain(src))

# --- TransformerDecoderLayer / Transformer (forward) ------------------------------------------------------------
transformer = set_weights(nn.Transformer(8, 2, 1, 1, 16, dropout=0.0, activation="gelu", batch_first=True), 9)
print("transformer params", [name for name, _ in transformer.parameters_and_names()])
case("transformer", lambda: transformer(src_b, rand(2, 3, 8), tgt_mask=rand(3, 3), memory_key_padding_mask=src_pad))
decoder_layer = set_weights(nn.TransformerDecoderLayer(8, 2, 16, norm_first=True), 10)
case("decoder layer norm-first", lambda: decoder_layer(rand(3, 2, 8), src, memory_mask=rand(3, 3)))

# --- errors ------------------------------------------------------------------------------------------------------
case("init not divisible", lambda: nn.MultiheadAttention(7, 2))
case("query 4d", lambda: mha(rand(1, 3, 2, 8), rand(1, 3, 2, 8), rand(1, 3, 2, 8)))
case("key 2d", lambda: mha(x, rand(3, 8), x))
case("key value shapes", lambda: mha(x, rand(4, 2, 8), rand(5, 2, 8)))
case("embed dim", lambda: mha(rand(3, 2, 6), rand(3, 2, 6), rand(3, 2, 6)))
case("key embed dim", lambda: mha(x, rand(4, 2, 6), rand(4, 2, 6)))
case("separate key weights", lambda: sep(q3, rand(4, 2, 5), v3))
case("separate lengths", lambda: sep(q3, k3, rand(5, 2, 6)))
case("padding int", lambda: mha(x, x, x, key_padding_mask=Tensor(np.zeros((2, 3), np.int32))))
case("padding 1d", lambda: mha(x, x, x, key_padding_mask=Tensor(np.zeros((3,), np.bool_))))
case("padding shape", lambda: mha(x, x, x, key_padding_mask=Tensor(np.zeros((2, 4), np.bool_))))
case("mask int", lambda: mha(x, x, x, attn_mask=Tensor(np.zeros((3, 3), np.int32))))
case("mask 1d", lambda: mha(x, x, x, attn_mask=rand(3)))
case("mask 2d shape", lambda: mha(x, x, x, attn_mask=rand(3, 4)))
case("mask 3d shape", lambda: mha(x, x, x, attn_mask=rand(2, 3, 3)))
case("unbatched mask 3d shape", lambda: mha(x[:, 0], x[:, 0], x[:, 0], attn_mask=rand(4, 3, 3)))
case("unbatched padding 2d", lambda: mha(x[:, 0], x[:, 0], x[:, 0],
                                         key_padding_mask=Tensor(np.zeros((1, 3), np.bool_))))
case("layer padding int", lambda: post(src, src_key_padding_mask=Tensor(np.zeros((2, 3), np.int32))))
case("encoder padding int", lambda: encoder(src_b, src_key_padding_mask=Tensor(np.zeros((2, 3), np.int32))))
case("layer embed dim", lambda: post(rand(3, 2, 6)))
case("layer nhead", lambda: nn.TransformerEncoderLayer(8, 3))
case("layer dropout", lambda: nn.TransformerEncoderLayer(8, 2, dropout=1.5))
case("layer activation tanh", lambda: nn.TransformerEncoderLayer(8, 2, activation="tanh"))
case("layer activation cell", lambda: nn.TransformerEncoderLayer(8, 2, activation=nn.ReLU()))
case("layer activation other cell", lambda: nn.TransformerEncoderLayer(8, 2, activation=nn.Tanh()))
case("layer activation function", lambda: nn.TransformerEncoderLayer(8, 2, activation=ops.tanh))
case("layer activation int", lambda: nn.TransformerEncoderLayer(8, 2, activation=3))
case("encoder float layers", lambda: nn.TransformerEncoder(post, 2.0))
case("encoder zero layers", lambda: len(nn.TransformerEncoder(post, 0).layers))
case("transformer features", lambda: transformer(src_b, rand(2, 3, 6)))
