"""`Tensor`: a thin, mutable handle on an immutable JAX array.

The handle is what MindSpore code holds; the array inside is replaced, never mutated (``t[0] = 1`` rebinds
``t._data``). Inside a transform ``_data`` may be a JAX tracer; the frames in ``state.py`` make sure a Parameter never
keeps one after the transform returns.

Operators and methods are attached by ``tensor_methods.py`` once the ops exist, so that every one of them goes
through the single Primitive path.
"""
from __future__ import annotations

import builtins

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
    """numpy array for a Python scalar or (nested) list, with MindSpore's default dtypes."""
    try:
        array = np.array(data)
    except ValueError:
        raise TypeError(f"For Tensor, the input_data is {data} that contain unsupported element.") from None
    if array.dtype == object:
        raise TypeError(f"For Tensor, the input_data is {data} that contain unsupported element.")
    if array.dtype == np.float64 and not _holds_numpy_float64(data):
        array = array.astype(np.float32)  # Python floats are Float32 in MindSpore
    elif array.dtype.kind == "U":
        raise TypeError(f"For Tensor, the input_data is {data} that contain unsupported element.")
    return array


def _holds_numpy_float64(data) -> builtins.bool:
    if isinstance(data, (np.ndarray, np.float64)):
        return data.dtype == np.float64
    if isinstance(data, (list, tuple)):
        return builtins.any(_holds_numpy_float64(d) for d in data)
    return False


def _to_jax(array, np_dtype) -> jax.Array:
    return jnp.asarray(array, dtype=np_dtype)


class Tensor:
    """MindSpore's Tensor. ``Tensor(input_data=None, dtype=None, shape=None, init=None)``."""

    __slots__ = ("_data", "__weakref__")

    def __init__(self, input_data=None, dtype=None, shape=None, init=None, internal=False, const_arg=False,
                 device=None):
        if dtype is not None:
            dtype = mstype.check_tensor_dtype(dtype)
        np_dtype = None if dtype is None else dtype.np_dtype
        if input_data is None:
            if shape is None:
                raise TypeError(f"For 'Tensor', the type of 'input_data' should be one of '{_INPUT_TYPES}', "
                                "but got type 'NoneType'.")
            if dtype is None:
                raise TypeError("For 'Tensor', 'dtype' must be given when the Tensor is built from 'shape' and 'init'.")
            shape = (shape,) if isinstance(shape, builtins.int) else tuple(shape)
            if init is None:
                self._data = jnp.zeros(shape, np_dtype)
            else:
                from .initializer import materialize
                self._data = materialize(init, shape, dtype)
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
        return np.empty(self._data.shape, self._data.dtype).strides if self.size else (0,) * self.ndim

    @property
    def has_init(self) -> builtins.bool:
        return False

    def numel(self) -> builtins.int:
        return self.size

    def dim(self) -> builtins.int:
        return self.ndim

    def nelement(self) -> builtins.int:
        return self.size

    # --- conversion to Python and numpy -----------------------------------------------------------------------
    def asnumpy(self) -> np.ndarray:
        """A writable numpy copy (MindSpore on CPU shares memory; a JAX array cannot be shared writable)."""
        return np.array(concrete_value(self._data))

    def numpy(self) -> np.ndarray:
        return self.asnumpy()

    def __array__(self, dtype=None, copy=None):
        array = concrete_value(self._data)
        return array if dtype is None else array.astype(dtype)

    def _one_element(self, message: str):
        value = concrete_value(self._data)
        if value.size != 1:
            raise ValueError(message.format(n=value.size))
        return value.reshape(()).item()

    def item(self, index=None):
        if index is not None:
            return Tensor._from_raw(self._data).asnumpy().item(index)
        return self._one_element("The tensor should have only one element, but got {n}, more than one element is "
                                 "ambiguous.")

    def tolist(self):
        return concrete_value(self._data).tolist()

    def __bool__(self) -> builtins.bool:
        return builtins.bool(self._one_element("The tensor should have only one element, but got {n}, more than "
                                               "one element is ambiguous."))

    def __float__(self) -> builtins.float:
        return builtins.float(self._one_element("Only one element tensors can be converted to Python scalars"))

    def __int__(self) -> builtins.int:
        return builtins.int(self._one_element("Only one element tensors can be converted to Python scalars"))

    def __complex__(self) -> builtins.complex:
        return builtins.complex(self._one_element("Only one element tensors can be converted to Python scalars"))

    def __index__(self) -> builtins.int:
        if self._data.dtype.kind not in "iub":
            raise TypeError("Only integer tensors of a single element can be converted to an index.")
        return builtins.int(self._one_element("Only one element tensors can be converted to Python scalars"))

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
        return format_repr(concrete_value(data), str(self.dtype))

    def __str__(self) -> str:
        data = self._data
        if isinstance(data, jax.core.Tracer) and data.to_concrete_value() is None:
            return repr(self)
        return format_str(concrete_value(data), str(self.dtype))

    def __format__(self, spec: str) -> str:
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return str(self)

    # --- JAX interop ------------------------------------------------------------------------------------------
    def __jax_array__(self):
        return self._data


def tensor(input_data=None, dtype=None, shape=None, init=None, const_arg=False):
    """``mindspore.tensor``: the functional constructor."""
    return Tensor(input_data, dtype, shape, init, const_arg=const_arg)


def from_numpy(array: np.ndarray) -> Tensor:
    return Tensor(np.asarray(array))


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
