"""``mindspore.vjp`` / ``jvp`` / ``jacfwd`` / ``jacrev`` and ``ops.derivative``, on the `grad.linearize` engine.

Forward mode is the transpose of msjax's reverse mode (the "double vjp"): ``u -> vjp(u)`` is linear, and the vjp of
that map, applied to a tangent ``v``, is ``J v``. So forward-mode results go through exactly the rules reverse mode
uses -- custom bprops included (a `jax.custom_vjp` cannot be forward-differentiated by `jax.jvp`).
"""
from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from . import context, state
from .grad import (Linearized, as_weight_list, check_grad_position, given_sens, linearize, split_liftable,
                   weight_gradients)
from .tensor import Tensor


def _is_tensor(x):
    return isinstance(x, Tensor)


def _aux_result(lin: Linearized):
    """vjp/jvp/jac report auxiliary outputs bare when there is one, as a tuple when there are several."""
    aux = tuple(lin.output[1:])
    return aux[0] if len(aux) == 1 else aux


def _main_structure(lin: Linearized, raw_values):
    """``lin.main_output`` with its differentiable Tensor leaves replaced by ``raw_values`` (others by zeros)."""
    by_slot = dict(zip(lin.diff_slots, raw_values))
    leaves = list(lin.out_leaves)
    for slot in lin.main_slots:
        value = by_slot.get(slot)
        leaf = leaves[slot]
        leaves[slot] = Tensor._from_raw(value if value is not None else jnp.zeros(leaf.shape, leaf._data.dtype))
    full = jax.tree_util.tree_unflatten(lin.out_tree, leaves)
    return full[0] if lin.main_output is not lin.output else full


def _input_cotangent_dtypes(lin: Linearized, args):
    return [np.dtype(args[p]._data.dtype) for p in lin.positions]


def _transpose_vjp(lin: Linearized, n_weights: int):
    """The forward (jvp) map of ``lin``: input tangents -> output tangents, by transposing its vjp."""
    zeros = tuple(jnp.zeros(lin.out_leaves[slot].shape, dtype)
                  for slot, dtype in zip(lin.diff_slots, lin._cotangent_dtypes))
    _, transpose = jax.vjp(lambda cts: lin._vjp(cts), zeros)

    def push(input_tangents, weight_tangents=None):
        if weight_tangents is None:
            weight_tangents = tuple(jnp.zeros(w.shape, w._data.dtype) for w in lin.weights[:n_weights])
        (out_tangents,) = transpose((tuple(input_tangents), tuple(weight_tangents)))
        return out_tangents
    return push


# --- vjp -----------------------------------------------------------------------------------------------------

def vjp(fn, *inputs, weights=None, has_aux=False):
    """``(out, vjp_fn)`` (plus ``aux`` with has_aux); ``vjp_fn(v)`` returns a tuple of input gradients, and
    ``((input grads), weight grads)`` when ``weights`` are given."""
    pynative = context.is_pynative()
    weight_list, bare_weight = ([], False) if weights is None else as_weight_list(weights)
    lifted = split_liftable(weight_list, pynative)
    lin = linearize(fn, inputs, {}, None, lifted, has_aux=has_aux)

    def vjp_fn(*v):
        if not v:
            raise RuntimeError("vjp_fn needs the cotangent of the output: call vjp_fn(v) with v shaped like the "
                               "output of fn.")
        cotangent = v[0] if len(v) == 1 else v
        input_grads, lifted_grads = lin.gradients(given_sens(lin, cotangent))
        grads = tuple(input_grads)
        if weights is None:
            return grads
        weight_grads = weight_gradients(weight_list, lifted, lifted_grads)
        return grads, (weight_grads[0] if bare_weight else tuple(weight_grads))

    if has_aux:
        return lin.main_output, vjp_fn, _aux_result(lin)
    return lin.main_output, vjp_fn


# --- jvp -----------------------------------------------------------------------------------------------------

def _as_tuple(values, what):
    items = values if isinstance(values, tuple) else (values,)
    for item in items:
        if not isinstance(item, Tensor):
            raise TypeError(f"For 'jvp', the '{what}' must be a Tensor or a tuple of Tensors, but got "
                            f"{type(item).__name__}.")
    return items


def jvp(fn, inputs, v, has_aux=False):
    """``(out, J v)`` (plus ``aux`` with has_aux), computed through msjax's reverse mode transposed."""
    primals = _as_tuple(inputs, "inputs")
    tangents = _as_tuple(v, "v")
    if len(tangents) != len(primals):
        raise ValueError(f"For 'jvp', 'v' must have one tangent per input: {len(primals)} input(s) but "
                         f"{len(tangents)} tangent(s).")
    for primal, tangent in zip(primals, tangents):
        if tuple(primal.shape) != tuple(tangent.shape):
            raise ValueError(f"For 'jvp', each tangent must have its input's shape, but got an input of shape "
                             f"{list(primal.shape)} and a tangent of shape {list(tangent.shape)}.")
    lin = linearize(fn, primals, {}, None, (), has_aux=has_aux)
    push = _transpose_vjp(lin, 0)
    dtypes = _input_cotangent_dtypes(lin, primals)
    out_tangents = push([t._data.astype(d) for t, d in zip(tangents, dtypes)])
    result = (lin.main_output, _main_structure(lin, out_tangents))
    return result + (_aux_result(lin),) if has_aux else result


# --- Jacobians -----------------------------------------------------------------------------------------------

def _jacobian_args(fn, grad_position, args, name):
    positions = check_grad_position(grad_position)
    for position in positions:
        if position >= len(args):
            raise ValueError("The element in grad_position must belong to [0, args_num).")
    for position in positions:
        if not isinstance(args[position], Tensor):
            raise TypeError(f"For '{name}', the input at grad_position {position} must be a Tensor, but got "
                            f"{type(args[position]).__name__}.")
    return positions


def _pack_jacobian(lin: Linearized, blocks, grad_position):
    """blocks[o][i]: Jacobian of differentiable output o w.r.t. selected input i, shaped out.shape + in.shape."""
    per_output = [blocks_o[0] if isinstance(grad_position, int) else tuple(blocks_o) for blocks_o in blocks]
    return _main_structure_objects(lin, per_output)


def _main_structure_objects(lin: Linearized, objects):
    by_slot = dict(zip(lin.diff_slots, objects))
    leaves = [by_slot.get(slot, leaf) for slot, leaf in enumerate(lin.out_leaves)]
    full = jax.tree_util.tree_unflatten(lin.out_tree, leaves)
    return full[0] if lin.main_output is not lin.output else full


def _jacobian(fn, grad_position, has_aux, args, forward):
    name = "jacfwd" if forward else "jacrev"
    positions = _jacobian_args(fn, grad_position, args, name)
    lin = linearize(fn, args, {}, list(positions), (), has_aux=has_aux)
    in_shapes = [tuple(args[p].shape) for p in positions]
    out_shapes = [tuple(lin.out_leaves[slot].shape) for slot in lin.diff_slots]
    in_dtypes = _input_cotangent_dtypes(lin, args)
    if forward:
        push = _transpose_vjp(lin, 0)
        columns = []  # columns[i][o]: (in_size_i, *out_shape_o)
        for i, (shape, dtype) in enumerate(zip(in_shapes, in_dtypes)):
            size = math.prod(shape)
            basis = jnp.eye(size, dtype=dtype).reshape((size,) + shape)
            others = [jnp.zeros((size,) + s, d) for s, d in zip(in_shapes, in_dtypes)]
            others[i] = basis
            columns.append(jax.vmap(lambda *tangents: push(tangents))(*others))
        blocks = [[jnp.moveaxis(columns[i][o], 0, -1).reshape(out_shapes[o] + in_shapes[i])
                   for i in range(len(positions))] for o in range(len(out_shapes))]
    else:
        rows = []  # rows[o][i]: (out_size_o, *in_shape_i)
        for o, (shape, dtype) in enumerate(zip(out_shapes, lin._cotangent_dtypes)):
            size = math.prod(shape)
            basis = jnp.eye(size, dtype=dtype).reshape((size,) + shape)
            cts = [jnp.zeros((size,) + s, d) for s, d in zip(out_shapes, lin._cotangent_dtypes)]
            cts[o] = basis
            rows.append(jax.vmap(lambda *c: lin._vjp(tuple(c))[0])(*cts))
        blocks = [[rows[o][i].reshape(out_shapes[o] + in_shapes[i]) for i in range(len(positions))]
                  for o in range(len(out_shapes))]
    tensors = [[Tensor._from_raw(b) for b in row] for row in blocks]
    jac = _pack_jacobian(lin, tensors, grad_position)
    return (jac, _aux_result(lin)) if has_aux else jac


def jacrev(fn, grad_position=0, has_aux=False):
    """``mindspore.jacrev``: the Jacobian (shape ``out.shape + in.shape``) by reverse mode."""
    return lambda *args: _jacobian(fn, grad_position, has_aux, args, forward=False)


def jacfwd(fn, grad_position=0, has_aux=False):
    """``mindspore.jacfwd``: the Jacobian by forward mode (msjax's transposed reverse mode)."""
    return lambda *args: _jacobian(fn, grad_position, has_aux, args, forward=True)


# --- derivative ----------------------------------------------------------------------------------------------

def derivative(fn, primals, order):
    """``ops.derivative``: ``(fn(x), d^n/dt^n fn(x + t))`` at t = 0 (Taylor mode, by nested `jax.jvp`).

    As in MindSpore, custom rules (Cell.bprop, registered bprops) are not used: this is the forward's own
    derivative."""
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"For 'derivative', 'order' must be a positive int, but got {order!r}.")
    primal_tuple = _as_tuple(primals, "primals")
    raw = tuple(p._data for p in primal_tuple)
    ones = tuple(jnp.ones_like(r) for r in raw)

    def pure(*xs):
        out = fn(*[Tensor._from_raw(x) for x in xs])
        if not isinstance(out, Tensor):
            raise TypeError(f"For 'derivative', fn must return a Tensor, but it returned {type(out).__name__}.")
        return out._data

    def nth(n):
        if n == 0:
            return pure
        inner = nth(n - 1)
        return lambda *xs: jax.jvp(inner, xs, ones)[1]

    with state.true_derivatives():
        value, result = pure(*raw), nth(order)(*raw)
    return Tensor._from_raw(value), Tensor._from_raw(result)
