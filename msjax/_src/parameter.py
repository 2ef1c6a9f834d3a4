"""`Parameter` (a named, trainable Tensor whose value lives in `state` frames during transforms) and
`ParameterTuple`."""
from __future__ import annotations

import itertools

import jax.numpy as jnp
import numpy as np

from . import dtype as mstype
from . import state
from .tensor import Tensor

_counter = itertools.count(1)


def _initial_value(default_input):
    """The JAX array a Parameter starts with; a Python int becomes Int32 here (Tensor(1) is Int64)."""
    if isinstance(default_input, Tensor):
        return default_input._data
    if isinstance(default_input, bool):
        return jnp.asarray(default_input, np.bool_)
    if isinstance(default_input, int):
        return jnp.asarray(default_input, np.int32)
    return Tensor(default_input)._data


class Parameter(Tensor):
    """``Parameter(default_input, name=None, requires_grad=True, layerwise_parallel=False, ...)``."""

    __slots__ = ("_value", "__dict__")

    def __init__(self, default_input, name=None, requires_grad=True, layerwise_parallel=False,
                 parallel_optimizer=True, storage_format="", device=None):
        self._value = _initial_value(default_input)
        number = next(_counter)
        if name is None:
            name, self._auto_named = f"Parameter#{number}", True
        else:
            if not isinstance(name, str):
                raise TypeError(f"For 'Parameter', the argument 'name' should be a str, but got {type(name)}.")
            self._auto_named = False
        self.name = name
        self.requires_grad = bool(requires_grad)
        self.layerwise_parallel = layerwise_parallel
        self.parallel_optimizer = parallel_optimizer

    # Reads and writes go through the frames: this property is the whole of Parameter lifting on the hot path.
    @property
    def _data(self):
        return state.read(self) if state._frames else self._value

    @_data.setter
    def _data(self, value):
        state.write(self, value)

    def set_data(self, data, slice_shape=False):
        """Replace the value (a different shape is allowed; a different dtype is cast to the Parameter's)."""
        value = data._data if isinstance(data, Tensor) else Tensor(data)._data
        current = self._data
        if value.dtype != current.dtype:
            value = value.astype(current.dtype)
        self._data = value
        return self

    def assign_value(self, value):
        return self.set_data(value)

    @property
    def data(self) -> Tensor:
        return Tensor._from_raw(self._data)

    def value(self) -> Tensor:
        return Tensor._from_raw(self._data)

    def init_data(self, layout=None, set_sliced=False):
        return self

    def clone(self, init="same"):
        if init == "same":
            value = self._data
        else:
            from .initializer import materialize
            value = materialize(init, self.shape, self.dtype)
        copy = Parameter(Tensor._from_raw(value), name=self.name, requires_grad=self.requires_grad,
                         layerwise_parallel=self.layerwise_parallel)
        copy._auto_named = self._auto_named
        return copy

    def __repr__(self):
        return (f"Parameter (name={self.name}, shape={self.shape}, dtype={self.dtype}, "
                f"requires_grad={self.requires_grad})")

    __str__ = __repr__

    def __format__(self, spec):
        return repr(self) if not spec else Tensor.__format__(self, spec)

    def __reduce__(self):
        return (_rebuild_parameter, (np.asarray(self._value), self.name, self.requires_grad, self._auto_named))

    def __deepcopy__(self, memo):
        copy = Parameter(Tensor._from_raw(self._value), name=self.name, requires_grad=self.requires_grad,
                         layerwise_parallel=self.layerwise_parallel)
        copy._auto_named = self._auto_named
        memo[id(self)] = copy
        return copy


def _rebuild_parameter(value, name, requires_grad, auto_named):
    param = Parameter(Tensor(value), name=name, requires_grad=requires_grad)
    param._auto_named = auto_named
    return param


class ParameterTuple(tuple):
    """A tuple of Parameters with unique names."""

    def __new__(cls, iterable):
        params = list(iterable)
        names = set()
        for param in params:
            if not isinstance(param, Parameter):
                raise TypeError("For ParameterTuple initialization, ParameterTuple input should be 'Parameter' "
                                f"collection, but got a {type(iterable)}. ")
            if param.name in names:
                raise ValueError(f"The value {param!r} , its name '{param.name}' already exists. Please set a unique "
                                 "name for the parameter.")
            names.add(param.name)
        return super().__new__(cls, params)

    def clone(self, prefix, init="same"):
        clones = []
        for param in self:
            copy = param.clone(init)
            copy.name = f"{prefix}.{param.name}"
            clones.append(copy)
        return ParameterTuple(clones)

    def __add__(self, other):
        return tuple(self) + tuple(other)

    def __getitem__(self, index):
        item = super().__getitem__(index)
        return tuple(item) if isinstance(index, slice) else item
