"""`Parameter` (a named, trainable Tensor whose value lives in `state` frames during transforms) and
`ParameterTuple`, with MindSpore 2.10's construction rules, name handling and messages."""
from __future__ import annotations

import itertools
import re

import jax.numpy as jnp
import numpy as np

from . import dtype as mstype
from . import state
from .tensor import Tensor

PARAMETER_NAME_DEFAULT = "Parameter"
_GENERATED_PREFIX = PARAMETER_NAME_DEFAULT + "#"
PARAMETER_NAME_PREFIX_MAX_LEN = 1024
_counter = itertools.count(0)


def _generate_name() -> str:
    return f"{_GENERATED_PREFIX}{next(_counter)}"


def is_generated_name(name) -> bool:
    """Whether ``name`` looks generated (``Parameter#N``): a Cell then renames the Parameter to its attribute name.
    MindSpore decides by the prefix alone, so an explicit name of that form is renamed too."""
    return isinstance(name, str) and name.startswith(_GENERATED_PREFIX)


def check_str_by_regular(target, reg=r"^\w+[0-9a-zA-Z\_\.]*$"):
    """MindSpore's ``Validator.check_str_by_regular`` (a non-str fails inside ``re.match`` with Python's TypeError)."""
    if re.match(reg, target, re.ASCII) is None:
        raise ValueError(f"The '{target}' is illegal, it must be match regular'{reg}' by flags'{re.ASCII}.'")
    return True


def _initial_value(default_input):
    """The JAX array a Parameter starts with (MindSpore's ``Parameter.__new__``), and whether ``__init__`` accepts
    the input's type (its TypeError comes after the name and flag checks)."""
    if isinstance(default_input, bool):
        raise ValueError("Parameter data can not be `bool`")
    if isinstance(default_input, Tensor):
        return default_input._data, True
    if isinstance(default_input, int):  # Parameter(1) is Int32 although Tensor(1) is Int64
        return jnp.asarray(default_input, np.int32), True
    if isinstance(default_input, float):  # np.float64 scalars are floats too: Float32
        return jnp.asarray(default_input, np.float32), True
    value = Tensor(default_input)._data  # Tensor's own TypeError for None, str, ...
    return value, isinstance(default_input, (np.ndarray, list))


def _check_bool(name, value, period=""):
    if not isinstance(value, bool):
        raise TypeError(f"The argument `{name}` must be bool type{period}")
    return value


class Parameter(Tensor):
    """``Parameter(default_input, name=None, requires_grad=True, layerwise_parallel=False, ...)``.

    Instances are of a subclass that prints as ``<class 'abc.Parameter'>``, as in MindSpore (``type(p) is Parameter``
    is False there too); ``isinstance(p, Parameter)`` and ``isinstance(p, Tensor)`` hold.
    """

    __slots__ = ("_value", "__dict__")

    def __new__(cls, default_input=None, *args, **kwargs):
        return object.__new__(_ParameterInstance if cls is Parameter else cls)

    def __init__(self, default_input, name=None, requires_grad=True, layerwise_parallel=False,
                 parallel_optimizer=True, storage_format="", device=None):
        value, accepted = _initial_value(default_input)
        self.name = name
        self.requires_grad = requires_grad
        self.layerwise_parallel = layerwise_parallel
        self.parallel_optimizer = parallel_optimizer
        if not accepted:
            raise TypeError("The type of the argument 'default_input' must be in ['Tensor', 'int', 'float', "
                            f"'numpy.ndarray', 'list']. But got type {type(default_input)}.")
        self._value = state.note_birth(self, value) if state._frames else value
        if device is not None and device not in ("CPU", "Remote"):
            raise ValueError(f"Only 'CPU' and 'Remote' is supported for device, but got ${device}.")

    # Reads and writes go through the frames: this property is the whole of Parameter lifting on the hot path.
    @property
    def _data(self):
        return state.read(self) if state._frames else self._value

    @_data.setter
    def _data(self, value):
        state.write(self, value)

    # --- attributes with MindSpore's checks -----------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, name_):
        if name_ is None:
            name_ = _generate_name()
        elif isinstance(name_, str):
            name_ = name_.strip()
            if name_ == "":
                name_ = _generate_name()
            if len(name_) > PARAMETER_NAME_PREFIX_MAX_LEN:
                raise ValueError(f"The length of the '{name_}' name should be less than "
                                 f"{PARAMETER_NAME_PREFIX_MAX_LEN}.")
        else:
            raise ValueError(f"The type of the Parameter's name should be 'string' or 'None', but got {type(name_)}.")
        self._name = name_

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value=True):
        self._requires_grad = _check_bool("requires_grad", value)

    @property
    def layerwise_parallel(self) -> bool:
        return self._layerwise_parallel

    @layerwise_parallel.setter
    def layerwise_parallel(self, value=True):
        self._layerwise_parallel = _check_bool("layerwise_parallel", value, ".")

    @property
    def parallel_optimizer(self) -> bool:
        return self._parallel_optimizer

    @parallel_optimizer.setter
    def parallel_optimizer(self, value=True):
        self._parallel_optimizer = _check_bool("parallel_optimizer", value, ".")

    @property
    def inited_param(self):
        return None

    @property
    def has_init(self) -> bool:
        return False  # msjax initializers fill eagerly

    # --- data --------------------------------------------------------------------------------------------------
    def set_data(self, data, slice_shape=False):
        """Replace the value: a different shape is allowed; a different dtype is cast to the Parameter's."""
        if not isinstance(data, (Tensor, int, float)):
            raise TypeError("Parameter data must be [`Tensor`, `int`, `float`] or a kind of `Tensor` (like `Tensor`). "
                            f"But with type {type(data)}.")
        current = self._data
        if isinstance(data, Tensor):
            value = data._data
        else:
            dtype = mstype.from_numpy_dtype(current.dtype)
            if dtype in mstype.int_type and isinstance(data, float):
                raise TypeError("Incoming Parameter dtype can not be converted to current dtype implicitly. "
                                f"Current dtype is {dtype}, and incoming is {mstype.float_}. "
                                "Use .set_dtype(xxx) to change the dtype.")
            value = jnp.asarray(data, current.dtype)
        if value.dtype != current.dtype:
            value = value.astype(current.dtype)
        self._data = value
        return self

    def assign_value(self, value):
        return self.set_data(value)

    @property
    def data(self) -> Tensor:
        """A plain Tensor holding the current value (MindSpore returns a view sharing memory; JAX arrays are
        immutable, so writes into the returned Tensor do not reach the Parameter)."""
        return Tensor._from_raw(self._data)

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise RuntimeError("Unknown Error!")
        self._data = value._data  # no cast: the Parameter takes the new dtype and shape

    def value(self) -> Tensor:
        return Tensor._from_raw(self._data)

    def init_data(self, layout=None, set_sliced=False):
        return self

    # --- copies ------------------------------------------------------------------------------------------------
    def clone(self, init="same"):
        """A new Parameter with the same name and flags and independent data (``init`` refills it)."""
        clone = Parameter(Tensor._from_raw(self._data), name=self.name, requires_grad=self.requires_grad,
                          layerwise_parallel=self.layerwise_parallel, parallel_optimizer=self.parallel_optimizer)
        if not (isinstance(init, str) and init == "same"):
            from .initializer import initializer
            clone.set_data(initializer(init, shape=self.shape, dtype=self.dtype))
        return clone

    def copy(self):
        return self.clone(init="same")

    def __deepcopy__(self, memo):
        # As MindSpore: name and requires_grad are kept, layerwise_parallel is not.
        new = Parameter(Tensor._from_raw(self._value), requires_grad=self.requires_grad)
        new.name = self.name
        memo[id(self)] = new
        return new

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (np.asarray(self._value), self.name, self.requires_grad, self.layerwise_parallel))

    # --- printing ----------------------------------------------------------------------------------------------
    def __repr__(self):
        return (f"Parameter (name={self.name}, shape={self.shape}, dtype={self.dtype}, "
                f"requires_grad={self.requires_grad})")

    __str__ = __repr__

    def __format__(self, spec):
        if spec:
            raise TypeError("unsupported format string passed to Parameter.__format__")
        return repr(self)


class _ParameterInstance(Parameter):
    """The class Parameter objects actually have (MindSpore's dynamically made ``abc.Parameter``)."""

    __slots__ = ()


_ParameterInstance.__name__ = _ParameterInstance.__qualname__ = "Parameter"
_ParameterInstance.__module__ = "abc"


def _rebuild_parameter(value, name, requires_grad, layerwise_parallel=False):
    return Parameter(Tensor(value), name=name, requires_grad=requires_grad, layerwise_parallel=layerwise_parallel)


class ParameterTuple(tuple):
    """A tuple of Parameters with unique names (the same object may appear twice). Slicing, ``+`` and ``*`` give
    plain tuples, as for any tuple subclass."""

    def __new__(cls, iterable):
        data = tuple(iterable)
        ids, names = set(), set()
        for param in data:
            if not isinstance(param, Parameter):
                raise TypeError("For ParameterTuple initialization, ParameterTuple input should be 'Parameter' "
                                f"collection, but got a {type(iterable)}. ")
            if id(param) not in ids:
                if param.name in names:
                    raise ValueError(f"The value {param} , its name '{param.name}' already exists. Please set a "
                                     "unique name for the parameter.")
                names.add(param.name)
                ids.add(id(param))
        return tuple.__new__(ParameterTuple, data)

    def clone(self, prefix, init="same"):
        """Clone each Parameter, named ``prefix + '.' + name``, filled according to ``init``."""
        check_str_by_regular(prefix)
        clones = []
        for param in self:
            clone = param.clone(init)
            clone.name = prefix + "." + clone.name
            clones.append(clone)
        return ParameterTuple(clones)


__all__ = ["Parameter", "ParameterTuple"]
