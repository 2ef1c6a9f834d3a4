"""Interop with the JAX ecosystem (msjax only): a Cell as a pure JAX function, and a JAX function as an msjax op.

`to_jax` builds the pure function from the same `state.Frame` every msjax transform uses: the Cell's Parameters are
bound to the values passed in, its writes are collected in the frame and returned instead of written back. So the
function is pure (it never touches the Cell), runs under any JAX transform (``jax.jit``, ``jax.vmap``, ``jax.grad``
...), and a Parameter never keeps a tracer, also when the Cell raises (the frame is simply dropped).

The parameters are a plain dict ``name -> jax.Array``: any pytree tool takes them as they are -- optax optimizers,
orbax checkpointers (``orbax.checkpoint`` saves and restores such a dict), ``jax.tree_util``.

`from_jax` goes the other way: a function on JAX arrays becomes a function on Tensors, usable inside ``construct``.
msjax's transforms all run user code on JAX tracers under `jax.vjp` (forward mode transposes that vjp), so a plain JAX
function is differentiated by GradOperation, grad, vjp, jvp, jacfwd and jacrev with no rule of its own.
"""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from . import state
from .cell import Cell
from .tensor import Tensor


def _is_tensor(x):
    return isinstance(x, Tensor)


def _as_tensor(leaf):
    """An array leaf (jax array, tracer, numpy array) as a Tensor; Tensors and Python values pass unchanged."""
    if isinstance(leaf, (jax.Array, np.ndarray, np.generic)) and not isinstance(leaf, Tensor):
        return Tensor._from_raw(jnp.asarray(leaf))
    return leaf


def _as_array(leaf):
    # `_data`: a Parameter returned by the Cell gives the value bound in the frame, not its stored one.
    return leaf._data if isinstance(leaf, Tensor) else leaf


def _named_parameters(cell):
    """name -> Parameter, in `parameters_and_names` order, with the names the Cell has once called."""
    if not isinstance(cell, Cell):
        raise TypeError(f"Expected an nn.Cell, but got {type(cell).__name__}.")
    # The first call renames duplicate Parameter names to attribute paths; settle them now so the keys are final.
    cell.check_names_and_refresh_name()
    named = {}
    for path, param in cell.parameters_and_names():
        if param.name in named:
            raise ValueError(f"The Parameter at '{path}' has the name '{param.name}' of another Parameter; "
                             "to_jax keys Parameters by name, so names must be unique.")
        named[param.name] = param
    return named


def to_jax(cell):
    """``apply, params = msjax.to_jax(cell)``: the Cell as a pure JAX function, and its Parameters.

    ``params`` is a dict ``Parameter.name -> jax.Array`` of all the Cell's Parameters (non-trainable ones, such as
    moving statistics, included), a plain pytree for optax, orbax or ``jax.tree_util``.

    ``apply(params, *inputs, **kwargs) -> (outputs, updated_state)`` runs the Cell with its Parameters bound to
    ``params`` (same keys, shapes and dtypes). Inputs may be jax/numpy arrays or Tensors (in any pytree); outputs
    come back as jax arrays in the output's structure. ``updated_state`` maps the name of each Parameter the call
    wrote (``ops.assign``, ``set_data``, ...) to its new value; it is empty when the call wrote none. Merge it into
    ``params`` for the next call (``{**params, **updated_state}``) or load it with `load_jax_params`.

    ``apply`` never changes the Cell, so it works under ``jax.jit``, ``jax.vmap``, ``jax.grad`` and
    ``jax.value_and_grad`` (w.r.t. params and inputs; JAX refuses gradients w.r.t. integer leaves, so split those
    off first). Python-level state is read when ``apply`` is traced: ``cell.training``, and Parameters outside the
    Cell (globals, closures), which are constants of the trace. Writing such a Parameter is an error: ``apply``
    could not return it. Under ``jax.jit``, Python scalars passed as inputs arrive as arrays (hence Tensors); pass
    flags that must stay Python values as static arguments. Custom backward rules (``Cell.bprop``, registered
    bprops, backward hooks) are honoured by ``jax.grad`` but are ``jax.custom_vjp``s, which ``jax.jvp`` and
    ``jax.jacfwd`` refuse; use reverse mode for such Cells. ``updated_state`` is always returned (there is no flag
    to drop it) so one signature fits every Cell.
    """
    named = _named_parameters(cell)
    names = tuple(named)
    params = tuple(named.values())
    name_of = {param: name for name, param in named.items()}  # Parameters hash by identity

    def apply(params_values, *inputs, **kwargs):
        if set(params_values) != set(names):
            missing = [n for n in names if n not in params_values]
            extra = [n for n in params_values if n not in named]
            raise KeyError(f"apply takes exactly the Cell's Parameters; missing {missing}, unknown {extra}.")
        values = []
        for name, param in zip(names, params):
            value = jnp.asarray(params_values[name])
            current = param._data
            if value.shape != current.shape or value.dtype != current.dtype:
                raise ValueError(f"params['{name}'] has shape {value.shape} and dtype {value.dtype}, but the "
                                 f"Parameter has shape {current.shape} and dtype {current.dtype}.")
            values.append(value)
        inputs, kwargs = jax.tree_util.tree_map(_as_tensor, (inputs, kwargs), is_leaf=_is_tensor)
        with state.Frame(params, values) as frame:
            out = cell(*inputs, **kwargs)
            out = jax.tree_util.tree_map(_as_array, out, is_leaf=_is_tensor)
        updated = {}
        for param, value in zip(*frame.writes()):
            name = name_of.get(param)
            if name is None:
                raise ValueError(f"The call wrote Parameter '{param.name}', which is not a Parameter of the Cell "
                                 "given to to_jax, so the pure function cannot return it.")
            updated[name] = value
        return out, updated

    return apply, {name: param._data for name, param in named.items()}


def load_jax_params(cell, params):
    """Set the Cell's Parameters from a dict ``name -> array`` (``to_jax``'s params, a subset such as
    ``updated_state``, or a restored checkpoint). Values are cast to each Parameter's dtype, as ``set_data`` does."""
    named = _named_parameters(cell)
    unknown = [name for name in params if name not in named]
    if unknown:
        raise KeyError(f"The Cell has no Parameters named {unknown}.")
    for name, value in params.items():
        if isinstance(value, jax.core.Tracer):
            raise TypeError(f"params['{name}'] is a JAX tracer: load values outside jax transforms, e.g. the "
                            "results of a jitted step.")
        named[name].set_data(Tensor._from_raw(jnp.asarray(value)))


def from_jax(fn):
    """``msjax.from_jax(fn)``: ``fn``, a function on JAX arrays, as a function on Tensors.

    Tensor arguments (anywhere in pytrees) are passed as their arrays -- a Parameter as the value the active
    transform binds -- and array results come back as Tensors in the result's structure. Usable in ``construct``
    and differentiated by every msjax transform through ``fn``'s own JAX derivatives (a ``jax.custom_vjp`` in
    ``fn`` is honoured, except by ``ops.derivative``, which uses ``jax.jvp``). Integer inputs get no gradient
    through ``fn``.
    """
    if not callable(fn):
        raise TypeError(f"from_jax expects a callable, but got {type(fn).__name__}.")

    @functools.wraps(fn)
    def on_tensors(*args, **kwargs):
        args, kwargs = jax.tree_util.tree_map(_as_array, (args, kwargs), is_leaf=_is_tensor)
        return jax.tree_util.tree_map(_as_tensor, fn(*args, **kwargs), is_leaf=_is_tensor)

    return on_tensors
