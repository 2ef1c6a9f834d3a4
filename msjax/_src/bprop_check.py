"""msjax-only: ``msjax.check_bprops()`` compares every custom backward rule with the derivative of its forward.

With checking on (``check_bprops(True)``, ``with check_bprops():`` or ``MSJAX_CHECK_BPROPS=1``), each time a rule
(``Cell.bprop``, a registered bprop, a ``Custom`` op's bprop) runs, `bprop.call_with_rule` hands its gradients of
the float Tensor inputs here, with the forward and the same ``dout``. They are compared with `jax.vjp` of the
forward run with custom rules suspended (`state.true_derivatives`); a forward JAX cannot differentiate (a pyfunc
``Custom`` op) is compared by central finite differences. A difference beyond the dtype's tolerance is reported as a
`BpropCheckWarning`, never raised: straight-through estimators and other deliberate surrogates differ on purpose.
The forward runs again for the check (its prints repeat).

Off, the check costs one module attribute read per rule call. Checked are rules that run on concrete values
(eager gradients, any order); under jit the comparison will have to run in a `jax.debug.callback`.
"""
from __future__ import annotations

import os
import warnings

import jax
import numpy as np

from . import state

enabled = os.environ.get("MSJAX_CHECK_BPROPS", "").strip() not in ("", "0")


class BpropCheckWarning(UserWarning):
    """A custom backward rule differs from the derivative of its forward (reported by `check_bprops`)."""


class check_bprops:
    """``msjax.check_bprops(enable=True)``: turn the check on (off with ``enable=False``). As a context manager,
    the previous setting comes back on exit."""

    def __init__(self, enable=True):
        global enabled
        self._previous = enabled
        enabled = bool(enable)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        global enabled
        enabled = self._previous
        return False


def _concrete(values):
    """numpy copies of ``values``, or None when one is only known inside a trace (primals of eager tracers are
    known: a rule met at a higher order is checked on them)."""
    out = []
    for value in values:
        if isinstance(value, jax.core.Tracer):
            value = value.to_concrete_value()
            if value is None:
                return None
        out.append(np.asarray(value))
    return out


def _describe(arrays) -> str:
    from .dtype import from_numpy_dtype  # local: keeps this module light for bprop.py's import
    return ", ".join(f"{list(a.shape)} {from_numpy_dtype(a.dtype)}" for a in arrays)


def _tolerance(arrays, power):
    """eps ** power of the coarsest float dtype among ``arrays``."""
    return max(float(np.finfo(a.dtype).eps) for a in arrays) ** power


def compare(who, forward, inputs, douts, grads):
    """Warn when ``grads`` (the rule's gradients of ``inputs``) differ from the vjp of ``forward`` (``inputs`` ->
    list of outputs) applied to ``douts``."""
    if not inputs or not douts:
        return
    inputs, douts, grads = _concrete(inputs), _concrete(douts), _concrete(grads)
    if inputs is None or douts is None or grads is None:
        return
    try:
        with state.true_derivatives():
            _, vjp_fn = jax.vjp(forward, *inputs)
            true = [np.asarray(g) for g in vjp_fn(douts)]
    except Exception:  # noqa: BLE001  (a forward without JAX derivative, e.g. a pyfunc Custom op)
        _compare_numerically(who, forward, inputs, douts, grads)
        return
    worst = None
    tol = _tolerance(inputs, 0.5)
    for index, (mine, ref) in enumerate(zip(grads, true)):
        mine, ref = mine.astype(np.float64), ref.astype(np.float64)
        diff = np.abs(mine - ref)
        if diff.size == 0 or np.all(diff <= tol * (1 + np.abs(ref))):
            continue
        rel = float(np.max(diff / np.maximum(np.maximum(np.abs(mine), np.abs(ref)), np.finfo(np.float64).tiny)))
        if worst is None or float(diff.max()) > worst[1]:
            worst = (index, float(diff.max()), rel)
    if worst is not None:
        index, abs_diff, rel_diff = worst
        warnings.warn(f"check_bprops: {who} differs from the derivative of its forward (inputs: {_describe(inputs)}): "
                      f"largest absolute difference {abs_diff:.6g}, largest relative difference {rel_diff:.6g} "
                      f"(gradient of input {index}).", BpropCheckWarning)


def _directions(inputs, limit=64, samples=8):
    """Unit vectors along every input element (then the check is elementwise) up to ``limit`` elements; beyond,
    ``samples`` seeded random directions."""
    sizes = [x.size for x in inputs]
    total = sum(sizes)
    if total <= limit:
        for k in range(total):
            flat = np.zeros(total)
            flat[k] = 1
            yield [part.reshape(x.shape).astype(x.dtype) for part, x in
                   zip(np.split(flat, np.cumsum(sizes)[:-1]), inputs)]
        return
    rng = np.random.default_rng(0)
    for _ in range(samples):
        yield [rng.standard_normal(x.shape).astype(x.dtype) for x in inputs]


def _compare_numerically(who, forward, inputs, douts, grads):
    """<dout, J v> by central differences against <grads, v>, along each of `_directions`."""
    tol = _tolerance(inputs, 1 / 3)
    step = tol * max(1.0, max(float(np.max(np.abs(x), initial=0)) for x in inputs))
    worst = (0.0, 0.0)
    try:
        for direction in _directions(inputs):
            with state.true_derivatives():
                plus = forward(*[x + step * v for x, v in zip(inputs, direction)])
                minus = forward(*[x - step * v for x, v in zip(inputs, direction)])
            numeric = sum(float(np.sum(d.astype(np.float64) * (np.asarray(a, np.float64) - np.asarray(b, np.float64))))
                          for d, a, b in zip(douts, plus, minus)) / (2 * step)
            mine = sum(float(np.sum(g.astype(np.float64) * v)) for g, v in zip(grads, direction))
            diff = abs(mine - numeric)
            if diff > tol * (1 + abs(numeric)) and diff > worst[0]:
                worst = (diff, diff / max(abs(mine), abs(numeric)))
    except Exception as e:  # noqa: BLE001  (the check reports, never fails)
        warnings.warn(f"check_bprops: {who} could not be checked: {type(e).__name__}: {e}", BpropCheckWarning)
        return
    if worst[0]:
        warnings.warn(f"check_bprops: {who} differs from the derivative of its forward (inputs: {_describe(inputs)}): "
                      f"largest absolute difference {worst[0]:.6g}, largest relative difference {worst[1]:.6g} (by "
                      f"central finite differences: the forward has no JAX derivative).", BpropCheckWarning)
