"""`mindspore.dataset.transforms`: the base of built-in transforms, and TypeCast, Compose, OneHot.

Transforms work on numpy arrays, eagerly (``TypeCast(ms.int32)(array)``) or inside ``Dataset.map``; their errors are
RuntimeErrors named after the transform, as MindSpore's C++ transforms report them.
"""
from __future__ import annotations

import numbers

import numpy as np

from .. import dtype as mstype
from ..tensor import Tensor
from .validators import check_type


def to_array(value) -> np.ndarray:
    """A pipeline value as numpy: Tensors through asnumpy, Python values with numpy's defaults (int -> int64)."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, Tensor):
        return value.asnumpy()
    array = np.asarray(value)
    if array.dtype == object:
        raise TypeError(f"Data type of the input or its converted Numpy array is expected to be int or float or "
                        f"str, but got {array.dtype}.")
    return array


def as_tuple(result) -> tuple:
    """A transform's result as the columns it produces: a tuple is several columns, anything else one."""
    return result if isinstance(result, tuple) else (result,)


def numpy_dtype(data_type, name="data_type") -> np.dtype:
    if isinstance(data_type, mstype.Type):
        return mstype.to_numpy_dtype(data_type)
    try:
        return np.dtype(data_type)
    except TypeError:
        raise TypeError(f"Argument {name} with value {data_type} is not a mindspore dtype or numpy dtype.") from None


class TensorOperation:
    """A built-in transform: one numpy array in, one out (`apply`), with MindSpore's call checks."""

    def __call__(self, *inputs):
        if len(inputs) != 1:
            raise RuntimeError("The op is OneToOne, can only accept one tensor as input.")
        return self.apply(self.check_input(inputs[0]))

    def check_input(self, value) -> np.ndarray:
        return to_array(value)

    def apply(self, array: np.ndarray) -> np.ndarray:
        raise NotImplementedError


def _apply_in_sequence(operations, args):
    for operation in operations:
        args = tuple(to_array(v) for v in as_tuple(operation(*args)))
    return args


class Compose(TensorOperation):
    """Applies ``transforms`` in order; a tuple result feeds the next transform as several arguments."""

    def __init__(self, transforms):
        check_type(transforms, (list,), "transforms list")
        if not transforms:
            raise ValueError("transforms list can not be empty.")
        for index, op in enumerate(transforms):
            if not callable(op) or isinstance(op, type):
                raise TypeError(f"transforms[{index}] is neither a transforms op (TensorOperation) nor a callable "
                                "pyfunc.")
        self.transforms = list(transforms)

    def __call__(self, *inputs):
        result = _apply_in_sequence(self.transforms, tuple(to_array(v) for v in inputs))
        return result[0] if len(result) == 1 else result


class TypeCast(TensorOperation):
    """Casts to ``data_type`` (a mindspore dtype or numpy dtype) with numpy's C casting (300 -> uint8 44)."""

    def __init__(self, data_type):
        self.data_type = data_type
        self._np_dtype = numpy_dtype(data_type)

    def apply(self, array):
        with np.errstate(all="ignore"):
            return array.astype(self._np_dtype)


class OneHot(TensorOperation):
    """Integer class indices -> one-hot vectors of the input's dtype (Float64 with ``smoothing_rate``)."""

    def __init__(self, num_classes, smoothing_rate=0.0):
        check_type(num_classes, (int,), "num_classes")
        if num_classes <= 0:
            raise ValueError("Input num_classes must be greater than 0.")
        check_type(smoothing_rate, (numbers.Number,), "smoothing_rate")
        if not 0.0 <= smoothing_rate <= 1.0:
            raise ValueError("Input smoothing_rate is not within the required interval of [0.0, 1.0].")
        self.num_classes = num_classes
        self.smoothing_rate = smoothing_rate

    def apply(self, array):
        if array.dtype.kind not in "iu":
            raise RuntimeError(f"OneHot: Only support input of int type, but got: {array.dtype}")
        if array.ndim > 1:
            array = array.squeeze()
            if array.ndim > 1:
                raise RuntimeError(f"OneHot: only scalars and 1-D inputs are supported, but got rank: {array.ndim}")
        if array.size and (array.min() < 0 or array.max() >= self.num_classes):
            bad = array[(array < 0) | (array >= self.num_classes)][0]
            raise RuntimeError(f"OneHot: index values should not bigger than num classes: {self.num_classes}, "
                               f"but got: {bad}")
        hot = array[..., None] == np.arange(self.num_classes)
        if self.smoothing_rate:
            return hot * (1.0 - self.smoothing_rate) + self.smoothing_rate / self.num_classes
        return hot.astype(array.dtype)
