"""``nn.MultiheadAttention``, ``nn.TransformerEncoderLayer``/``TransformerDecoderLayer``, ``nn.TransformerEncoder``/
``TransformerDecoder`` and ``nn.Transformer`` as MindSpore 2.10 has them: Parameter names and inits, argument
checks and errors, return structures. The attention itself is one op (`attention_ops`)."""
from __future__ import annotations

import copy
import math

from . import dtype as mstype
from . import functional as F
from . import nn_ops as N
from .attention_ops import MultiheadAttentionForward
from .cell import Cell
from .containers import CellList
from .initializer import HeUniform, Uniform, XavierNormal, XavierUniform, initializer
from .layers_activation import GELU, ReLU
from .layers_basic import Dense, Dropout
from .layers_normalization import LayerNorm
from .parameter import Parameter


def _is_float(x):
    return x.dtype.is_floating_point


def _check_ranks(query, key, value, key_padding_mask, attn_mask, num_heads):
    if query.ndim == 3:
        if key.ndim != 3 or value.ndim != 3:
            raise ValueError(f"For batched `query`, the `key` and `value` must be 3D tensor, but got `key` with "
                             f"{key.ndim}D and `value` with {value.ndim}D.")
    elif query.ndim == 2:
        if key.ndim != 2 or value.ndim != 2:
            raise ValueError(f"For unbatched `query`, the `key` and `value` must be 2D tensor, but got `key` with "
                             f"{key.ndim}D and `value` with {value.ndim}D.")
    else:
        raise ValueError(f"The `query` should be unbatched 2D or batched 3D tensor, but got `query` with "
                         f"{query.ndim}D.")
    kind = "batched" if query.ndim == 3 else "unbatched"
    if key_padding_mask is not None and key_padding_mask.ndim != query.ndim - 1:
        raise ValueError(f"For {kind} `query`, the `key_padding_mask` must be `None` or {query.ndim - 1}D, but got "
                         f"`key_padding_mask` with {key_padding_mask.ndim}D.")
    if attn_mask is not None:
        if attn_mask.ndim not in (2, 3):
            raise ValueError(f"For {kind} `query`, the `attn_mask` must be `None`, 2-D or 3-D, but got `attn_mask` "
                             f"with{attn_mask.ndim}D.")
        expected = (num_heads, query.shape[0], key.shape[0])
        if query.ndim == 2 and attn_mask.ndim == 3 and attn_mask.shape != expected:
            raise ValueError(f"The shape of `attn_mask` must to be {expected}, but got {attn_mask.shape}.")


def _check_projections(mha, query, key, value):
    """The shape and dtype errors MindSpore's in-projection matmuls raise, for sequence-first batched shapes."""
    e = query[-1]
    if mha._qkv_same_embed_dim:
        if key != value:
            raise ValueError(f"The shape of `key` {key} does not match `value` {value}.")
        if key[-1] != e:
            raise RuntimeError(f"For 'MatMulExt' op, shape1[-1] must be equal to shape2[-2], but got {key[-1]} and "
                               f"{e}.")
        return
    if key[:2] != value[:2]:
        raise ValueError(f"The sequence length and batch dims of `key`: {key[:2]} do not match `value`: "
                         f"{value[:2]}.")
    for name, w, x in (("query", mha.q_proj_weight, query), ("key", mha.k_proj_weight, key),
                       ("value", mha.v_proj_weight, value)):
        if w.shape != (e, x[-1]):
            raise ValueError(f"Expecting {name} weights shape of {(e, x[-1])}, but got {w.shape}")


def _check_mask(attn_mask, tgt_len, src_len, bsz, num_heads):
    if attn_mask.dtype != mstype.uint8 and not _is_float(attn_mask) and attn_mask.dtype != mstype.bool_:
        raise ValueError(f"`attn_mask` only support float, byte, and bool types, but got not {attn_mask.dtype}.")
    expected = (tgt_len, src_len) if attn_mask.ndim == 2 else (bsz * num_heads, tgt_len, src_len)
    if attn_mask.shape != expected:
        raise ValueError(f"The shape of the `attn_mask` should be {expected}, but got {attn_mask.shape}.")


def multi_head_attention(mha, query, key, value, key_padding_mask, attn_mask, average_attn_weights):
    """MindSpore's ``multi_head_attention_forward``: its checks here, its computation in one op."""
    num_heads = mha.num_heads
    _check_ranks(query, key, value, key_padding_mask, attn_mask, num_heads)
    batched = query.ndim == 3
    shapes = [x.shape if batched else (x.shape[0], 1, x.shape[1]) for x in (query, key, value)]
    if batched and mha.batch_first:
        shapes = [(s[1], s[0], s[2]) for s in shapes]
    q_shape, k_shape, v_shape = shapes
    tgt_len, bsz, embed_dim = q_shape
    if embed_dim != mha.embed_dim:
        raise ValueError(f"The `embed_dim` should be {mha.embed_dim}, but got {embed_dim}.")
    _check_projections(mha, q_shape, k_shape, v_shape)
    weight = mha.in_proj_weight if mha._qkv_same_embed_dim else mha.q_proj_weight
    for x in (query, key, value):
        if x.dtype != weight.dtype:
            raise TypeError(f"For 'MatMulExt', the type of 'x2' should be same as 'x1', but got 'x1' with type "
                            f"Tensor[{x.dtype}] and 'x2' with type Tensor[{weight.dtype}].")
    if k_shape[1] != bsz:  # MindSpore's view of the projected key into heads fails
        proposed = ", ".join(str(d) for d in (k_shape[0], bsz * num_heads, embed_dim // num_heads))
        raise ValueError(f"proposed_shape '[const vector]{{{proposed}}}' is invalid for input of size "
                         f"{k_shape[0] * k_shape[1] * embed_dim}")
    if attn_mask is not None:
        _check_mask(attn_mask, tgt_len, k_shape[0], bsz, num_heads)
    extra = (mha.bias_k is not None) + bool(mha.add_zero_attn)  # key columns the bias and zero attention add
    src_len = k_shape[0] + extra
    if key_padding_mask is not None:
        rows, columns = key_padding_mask.shape if batched else (1, key_padding_mask.shape[0])
        if (rows, columns + extra) != (bsz, src_len):
            raise ValueError(f"The shape of `key_padding_mask` should be {(bsz, src_len)}, but got "
                             f"{(rows, columns + extra)}.")
    keep = None
    if 0. < mha.dropout <= 1. and mha.training:
        keep = N.Dropout(1 - mha.dropout)(F.ones((bsz, num_heads, tgt_len, src_len), query.dtype))[1]
    op = MultiheadAttentionForward(num_heads, batched, mha.batch_first, mha.add_zero_attn, average_attn_weights,
                                   mha.dtype.np_dtype, 1 - mha.dropout)
    return op(query, key, value, mha.in_proj_weight, mha.q_proj_weight, mha.k_proj_weight, mha.v_proj_weight,
              mha.in_proj_bias, mha.bias_k, mha.bias_v, mha.out_proj.weight, mha.out_proj.bias, attn_mask,
              key_padding_mask, keep)


class MultiheadAttention(Cell):
    """``MultiheadAttention(embed_dim, num_heads, dropout=0.0, has_bias=True, add_bias_kv=False, add_zero_attn=False,
    kdim=None, vdim=None, batch_first=False, dtype=float32)``. Returns ``(output, weights)``, or ``(output,)`` when
    ``need_weights=False``. Parameters: ``in_proj_weight`` (3E, E) XavierUniform (or ``q/k/v_proj_weight`` when
    kdim/vdim differ from embed_dim), ``in_proj_bias`` zeros, ``out_proj`` a Dense, ``bias_k``/``bias_v``
    XavierNormal (1, 1, E)."""

    def __init__(self, embed_dim, num_heads, dropout=0.0, has_bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, dtype=mstype.float32):
        super().__init__()
        self.embed_dim = embed_dim
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise ValueError("The init argument 'embed_dim' must be divisible by 'num_heads'.")
        dtype = mstype.float32 if dtype is None else dtype
        self.in_proj_weight = self.q_proj_weight = self.k_proj_weight = self.v_proj_weight = None
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(initializer(XavierUniform(), (3 * embed_dim, embed_dim), dtype),
                                            "in_proj_weight")
        else:
            for name, dim in (("q_proj_weight", embed_dim), ("k_proj_weight", self.kdim),
                              ("v_proj_weight", self.vdim)):
                setattr(self, name, Parameter(initializer(XavierUniform(), (embed_dim, dim), dtype), name))
        self.in_proj_bias = (Parameter(initializer("zeros", (3 * embed_dim,), dtype), "in_proj_bias") if has_bias
                             else None)
        self.out_proj = Dense(embed_dim, embed_dim, has_bias=has_bias, weight_init=HeUniform(math.sqrt(5)),
                              bias_init=Uniform(1 / math.sqrt(embed_dim)), dtype=dtype)
        self.bias_k = self.bias_v = None
        if add_bias_kv:
            self.bias_k = Parameter(initializer(XavierNormal(), (1, 1, embed_dim), dtype), "bias_k")
            self.bias_v = Parameter(initializer(XavierNormal(), (1, 1, embed_dim), dtype), "bias_v")
        self.add_zero_attn = add_zero_attn
        self.dtype = dtype

    def construct(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                  average_attn_weights=True):
        if key_padding_mask is not None and key_padding_mask.dtype != mstype.bool_ and not _is_float(key_padding_mask):
            raise ValueError("only bool and floating types of key_padding_mask are supported")
        out, weights = multi_head_attention(self, query, key, value, key_padding_mask, attn_mask,
                                            average_attn_weights)
        return (out, weights) if need_weights else (out,)


def _check_padding_mask(mask):
    if mask is not None and mask.dtype != mstype.bool_ and not _is_float(mask):
        raise AssertionError("only bool and floating types of key_padding_mask are supported")


class _TransformerLayer(Cell):
    """What the encoder and decoder layers share: attention blocks, the feed-forward block and its activation
    ('relu'/'gelu', ``ops.relu`` or ``ops.gelu``; MindSpore 2.10 refuses every Cell, nn.ReLU and nn.GELU too)."""

    def __init__(self, attentions, d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first,
                 norm_first, dtype):
        super().__init__()
        for name in attentions:
            setattr(self, name, MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=batch_first,
                                                   dtype=dtype))
        self.dense1 = Dense(d_model, dim_feedforward, weight_init=HeUniform(math.sqrt(5)),
                            bias_init=Uniform(1 / math.sqrt(d_model)), dtype=dtype)
        self.dropout = Dropout(p=dropout)
        self.dense2 = Dense(dim_feedforward, d_model, weight_init=HeUniform(math.sqrt(5)),
                            bias_init=Uniform(1 / math.sqrt(dim_feedforward)), dtype=dtype)
        self.norm_first = norm_first
        for i in range(1, len(attentions) + 2):
            setattr(self, f"norm{i}", LayerNorm((d_model,), epsilon=layer_norm_eps, dtype=dtype))
        for i in range(1, len(attentions) + 2):
            setattr(self, f"dropout{i}", Dropout(p=dropout))
        self.activation1 = activation
        if not isinstance(activation, (str, Cell)) and not callable(activation):
            raise ValueError(f"The argument 'activation' must be str, callable or Cell instance, but get "
                             f"{activation}.")
        if isinstance(activation, Cell) and not isinstance(activation, (ReLU, GELU)):
            raise ValueError(f"The argument 'activation' must be nn.ReLU or nn.GELU instance, but get {activation}.")
        if callable(activation) and activation is not F.relu and activation is not F.gelu:
            raise ValueError(f"The argument 'activation' must be ops.relu or ops.gelu instance, but get "
                             f"{activation}.")
        if isinstance(activation, str):
            if activation not in ("relu", "gelu"):
                raise ValueError(f"The activation must be relu/gelu, but get {activation}")
            activation = F.relu if activation == "relu" else F.gelu
        self.activation = activation
        self.d_model = d_model
        self.nhead = nhead
        self.dim_feedforward = dim_feedforward
        self.dropout_num = dropout
        self.layernorm_eps = layer_norm_eps
        self.batch_first = batch_first
        self.dtype = dtype

    def _config(self):
        return (self.d_model, self.nhead, self.dim_feedforward, self.dropout_num, self.activation1,
                self.layernorm_eps, self.batch_first, self.norm_first)

    def _attend(self, attention, dropout, x, memory, attn_mask, key_padding_mask):
        out = attention(x, memory, memory, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                        need_weights=False)[0]
        return dropout(out)

    def _feed_forward(self, x, dropout):
        return dropout(self.dense2(self.dropout(self.activation(self.dense1(x)))))


class TransformerEncoderLayer(_TransformerLayer):
    """``TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation='relu',
    layer_norm_eps=1e-5, batch_first=False, norm_first=False, dtype=float32)``: self-attention and feed-forward
    blocks, each with a residual and a LayerNorm (after the block, or before it when ``norm_first``)."""

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu", layer_norm_eps=1e-5,
                 batch_first=False, norm_first=False, dtype=mstype.float32):
        super().__init__(("self_attn",), d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                         batch_first, norm_first, dtype)

    def construct(self, src, src_mask=None, src_key_padding_mask=None):
        _check_padding_mask(src_key_padding_mask)
        x = src
        if self.norm_first:
            normed = self.norm1(x)
            x = x + self._attend(self.self_attn, self.dropout1, normed, normed, src_mask, src_key_padding_mask)
            return x + self._feed_forward(self.norm2(x), self.dropout2)
        x = self.norm1(x + self._attend(self.self_attn, self.dropout1, x, x, src_mask, src_key_padding_mask))
        return self.norm2(x + self._feed_forward(x, self.dropout2))


class TransformerDecoderLayer(_TransformerLayer):
    """``TransformerDecoderLayer(...)`` (the encoder layer's arguments): self-attention over ``tgt``, attention over
    ``memory`` and feed-forward blocks, each with a residual and a LayerNorm."""

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu", layer_norm_eps=1e-5,
                 batch_first=False, norm_first=False, dtype=mstype.float32):
        super().__init__(("self_attn", "multihead_attn"), d_model, nhead, dim_feedforward, dropout, activation,
                         layer_norm_eps, batch_first, norm_first, dtype)

    def construct(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                  memory_key_padding_mask=None):
        x = tgt
        if self.norm_first:
            normed = self.norm1(x)
            x = x + self._attend(self.self_attn, self.dropout1, normed, normed, tgt_mask, tgt_key_padding_mask)
            x = x + self._attend(self.multihead_attn, self.dropout2, self.norm2(x), memory, memory_mask,
                                 memory_key_padding_mask)
            return x + self._feed_forward(self.norm3(x), self.dropout3)
        x = self.norm1(x + self._attend(self.self_attn, self.dropout1, x, x, tgt_mask, tgt_key_padding_mask))
        x = self.norm2(x + self._attend(self.multihead_attn, self.dropout2, x, memory, memory_mask,
                                        memory_key_padding_mask))
        return self.norm3(x + self._feed_forward(x, self.dropout3))


class TransformerEncoder(Cell):
    """``TransformerEncoder(encoder_layer, num_layers, norm=None)``. As in MindSpore 2.10, the layers are
    ``num_layers`` deep copies of a NEW layer built from ``encoder_layer``'s arguments: they start equal to each
    other, and ``encoder_layer``'s own Parameters are not used."""

    def __init__(self, encoder_layer, num_layers, norm=None):
        super().__init__()
        layer = TransformerEncoderLayer(*encoder_layer._config(), dtype=encoder_layer.dtype)
        self.layers = CellList([copy.deepcopy(layer) for _ in range(num_layers)])
        self.num_layers = num_layers
        self.norm = norm

    def construct(self, src, src_mask=None, src_key_padding_mask=None):
        _check_padding_mask(src_key_padding_mask)
        for layer in self.layers:
            src = layer(src, src_mask=src_mask, src_key_padding_mask=src_key_padding_mask)
        return src if self.norm is None else self.norm(src)


class TransformerDecoder(Cell):
    """``TransformerDecoder(decoder_layer, num_layers, norm=None)``: deep copies of a new layer, as the encoder."""

    def __init__(self, decoder_layer, num_layers, norm=None):
        super().__init__()
        layer = TransformerDecoderLayer(*decoder_layer._config(), dtype=decoder_layer.dtype)
        self.layers = CellList([copy.deepcopy(layer) for _ in range(num_layers)])
        self.num_layers = num_layers
        self.norm = norm

    def construct(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                  memory_key_padding_mask=None):
        for layer in self.layers:
            tgt = layer(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                        tgt_key_padding_mask=tgt_key_padding_mask, memory_key_padding_mask=memory_key_padding_mask)
        return tgt if self.norm is None else self.norm(tgt)


class Transformer(Cell):
    """``Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
    dropout=0.1, activation='relu', custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-5,
    batch_first=False, norm_first=False, dtype=float32)``: an encoder and a decoder, each ending in a LayerNorm;
    every Parameter of 2 or more dimensions is then re-drawn from XavierUniform."""

    def __init__(self, d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
                 dropout=0.1, activation="relu", custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-5,
                 batch_first=False, norm_first=False, dtype=mstype.float32):
        super().__init__()
        config = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first)
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            self.encoder = TransformerEncoder(TransformerEncoderLayer(*config, dtype=dtype), num_encoder_layers,
                                              LayerNorm((d_model,), epsilon=layer_norm_eps, dtype=dtype))
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            self.decoder = TransformerDecoder(TransformerDecoderLayer(*config, dtype=dtype), num_decoder_layers,
                                              LayerNorm((d_model,), epsilon=layer_norm_eps, dtype=dtype))
        for _, p in self.parameters_and_names():
            if p.ndim > 1:
                p.set_data(initializer("xavier_uniform", p.shape, p.dtype))
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def construct(self, src, tgt, src_mask=None, tgt_mask=None, memory_mask=None, src_key_padding_mask=None,
                  tgt_key_padding_mask=None, memory_key_padding_mask=None):
        # MindSpore 2.10 compares src's batch size with itself, so only the feature check can fail
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise ValueError("The number of features for 'src' and 'tgt' must be equal to `d_model`.")
        memory = self.encoder(src, src_mask=src_mask, src_key_padding_mask=src_key_padding_mask)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask)
