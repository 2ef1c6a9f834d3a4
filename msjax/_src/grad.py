"""Reverse-mode autodiff: `linearize` (the engine every gradient API uses) and ``ops.GradOperation``.

`linearize` runs the user's function once under `jax.vjp`. Tensor arguments and the requested Parameters are the
inputs of a pure function; the Parameters are lifted by a `state.Frame`, so they are found however the function
reaches them (``self.w``, a global Cell, a closure). Parameter writes made during the call come back as auxiliary
outputs and are written back only after the call succeeded.

The packing of results into MindSpore's return structures lives in the `pack_*` helpers, one per API family.
"""
from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np

from . import context, primitive, state
from .parameter import Parameter
from .primitive import SoftIntTensor
from .tensor import Tensor


def _is_tensor(x):
    return isinstance(x, Tensor)


def _differentiable(leaf) -> bool:
    return isinstance(leaf, SoftIntTensor) or (isinstance(leaf, Tensor) and np.dtype(leaf._data.dtype).kind in "fcV")


@dataclasses.dataclass
class Linearized:
    """The result of `linearize`: the output, and a function from output cotangents to gradients."""
    output: object               # what the function returned (Tensors and Python values)
    out_leaves: list             # the output's leaves; differentiable ones are `diff_slots`
    out_tree: object
    diff_slots: list
    positions: list              # indices of the Tensor arguments that were differentiated
    weights: tuple
    _vjp: object
    _input_dtypes: list
    _cotangent_dtypes: list      # dtypes the vjp expects (float copies for integer outputs)

    def diff_outputs(self):
        return [self.out_leaves[i] for i in self.diff_slots]

    def gradients(self, cotangents):
        """(gradients of the Tensor arguments at `positions`, gradients of `weights`) for ``cotangents``."""
        input_grads, weight_grads = self._vjp(tuple(cotangents))
        inputs = [_cast_gradient(g, dtype) for g, dtype in zip(input_grads, self._input_dtypes)]
        return [Tensor._from_raw(g) for g in inputs], [Tensor._from_raw(g) for g in weight_grads]


def _cast_gradient(grad, dtype):
    """MindSpore casts the gradient of an integer input to its dtype (truncating); bool inputs get False."""
    if dtype.kind in "fcV":
        return grad
    if dtype == np.bool_:
        return jnp.zeros(grad.shape, np.bool_)
    return jnp.trunc(grad).astype(dtype)


def linearize(fn, args, kwargs=None, positions=None, weights=()) -> Linearized:
    """Run ``fn(*args, **kwargs)`` under `jax.vjp`, differentiating the Tensor args at ``positions`` (default:
    all Tensor args) and the Parameters ``weights``."""
    kwargs = kwargs or {}
    if positions is None:
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    weights = tuple(weights)
    input_dtypes = [np.dtype(args[i]._data.dtype) for i in positions]
    soft = [dtype.kind in "iub" for dtype in input_dtypes]
    xs = tuple(args[i]._data.astype(np.float64) if is_soft else args[i]._data
               for i, is_soft in zip(positions, soft))
    ws = tuple(w._data for w in weights)
    record = {}

    def pure(raw_xs, raw_ws):
        call_args = list(args)
        for i, x, is_soft, dtype in zip(positions, raw_xs, soft, input_dtypes):
            call_args[i] = SoftIntTensor.from_float(x, dtype) if is_soft else Tensor._from_raw(x)
        with state.Frame(weights, raw_ws) as frame:
            out = fn(*call_args, **kwargs)
        leaves, tree = jax.tree_util.tree_flatten(out, is_leaf=_is_tensor)
        diff_slots = [i for i, leaf in enumerate(leaves) if _differentiable(leaf)]
        other_slots = [i for i, leaf in enumerate(leaves) if _is_tensor(leaf) and i not in diff_slots]
        written, written_values = frame.writes()
        record.update(leaves=leaves, tree=tree, diff_slots=diff_slots, other_slots=other_slots, written=written)
        diff_raw = tuple(leaves[i]._data for i in diff_slots)
        return diff_raw, (tuple(leaves[i]._data for i in other_slots), tuple(written_values))

    previous_soft = primitive.soft_ints_active
    primitive.soft_ints_active = previous_soft or any(soft)
    try:
        diff_values, vjp_fn, (other_values, written_values) = jax.vjp(pure, xs, ws, has_aux=True)
    finally:
        primitive.soft_ints_active = previous_soft
    state.write_back(record["written"], written_values)
    # The leaves recorded inside `pure` hold tracers of the finished trace; rebuild the output from its results.
    leaves = list(record["leaves"])
    for slot, value in zip(record["diff_slots"], diff_values):
        traced = leaves[slot]
        leaves[slot] = (SoftIntTensor.from_float(value, traced._int_dtype).hard() if isinstance(traced, SoftIntTensor)
                        else Tensor._from_raw(value))
    for slot, value in zip(record["other_slots"], other_values):
        leaves[slot] = Tensor._from_raw(value)
    return Linearized(output=jax.tree_util.tree_unflatten(record["tree"], leaves), out_leaves=leaves,
                      out_tree=record["tree"], diff_slots=record["diff_slots"], positions=list(positions),
                      weights=weights, _vjp=vjp_fn, _input_dtypes=input_dtypes,
                      _cotangent_dtypes=[np.dtype(v.dtype) for v in diff_values])


# --- sensitivities -------------------------------------------------------------------------------------------

def _shape_str(shape):
    return "[" + ", ".join(str(d) for d in shape) + "]"


def default_sens(lin: Linearized):
    """Ones for every differentiable output (tuple, list and dict outputs contribute all their Tensors)."""
    return [jnp.ones(leaf.shape, dtype) for leaf, dtype in zip(lin.diff_outputs(), lin._cotangent_dtypes)]


def given_sens(lin: Linearized, sens):
    """Cotangents from a user's ``sens``, which must match the output's structure, shapes and dtypes."""
    output_is_tensor = isinstance(lin.output, Tensor)
    if not output_is_tensor and isinstance(sens, Tensor):
        raise RuntimeError("For 'GradOperation', the sensitivity must have the structure of the network's output: "
                           "the output is a tuple, so pass a tuple of Tensors as sens (The given sens gradient's "
                           "size should be same as out of network!).")
    if not isinstance(sens, Tensor) and output_is_tensor:
        raise RuntimeError(f"For grad interface or custom function, grad tensor should be broadcast to expected "
                           f"shape, but got {type(sens).__name__} vs {_shape_str(lin.output.shape)}: pass the "
                           f"sensitivity as a Tensor shaped like the output.")
    sens_leaves, sens_tree = jax.tree_util.tree_flatten(sens, is_leaf=_is_tensor)
    if sens_tree != lin.out_tree and len(sens_leaves) != len(lin.out_leaves):
        raise RuntimeError("The given sens gradient's size should be same as out of network! The network returned "
                           f"{len(lin.out_leaves)} value(s) but sens has {len(sens_leaves)}.")
    cotangents = []
    for slot, dtype in zip(lin.diff_slots, lin._cotangent_dtypes):
        out_leaf, sens_leaf = lin.out_leaves[slot], sens_leaves[slot]
        if not isinstance(sens_leaf, Tensor):
            raise RuntimeError(f"For grad interface or custom function, grad tensor should be broadcast to expected "
                               f"shape, but got {type(sens_leaf).__name__} vs {_shape_str(out_leaf.shape)}.")
        if tuple(sens_leaf.shape) != tuple(out_leaf.shape):
            raise ValueError(f"The shape should be {_shape_str(out_leaf.shape)}, but got "
                             f"{_shape_str(sens_leaf.shape)}: the sensitivity (sens) must have the shape of the "
                             f"output it scales.")
        if sens_leaf._data.dtype != out_leaf._data.dtype:
            raise TypeError(f"The dtype should be {out_leaf.dtype}, but got {sens_leaf.dtype}: the sensitivity "
                            f"(sens) must have the dtype of the output it scales.")
        cotangents.append(sens_leaf._data.astype(dtype))
    return cotangents


# --- weights -------------------------------------------------------------------------------------------------

def as_weight_list(weights):
    """(Parameters to lift, whether the result is a single bare gradient)."""
    if weights is None:
        return [], False
    if isinstance(weights, Tensor):
        return [weights], True
    return list(weights), False


def split_liftable(weights, mode_is_pynative):
    """Parameters that get true gradients, and for the rest zeros: plain Tensors, and in PyNative,
    Parameters with ``requires_grad=False`` (MindSpore's PyNative returns zeros for them; GRAPH the gradient)."""
    lifted = []
    for w in weights:
        if isinstance(w, Parameter) and (w.requires_grad or not mode_is_pynative) and w not in lifted:
            lifted.append(w)
    return lifted


def weight_gradients(weights, lifted, lifted_grads):
    by_param = dict(zip(lifted, lifted_grads))
    return [by_param[w] if w in by_param else Tensor._from_raw(jnp.zeros(w.shape, w._data.dtype)) for w in weights]


# --- GradOperation -------------------------------------------------------------------------------------------

class GradOperation:
    """``ops.GradOperation(get_all=False, get_by_list=False, sens_param=False)``."""

    def __init__(self, get_all=False, get_by_list=False, sens_param=False):
        for name, value in (("get_all", get_all), ("get_by_list", get_by_list), ("sens_param", sens_param)):
            if not isinstance(value, bool):
                raise TypeError(f"For 'GradOperation', the '{name}' should be bool, but got {type(value).__name__}.")
        self.get_all = get_all
        self.get_by_list = get_by_list
        self.sens_param = sens_param
        self.name = "GradOperation"

    def __call__(self, fn, weights=None):
        if not callable(fn):
            raise TypeError(f"The fn should be callable, but got {type(fn).__name__}")
        return _GradFunction(self, fn, weights)

    def __repr__(self):
        return "GradOperation"


def _default_weights(fn):
    trainable = getattr(fn, "trainable_params", None)
    return list(trainable()) if callable(trainable) else []


class _GradFunction:
    """What ``GradOperation(...)(fn, weights)`` returns: calling it computes the gradients."""

    def __init__(self, grad_op, fn, weights):
        self.grad_op = grad_op
        self.fn = fn
        self.weights = weights

    def __call__(self, *args, **kwargs):
        op = self.grad_op
        sens = None
        if op.sens_param:
            if not args:
                raise TypeError("For 'GradOperation' with sens_param=True, the gradient function needs the "
                                "sensitivity as its last positional argument, but got no arguments.")
            args, sens = args[:-1], args[-1]
        weights, bare_weight = ([], False)
        if op.get_by_list:
            weights, bare_weight = as_weight_list(self.weights if self.weights is not None
                                                  else _default_weights(self.fn))
        lifted = split_liftable(weights, context.is_pynative())
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        kw_tensors = [k for k, v in kwargs.items() if isinstance(v, Tensor)]
        fn, call_args = self.fn, args
        if kw_tensors:  # PyNative differentiates Tensors passed by keyword too, after the positional ones
            fn, call_args, positions = _with_kwargs_as_positions(self.fn, args, kwargs, kw_tensors, positions)
            kwargs = {k: v for k, v in kwargs.items() if k not in kw_tensors}
        lin = linearize(fn, call_args, kwargs, positions, lifted)
        cotangents = default_sens(lin) if sens is None else given_sens(lin, sens)
        input_grads, lifted_grads = lin.gradients(cotangents)
        weight_grads = weight_gradients(weights, lifted, lifted_grads)
        return pack_grad_operation(op, args, positions, input_grads, weight_grads, bare_weight)


def _with_kwargs_as_positions(fn, args, kwargs, kw_tensors, positions):
    n = len(args)

    def positional_fn(*all_args, **rest):
        return fn(*all_args[:n], **rest, **dict(zip(kw_tensors, all_args[n:])))
    return positional_fn, tuple(args) + tuple(kwargs[k] for k in kw_tensors), positions + list(
        range(n, n + len(kw_tensors)))


def pack_grad_operation(op, args, positions, input_grads, weight_grads, bare_weight):
    """MindSpore's return structures for GradOperation's 8 flag combinations."""
    if op.get_all:
        inputs = tuple(input_grads)
    elif positions and positions[0] == 0:
        inputs = input_grads[0]
    else:
        inputs = ()  # the first argument is not a Tensor: MindSpore returns an empty tuple
    if not op.get_by_list:
        return inputs
    weights = weight_grads[0] if bare_weight else tuple(weight_grads)
    if op.get_all:
        return inputs, weights
    return weights
