"""Initializers (`mindspore.common.initializer`): the small set the core types need.

The full set with MindSpore's fan computations belongs to the training issue; these fill a Tensor eagerly
(MindSpore fills lazily on first use; the values are the same kind either way).
"""
from __future__ import annotations

import numbers

import numpy as np

from . import dtype as mstype
from . import random as _random


class Initializer:
    """Base class: ``Initializer()(array)`` fills a numpy array in place, as in MindSpore."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs

    def _values(self, shape, np_dtype) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, array: np.ndarray):
        array[...] = self._values(array.shape, array.dtype)


class Zero(Initializer):
    def _values(self, shape, np_dtype):
        return np.zeros(shape, np_dtype)


class One(Initializer):
    def _values(self, shape, np_dtype):
        return np.ones(shape, np_dtype)


class Constant(Initializer):
    def __init__(self, value):
        super().__init__(value=value)
        self.value = value

    def _values(self, shape, np_dtype):
        return np.full(shape, self.value, np_dtype)


class Normal(Initializer):
    def __init__(self, sigma=0.01, mean=0.0):
        super().__init__(sigma=sigma, mean=mean)
        self.sigma, self.mean = sigma, mean

    def _values(self, shape, np_dtype):
        return _random.numpy_generator().normal(self.mean, self.sigma, shape).astype(np_dtype)


class Uniform(Initializer):
    def __init__(self, scale=0.07):
        super().__init__(scale=scale)
        self.scale = scale

    def _values(self, shape, np_dtype):
        return _random.numpy_generator().uniform(-self.scale, self.scale, shape).astype(np_dtype)


_BY_NAME = {"zeros": Zero, "zero": Zero, "ones": One, "one": One, "normal": Normal, "uniform": Uniform}


def _as_initializer(init) -> Initializer:
    if isinstance(init, Initializer):
        return init
    if isinstance(init, str):
        try:
            return _BY_NAME[init.lower()]()
        except KeyError:
            raise ValueError(f"For 'initializer', the 'init' {init!r} is not a known initializer name; "
                             f"use one of {sorted(_BY_NAME)} or an Initializer object.") from None
    if isinstance(init, numbers.Number) and not isinstance(init, bool):
        return Constant(init)
    raise TypeError(f"For 'initializer', the type of 'init' should be an Initializer, str or number, "
                    f"but got {type(init).__name__}.")


def materialize(init, shape, dtype):
    """The JAX array ``init`` gives for ``shape`` and ``dtype``."""
    import jax.numpy as jnp
    from .tensor import Tensor
    if isinstance(init, Tensor):
        return init._data
    np_dtype = mstype.to_numpy_dtype(dtype)
    values = _as_initializer(init)._values(tuple(shape), np_dtype)
    return jnp.asarray(values, np_dtype)


def initializer(init, shape=None, dtype=mstype.float32):
    """``initializer(init, shape, dtype)``: a Tensor filled by ``init``."""
    from .tensor import Tensor
    if isinstance(init, Tensor):
        return init
    shape = () if shape is None else ((shape,) if isinstance(shape, int) else tuple(shape))
    return Tensor._from_raw(materialize(init, shape, dtype))
