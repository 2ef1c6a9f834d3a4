"""The single op path: `Primitive` classes and `apply`, through which every op call runs.

An op is a `Primitive` subclass with

* ``inputs``: the names and accepted kinds of its call arguments (``"input: Tensor"``, ``"other: Number|Tensor"``),
  from which the argument checks and MindSpore's "Failed calling ..." message are derived;
* ``attrs``: constructor attributes with defaults (``MatMul(transpose_a=False, transpose_b=False)``);
* ``kernel(self, *raw)``: a pure function of JAX values that checks shapes and dtypes (raising MindSpore's errors
  through `validation`) and returns the result with the dtype MindSpore gives it;
* ``int_grad``: whether gradients flow through it to integer inputs (see `_apply_soft`).

`apply` unwraps Tensors, runs a registered custom bprop instead of the kernel when one applies (`bprop.py`), and
wraps the results. Functional ops (``ops.sin``) call a module-level instance, so class and function share
checks, errors and overrides.
"""
from __future__ import annotations

import inspect
import numbers

import jax
import numpy as np

from . import state
from .tensor import Tensor, raw, wrap


class Primitive:
    """Base class of MindSpore op classes (``ops.Sin``, ``ops.MatMul``, ...)."""

    inputs: tuple = ()
    attrs: dict = {}
    int_grad = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._input_specs = tuple(_parse_input(spec) for spec in cls.inputs)
        cls._call_signature = None

    def __init__(self, *args, **kwargs):
        self.name = type(self).__name__
        if self.attrs or args or kwargs:
            bound = _bind_attrs(type(self), args, kwargs)
            for key, value in bound.items():
                setattr(self, key, value)
            self.attrs = bound
        else:
            self.attrs = {}
        self.init_attrs = dict(self.attrs)

    def add_prim_attr(self, name, value):
        self.attrs = {**self.attrs, name: value}
        return self

    def del_prim_attr(self, name):
        self.attrs = {k: v for k, v in self.attrs.items() if k != name}
        return self

    def shard(self, in_strategy=None, out_strategy=None, **kwargs):
        """Recorded only: sharding strategies take effect with data parallelism (a later msjax issue)."""
        self.add_prim_attr("in_strategy", in_strategy)
        if out_strategy is not None:
            self.add_prim_attr("out_strategy", out_strategy)
        return self

    def set_device(self, device_target):
        return self

    def __call__(self, *args, **kwargs):
        if kwargs:
            args, kwargs = self._bind_call(args, kwargs)
        return apply(self, args, kwargs)

    def kernel(self, *args, **kwargs):
        raise NotImplementedError(f"Primitive '{self.name}' has no kernel in msjax.")

    def __repr__(self):
        if not self.attrs:
            return f"Prim[{self.name}]"
        listed = ", ".join(f"{k}={v}" for k, v in self.attrs.items())
        return f"Prim[{self.name}]<{listed}>"

    def _bind_call(self, args, kwargs):
        """Move keyword arguments that name declared inputs into their positions."""
        names = [spec[0] for spec in self._input_specs]
        args = list(args)
        for index in range(len(args), len(names)):
            if names[index] not in kwargs:
                break
            args.append(kwargs.pop(names[index]))
        return tuple(args), kwargs


def _bind_attrs(cls, args, kwargs) -> dict:
    params = list(cls.attrs.items())
    if len(args) > len(params):
        raise TypeError(f"{cls.__name__}() takes at most {len(params)} arguments ({len(args)} given).")
    bound = dict(cls.attrs)
    for (key, _), value in zip(params, args):
        bound[key] = value
    for key, value in kwargs.items():
        if key not in bound:
            raise TypeError(f"{cls.__name__}() got an unexpected keyword argument '{key}'.")
        bound[key] = value
    return bound


# --- argument kinds ------------------------------------------------------------------------------------------

def _is_number(value) -> bool:
    return isinstance(value, (numbers.Number, np.generic)) and not isinstance(value, np.ndarray)


_KIND_CHECKS = {
    "Tensor": lambda v: isinstance(v, Tensor),
    "Number": _is_number,
    "int": lambda v: isinstance(v, (int, np.integer)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "tuple[int]": lambda v: isinstance(v, (tuple, list)) and all(isinstance(i, (int, np.integer)) for i in v),
    "tuple[Tensor]": lambda v: isinstance(v, (tuple, list)) and all(isinstance(i, Tensor) for i in v),
    "None": lambda v: v is None,
    "dtype": lambda v: type(v).__module__.endswith("dtype"),
    "any": lambda v: True,
}


def _parse_input(spec: str):
    name, _, kinds = spec.partition(":")
    kinds = tuple(k.strip() for k in kinds.split("|")) if kinds.strip() else ("any",)
    for kind in kinds:
        if kind not in _KIND_CHECKS:
            raise ValueError(f"unknown input kind {kind!r} in op input spec {spec!r}")
    return name.strip(), kinds, tuple(_KIND_CHECKS[k] for k in kinds)


def _describe(value) -> str:
    if isinstance(value, Tensor):
        return "Tensor"
    if isinstance(value, (bool, int, float, complex, str, tuple, list)) and type(value) in (
            bool, int, float, complex, str, tuple, list):
        return type(value).__name__
    return str(type(value))


def _check_inputs(prim, args):
    for spec, value in zip(prim._input_specs, args):
        for check in spec[2]:
            if check(value):
                break
        else:
            raise _call_error(prim, args)


def _call_error(prim, args) -> TypeError:
    given = ", ".join(f"{spec[0]}={_describe(v)}" for spec, v in zip(prim._input_specs, args))
    valid = ", ".join(f"{spec[0]}=<{', '.join(spec[1])}>" for spec in prim._input_specs)
    return TypeError(f'Failed calling {prim.name} with "{prim.name}()({given})".\n'
                     f'The valid calling should be: \n"{prim.name}()({valid})".')


# --- dispatch ------------------------------------------------------------------------------------------------

# Set by bprop.py: name -> custom rule, for primitives whose gradient the user replaced.
custom_rules: dict = {}
# Set by grad.py while a gradient with respect to an integer input is being traced (see `_apply_soft`).
soft_ints_active = False


def apply(prim, args, kwargs=None):
    """Run ``prim`` on ``args``: check, pick kernel or custom rule, and wrap the result in Tensors."""
    _check_inputs(prim, args)
    if soft_ints_active and any(isinstance(a, SoftIntTensor) for a in args):
        return _apply_soft(prim, args, kwargs or {})
    raw_args = [raw(a) for a in args]
    if custom_rules and prim.name in custom_rules and state.differentiating(raw_args):
        from .bprop import apply_registered_rule
        return wrap(apply_registered_rule(prim, raw_args, kwargs or {}))
    return wrap(prim.kernel(*raw_args, **(kwargs or {})))


def call_signature(prim):
    """inspect.Signature of ``prim.kernel`` (for filling defaults when a custom bprop needs every input)."""
    cls = type(prim)
    if cls._call_signature is None:
        cls._call_signature = inspect.signature(prim.kernel)
    return cls._call_signature


# --- gradients with respect to integer inputs ----------------------------------------------------------------
#
# MindSpore differentiates through integer arithmetic and casts the gradient to the input's dtype; JAX treats
# integer values as constants. While such a gradient is traced, the integer input is a `SoftIntTensor`: it reports
# its integer dtype, and its JAX value is a float copy. Each op then runs twice: on exact integer values (the result
# MindSpore computes) and, for ops with ``int_grad``, on the float copies (a path the gradient can flow through);
# the result has the first one's value and the second one's gradient.

class SoftIntTensor(Tensor):
    """An integer (or bool) Tensor whose JAX value is a float copy, so that gradients can reach it."""

    __slots__ = ("_int_dtype",)

    @classmethod
    def from_float(cls, value, int_dtype):
        tensor = object.__new__(cls)
        tensor._data = value
        tensor._int_dtype = np.dtype(int_dtype)
        return tensor

    @property
    def dtype(self):
        from .dtype import from_numpy_dtype
        return from_numpy_dtype(self._int_dtype)

    def hard(self) -> Tensor:
        return Tensor._from_raw(_harden(self._data, self._int_dtype))


def _harden(value, int_dtype):
    import jax.numpy as jnp
    if int_dtype == np.bool_:
        return value != 0
    return jnp.round(value).astype(int_dtype)


def _apply_soft(prim, args, kwargs):
    import jax.numpy as jnp
    hard_args = [a.hard() if isinstance(a, SoftIntTensor) else a for a in args]
    exact = prim.kernel(*[raw(a) for a in hard_args], **kwargs)
    if not prim.int_grad:
        return wrap(exact)
    try:
        smooth = prim.kernel(*[raw(a) for a in args], **kwargs)
    except (TypeError, ValueError):
        return wrap(exact)  # the op cannot run on a float copy (e.g. it needs indices): no gradient through it

    def combine(e, s):
        if e.dtype.kind in "iu":
            s = s.astype(np.float64)
            return SoftIntTensor.from_float(s + jax.lax.stop_gradient(e.astype(np.float64) - s), e.dtype)
        if e.dtype.kind == "b":
            return Tensor._from_raw(e)
        s = s.astype(e.dtype)
        return Tensor._from_raw(s + jax.lax.stop_gradient(e - s))

    if isinstance(exact, (tuple, list)):
        return type(exact)(combine(e, s) for e, s in zip(exact, smooth))
    return combine(jnp.asarray(exact), jnp.asarray(smooth))
