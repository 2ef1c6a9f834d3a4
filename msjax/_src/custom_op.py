"""``ops.Custom``: a user-defined op. msjax runs ``func_type="pyfunc"``: a Python function on numpy arrays.

The output's shape and dtype come from ``out_shape`` / ``out_dtype`` (values, or functions of the inputs' shapes
as lists and dtypes as ``TensorType``), as MindSpore's infer step computes them. Eagerly the function is called
directly (its exceptions propagate as raised); on traced values (vmap; jit later) through `jax.pure_callback`.
Its ``bprop(*inputs, out, dout)`` is a custom rule (`bprop.call_with_rule`); without one, a gradient that reaches
the op raises, as in MindSpore.

MindSpore copies the bytes the function returns into an output of the declared shape and dtype: fewer bytes leave
garbage, more fail. msjax requires the declared dtype and element count (and reshapes); a Python or numpy scalar
is converted to the declared dtype. The other func_types build kernels with Ascend/GPU toolchains msjax lacks.
"""
from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from . import bprop, state
from .dtype import TensorType, Type, default_np_dtype_for_python, from_numpy_dtype, int32, _lookup_by_name
from .primitive import Primitive
from .tensor import Tensor

_FUNC_TYPES = ["hybrid", "akg", "tbe", "aicpu", "aot", "pyfunc"]


def _is_scalar(value) -> bool:
    return isinstance(value, (bool, int, float))


def _np_dtype(dtype) -> np.dtype:
    if isinstance(dtype, TensorType):  # an infer function may return the input's TensorType
        dtype = _lookup_by_name(str(dtype)[len("Tensor["):-1])
    return dtype.np_dtype


class Custom(Primitive):
    """``ops.Custom(func, out_shape=None, out_dtype=None, func_type="pyfunc", bprop=None, reg_info=None)``."""

    def __init__(self, func, out_shape=None, out_dtype=None, func_type="pyfunc", bprop=None, reg_info=None):
        super().__init__()
        self.log_prefix = f"For 'Custom', 'func_type': {func_type}, 'func': {func}"
        if func_type not in _FUNC_TYPES:
            raise ValueError(f"{self.log_prefix}, 'func_type' must be one of {_FUNC_TYPES}, but got {func_type}")
        if func_type != "pyfunc":
            raise NotImplementedError(
                f"{self.log_prefix}: msjax runs only func_type=\"pyfunc\" Custom ops (a Python function on numpy "
                f"arrays, with an optional bprop); '{func_type}' kernels need MindSpore's Ascend/GPU toolchains. "
                f"Write the op as a pyfunc, or as msjax ops in a Cell (with a bprop method for a custom gradient).")
        self.func, self.out_shape, self.out_dtype = func, out_shape, out_dtype
        self.func_type, self.bprop, self.reg_info = func_type, bprop, reg_info
        self.func_name = getattr(func, "__name__", type(func).__name__)
        self.attrs = {"func_name": self.func_name, "func_type": func_type}
        self.init_attrs = dict(self.attrs)

    def get_bprop(self):
        return self.bprop

    def __call__(self, *args):
        for value in args:
            if not (isinstance(value, Tensor) or _is_scalar(value)):
                raise TypeError(f"{self.log_prefix}: the inputs must be Tensors or Python scalars, but got "
                                f"{type(value).__name__}.")
        specs, multi = self._infer(args)

        def forward(*inputs):
            outs = self._run(inputs, specs)
            return outs if multi else outs[0]

        if not state.differentiating(args):
            return forward(*args)
        return bprop.call_with_rule(forward, self._rule, args, who=f"the bprop of Custom op '{self.func_name}'")

    def _infer(self, args):
        """((shape, numpy dtype) per output, whether the op returns a tuple), from out_shape / out_dtype."""
        shapes = [list(a.shape) if isinstance(a, Tensor) else [] for a in args]
        dtypes = [TensorType(a.dtype) if isinstance(a, Tensor) else from_numpy_dtype(default_np_dtype_for_python(a))
                  for a in args]
        shape = self.out_shape(*shapes) if callable(self.out_shape) else self.out_shape
        dtype = self.out_dtype(*dtypes) if callable(self.out_dtype) else self.out_dtype
        if shape == ():  # MindSpore's placeholder for an empty output
            shape = (1,)
        if dtype == ():
            dtype = int32
        if not isinstance(shape, (tuple, list)):
            raise TypeError(f"{self.log_prefix}, 'out_shape' must be one of [tuple, list, function], but got "
                            f"{type(shape)}")
        if not isinstance(dtype, (Type, tuple, list)):
            raise TypeError(f"{self.log_prefix}, 'out_dtype' must be one of [mindspore.dtype, tuple, list, "
                            f"function], but got {type(dtype)}")
        if not isinstance(dtype, (tuple, list)):
            return [(tuple(shape), _np_dtype(dtype))], False
        if len(shape) != len(dtype) or not all(isinstance(s, (tuple, list)) for s in shape):
            raise TypeError(f"{self.log_prefix}: with {len(dtype)} output dtypes, 'out_shape' must give one shape "
                            f"per output, but got {shape}.")
        return [(tuple(s), _np_dtype(d)) for s, d in zip(shape, dtype)], True

    def _run(self, inputs, specs):
        positions = [i for i, value in enumerate(inputs) if isinstance(value, Tensor)]
        raws = [inputs[i]._data for i in positions]

        def host(*arrays):
            call = list(inputs)
            for i, array in zip(positions, arrays):
                call[i] = np.array(array)  # a writable copy: the function may modify it, the input stays
            return self._results(self.func(*call), specs)

        if any(isinstance(r, jax.core.Tracer) for r in raws):
            result_shapes = tuple(jax.ShapeDtypeStruct(shape, dtype) for shape, dtype in specs)
            outs = jax.pure_callback(host, result_shapes, *raws, vmap_method="sequential")
        else:
            outs = host(*raws)
        return tuple(Tensor._from_raw(jnp.asarray(o)) for o in outs)

    def _results(self, result, specs):
        if len(specs) > 1:
            count = len(result) if isinstance(result, (tuple, list)) else 1
            if count != len(specs):
                raise RuntimeError(f"The output num is {count}, with {len(specs)} expect. ({self.log_prefix}: the "
                                   f"function must return one array per declared output.)")
        else:
            result = (result,)
        return tuple(self._result_array(value, shape, dtype) for value, (shape, dtype) in zip(result, specs))

    def _result_array(self, value, shape, dtype):
        array = np.asarray(value, dtype) if _is_scalar(value) or isinstance(value, np.generic) else np.asarray(value)
        if array.dtype != dtype or array.size != math.prod(shape):
            raise RuntimeError(f"{self.log_prefix}: the function returned {array.dtype} {list(array.shape)}, but "
                               f"out_dtype/out_shape declare {dtype} {list(shape)}. Return a numpy array of the "
                               f"declared dtype and number of elements (MindSpore copies its bytes: a mismatch fails "
                               f"or gives garbage).")
        return array.reshape(shape)

    def _rule(self, *inputs_out_dout):
        if self.bprop is None:
            raise RuntimeError(f"Illegal primitive Custom's bprop not defined: the Custom op '{self.func_name}' has "
                               f"no derivative. Pass bprop=fn(*inputs, out, dout) returning one gradient per input "
                               f"to ops.Custom, or wrap the computation in a Cell with a bprop method.")
        grads = self.bprop(*inputs_out_dout)
        for grad in grads if isinstance(grads, (tuple, list)) else (grads,):
            if isinstance(grad, np.ndarray):
                raise TypeError(f"Unreasonable data type: {type(grad)}. The bprop of Custom op '{self.func_name}' "
                                f"must return Tensors.")
        return grads
