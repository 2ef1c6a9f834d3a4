"""Custom backward rules: ``bprop_getters.register(ops.Sin)`` and ``Cell.bprop``, both as one `jax.custom_vjp`.

A rule is ``bprop(*inputs, out, dout) -> tuple of input gradients``, called with Tensors. `call_with_rule` runs a
forward function under `jax.custom_vjp` whose backward is the rule. Parameters visible in the active frames are
explicit inputs of that custom_vjp (a custom_vjp must not close over tracers), and the rule reads them with the
same values as the forward did; following MindSpore, they get zero gradient from a custom rule. The rule also
governs higher orders: an enclosing gradient that differentiates the forward meets the rule again (`rule_fwd`
re-enters the custom_vjp), and differentiates the rule's own ops for the backward.

Backward hooks (``ops.HookBackward``, ``Cell.register_backward_hook``; see hooks.py) are rules of this same kind on
an identity forward, run with ``hook=True``. With ``check_bprops`` on, every other rule is compared with the true
derivative of its forward (bprop_check.py).

Reverse mode only: forward-mode transforms (``jvp``, ``jacfwd``) through a custom rule are built by transposing
msjax's vjp, never by `jax.jvp` (which refuses custom_vjp functions).

MindSpore 2.10 ignores ``bprop_getters`` registrations for its built-in ops (it uses C++ expanders); MindSpore 1.x and
the autodiff tutorial honour them, and so does msjax.
"""
from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np

from . import bprop_check, primitive, state
from .tensor import Tensor, raw, wrap

_SymbolicZero = jax.custom_derivatives.SymbolicZero

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
        return prim.kernel(*[raw(a) for a in args])

    tensors = tuple(wrap(a) for a in inputs)
    out = call_with_rule(forward, bprop, tensors, who=f"the bprop registered for '{prim.name}'")
    return raw(out)


def _is_tensor(x):
    return isinstance(x, Tensor)


@jax.tree_util.register_static
@dataclasses.dataclass(frozen=True)
class _Static:
    """A Python value in a custom_vjp's residuals: pytree structure, not an array, so it stays a plain value under
    every transform (each differentiation level gets its own residuals)."""
    value: object


def call_with_rule(forward, bprop, args, *, who: str, kwargs=None, bare_ok: bool = True, hook: bool = False):
    """``forward(*args, **kwargs)`` whose gradient is ``bprop(*args, *kwargs.values(), out, dout)``.

    ``args`` are user-level values (Tensors, tuples of Tensors, Python values). Tensor leaves become inputs of a
    `jax.custom_vjp`; everything else is closed over. The rule returns one gradient per input (keyword inputs
    after positional ones); a gradient is cast to its input's dtype, must have its shape, and may be None (zeros);
    placeholders for non-Tensor inputs are dropped, extra gradients ignored. ``bare_ok``: a single input's gradient
    may be returned bare (PyNative; GRAPH requires a tuple).

    Integer outputs are differentiable here (MindSpore feeds the rule an integer ``dout``): they leave as
    `SoftIntTensor` and their cotangent comes back truncated to their dtype. Integer inputs that an enclosing
    gradient differentiates (`SoftIntTensor`) get the rule's gradient truncated, as MindSpore casts it.

    ``hook``: the rule observes or replaces gradients (a backward hook). It sees None, instead of zeros, for each
    input Tensor no enclosing gradient differentiates and each output Tensor no gradient reaches (JAX's symbolic
    zeros), and `check_bprops` leaves it alone.
    """
    kwargs = dict(kwargs or {})
    keys = tuple(kwargs)
    inputs = tuple(args) + tuple(kwargs[k] for k in keys)
    n_args = len(args)
    leaves, treedef = jax.tree_util.tree_flatten(inputs, is_leaf=_is_tensor)
    tensor_slots = [i for i, leaf in enumerate(leaves) if isinstance(leaf, Tensor)]
    soft_slots = {i for i in tensor_slots if isinstance(leaves[i], primitive.SoftIntTensor)}
    exact = tuple(leaves[i]._data for i in tensor_slots)
    softs = tuple(leaves[i]._soft for i in tensor_slots if i in soft_slots)
    bindings = state.current_bindings()
    params = tuple(bindings)
    param_values = tuple(bindings[p] for p in params)
    structure = {}

    def rebuild(raw_exact, raw_softs, soft=True, perturbed=None):
        filled = list(leaves)
        soft_iter = iter(raw_softs)
        for n, (slot, value) in enumerate(zip(tensor_slots, raw_exact)):
            if slot in soft_slots:
                carrier = next(soft_iter)
                filled[slot] = primitive.soft_input(value, carrier) if soft else Tensor._from_raw(value)
            else:
                filled[slot] = Tensor._from_raw(value)
            if perturbed is not None and not perturbed[n]:
                filled[slot] = None
        return jax.tree_util.tree_unflatten(treedef, filled)

    def split(values):
        return values[:n_args], dict(zip(keys, values[n_args:]))

    def run_forward(raw_exact, raw_softs, raw_params, record=True):
        call_args, call_kwargs = split(rebuild(raw_exact, raw_softs))
        with state.Frame(params, raw_params) as frame:
            out = wrap(forward(*call_args, **call_kwargs))
            out_leaves, out_tree = jax.tree_util.tree_flatten(out, is_leaf=_is_tensor)
            out_slots = [i for i, leaf in enumerate(out_leaves) if isinstance(leaf, Tensor)]
            out_values = tuple(out_leaves[i]._data for i in out_slots)
        int_slots = [i for i, v in zip(out_slots, out_values) if np.dtype(v.dtype).kind in "iub"]
        carriers = tuple(out_leaves[i]._data.astype(primitive.soft_float_dtype(out_leaves[i]._data.dtype))
                         for i in int_slots)
        written, written_values = frame.writes()
        if record:
            structure.update(out_leaves=out_leaves, out_tree=out_tree, out_slots=out_slots, int_slots=int_slots,
                             written=written)
        return out_values, carriers, tuple(written_values)

    @jax.custom_vjp
    def rule_call(raw_exact, raw_softs, raw_params):
        return run_forward(raw_exact, raw_softs, raw_params)

    def rule_fwd(raw_exact, raw_softs, raw_params):
        # symbolic_zeros: the primals come as CustomVJPPrimal(value, perturbed).
        soft_flags = iter([p.perturbed for p in raw_softs])
        perturbed = tuple(next(soft_flags) if slot in soft_slots else p.perturbed
                          for slot, p in zip(tensor_slots, raw_exact))
        raw_exact, raw_softs, raw_params = jax.custom_derivatives.custom_vjp_primal_tree_values(
            (raw_exact, raw_softs, raw_params))
        # Through `rule_call` again, not `run_forward`: when an enclosing gradient differentiates this forward
        # (higher order), it must meet the rule too, not the forward's own ops.
        outputs = rule_call(raw_exact, raw_softs, raw_params)
        return outputs, (raw_exact, raw_softs, raw_params, outputs[0], _Static(perturbed))

    def rule_bwd(residuals, cotangents):
        raw_exact, raw_softs, raw_params, raw_outs, perturbed = residuals
        out_cts, carrier_cts, _ = cotangents
        douts = _dout_values(structure, raw_outs, out_cts, carrier_cts, hook)
        out = _rebuild_output(structure, raw_outs)
        dout = _rebuild_output(structure, douts)
        call_inputs = rebuild(raw_exact, raw_softs, soft=False, perturbed=perturbed.value if hook else None)
        with state.Frame(params, raw_params):
            grads = bprop(*call_inputs, out, dout)
        exact_cts, soft_cts = _match_grads(grads, inputs, leaves, tensor_slots, soft_slots, raw_exact, raw_softs,
                                           who, bare_ok)
        if bprop_check.enabled and not hook:
            _check_rule(who, lambda values: run_forward(values, raw_softs, raw_params, record=False)[0],
                        raw_exact, tensor_slots, soft_slots, exact_cts, raw_outs, douts)
        return exact_cts, soft_cts, tuple(None for _ in raw_params)

    rule_call.defvjp(rule_fwd, rule_bwd, symbolic_zeros=True)
    raw_outs, carriers, written_values = rule_call(exact, softs, param_values)
    state.write_back(structure["written"], written_values)
    return _rebuild_output(structure, raw_outs, carriers)


def _check_rule(who, forward, raw_exact, tensor_slots, soft_slots, exact_cts, raw_outs, douts):
    """`check_bprops`: the rule's gradients of the float inputs against the vjp of ``forward`` (the exact input
    values -> the output values) with the same ``dout`` on the float outputs."""
    inputs = [i for i, (slot, v) in enumerate(zip(tensor_slots, raw_exact)) if slot not in soft_slots and _is_float(v)]
    outputs = [k for k, v in enumerate(raw_outs) if _is_float(v)]

    def float_forward(*values):
        full = list(raw_exact)
        for i, value in zip(inputs, values):
            full[i] = value
        outs = forward(tuple(full))
        return [outs[k] for k in outputs]

    bprop_check.compare(who, float_forward, [raw_exact[i] for i in inputs], [douts[k] for k in outputs],
                        [exact_cts[i] for i in inputs])


def _dout_values(structure, raw_outs, out_cts, carrier_cts, hook=False):
    """The rule's ``dout``: float outputs' cotangents, and for integer outputs their carriers' cotangents cast to
    the output dtype (as MindSpore hands an integer output's gradient to a bprop). Outputs no gradient reaches
    (symbolic zeros) get zeros, or None for a hook."""
    by_slot = dict(zip(structure["int_slots"], carrier_cts))
    values = []
    for slot, value, ct in zip(structure["out_slots"], raw_outs, out_cts):
        ct = by_slot.get(slot, ct)
        if isinstance(ct, _SymbolicZero):
            ct = None if hook else jnp.zeros(value.shape, value.dtype)
        elif slot in by_slot:
            ct = (ct != 0) if value.dtype == np.bool_ else jnp.trunc(ct).astype(value.dtype)
        values.append(ct)
    return values


def _rebuild_output(structure, raw_values, carriers=None):
    filled = list(structure["out_leaves"])
    by_slot = dict(zip(structure["int_slots"], carriers)) if carriers is not None else {}
    for slot, value in zip(structure["out_slots"], raw_values):
        if value is None:
            filled[slot] = None
        elif slot in by_slot and value.dtype != np.bool_:
            filled[slot] = primitive.soft_input(value, by_slot[slot])
        else:
            filled[slot] = Tensor._from_raw(value)
    return jax.tree_util.tree_unflatten(structure["out_tree"], filled)


def _is_float(value) -> bool:
    return np.dtype(value.dtype).kind in "fcV"


def _const_vector(shape):
    return "[const vector]{" + ", ".join(str(d) for d in shape) + "}"


def _match_grads(grads, inputs, leaves, tensor_slots, soft_slots, raw_exact, raw_softs, who, bare_ok):
    """Cotangents (for the exact values, for the soft copies) from the rule's gradients, one per input."""
    if isinstance(grads, Tensor):
        if not bare_ok:
            raise TypeError(f"For bprop function, output should be a tuple, but got AbstractTensor: {who} must "
                            f"return a tuple with one gradient per input.")
        grads = (grads,)
    if not isinstance(grads, (tuple, list)):
        raise TypeError(f"{who} must return a tuple with one gradient per input, but it returned "
                        f"{type(grads).__name__}.")
    if len(grads) < len(inputs):
        raise RuntimeError(f"Grad size should lager than forward inputs, but got {len(grads)} vs {len(inputs)}: "
                           f"{who} must return one gradient per input, in order (any placeholder, e.g. 0, for "
                           f"non-Tensor inputs).")
    grad_leaves = []  # aligned with `leaves`: one entry per leaf of each input
    for arg, grad in zip(inputs, grads):
        count = len(jax.tree_util.tree_leaves(arg, is_leaf=_is_tensor))
        if count == 1:
            grad_leaves.append(grad)
        elif count > 1:
            parts = jax.tree_util.tree_leaves(grad, is_leaf=_is_tensor) if isinstance(grad, (tuple, list)) else ()
            if len(parts) != count:
                raise ValueError(f"{who} must return, for an input that is a tuple of {count} Tensors, a tuple of "
                                 f"{count} gradients.")
            grad_leaves.extend(parts)
    exact_cts, soft_cts = [], []  # None: no gradient (a symbolic zero, so hooks further back see None too)
    soft_iter = iter(raw_softs)
    for slot, primal in zip(tensor_slots, raw_exact):
        is_soft = slot in soft_slots
        target = next(soft_iter) if is_soft else primal
        grad = grad_leaves[slot]
        value = None
        if grad is not None and (is_soft or _is_float(primal)):
            value = grad._data if isinstance(grad, Tensor) else jnp.asarray(grad)
            if tuple(value.shape) != tuple(primal.shape):
                raise RuntimeError(f"For grad interface or custom function, grad tensor should be broadcast to "
                                   f"expected shape, but got {_const_vector(value.shape)} vs "
                                   f"{_const_vector(primal.shape)}: {who} must return, for each input, a gradient "
                                   f"of the input's shape.")
            if is_soft:  # MindSpore casts the gradient to the integer input's dtype
                value = value.astype(target.dtype)
                value = (value != 0).astype(target.dtype) if primal.dtype == np.bool_ else jnp.trunc(value)
            else:
                value = value.astype(primal.dtype)
        if is_soft:
            exact_cts.append(None)
            soft_cts.append(value)
        else:
            exact_cts.append(value)
    return tuple(exact_cts), tuple(soft_cts)
