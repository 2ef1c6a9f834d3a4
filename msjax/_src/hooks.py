"""Backward hooks: ``ops.HookBackward`` and ``Cell.register_backward_hook`` / ``register_backward_pre_hook``.

As in MindSpore, a hook is an identity op whose backward calls Python: `bprop.call_with_rule` with ``hook=True``
on an identity forward, so hooks share the one custom_vjp mechanism of custom rules (Parameters, integer
gradients, higher orders). The rule gets the cotangents as Tensors (None where JAX has a symbolic zero: an output
no gradient reaches, an input no gradient is asked for) and returns the gradients to pass on.

A Cell with backward hooks wraps its Tensor arguments (after forward pre-hooks) and its output (after forward
hooks) in such identities. Backward meets the output first: the pre-hooks see and may replace ``grad_output``,
which is kept for this call; then, at the arguments, the backward hooks get ``(cell, grad_input, grad_output)``
and may replace ``grad_input``. Hooks fire once per call site and backward pass, in registration order, each
seeing its predecessor's result.

Hooks run with concrete values because gradients are eager. Under jit (planned) the cotangents are tracers: the
rule will call the user's hook through `jax.pure_callback` (result shapes: the cotangents', so a replacement
comes back as the callback's result), the hook seeing numpy-backed Tensors as it does now.

MindSpore's forward-mode transforms (``jvp``, ``jacfwd``) and ``jacrev`` do not fire hooks. msjax builds them on
its vjp, so they must run under `suspended`.
"""
from __future__ import annotations

import jax.numpy as jnp

from . import bprop, context, state
from .primitive import Primitive
from .tensor import Tensor

# On while hooks must not fire (forward-mode transforms built on the vjp): hooks neither fire nor replace gradients.
suspended = state.Suspension()


def _const_vector(shape):
    return "[const vector]{" + ", ".join(str(d) for d in shape) + "}"


def _signature(t: Tensor) -> str:
    return f"Tensor shape:[{_const_vector(t.shape)}]{t.dtype}"


def _check_replacements(result, grads, fn_name):
    """A hook's replacement gradients (a tuple like ``grads``) must be Tensors of the given ones' shapes and dtypes;
    None entries stay None (no gradient)."""
    for new, old in zip(result, grads):
        if new is None:
            continue
        if not isinstance(new, Tensor):
            raise TypeError(f"The output type of function: {fn_name} should be a tensor but got "
                            f"{type(new).__name__}.")
        if old is not None and (new.shape != old.shape or new.dtype != old.dtype):
            raise ValueError(f"The output type of function: {fn_name} is not consistent with the expected, it "
                             f"should be {_signature(old)}, but got {_signature(new)}: a backward hook must return "
                             f"gradients of the shapes and dtypes it was given.")
    return tuple(result)


def _identity(*tensors):
    return tensors


def _hooked(tensors, on_grads, who):
    """``tensors`` (a tuple) unchanged; in backward, ``on_grads(grads, tensors)`` gets their gradients (a tuple, None
    where JAX has a symbolic zero) and returns the gradients to pass on."""
    def rule(*inputs_out_dout):
        inputs, out, dout = inputs_out_dout[:-2], inputs_out_dout[-2], inputs_out_dout[-1]
        return tuple(on_grads(tuple(None if x is None else g for x, g in zip(inputs, dout)), out))
    return bprop.call_with_rule(_identity, rule, tensors, who=who, hook=True)


def active(values) -> bool:
    """Whether hooks on ``values`` can fire: a gradient is being taken and no forward-mode transform runs."""
    return not suspended and state.differentiating(values)


def check_hook_fn(hook_fn):
    if not callable(hook_fn):
        raise TypeError(f"Expected a callable hook function, but got {type(hook_fn).__name__}.")


def _as_replacement(result, grads, fn_name, count_message):
    """A Cell hook's return value as a tuple of replacement gradients (a bare Tensor stands for a 1-tuple)."""
    if isinstance(result, Tensor):
        result = (result,)
    if not isinstance(result, tuple):
        raise TypeError(f"The output type of function: {fn_name} should be a tensor but got "
                        f"{type(result).__name__}.")
    if len(result) != len(grads):
        raise TypeError(count_message.format(len(result), len(grads)))
    return _check_replacements(result, grads, fn_name)


# --- ops.HookBackward --------------------------------------------------------------------------------------------

def _element_type(value) -> str:
    from .dtype import default_np_dtype_for_python, from_numpy_dtype
    if isinstance(value, (bool, int, float)):
        return str(from_numpy_dtype(default_np_dtype_for_python(value)))
    return f"type '{type(value).__name__}'"


class HookBackward(Primitive):
    """``ops.HookBackward(hook_fn, cell_id="")``: identity on its Tensor inputs; in PyNative backward,
    ``hook_fn(grads)`` gets their gradients as a tuple (zeros where none flows) and may return replacements. GRAPH
    mode ignores the hook, as MindSpore does."""

    def __init__(self, hook_fn, cell_id=""):
        super().__init__()
        check_hook_fn(hook_fn)
        self.hook_fn = hook_fn
        self.cell_id = cell_id
        self.attrs = {"cell_id": cell_id}
        self.init_attrs = dict(self.attrs)

    def __call__(self, *inputs):
        for value in inputs:
            if not isinstance(value, Tensor):
                raise TypeError(f"For 'HookBackward', the element of 'input' must be Tensor, but got "
                                f"{_element_type(value)}.")
        if not context.is_pynative() or not active(inputs):
            return inputs[0] if len(inputs) == 1 else inputs
        out = _hooked(inputs, self._on_grads, who=f"the hook of {self!r}")
        return out[0] if len(inputs) == 1 else out

    def _on_grads(self, grads, tensors):
        grads = tuple(Tensor._from_raw(jnp.zeros(t.shape, t._data.dtype)) if g is None else g
                      for t, g in zip(tensors, grads))
        result = self.hook_fn(grads)
        if result is None:
            return grads
        name = getattr(self.hook_fn, "__name__", type(self.hook_fn).__name__)
        if len(grads) == 1:
            if isinstance(result, tuple) and len(result) == 1:
                result = result[0]
            if not isinstance(result, Tensor):
                raise TypeError(f"The output type of function: {name} should be a tensor but got "
                                f"{type(result).__name__}.")
            result = (result,)
        elif not isinstance(result, tuple):
            raise TypeError("The output gradient should be a tuple!")
        elif len(result) != len(grads):
            raise TypeError(f"The output gradient size is {len(result)}, but the hooked inputs are {len(grads)}: "
                            f"the hook must return one gradient per input.")
        return _check_replacements(result, grads, name)


# --- Cell backward hooks -----------------------------------------------------------------------------------------

class CellBackward:
    """One call of a Cell with backward hooks: the identities on its arguments and its output, and the
    ``grad_output`` that backward hands from the output's identity to the arguments'."""

    def __init__(self, cell):
        self.cell = cell
        self.grad_output = None
        self.inputs_hooked = False

    def _wrap(self, values, on_grads):
        slots = [i for i, v in enumerate(values) if isinstance(v, Tensor)]
        if not slots:
            return values
        hooked = _hooked(tuple(values[i] for i in slots), on_grads,
                         who=f"the backward hooks of {type(self.cell).__name__}")
        values = list(values)
        for i, tensor in zip(slots, hooked):
            values[i] = tensor
        return tuple(values)

    def wrap_inputs(self, args):
        """The positional Tensor arguments (MindSpore hooks neither keyword arguments nor Tensors in tuples)."""
        if not self.cell._backward_hook:
            return args
        wrapped = self._wrap(args, self._on_grad_input)
        self.inputs_hooked = wrapped is not args
        return wrapped

    def wrap_output(self, output):
        """A Tensor output, or the Tensors directly in a tuple output."""
        if isinstance(output, tuple):
            return self._wrap(output, self._on_grad_output)
        return self._wrap((output,), self._on_grad_output)[0]

    def _on_grad_output(self, grads, _tensors):
        cell = self.cell
        for hook_fn in tuple(cell._backward_pre_hook.values()):
            result = hook_fn(cell, grads)
            if result is not None:
                grads = _as_replacement(result, grads, "hook_backward_pre_grad",
                                        "The backward pre hook return value size is {} not equal to expect output "
                                        "size {}")
        self.grad_output = grads
        if not self.inputs_hooked:  # no Tensor argument: MindSpore still calls them, with grad_input (None,)
            self._on_grad_input((None,), ())
        return grads

    def _on_grad_input(self, grads, _tensors):
        cell = self.cell
        for hook_fn in tuple(cell._backward_hook.values()):
            result = hook_fn(cell, grads, self.grad_output)
            if result is not None:
                grads = _as_replacement(result, grads, "hook_backward_grad",
                                        "The backward hook return value size is {} not equal to expect grad input "
                                        "size {}")
        return grads
