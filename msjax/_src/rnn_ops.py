"""Recurrent kernels: one step of an Elman RNN, GRU or LSTM cell, and one layer direction as a `jax.lax.scan`.

A layer's loop compiles to a single scan over time (one trace of the step, whatever the sequence length), after one
matmul for the input projection of every step. The step is written with the MatMul/AddExt kernels, so wrong input
or state shapes raise the errors MindSpore's first time step raises. `RNNScan` also holds the checks of MindSpore's
fused CPU ``LSTM`` primitive, which ``nn.LSTM`` runs when no ``seq_length`` is given.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from . import math_ops as M
from .primitive import Primitive

_MATMUL = M.MatMul(transpose_b=True)
_ADD = M.AddExt()
MODES = ("RNN_TANH", "RNN_RELU", "GRU", "LSTM")


def input_gates(mode, x, w_ih, b_ih):
    """``x W_ih^T`` (+ ``b_ih`` except for LSTM, which adds both biases after the recurrent term, as MindSpore)."""
    out = _MATMUL.kernel(x, w_ih)
    return out if mode == "LSTM" or b_ih is None else _ADD.kernel(out, b_ih)


def step(mode, gi, state, w_hh, b_ih, b_hh):
    """The next state of a cell from its input gates ``gi``: ``h`` (RNN, GRU) or ``(h, c)`` (LSTM). Gate order:
    GRU r, z, n; LSTM i, f, g, o."""
    if mode == "LSTM":
        h, c = state
        gates = _ADD.kernel(gi, _MATMUL.kernel(h, w_hh))
        if b_ih is not None:
            gates = gates + b_ih + b_hh
        i, f, g, o = jnp.split(gates, 4, axis=1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        return jax.nn.sigmoid(o) * jnp.tanh(c), c
    gh = _MATMUL.kernel(state, w_hh)
    gh = gh if b_hh is None else _ADD.kernel(gh, b_hh)
    if mode == "GRU":
        i_r, i_z, i_n = jnp.split(gi, 3, axis=1)
        h_r, h_z, h_n = jnp.split(gh, 3, axis=1)
        r, z = jax.nn.sigmoid(_ADD.kernel(i_r, h_r)), jax.nn.sigmoid(i_z + h_z)
        n = jnp.tanh(i_n + r * h_n)
        return n + z * (state - n)
    pre = _ADD.kernel(gi, gh)
    return jnp.tanh(pre) if mode == "RNN_TANH" else jnp.maximum(pre, np.zeros((), pre.dtype))


def _check_float(mode, x):
    if x.dtype.kind != "f":
        # MindSpore's CPU kernel selection fails on the first activation (the fused LSTM: with an empty message)
        op = {"RNN_TANH": "Tanh", "RNN_RELU": "ReLU", "GRU": "Sigmoid"}.get(mode)
        raise TypeError(f"Select CPU operator[{op}] fail! Unsupported data type!" if op else "")


class RNNCellStep(Primitive):
    """``RNNCellStep(mode)(x, h, c, w_ih, w_hh, b_ih, b_hh)``: one step of ``nn.RNNCell/GRUCell/LSTMCell``
    (``c`` is None except for LSTM, which returns ``(h, c)``)."""
    compile_eagerly = True
    inputs = ("x: Tensor", "h: Tensor", "c: Tensor|None", "w_ih: Tensor", "w_hh: Tensor", "b_ih: Tensor|None",
              "b_hh: Tensor|None")
    attrs = {"mode": "RNN_TANH"}

    def kernel(self, x, h, c, w_ih, w_hh, b_ih, b_hh):
        state = h if c is None else (h, c)
        return step(self.mode, input_gates(self.mode, x, w_ih, b_ih), state, w_hh, b_ih, b_hh)


class RNNScan(Primitive):
    """``RNNScan(mode, reverse)(x, h, c, w_ih, w_hh, b_ih, b_hh, seq_length)``: one direction of one layer over
    a time-major ``x`` (T, batch, features) -> ``(outputs (T, batch, hidden), h_n[, c_n])``, weights cast to x's
    dtype. ``reverse`` runs from the last step to the first (the backward direction, outputs in time order). With
    ``seq_length``, step t of sequence b counts only while ``t < seq_length[b]``: later outputs are zero and the
    state is held, which for ``reverse`` is MindSpore's reverse-the-valid-prefix rule."""
    compile_eagerly = True
    inputs = ("x: Tensor", "h: Tensor", "c: Tensor|None", "w_ih: Tensor", "w_hh: Tensor", "b_ih: Tensor|None",
              "b_hh: Tensor|None", "seq_length: Tensor|None")
    attrs = {"mode": "RNN_TANH", "reverse": False}

    def kernel(self, x, h, c, w_ih, w_hh, b_ih, b_hh, seq_length):
        mode = self.mode
        if mode == "LSTM" and seq_length is None:
            _check_fused_lstm(x, h, c, w_ih)
        _check_float(mode, x)
        w_ih, w_hh = w_ih.astype(x.dtype), w_hh.astype(x.dtype)
        if b_ih is not None:
            b_ih, b_hh = b_ih.astype(x.dtype), b_hh.astype(x.dtype)
        state = h if c is None else (h, c)
        if x.ndim != 3:  # MindSpore's first step multiplies x[0] by W_ih: its MatMul rank error
            _MATMUL.kernel(x[0] if x.ndim else x, w_ih)
        # the input projection of all steps is one matmul; only the recurrent term is inside the loop
        gates = input_gates(mode, x.reshape(-1, x.shape[2]), w_ih, b_ih).reshape(x.shape[0], x.shape[1], -1)

        def body(carry, inputs):
            gi, t = inputs
            new = step(mode, gi, carry, w_hh, b_ih, b_hh)
            out = new[0] if mode == "LSTM" else new
            if seq_length is not None:
                valid = (t < seq_length.astype(np.int32))[:, None]
                new = jax.tree.map(lambda n, o: jnp.where(valid, n, o), new, carry)
                out = jnp.where(valid, out, jnp.zeros_like(out))
            return new, out

        steps = jnp.arange(x.shape[0], dtype=np.int32)
        final, outputs = jax.lax.scan(body, state, (gates, steps), reverse=self.reverse)
        return (outputs, *final) if mode == "LSTM" else (outputs, final)


def _check_fused_lstm(x, h, c, w_ih):
    """The shape checks of MindSpore's CPU ``LSTM`` primitive, which sees ``x`` and the layer's states (h, c)
    with a leading axis of 1."""
    def fail(what):
        raise ValueError(f"For primitive[LSTM], the {what}")
    if x.ndim != 3:
        fail(f"x_shape.size() must be equal to 3, but got {x.ndim}.")
    if x.shape[2] != w_ih.shape[1]:
        fail(f"x_shape[2] must be equal to {w_ih.shape[1]}, but got {x.shape[2]}.")
    if h.ndim != 2:
        fail(f"h_shape.size() must be equal to 3, but got {h.ndim + 1}.")
    if h.shape[0] != x.shape[1]:
        fail(f"h_shape[1] must be equal to {x.shape[1]}, but got {h.shape[0]}.")
    if h.shape[1] != w_ih.shape[0] // 4:
        fail(f"h_shape[2] must be equal to {w_ih.shape[0] // 4}, but got {h.shape[1]}.")
    if c.shape != h.shape:
        h_shape, c_shape = ("[1," + "".join(f"{d}," for d in s) + "]" for s in (h.shape, c.shape))
        fail(f"h_shape: {h_shape} must be equal to {c_shape}")
