"""`Tensor`: a thin, mutable handle on an immutable JAX array.

The handle is what MindSpore code holds; the array inside is replaced, never mutated (``t[0] = 1`` rebinds
``t._data``). Inside a transform ``_data`` may be a JAX tracer; the frames in ``state.py`` make sure a Parameter never
keeps one after the transform returns.

Operators and methods are attached by ``tensor_methods.py`` once the ops exist, so that every one of them goes
through the single Primitive path.
"""
from __future__ import annotations

import builtins
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from . import dtype as mstype
from .tensor_repr import format_repr, format_str


def concrete_value(x):
    """The numpy value of a raw array, also when it is a tracer of an eager transform (PyNative under grad).

    Under `jax.vjp` run eagerly the primal values are known, so MindSpore's PyNative semantics (printing,
    ``asnumpy``, Python ``if`` on tensor values inside a differentiated function) can be kept.
    """
    if isinstance(x, jax.core.Tracer):
        value = x.to_concrete_value()
        if value is None:
            raise jax.errors.ConcretizationTypeError(
                x, "this Tensor's value is not known while the function is being compiled. Use ops (ops.select, "
                   "ops.where) instead of Python control flow on it, or run in PYNATIVE_MODE.")
        return np.asarray(value)
    return np.asarray(x)


_INPUT_TYPES = "['TensorPy', 'Tensor', 'ndarray', 'str_', 'list', 'tuple', 'float', 'int', 'bool', 'complex', 'bytes']"


def _numpy_from_python(data) -> np.ndarray:
    """numpy array for a Python scalar or (nested) list, with MindSpore's default dtypes.

    MindSpore builds the array with numpy, then turns float64 into Float32 and int32/int64 into Int64 for Python
    floats/ints and for every list or tuple (so ``[np.float64(1.5)]`` is Float32 and ``[np.int32(1)]`` Int64,
    while ``[np.int8(1)]`` stays Int8).
    """
    if type(data) is builtins.int and not -2 ** 63 <= data < 2 ** 64:
        raise RuntimeError("Unsupported tensor type!")
    try:
        array = np.array(data)
    except (ValueError, OverflowError):
        array = None
    if array is None or isinstance(data, (list, tuple)) and array.dtype not in _VALID_NP_DTYPES:
        raise TypeError(f"For Tensor, the input_data is {data} that contain unsupported element.")
    if array.dtype == np.float64:
        return array.astype(np.float32)
    if array.dtype == np.int32:
        return array.astype(np.int64)
    return array


# What a list may hold once numpy has read it (bfloat16 arrays inside a list are refused, as in MindSpore).
_VALID_NP_DTYPES = tuple(np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                                               np.uint64, np.float16, np.float32, np.float64, np.bool_,
                                               np.complex64, np.complex128))


def _to_jax(array, np_dtype) -> jax.Array:
    """Cast on the host with numpy's C semantics, as MindSpore does (300 -> UInt8 44, -1.7 -> Int32 -1, nan -> Int32
    min), without numpy's overflow/complex warnings, which MindSpore does not print."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        return jnp.asarray(np.asarray(array).astype(np_dtype, copy=False))


class Tensor:
    """MindSpore's Tensor. ``Tensor(input_data=None, dtype=None, shape=None, init=None)``."""

    # `_init` is set only on a Tensor built from ``init=``: True until `init_data`/`asnumpy` (see `has_init`).
    __slots__ = ("_data", "_init", "__weakref__")

    def __init__(self, input_data=None, dtype=None, shape=None, init=None, internal=False, const_arg=False,
                 device=None):
        if dtype is not None:
            dtype = mstype.check_tensor_dtype(dtype)
        if input_data is not None and shape is not None:
            raise ValueError("When initializing a tensor with 'input_data', 'shape' should be set to None."
                             f"But got shape: {shape}.")
        if init is not None and (shape is None or dtype is None):
            raise ValueError("init, dtype and shape must have values at the same time.")
        np_dtype = None if dtype is None else dtype.np_dtype
        if input_data is None:
            if shape is None or dtype is None:
                raise TypeError(f"For 'Tensor', the type of 'input_data' should be one of '{_INPUT_TYPES}', "
                                "but got type 'NoneType'.")
            shape = (shape,) if isinstance(shape, (builtins.int, np.integer)) else tuple(shape)
            if init is None:
                self._data = jnp.zeros(shape, np_dtype)
            else:
                from .initializer import materialize
                self._data = materialize(init, shape, dtype)
                self._init = True
            return
        if isinstance(input_data, Tensor):
            data = input_data._data
            self._data = data if np_dtype is None or data.dtype == np_dtype else data.astype(np_dtype)
            return
        if isinstance(input_data, jax.Array) and not isinstance(input_data, jax.core.Tracer):
            self._data = input_data if np_dtype is None else input_data.astype(np_dtype)
            return
        if isinstance(input_data, (np.ndarray, np.generic)):
            array = input_data
        elif isinstance(input_data, (builtins.bool, builtins.int, builtins.float, builtins.complex, list, tuple)):
            array = _numpy_from_python(input_data)
        else:
            raise TypeError(f"For 'Tensor', the type of 'input_data' should be one of '{_INPUT_TYPES}', "
                            f"but got type '{type(input_data).__name__}'.")
        if np_dtype is None:
            mstype.from_numpy_dtype(array.dtype)  # rejects dtypes MindSpore has no name for
            np_dtype = array.dtype
        self._data = _to_jax(array, np_dtype)

    @classmethod
    def _from_raw(cls, raw) -> "Tensor":
        """Wrap a JAX array or tracer without any checks (the op path's fast constructor)."""
        tensor = object.__new__(Tensor)
        tensor._data = raw
        return tensor

    # --- metadata ---------------------------------------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return tuple(self._data.shape)

    @property
    def dtype(self) -> mstype.Type:
        return mstype.from_numpy_dtype(self._data.dtype)

    @property
    def ndim(self) -> builtins.int:
        return self._data.ndim

    @property
    def size(self) -> builtins.int:
        return builtins.int(np.prod(self._data.shape, dtype=np.int64))

    @property
    def itemsize(self) -> builtins.int:
        return self._data.dtype.itemsize

    @property
    def nbytes(self) -> builtins.int:
        return self.size * self.itemsize

    @property
    def strides(self) -> tuple:
        """C-order byte strides, computed from the shape alone (an empty (2, 0, 3) int16 Tensor gives (0, 6, 2))."""
        strides, step = [], self._data.dtype.itemsize
        for dim in reversed(self._data.shape):
            strides.append(step)
            step *= dim
        return tuple(reversed(strides))

    @property
    def has_init(self) -> builtins.bool:
        """True for a Tensor built with ``init=`` until `init_data` (or `asnumpy`) runs, as in MindSpore."""
        return getattr(self, "_init", None) is not None

    def init_data(self, slice_index=None, shape=None, opt_shard_group=None) -> "Tensor":
        # msjax fills the values at construction already (ops use them; MindSpore refuses to run ops on an
        # uninitialized Tensor); this only ends the 'uninitialized' display.
        self._init = None
        return self

    def numel(self) -> builtins.int:
        return self.size

    def dim(self) -> builtins.int:
        return self.ndim

    def nelement(self) -> builtins.int:
        return self.size

    # --- conversion to Python and numpy -----------------------------------------------------------------------
    def _host(self) -> np.ndarray:
        """The values Python-side conversions see: zeros while `has_init` (MindSpore reads the not yet filled
        buffer), else the data."""
        if self.has_init:
            return np.zeros(self._data.shape, self._data.dtype)
        return concrete_value(self._data)

    def asnumpy(self) -> np.ndarray:
        """A writable numpy copy (MindSpore on CPU shares memory; a JAX array cannot be shared writable)."""
        if self.has_init:
            self._init = None  # reading the data initializes it, as in MindSpore
        return np.array(concrete_value(self._data))

    def numpy(self) -> np.ndarray:
        return self.asnumpy()

    def __array__(self, dtype=None, copy=None):
        array = concrete_value(self._data)
        return array if dtype is None else array.astype(dtype)

    def item(self):
        """The single element as a Python scalar (ValueError for any other size)."""
        value = self._host()
        if value.size != 1:
            raise ValueError(f"The tensor should have only one element, but got {value.size}, more than one element "
                             "is ambiguous.")
        return value.reshape(()).item()

    def tolist(self):
        return self._host().tolist()

    def __bool__(self) -> builtins.bool:
        return builtins.bool(self.item())

    def _to_scalar(self, convert):
        try:
            value = self.item()
        except ValueError as e:
            raise ValueError("Only one element tensors can be converted to Python scalars") from e
        return convert(value)  # float(complex) / int(complex) raise TypeError, as in MindSpore

    def __float__(self) -> builtins.float:
        return self._to_scalar(builtins.float)

    def __int__(self) -> builtins.int:
        return self._to_scalar(builtins.int)

    # No __complex__: like MindSpore, complex(t) goes through __float__, so complex(Complex64 Tensor) is TypeError.

    def __index__(self) -> builtins.int:
        try:
            value = self.item()
            if not isinstance(value, (builtins.int, builtins.bool)):
                raise ValueError
        except ValueError as e:
            raise ValueError("Only integer tensors of a single element can be converted to an index.") from e
        return builtins.int(value)

    def __len__(self) -> builtins.int:
        if self._data.ndim == 0:
            raise TypeError("Not support len of a 0-D tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    __hash__ = object.__hash__  # identity, as in MindSpore; C-level, so Parameter dict lookups stay cheap

    # --- printing ---------------------------------------------------------------------------------------------
    def __repr__(self) -> str:
        data = self._data
        if isinstance(data, jax.core.Tracer) and data.to_concrete_value() is None:
            return f"Tensor(shape={list(data.shape)}, dtype={self.dtype}, value=<traced>)"
        return format_repr(self._host(), str(self.dtype))

    def __str__(self) -> str:
        # A value known only when compiled code runs cannot be formatted while compiling: concrete_value raises
        # ConcretizationTypeError, and the compiler then runs such code eagerly (print itself is compiled to a
        # runtime print by graph_syntax).
        data = self._data
        if isinstance(data, jax.core.Tracer) and data.to_concrete_value() is None:
            concrete_value(data)
        if self.has_init:
            newline = "\n" if data.ndim > 1 else ""
            return f"Tensor(shape={list(data.shape)}, dtype={self.dtype}, value={newline}<uninitialized>)"
        return format_str(concrete_value(data), str(self.dtype))

    def __format__(self, spec: str) -> str:
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return str(self)

    # --- JAX interop ------------------------------------------------------------------------------------------
    def __jax_array__(self):
        return self._data


# A Tensor is a pytree node around its array, so JAX control flow (lax.cond, while_loop, scan) can carry Tensors.
# Subclasses (Parameter, SoftIntTensor) stay leaves: they carry identity and state a pytree must not rebuild.
jax.tree_util.register_pytree_node(Tensor, lambda t: ((t._data,), None), lambda _, children: Tensor._from_raw(
    children[0]))


def tensor(input_data=None, dtype=None, shape=None, init=None, const_arg=False):
    """``mindspore.tensor``: the functional constructor."""
    return Tensor(input_data, dtype, shape, init, const_arg=const_arg)


def from_numpy(array: np.ndarray) -> Tensor:
    if not isinstance(array, np.ndarray):
        raise TypeError(f"For 'from_numpy', the input must be a numpy.ndarray, but got {type(array)}.")
    return Tensor(array)


def is_tensor(obj) -> builtins.bool:
    return isinstance(obj, Tensor)


def raw(value):
    """The JAX value of a Tensor; tuples and lists are converted element by element; anything else is kept."""
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, (tuple, list)):
        return type(value)(raw(v) for v in value)
    return value


def wrap(value):
    """Inverse of `raw` for kernel outputs: arrays become Tensors, tuples stay tuples."""
    if isinstance(value, (jax.Array, jax.core.Tracer)):
        return Tensor._from_raw(value)
    if isinstance(value, tuple):
        return tuple(wrap(v) for v in value)
    if isinstance(value, list):
        return [wrap(v) for v in value]
    return value
