"""Custom backward rules: ``bprop_getters.register(ops.Sin)`` and ``Cell.bprop``, both as one `jax.custom_vjp`.

A rule is ``bprop(*inputs, out, dout) -> tuple of input gradients``, called with Tensors. `call_with_rule` runs a
forward function under `jax.custom_vjp` whose backward is the rule. Parameters visible in the active frames are
explicit inputs of that custom_vjp (a custom_vjp must not close over tracers), and the rule reads them with the
same values as the forward did; following MindSpore, they get zero gradient from a custom rule.

Reverse mode only: forward-mode transforms (``jvp``, ``jacfwd``) through a custom rule are built by transposing
msjax's vjp, never by `jax.jvp` (which refuses custom_vjp functions).

MindSpore 2.10 ignores ``bprop_getters`` registrations for its built-in ops (it uses C++ expanders); MindSpore 1.x and
the autodiff tutorial honour them, and so does msjax.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from . import primitive, state
from .tensor import Tensor

# Bumped on every registration: compiled transforms key their caches on it.
registry_version = 0


class BpropRegistry:
    """``bprop_getters``: maps a primitive (class, instance or name) to ``getter(prim) -> bprop``."""

    def __init__(self):
        self._getters: dict = {}

    @staticmethod
    def _key(prim) -> str:
        if isinstance(prim, str):
            return prim
        if isinstance(prim, type):
            return prim.__name__
        if isinstance(prim, primitive.Primitive):
            return prim.name
        raise TypeError(f"bprop_getters.register expects a Primitive class, instance or name, but got {prim!r}.")

    def register(self, prim):
        key = self._key(prim)

        def decorator(getter):
            global registry_version
            self._getters[key] = getter
            primitive.custom_rules[key] = getter
            registry_version += 1
            return getter
        return decorator

    def get(self, prim, default=None):
        return self._getters.get(self._key(prim), default)

    def __contains__(self, prim):
        return self._key(prim) in self._getters

    def unregister(self, prim):
        """msjax-only: remove a registration (tests use it to restore the built-in gradient)."""
        global registry_version
        key = self._key(prim)
        self._getters.pop(key, None)
        primitive.custom_rules.pop(key, None)
        registry_version += 1


bprop_getters = BpropRegistry()
bprops = BpropRegistry()


def apply_registered_rule(prim, raw_args, kwargs):
    """Run primitive ``prim`` with its registered bprop as its gradient (called from `primitive.apply`)."""
    cache = prim.__dict__.get("_msjax_bprop")
    if cache is None or cache[0] != registry_version:
        cache = (registry_version, primitive.custom_rules[prim.name](prim))
        prim._msjax_bprop = cache
    bprop = cache[1]
    bound = primitive.call_signature(prim).bind(*raw_args, **kwargs)
    bound.apply_defaults()
    inputs = tuple(bound.arguments.values())

    def forward(*args):
        return prim.kernel(*[_raw_tree(a) for a in args])

    tensors = tuple(_wrap_tree(a) for a in inputs)
    out = call_with_rule(forward, bprop, tensors, who=f"the bprop registered for '{prim.name}'")
    return _raw_tree(out)


def _wrap_tree(value):
    if isinstance(value, (jax.Array, jax.core.Tracer)):
        return Tensor._from_raw(value)
    if isinstance(value, (tuple, list)):
        return type(value)(_wrap_tree(v) for v in value)
    return value


def _raw_tree(value):
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, (tuple, list)):
        return type(value)(_raw_tree(v) for v in value)
    return value


def _is_tensor(x):
    return isinstance(x, Tensor)


def call_with_rule(forward, bprop, args, *, who: str, strict_tuple: bool = False):
    """``forward(*args)`` whose gradient is ``bprop(*args, out, dout)``.

    ``args`` are user-level values (Tensors, tuples of Tensors, Python values). Tensor leaves become inputs of a
    `jax.custom_vjp`; everything else is closed over.
    """
    leaves, treedef = jax.tree_util.tree_flatten(args, is_leaf=_is_tensor)
    tensor_slots = [i for i, leaf in enumerate(leaves) if isinstance(leaf, Tensor)]
    xs = tuple(leaves[i]._data for i in tensor_slots)
    bindings = state.current_bindings()
    params = tuple(bindings)
    param_values = tuple(bindings[p] for p in params)
    structure = {}

    def rebuild(raw_xs):
        filled = list(leaves)
        for slot, value in zip(tensor_slots, raw_xs):
            filled[slot] = Tensor._from_raw(value)
        return jax.tree_util.tree_unflatten(treedef, filled)

    def run_forward(raw_xs, raw_params):
        with state.Frame(params, raw_params) as frame:
            out = _wrap_tree(forward(*rebuild(raw_xs)))
        out_leaves, out_tree = jax.tree_util.tree_flatten(out, is_leaf=_is_tensor)
        out_slots = [i for i, leaf in enumerate(out_leaves) if isinstance(leaf, Tensor)]
        written, written_values = frame.writes()
        structure.update(out_leaves=out_leaves, out_tree=out_tree, out_slots=out_slots, written=written)
        return tuple(out_leaves[i]._data for i in out_slots), tuple(written_values)

    @jax.custom_vjp
    def rule_call(raw_xs, raw_params):
        return run_forward(raw_xs, raw_params)

    def rule_fwd(raw_xs, raw_params):
        outputs = run_forward(raw_xs, raw_params)
        return outputs, (raw_xs, raw_params, outputs[0])

    def rule_bwd(residuals, cotangents):
        raw_xs, raw_params, raw_outs = residuals
        out_cts = cotangents[0]
        out = _rebuild_output(structure, raw_outs)
        dout = _rebuild_output(structure, out_cts)
        with state.Frame(params, raw_params):
            grads = bprop(*rebuild(raw_xs), out, dout)
        input_cts = _match_grads(grads, args, leaves, tensor_slots, raw_xs, who, strict_tuple)
        param_cts = tuple(jnp.zeros_like(v) if _is_float(v) else _float0(v) for v in raw_params)
        return input_cts, param_cts

    rule_call.defvjp(rule_fwd, rule_bwd)
    raw_outs, written_values = rule_call(xs, param_values)
    state.write_back(structure["written"], written_values)
    return _rebuild_output(structure, raw_outs)


def _rebuild_output(structure, raw_values):
    filled = list(structure["out_leaves"])
    for slot, value in zip(structure["out_slots"], raw_values):
        filled[slot] = Tensor._from_raw(value)
    return jax.tree_util.tree_unflatten(structure["out_tree"], filled)


def _is_float(value) -> bool:
    return np.dtype(value.dtype).kind in "fcV"


def _float0(value):
    return np.zeros(np.shape(value), dtype=jax.dtypes.float0)


def _match_grads(grads, args, leaves, tensor_slots, raw_xs, who, strict_tuple):
    """Cotangents for the Tensor leaves of ``args`` from the rule's returned gradients (one per argument)."""
    if isinstance(grads, Tensor) and not strict_tuple and len(args) == 1:
        grads = (grads,)
    if not isinstance(grads, (tuple, list)):
        raise TypeError(f"{who} must return a tuple with one gradient per input, but it returned "
                        f"{type(grads).__name__}.")
    if len(grads) < len(args):
        raise RuntimeError(f"{who} returned {len(grads)} gradient(s) for {len(args)} input(s). Return one gradient "
                           f"per input, in order (any placeholder, e.g. 0, for non-Tensor inputs).")
    grad_leaves = []  # aligned with `leaves`: one entry per leaf of each argument
    for arg, grad in zip(args, grads):
        count = len(jax.tree_util.tree_leaves(arg, is_leaf=_is_tensor))
        if count == 1:
            grad_leaves.append(grad)
        elif count > 1:
            parts = jax.tree_util.tree_leaves(grad, is_leaf=_is_tensor) if isinstance(grad, (tuple, list)) else ()
            if len(parts) != count:
                raise ValueError(f"{who} must return, for an input that is a tuple of {count} Tensors, a tuple of "
                                 f"{count} gradients.")
            grad_leaves.extend(parts)
    cotangents = []
    for slot, primal in zip(tensor_slots, raw_xs):
        grad = grad_leaves[slot] if slot < len(grad_leaves) else None
        if not _is_float(primal):
            cotangents.append(_float0(primal))
            continue
        value = grad._data if isinstance(grad, Tensor) else jnp.zeros_like(primal) if grad is None else jnp.asarray(
            grad)
        if tuple(value.shape) != tuple(primal.shape):
            try:
                value = jnp.broadcast_to(value, primal.shape)
            except ValueError:
                raise ValueError(f"{who} returned a gradient of shape {list(value.shape)} for an input of shape "
                                 f"{list(primal.shape)}; each gradient must have its input's shape.") from None
        cotangents.append(value.astype(primal.dtype))
    return tuple(cotangents)
