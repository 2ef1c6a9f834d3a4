"""The computation of ``nn.MultiheadAttention`` as one op: projections, masks, scaled dot-product attention and the
output projection in a single compiled kernel (one XLA call eagerly, one equation to differentiate), the steps and
their order as MindSpore 2.10's ``multi_head_attention_forward``. Argument checks live in the Cell
(`layers_transformer`), which calls this op with inputs it has checked."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from .math_ops import _matmul
from .primitive import Primitive


def _linear(x, w, b):
    out = _matmul(x, jnp.swapaxes(w, -1, -2))
    return out if b is None else out + b


def _pad_key(mask):
    """One more key column that is not masked (False, or 0.0 for additive masks)."""
    return jnp.concatenate([mask, jnp.zeros_like(mask[..., :1])], -1)


class MultiheadAttentionForward(Primitive):
    """``(query, key, value, in_proj_weight, q_proj_weight, k_proj_weight, v_proj_weight, in_proj_bias, bias_k,
    bias_v, out_proj_weight, out_proj_bias, attn_mask, key_padding_mask, dropout_keep)`` -> (output, weights).
    Inputs are batched or not as ``batched`` says, batched ones batch-first when ``batch_first``; either
    ``in_proj_weight`` (packed, (3E, E)) or the three separate weights is given. ``dropout_keep`` is the 0/1 keep
    mask of the attention weights' dropout (drawn by the Dropout op, so the op itself stays random-free)."""
    compile_eagerly = True
    inputs = ("query: Tensor", "key: Tensor", "value: Tensor", "in_proj_weight: Tensor|None",
              "q_proj_weight: Tensor|None", "k_proj_weight: Tensor|None", "v_proj_weight: Tensor|None",
              "in_proj_bias: Tensor|None", "bias_k: Tensor|None", "bias_v: Tensor|None", "out_proj_weight: Tensor",
              "out_proj_bias: Tensor|None", "attn_mask: Tensor|None", "key_padding_mask: Tensor|None",
              "dropout_keep: Tensor|None")
    attrs = {"num_heads": 1, "batched": True, "batch_first": False, "add_zero_attn": False,
             "average_attn_weights": True, "scale_dtype": np.float32, "keep_prob": 1.0}

    def kernel(self, query, key, value, in_proj_weight, q_proj_weight, k_proj_weight, v_proj_weight, in_proj_bias,
               bias_k, bias_v, out_proj_weight, out_proj_bias, attn_mask, key_padding_mask, dropout_keep):
        heads = self.num_heads
        if self.batched and self.batch_first:
            query, key, value = (jnp.swapaxes(x, 0, 1) for x in (query, key, value))
        if not self.batched:
            query, key, value = query[:, None], key[:, None], value[:, None]
            key_padding_mask = None if key_padding_mask is None else key_padding_mask[None]
        tgt_len, bsz, embed_dim = query.shape
        head_dim = embed_dim // heads
        e = embed_dim
        b_q, b_k, b_v = (None,) * 3 if in_proj_bias is None else (in_proj_bias[:e], in_proj_bias[e:2 * e],
                                                                   in_proj_bias[2 * e:])
        if in_proj_weight is not None:
            q_proj_weight, k_proj_weight, v_proj_weight = in_proj_weight[:e], in_proj_weight[e:2 * e], \
                in_proj_weight[2 * e:]
        q = _linear(query, q_proj_weight, b_q)
        k = _linear(key, k_proj_weight, b_k)
        v = _linear(value, v_proj_weight, b_v)
        if attn_mask is not None:
            if attn_mask.dtype == np.uint8:
                attn_mask = attn_mask.astype(bool)
            if attn_mask.ndim == 2:
                attn_mask = attn_mask[None]
        if bias_k is not None:
            k = jnp.concatenate([k, jnp.tile(bias_k, (1, bsz, 1))])
            v = jnp.concatenate([v, jnp.tile(bias_v, (1, bsz, 1))])
            attn_mask = None if attn_mask is None else _pad_key(attn_mask)
            key_padding_mask = None if key_padding_mask is None else _pad_key(key_padding_mask)
        q = jnp.swapaxes(q.reshape(tgt_len, bsz * heads, head_dim), 0, 1)
        k = jnp.swapaxes(k.reshape(k.shape[0], bsz * heads, head_dim), 0, 1)
        v = jnp.swapaxes(v.reshape(v.shape[0], bsz * heads, head_dim), 0, 1)
        if self.add_zero_attn:
            k = jnp.concatenate([k, jnp.zeros((bsz * heads, 1, head_dim), k.dtype)], 1)
            v = jnp.concatenate([v, jnp.zeros((bsz * heads, 1, head_dim), v.dtype)], 1)
            attn_mask = None if attn_mask is None else _pad_key(attn_mask)
            key_padding_mask = None if key_padding_mask is None else _pad_key(key_padding_mask)
        src_len = k.shape[1]
        if key_padding_mask is not None:
            key_padding_mask = jnp.tile(key_padding_mask.reshape(bsz, 1, 1, src_len), (1, heads, 1, 1)).reshape(
                bsz * heads, 1, src_len)
            if attn_mask is None:
                attn_mask = key_padding_mask
            elif attn_mask.dtype == bool:
                attn_mask = attn_mask | (key_padding_mask != 0)
            else:  # MindSpore adds the padding mask as it is: a bool one adds 1 where True
                attn_mask = attn_mask + key_padding_mask.astype(attn_mask.dtype if key_padding_mask.dtype == bool
                                                                else key_padding_mask.dtype)
        if attn_mask is not None:
            if attn_mask.dtype == bool:
                attn_mask = jnp.where(attn_mask, np.asarray(-np.inf, q.dtype), np.zeros((), q.dtype))
            attn_mask = attn_mask[None] if attn_mask.shape[0] == 1 else attn_mask.reshape(bsz, heads, -1, src_len)
        q = q.reshape(bsz, heads, tgt_len, head_dim)
        k = k.reshape(bsz, heads, src_len, head_dim)
        v = v.reshape(bsz, heads, src_len, head_dim)
        # MindSpore scales q and k each by head_dim ** 0.25 (two square roots in the Cell's dtype)
        scale = jnp.sqrt(jnp.sqrt(jnp.asarray(head_dim, self.scale_dtype)))
        attn = _matmul(q / scale, jnp.swapaxes(k, -1, -2) / scale)
        if attn_mask is not None:
            attn = attn + attn_mask
        attn = jax.nn.softmax(attn, axis=-1)
        if dropout_keep is not None:
            attn = jnp.where(dropout_keep != 0, attn / np.asarray(self.keep_prob, attn.dtype),
                             np.zeros((), attn.dtype))
        out = jnp.transpose(_matmul(attn, v), (2, 0, 1, 3)).reshape(bsz * tgt_len, embed_dim)
        out = _linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, -1)
        if self.average_attn_weights:
            attn = attn.sum(axis=1) / np.asarray(heads, attn.dtype)
        if not self.batched:
            out, attn = out[:, 0], attn[0]
        elif self.batch_first:
            out = jnp.swapaxes(out, 0, 1)
        return out, attn
