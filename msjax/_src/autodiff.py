"""``mindspore.vjp`` / ``jvp`` / ``jacfwd`` / ``jacrev`` and ``ops.derivative``, on the `grad.linearize` engine.

Forward mode is the transpose of msjax's reverse mode (the "double vjp"): ``u -> vjp(u)`` is linear, and the vjp of
that map, applied to a tangent ``v``, is ``J v``. So forward-mode results go through exactly the rules reverse mode
uses -- custom bprops included (a `jax.custom_vjp` cannot be forward-differentiated by `jax.jvp`).
"""
from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from . import context, hooks, jit, primitive, state
from .grad import (Linearized, as_weight_list, cast_gradient, check_grad_position, given_sens, linearize,
                   split_liftable, weight_gradients)
from .tensor import Tensor


def _aux_result(lin: Linearized):
    """vjp/jvp/jac report auxiliary outputs bare when there is one, as a tuple when there are several."""
    aux = tuple(lin.output[1:])
    return aux[0] if len(aux) == 1 else aux


def _main_structure(lin: Linearized, raw_values):
    """``lin.main_output`` with its differentiable Tensor leaves replaced by ``raw_values`` (others by zeros), each
    cast to its output's dtype (an integer output's tangent is truncated, as MindSpore's integer ops compute it)."""
    by_slot = dict(zip(lin.diff_slots, raw_values))
    leaves = list(lin.out_leaves)
    for slot in lin.main_slots:
        value = by_slot.get(slot)
        leaf = leaves[slot]
        dtype = np.dtype(leaf._data.dtype)
        leaves[slot] = Tensor._from_raw(cast_gradient(value, dtype) if value is not None else
                                        jnp.zeros(leaf.shape, dtype))
    full = jax.tree_util.tree_unflatten(lin.out_tree, leaves)
    return full[0] if lin.main_output is not lin.output else full


def _tangent_dtypes(lin: Linearized):
    """The dtypes the vjp returns for the differentiated inputs: an integer input's gradient path is a float copy."""
    return [primitive.soft_float_dtype(d) if d.kind in "iub" else d for d in lin._input_dtypes]


def _check_has_aux(has_aux):
    if not isinstance(has_aux, bool):
        raise TypeError("The 'has_aux' must be bool type.")


def _check_callable(fn):
    """jvp, jacfwd and jacrev reject a non-callable ``fn`` with a ValueError (vjp and grad with a TypeError)."""
    if not callable(fn):
        raise ValueError("The object is not callable. Please check code.")


def _abstract_name(value) -> str:
    """MindSpore's name for a value's abstract type, as its type-join errors print it."""
    if isinstance(value, Tensor):
        return f"Tensor[{value.dtype}]"
    if isinstance(value, (tuple, list, dict)):
        return f"{type(value).__name__.capitalize()}[{', '.join(_abstract_name(v) for v in value)}]"
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "Bool"
    return {int: "Int64", float: "Float32"}.get(type(value), type(value).__name__)


def _check_tensor_outputs(main, allow_tuple, what):
    """jvp and the Jacobians take a Tensor output, or a flat tuple of Tensors (MindSpore builds its tangents and
    bases with OnesLike/Size, which refuse anything else)."""
    if isinstance(main, Tensor):
        return
    if allow_tuple and type(main) is tuple and all(isinstance(o, Tensor) for o in main):
        return
    raise TypeError(f"For '{what}', the output of fn must be a Tensor{' or a tuple of Tensors' if allow_tuple else ''}"
                    f", but got {_abstract_name(main)}.")


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
    if not callable(fn):
        raise TypeError(f"The fn should be callable, but got {type(fn).__name__}")
    _check_has_aux(has_aux)
    if not all(isinstance(i, (Tensor, tuple, list)) for i in inputs):
        raise TypeError("The inputs type must be Tensor.")
    pynative = context.is_pynative()
    weight_error = None
    try:
        weight_list, bare_weight = ([], False) if weights is None else as_weight_list(weights)
    except TypeError as error:  # MindSpore reports bad weights when vjp_fn is called
        weight_error, weight_list, bare_weight = error, [], False
    lifted = split_liftable(weight_list, pynative)
    lin = linearize(fn, inputs, {}, None, lifted, has_aux=has_aux)

    def vjp_fn(*v):
        if weight_error is not None:
            raise weight_error
        if not v:
            raise RuntimeError("Failure info [Can not find top cell for backward, please check your network whether "
                               "set grad or inputs of your network whether be inplace modified, this is forbidden!]: "
                               "vjp_fn needs the cotangent v of the output.")
        cotangent = v[0] if len(v) == 1 else v
        if not isinstance(cotangent, (Tensor, tuple, list)):  # no Python number for a 0-d output (grad allows it)
            raise TypeError("The inputs type must be Tensor.")
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
    items = tuple(values) if isinstance(values, (tuple, list)) else (values,)
    for item in items:
        if not isinstance(item, Tensor):
            raise TypeError(f"For '{what}', the inputs type must be a Tensor, tuple or list of Tensors, but got "
                            f"{_abstract_name(values)}.")
    return items


def _check_tangents(inputs, v):
    """MindSpore joins ``v`` with ``inputs``: a Tensor (or a 1-tuple, which is unwrapped) takes a Tensor, n > 1
    inputs take n tangents; each tangent has its input's dtype and shape."""
    if isinstance(inputs, (tuple, list)) and len(inputs) == 1:
        inputs = inputs[0]
    primals, tangents = _as_tuple(inputs, "jvp"), _as_tuple(v, "jvp")
    if isinstance(inputs, Tensor) and isinstance(v, (tuple, list)):
        raise TypeError("Type Join Failed: Abstract type AbstractTuple cannot join with AbstractTensor.")
    if len(tangents) != len(primals):
        raise ValueError(f"v has invalid length: should be {len(primals)}, but got {len(tangents)}")
    for primal, tangent in zip(primals, tangents):
        if tangent.dtype != primal.dtype:
            raise TypeError(f"Type Join Failed: dtype1 = {tangent.dtype}, dtype2 = {primal.dtype}.")
        if tuple(primal.shape) != tuple(tangent.shape):
            raise ValueError(f"For 'jvp', each tangent must have its input's shape, but got an input of shape "
                             f"{list(primal.shape)} and a tangent of shape {list(tangent.shape)}.")
    return primals, tangents


def _compiled_in_graph_mode(name, implementation):
    """In GRAPH_MODE a top-level call of ``implementation`` runs as one compiled function (the transformed
    function is a static argument: a Cell's or function's Parameters are lifted)."""
    compiled = jit.JitFunction(implementation, name=name, convert=False)

    @functools.wraps(implementation)
    def dispatch(*args, **kwargs):
        if not context.is_pynative() and not jit.tracing_now((args, kwargs)):
            return compiled(*args, **kwargs)
        return implementation(*args, **kwargs)
    return dispatch


def jvp(fn, inputs, v, has_aux=False):
    """``(out, J v)`` (plus ``aux`` with has_aux), computed through msjax's reverse mode transposed."""
    return _jvp_dispatch(fn, inputs, v, has_aux)


def _jvp(fn, inputs, v, has_aux):
    _check_callable(fn)
    _check_has_aux(has_aux)
    primals, tangents = _check_tangents(inputs, v)
    with hooks.suspended():  # MindSpore's jvp/jacfwd/jacrev never fire backward hooks
        lin = linearize(fn, primals, {}, None, (), has_aux=has_aux)
    _check_tensor_outputs(lin.main_output, True, "jvp")
    push = _transpose_vjp(lin, 0)
    out_tangents = push([t._data.astype(d) for t, d in zip(tangents, _tangent_dtypes(lin))])
    result = (lin.main_output, _main_structure(lin, out_tangents))
    return result + (_aux_result(lin),) if has_aux else result


# --- Jacobians -----------------------------------------------------------------------------------------------

def _jacobian_args(grad_position, args, forward):
    positions = check_grad_position(grad_position)
    if not positions:
        if forward:
            raise ValueError("Cannot perform modulo operation on zero.")
        raise RuntimeError("grad_position should not be empty when grad by position.")
    for position in positions:
        if position >= len(args):
            raise ValueError("The element in grad_position must belong to [0, args_num).")
    return positions


def _check_tensor_args(args, forward):
    """MindSpore sizes every argument, differentiated or not: any non-Tensor argument fails (jacrev after running
    fn, so fn's own errors come first)."""
    for arg in args:
        if not isinstance(arg, Tensor):
            name = _abstract_name(arg)
            if forward:
                raise TypeError(f"For 'Size', input must be a Tensor, but got: {name}.")
            raise AttributeError(f"'{'NoneType' if arg is None else name.split('[')[0].rstrip('0123456789')}' "
                                 f"object has no attribute 'shape'")


def _check_float(dtype, kind):
    """MindSpore builds the Jacobian's basis in float32 and joins it with the inputs (jacfwd) or outputs (jacrev):
    integer and bool ones fail. (Float16/64 fail too in MindSpore 2.10, a bug msjax does not copy.)"""
    if np.dtype(dtype).kind in "iub":
        raise TypeError(f"Type Join Failed: dtype1 = Float32, dtype2 = {kind}.")


def _jacobian(fn, grad_position, has_aux, args, forward):
    _check_callable(fn)
    _check_has_aux(has_aux)
    name = "jacfwd" if forward else "jacrev"
    positions = _jacobian_args(grad_position, args, forward)
    if not forward and not all(isinstance(a, Tensor) for a in args):
        with state.Frame():  # only to surface fn's own errors first, as MindSpore does; its writes are dropped
            fn(*args)
    _check_tensor_args(args, forward)
    if forward:
        for p in positions:
            _check_float(args[p]._data.dtype, args[p].dtype)
    with hooks.suspended():  # MindSpore's jvp/jacfwd/jacrev never fire backward hooks
        lin = linearize(fn, args, {}, list(positions), (), has_aux=has_aux)
    _check_tensor_outputs(lin.main_output, not has_aux, name)
    if not forward:
        for slot in lin.main_slots:
            _check_float(lin.out_leaves[slot]._data.dtype, lin.out_leaves[slot].dtype)
    in_shapes = [tuple(args[p].shape) for p in positions]
    out_shapes = [tuple(lin.out_leaves[slot].shape) for slot in lin.diff_slots]
    if forward:
        push = _transpose_vjp(lin, 0)
        in_dtypes = _tangent_dtypes(lin)
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
        # An integer input's Jacobian is cast to its dtype, as its gradient is.
        blocks = [[cast_gradient(rows[o][i], lin._input_dtypes[i]).reshape(out_shapes[o] + in_shapes[i])
                   for i in range(len(positions))] for o in range(len(out_shapes))]
    by_slot = dict(zip(lin.diff_slots, blocks))
    per_output = []
    for slot in lin.main_slots:
        leaf = lin.out_leaves[slot]
        row = by_slot.get(slot)
        if row is None:  # an output no gradient reaches (integer): zeros of its dtype
            row = [jnp.zeros(tuple(leaf.shape) + s, leaf._data.dtype) for s in in_shapes]
        row = [Tensor._from_raw(b) for b in row]
        per_output.append(row[0] if isinstance(grad_position, int) else tuple(row))
    jac = per_output[0] if isinstance(lin.main_output, Tensor) else tuple(per_output)
    return (jac, _aux_result(lin)) if has_aux else jac


_jvp_dispatch = _compiled_in_graph_mode("jvp", _jvp)
_jacobian_dispatch = _compiled_in_graph_mode("jacobian", _jacobian)


def jacrev(fn, grad_position=0, has_aux=False):
    """``mindspore.jacrev``: the Jacobian (shape ``out.shape + in.shape``) by reverse mode."""
    return lambda *args: _jacobian_dispatch(fn, grad_position, has_aux, args, forward=False)


def jacfwd(fn, grad_position=0, has_aux=False):
    """``mindspore.jacfwd``: the Jacobian by forward mode (msjax's transposed reverse mode)."""
    return lambda *args: _jacobian_dispatch(fn, grad_position, has_aux, args, forward=True)


# --- derivative ----------------------------------------------------------------------------------------------

def derivative(fn, primals, order):
    """``ops.derivative``: ``(fn(x), d^n/dt^n fn(x + t))`` at t = 0 (Taylor mode, by nested `jax.jvp`); a tuple
    output gives ``([outputs], [derivatives])``.

    As in MindSpore, custom rules (Cell.bprop, registered bprops) are not used: this is the forward's own
    derivative."""
    if not callable(fn):
        raise RuntimeError(f"'TaylorOperation' arg0 must be a 'Function' or 'Cell', but got {fn!r}")
    if isinstance(order, bool) or not isinstance(order, int):
        raise TypeError("For `F.derivative`, the type of order must be int.")
    if order < 1:
        raise ValueError(f"For `F.derivative`, value of order should not be less than 1, but got {order}.")
    if not isinstance(primals, (Tensor, tuple)) or (isinstance(primals, tuple)
                                                    and not all(isinstance(p, Tensor) for p in primals)):
        raise TypeError(f"For Primitive[Dtype], the input argument[input_x] must be a Tensor, CSRTensor or "
                        f"COOTensor, but got {type(primals)}.")
    primal_tuple = primals if isinstance(primals, tuple) else (primals,)
    # MindSpore differentiates integer primals as float32.
    raw = tuple(p._data.astype(np.float32) if np.dtype(p._data.dtype).kind in "iub" else p._data
                for p in primal_tuple)
    ones = tuple(jnp.ones_like(r) for r in raw)
    structure = {}

    def pure(*xs):
        out = fn(*[Tensor._from_raw(x) for x in xs])
        structure["tuple"] = isinstance(out, tuple)
        outs = out if isinstance(out, tuple) else (out,)
        if not all(isinstance(o, Tensor) for o in outs):
            raise TypeError(f"For 'derivative', fn must return a Tensor or a tuple of Tensors, but it returned "
                            f"{_abstract_name(out)}.")
        return tuple(o._data for o in outs)

    def nth(n):
        if n == 0:
            return pure
        inner = nth(n - 1)
        return lambda *xs: jax.jvp(inner, xs, ones)[1]

    # Parameter writes are made once, by the plain call; the derivative's traced calls write into a dropped frame.
    with state.true_derivatives():
        with state.Frame() as frame:
            values = pure(*raw)
        with state.Frame():
            results = nth(order)(*raw)
    state.write_back(*frame.writes())
    values, results = [Tensor._from_raw(v) for v in values], [Tensor._from_raw(r) for r in results]
    return (values, results) if structure["tuple"] else (values[0], results[0])
