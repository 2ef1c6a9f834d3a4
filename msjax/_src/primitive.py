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

import functools
import inspect
import numbers

import jax
import numpy as np
from jax._src.interpreters.partial_eval import DynamicJaxprTracer

from . import state
from .tensor import Tensor, raw, wrap


class Primitive:
    """Base class of MindSpore op classes (``ops.Sin``, ``ops.MatMul``, ...)."""

    inputs: tuple = ()
    attrs: dict = {}
    int_grad = False
    # Eager calls run the kernel as one compiled XLA call (see `_compiled_kernel`). Ops whose kernel reads input
    # values (index range checks, shapes from Tensors), draws random keys or writes state set this to False.
    compile_eagerly = False
    _fast_kernel = None  # (attrs, argument pattern, jitted kernel) of the last call `apply` can repeat unchecked
    _attrs_key = None    # (attrs, their cache key)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._input_specs = tuple(_parse_input(spec) for spec in cls.inputs)
        cls._call_signature = None
        cls._compiled = {}

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

    def shard(self, in_strategy=None, out_strategy=None):
        """Sharding strategies of the inputs: constraints in semi-auto parallel steps (`shard_strategy`)."""
        from .shard_strategy import shard_primitive
        return shard_primitive(self, in_strategy, out_strategy)

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
# How many gradients are being traced (set by grad.py): integer values then carry gradients (see `_apply_soft`).
soft_ints_active = 0


def apply(prim, args, kwargs=None):
    """Run ``prim`` on ``args``: check, pick kernel or custom rule, and wrap the result in Tensors."""
    fast = prim._fast_kernel
    if (fast is not None and not kwargs and fast[0] is prim.attrs and len(fast[1]) == len(args)
            and not soft_ints_active and not (custom_rules and prim.name in custom_rules)):
        # the last call's pattern again (Tensors on concrete arrays, the same immutable static objects): its
        # argument checks hold for this call too
        raw_args = []
        for arg, expected in zip(args, fast[1]):
            if expected is _ARRAY:
                if type(arg) is not Tensor or type(arg._data) is not _CONCRETE_ARRAY:
                    break
                raw_args.append(arg._data)
            elif arg is not expected:
                break
        else:
            out = fast[2](*raw_args)
            return Tensor._from_raw(out) if type(out) is _CONCRETE_ARRAY else wrap(out)
    _check_inputs(prim, args)
    if soft_ints_active:
        if has_soft(args):
            return _apply_soft(prim, args, kwargs or {})
        if _is_cast(prim):
            return _apply_cast_to_int(prim, args, kwargs or {})
    raw_args = [a._data if type(a) is Tensor else raw(a) for a in args]
    if custom_rules and prim.name in custom_rules and state.differentiating(raw_args):
        from .bprop import apply_registered_rule
        return wrap(apply_registered_rule(prim, raw_args, kwargs or {}))
    if prim.compile_eagerly:
        compiled = _compiled_kernel(prim, raw_args, kwargs)
        if compiled is not None:
            out = compiled[0](*compiled[1])
            return Tensor._from_raw(out) if type(out) is _CONCRETE_ARRAY else wrap(out)
    return wrap(prim.kernel(*raw_args, **(kwargs or {})))


# A kernel is several jnp calls, each an eager XLA dispatch; compiled, an op costs one dispatch, as a raw jnp call
# does. Compiled kernels are cached per op class, attributes and non-array arguments (axes, Python scalars); the
# cache of a class stops growing at `_COMPILED_PER_OP` entries (a loop over many scalar values then runs eagerly).
# Checks in kernels depend only on shapes, dtypes and those static values, so they raise while tracing, as eagerly.
_COMPILED_PER_OP = 64


def _compiled_kernel(prim, raw_args, kwargs):
    """(jitted kernel, its array arguments), or None to run eagerly (jit tracers, unhashable arguments, full
    cache). Remembers the call's pattern on the instance for `apply`'s fast path."""
    statics = None
    for index, value in enumerate(raw_args):
        if type(value) is _CONCRETE_ARRAY:
            continue
        if isinstance(value, jax.core.Tracer):
            if isinstance(value, _STAGING_TRACERS):
                return None
            continue
        if statics is None:
            statics = []
        statics.append((index, value))
    statics = statics or []
    attrs_key = prim._attrs_key
    if attrs_key is None or attrs_key[0] is not prim.attrs:
        attrs_key = prim._attrs_key = (prim.attrs, _typed(prim.attrs.items()))
    key = (attrs_key[1], _typed(statics), _typed(kwargs.items()) if kwargs else (), len(raw_args))
    cache = type(prim)._compiled
    try:
        compiled = cache.get(key)
    except TypeError:  # an unhashable attribute or argument
        return None
    if compiled is None:
        if len(cache) >= _COMPILED_PER_OP:
            return None
        compiled = cache[key] = jax.jit(functools.partial(_run_kernel, prim, tuple(statics), len(raw_args),
                                                          kwargs or {}))
    if not kwargs and all(type(value) in _IMMUTABLE_STATICS for _, value in statics):
        pattern = [_ARRAY] * len(raw_args)
        for index, value in statics:
            pattern[index] = value
        prim._fast_kernel = (prim.attrs, tuple(pattern), compiled)
    if not statics:
        return compiled, raw_args
    static_positions = {index for index, _ in statics}
    return compiled, [value for index, value in enumerate(raw_args) if index not in static_positions]


# Static arguments `apply` may recognise by identity on its fast path (an identical object of these types is equal).
_IMMUTABLE_STATICS = (type(None), bool, int, float, str)


def _typed(pairs):
    """A cache key for (name, value) pairs that tells ``1``, ``1.0`` and ``True`` apart, also inside a tuple."""
    key = []
    for name, value in pairs:
        kind = type(value)
        if kind is tuple or kind is list:
            key.append((name, kind, tuple(value), tuple(map(type, value))))
        else:
            key.append((name, kind, value))
    return tuple(key)


def _run_kernel(prim, statics, count, kwargs, *arrays):
    args = [_ARRAY] * count
    for index, value in statics:
        args[index] = value
    arrays = iter(arrays)
    args = [next(arrays) if arg is _ARRAY else arg for arg in args]
    return prim.kernel(*args, **kwargs)


_ARRAY = object()
# Inside a jit trace a kernel is inlined; under eager differentiation (JVP/linearize tracers) one compiled kernel is
# one equation to linearize instead of a dozen.
_STAGING_TRACERS = (DynamicJaxprTracer,)
_CONCRETE_ARRAY = type(jax.numpy.zeros(()))


def call_signature(prim):
    """inspect.Signature of ``prim.kernel`` (for filling defaults when a custom bprop needs every input)."""
    cls = type(prim)
    if cls._call_signature is None:
        cls._call_signature = inspect.signature(prim.kernel)
    return cls._call_signature


# --- gradients with respect to integer inputs ----------------------------------------------------------------
#
# MindSpore differentiates through integer values: an op's backward casts the gradient it sends to an integer
# input to that input's dtype (truncating toward zero; nonzero -> True for bool), so ``a.astype(f32) * 2.5``
# sends 2 to an Int32 ``a``, and ``f * a.astype(f32) * a.astype(f32)`` sends trunc(f*a) twice, not trunc(2*f*a).
# Casting a float to an integer passes the gradient through unchanged. JAX treats integer values as constants.
#
# While a gradient is traced (`soft_ints_active`), an integer value a gradient can reach is a `SoftIntTensor`:
# its ``_data`` is the exact integer value -- what every kernel, printing, indexing and ``asnumpy`` see -- and its
# ``_soft`` a float copy (`soft_float_dtype`) through which the gradient flows. An op with ``int_grad`` runs twice:
# on the exact values (the result) and on the float copies (the gradient path), each float copy entering through
# `_int_edge`, which truncates the gradient sent back to it. Ops without ``int_grad`` send no gradient to integers.

def soft_float_dtype(int_dtype) -> np.dtype:
    """The float dtype carrying an integer's gradient path: float32 up to 32-bit integers, so that a float32
    network with integer inputs stays float32 (exact values always come from the integer path)."""
    return np.dtype(np.float64) if np.dtype(int_dtype).itemsize == 8 else np.dtype(np.float32)


class SoftIntTensor(Tensor):
    """An integer or bool Tensor that a gradient can reach: ``_data`` is exact, ``_soft`` a float copy."""

    __slots__ = ("_soft",)

    @classmethod
    def make(cls, exact, soft):
        tensor = object.__new__(cls)
        tensor._data = exact
        tensor._soft = soft
        return tensor

    def hard(self) -> Tensor:
        return Tensor._from_raw(self._data)


def _with_gradient_of(value, carrier):
    """``value`` exactly, with the gradient of ``carrier`` only (``carrier - stop_gradient(carrier)`` is exactly 0)."""
    return jax.lax.stop_gradient(value) + (carrier - jax.lax.stop_gradient(carrier)).astype(value.dtype)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def _int_edge(soft, is_bool):
    """Identity on an integer value's float copy; the gradient sent back is cast as MindSpore casts it."""
    return soft


def _int_edge_fwd(soft, is_bool):
    return soft, None


def _int_edge_bwd(is_bool, _, grad):
    import jax.numpy as jnp
    cast = (grad != 0).astype(grad.dtype) if is_bool else jnp.trunc(grad)
    # The cast's value, with an identity derivative: forward mode (msjax's vjp transposed) must see the integer
    # path as linear, as MindSpore's jvp does.
    return grad + jax.lax.stop_gradient(cast - grad),


_int_edge.defvjp(_int_edge_fwd, _int_edge_bwd)


def int_edge(tensor: SoftIntTensor):
    """The float copy of ``tensor`` as an op's input: the gradient it receives is truncated (or made 0/1)."""
    return _int_edge(tensor._soft, bool(tensor._data.dtype == np.bool_))


def soft_input(exact, soft) -> SoftIntTensor:
    """An integer input of a differentiated function: exact value, and the float copy being differentiated."""
    return SoftIntTensor.make(exact, soft)


def has_soft(args) -> bool:
    for a in args:
        if isinstance(a, SoftIntTensor):
            return True
        if isinstance(a, (tuple, list)) and any(isinstance(v, SoftIntTensor) for v in a):
            return True
    return False


def _smooth_arg(a):
    if isinstance(a, SoftIntTensor):
        return int_edge(a)
    if isinstance(a, Tensor):
        return a._data
    if isinstance(a, (tuple, list)):
        return type(a)(_smooth_arg(v) for v in a)
    return a


def _combine(e, s):
    """Output with the exact value ``e`` and the gradient path of ``s``."""
    import jax.numpy as jnp
    e = jnp.asarray(e)
    kind = e.dtype.kind
    if kind in "iu":
        s = jnp.asarray(s)
        if s.dtype.kind not in "fc":
            return Tensor._from_raw(e)
        carrier = soft_float_dtype(e.dtype)
        return SoftIntTensor.make(e, _with_gradient_of(e.astype(carrier), s.astype(carrier)))
    if kind == "b":
        return Tensor._from_raw(e)
    return Tensor._from_raw(_with_gradient_of(e, jnp.asarray(s).astype(e.dtype)))


def _is_cast(prim) -> bool:
    return prim.name == "Cast"


def _apply_soft(prim, args, kwargs):
    exact = prim.kernel(*[raw(a) for a in args], **kwargs)
    if not prim.int_grad:
        return wrap(exact)
    if _is_cast(prim) and isinstance(args[0], SoftIntTensor):
        # Cast's backward casts the gradient back to the source dtype: truncated at the edge, whatever the target.
        smooth = int_edge(args[0])
    else:
        try:
            smooth = prim.kernel(*[_smooth_arg(a) for a in args], **kwargs)
        except (TypeError, ValueError, IndexError):
            return wrap(exact)  # the op cannot run on a float copy (it needs indices): no gradient through it
    if isinstance(exact, (tuple, list)):
        return type(exact)(_combine(e, s) for e, s in zip(exact, smooth))
    return _combine(exact, smooth)


def _apply_cast_to_int(prim, args, kwargs):
    """Cast of a float Tensor to an integer dtype while differentiating: MindSpore passes the gradient through."""
    exact = prim.kernel(*[raw(a) for a in args], **kwargs)
    source = args[0]
    if (not isinstance(source, Tensor) or np.dtype(source._data.dtype).kind not in "fc"
            or np.dtype(exact.dtype).kind not in "iu"):
        return wrap(exact)
    carrier = soft_float_dtype(exact.dtype)
    return SoftIntTensor.make(exact, _with_gradient_of(exact.astype(carrier), source._data.real.astype(carrier)))
