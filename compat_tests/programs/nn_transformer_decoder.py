"""nn.TransformerDecoderLayer, nn.TransformerDecoder and nn.Transformer (MindSpore 2.10): forward values and
gradients w.r.t. the inputs and every Parameter (weights set from numpy, dropout 0), with causal target masks and
memory padding masks. All batch-first with one pair of shapes, so compiled kernels are shared (nn_transformer.py
covers sequence-first attention gradients)."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from _probe import case

rng = np.random.default_rng(11)


def rand(*shape):
    return Tensor(rng.uniform(-1, 1, shape).astype(np.float32))


def set_weights(cell, seed):
    weights = np.random.default_rng(seed)
    for p in sorted(cell.get_parameters(), key=lambda p: p.name):
        p.set_data(Tensor(weights.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    return cell


def full(v):
    """Every value (a Tensor's repr elides the middle columns)."""
    return [full(i) for i in v] if isinstance(v, (tuple, list)) else v.asnumpy()


def grads(fn, cell, *args, positions=(0, 1)):
    return full(ms.grad(fn, grad_position=positions, weights=cell.trainable_params())(*args))


causal = Tensor(np.triu(np.ones((3, 3), np.bool_), 1))
memory_pad = Tensor(np.array([[False, False, True, False], [False, False, False, True]]))

# --- TransformerDecoderLayer: post-norm, causal self-attention, padded memory ---------------------
layer = set_weights(nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, batch_first=True), 21)
print("layer params", [name for name, _ in layer.parameters_and_names()])
tgt_b, memory_b, c_b = rand(2, 3, 8), rand(2, 4, 8), rand(2, 3, 8)
case("layer forward", lambda: full(layer(tgt_b, memory_b, tgt_mask=causal, memory_key_padding_mask=memory_pad)))


def layer_loss(tgt, memory, mask, kpm):
    return (layer(tgt, memory, tgt_mask=mask, memory_key_padding_mask=kpm) * c_b).sum()


case("layer grads", lambda: grads(layer_loss, layer, tgt_b, memory_b, causal, memory_pad))

# --- TransformerDecoder: 2 gelu layers, an additive causal mask and a final LayerNorm ---------------------------
decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, activation="gelu",
                                                           batch_first=True), 2, nn.LayerNorm((8,)))
print("decoder params", [name for name, _ in decoder.parameters_and_names()])
set_weights(decoder, 22)
tgt_d, memory_d = rand(2, 3, 8), rand(2, 4, 8)
float_causal = Tensor(np.triu(np.full((3, 3), -1e4, np.float32), 1))
case("decoder forward", lambda: full(decoder(tgt_d, memory_d, tgt_mask=float_causal,
                                                  memory_key_padding_mask=memory_pad)))


def decoder_loss(tgt, memory, mask, kpm):
    return (decoder(tgt, memory, tgt_mask=mask, memory_key_padding_mask=kpm) * c_b).sum()


case("decoder grads", lambda: grads(decoder_loss, decoder, tgt_d, memory_d, float_causal, memory_pad))

# --- Transformer: 1 encoder + 1 decoder layer, norm-first ------------------------------------------------------
transformer = set_weights(nn.Transformer(8, 2, 1, 1, 16, dropout=0.0, batch_first=True, norm_first=True), 23)
print("transformer params", [name for name, _ in transformer.parameters_and_names()])
src_t, tgt_t, c_t = rand(2, 4, 8), rand(2, 3, 8), rand(2, 3, 8)
case("transformer forward", lambda: full(transformer(src_t, tgt_t, tgt_mask=causal, src_key_padding_mask=memory_pad,
                                                     memory_key_padding_mask=memory_pad)))


def transformer_loss(src, tgt, mask, kpm):
    return (transformer(src, tgt, tgt_mask=mask, src_key_padding_mask=kpm, memory_key_padding_mask=kpm) * c_t).sum()


case("transformer grads", lambda: grads(transformer_loss, transformer, src_t, tgt_t, causal, memory_pad))
