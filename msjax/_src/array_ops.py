"""Array ops: shapes, joins, indexing, creation (``ops.Reshape``, ``ops.concat``, ``Tensor.__getitem__``, ...)."""
from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from . import dtype as mstype
from .primitive import Primitive
from .tensor import concrete_value
from .validation import normalize_axis, promote, shape_list


def _const_vector(shape) -> str:
    return "[const vector]{" + ", ".join(str(d) for d in shape) + "}"


class Reshape(Primitive):
    inputs = ("input_x: Tensor", "input_shape: tuple[int]|int|Tensor")
    int_grad = True

    def kernel(self, x, shape):
        if isinstance(shape, (int, np.integer)):
            shape = (int(shape),)
        elif hasattr(shape, "shape"):
            shape = tuple(int(d) for d in concrete_value(shape).reshape(-1))
        shape = tuple(int(d) for d in shape)
        if shape.count(-1) > 1:
            raise ValueError(f"For 'Reshape', only one dimension can be inferred, but got shape {shape}.")
        if any(d < -1 for d in shape):
            raise ValueError(f"For 'Reshape', invalid proposed_shape dimension in {shape}: only -1 may be negative.")
        known = math.prod(d for d in shape if d != -1)
        size = math.prod(x.shape)
        if (-1 not in shape and known != size) or (-1 in shape and (known == 0 or size % known)):
            raise ValueError(f"proposed_shape '{_const_vector(shape)}' is invalid for input of size {size}")
        return jnp.reshape(x, shape)


class Transpose(Primitive):
    compile_eagerly = True
    inputs = ("input_x: Tensor", "input_perm: tuple[int]")
    int_grad = True

    def kernel(self, x, perm):
        perm = tuple(int(p) for p in perm)
        if len(perm) != x.ndim:
            raise ValueError(f"For 'Transpose', size of perm should equal to rank of x, but got {len(perm)} and "
                             f"{x.ndim}!")
        for p in perm:
            if not -x.ndim <= p < x.ndim:
                raise ValueError(f"For 'Transpose', dimension out of range (expected to be in range of "
                                 f"[{-x.ndim}, {x.ndim}), but got {p}) in perm {perm}.")
        normalized = tuple(p % x.ndim for p in perm)
        if len(set(normalized)) != len(normalized):
            raise ValueError(f"For 'Transpose', perms should all be unique dims, but got {perm}.")
        return jnp.transpose(x, normalized)


class ExpandDims(Primitive):
    compile_eagerly = True
    inputs = ("input_x: Tensor", "axis: int")
    int_grad = True

    def kernel(self, x, axis):
        rank = x.ndim + 1
        if not -rank <= axis < rank:
            raise ValueError(f"Dimension out of range (expected to be in range of [{-rank}, {rank}), but got {axis})")
        return jnp.expand_dims(x, axis)


class Squeeze(Primitive):
    """``Squeeze(axis=())(x)``: axes whose size is not 1 are left alone, as in MindSpore."""
    compile_eagerly = True
    inputs = ("input_x: Tensor",)
    attrs = {"axis": ()}
    int_grad = True

    def kernel(self, x):
        axis = self.axis
        axes = (axis,) if isinstance(axis, int) else tuple(axis)
        if not axes:
            return jnp.squeeze(x)
        axes = tuple(normalize_axis("Squeeze", a, x.ndim) for a in axes)
        return jnp.squeeze(x, tuple(a for a in axes if x.shape[a] == 1))


class Concat(Primitive):
    """``Concat(axis=0)((x1, x2, ...))``."""
    compile_eagerly = True
    inputs = ("input_x: tuple[Tensor]",)
    attrs = {"axis": 0}
    int_grad = True

    def kernel(self, xs):
        if not xs:
            raise ValueError("For 'Concat', the input tuple must not be empty.")
        ndim = xs[0].ndim
        shapes = "[const vector]{" + ", ".join(_const_vector(v.shape) for v in xs) + "}"
        if any(x.ndim != ndim for x in xs):
            raise ValueError(f"For primitive[Concat], element rank must be same(shapes are {shapes})!")
        axis = normalize_axis("Concat", self.axis, ndim)
        for x in xs[1:]:
            bad = [d for d in range(ndim) if d != axis and x.shape[d] != xs[0].shape[d]]
            if bad:
                raise ValueError(f"For primitive[Concat], shapes of tensors must match except in given concat axis "
                                 f"{axis}, but got mismatch in {bad[0]}(all input shapes are {shapes})!")
        parts, _ = promote(*xs)
        return jnp.concatenate(parts, axis=axis)


class Stack(Primitive):
    """``Stack(axis=0)((x1, x2, ...))``."""
    compile_eagerly = True
    inputs = ("input_x: tuple[Tensor]",)
    attrs = {"axis": 0}
    int_grad = True

    def kernel(self, xs):
        if not xs:
            raise ValueError("For 'Stack', the input tuple must not be empty.")
        for i, x in enumerate(xs[1:], 1):
            if x.shape != xs[0].shape:
                raise ValueError(f"For 'Stack', all input shape must be the same! {_const_vector(x.shape)} And "
                                 f"{_const_vector(xs[0].shape)}")
            if x.dtype != xs[0].dtype:
                raise TypeError(f"For 'Stack', all input must have the same data type! input[{i}] data type = "
                                f"{mstype.from_numpy_dtype(x.dtype)}, input[0] data type = "
                                f"{mstype.from_numpy_dtype(xs[0].dtype)}.")
        axis = normalize_axis("Stack", self.axis, xs[0].ndim + 1)
        return jnp.stack(xs, axis=axis)


class Split(Primitive):
    """``Split(axis=0, output_num=1)(x)``: equal parts."""
    inputs = ("input_x: Tensor",)
    attrs = {"axis": 0, "output_num": 1}
    int_grad = True

    def kernel(self, x):
        axis = normalize_axis("Split", self.axis, x.ndim)
        if x.shape[axis] % self.output_num:
            raise ValueError(f"For 'Split', the shape of 'input_x' at 'axis' ({x.shape[axis]}) must be divisible by "
                             f"'output_num' ({self.output_num}).")
        return tuple(jnp.split(x, self.output_num, axis=axis))


class SplitWithSize(Primitive):
    """``ops.split(tensor, split_size_or_sections, axis=0)``: an int is the size of each chunk."""
    inputs = ("tensor: Tensor", "split_size_or_sections: int|tuple[int]", "axis: int")
    int_grad = True

    def kernel(self, x, sections, axis=0):
        axis = normalize_axis("Split", axis, x.ndim)
        length = x.shape[axis]
        if isinstance(sections, (int, np.integer)):
            if sections <= 0:
                raise ValueError(f"For split, the value of 'split_size_or_sections' must be more than zero, "
                                 f"but got {sections}.")
            sizes = [int(sections)] * (length // sections) + ([length % sections] if length % sections else [])
        else:
            sizes = [int(s) for s in sections]
            if any(s < 0 for s in sizes):
                raise TypeError(f"For split, each element in 'split_size_or_sections' should be non-negative, "
                                f"but got {tuple(sizes)}.")
            if sum(sizes) != length:
                raise ValueError(f"For split, the sum of 'split_size_or_sections' should be equal to {length}, "
                                 f"but got {sum(sizes)}.")
        bounds = np.cumsum(sizes)[:-1].tolist()
        return tuple(jnp.split(x, bounds, axis=axis))


class Tile(Primitive):
    compile_eagerly = True
    inputs = ("input: Tensor", "dims: tuple[int]")
    int_grad = True

    def kernel(self, x, multiples):
        multiples = tuple(int(m) for m in multiples)
        for i, m in enumerate(multiples):
            if m < 0:
                raise ValueError(f"For 'Tile', 'dims' cannot contain negative integer numbers, but got {m} in "
                                 f"{i}th.")
        return jnp.tile(x, multiples)


class BroadcastTo(Primitive):
    compile_eagerly = True
    inputs = ("input: Tensor",)
    attrs = {"shape": ()}
    int_grad = True

    def kernel(self, x):
        target = tuple(int(d) for d in self.shape)
        lead = len(target) - x.ndim
        resolved = tuple(x.shape[i - lead] if d == -1 else d for i, d in enumerate(target))
        ok = lead >= 0 and all(x.shape[i] in (1, resolved[i + lead]) for i in range(x.ndim))
        if not ok:
            raise ValueError(f"For 'BroadcastTo', in order to broadcast, each dimension pair must be equal or input "
                             f"dimension is 1 or target dimension is -1. But got x_shape: {tuple(x.shape)}, target "
                             f"shape: {target}.")
        return jnp.broadcast_to(x, resolved)


class Flatten(Primitive):
    """``Flatten()(x)``: keeps the first axis, flattens the rest."""
    compile_eagerly = True
    inputs = ("input_x: Tensor",)
    int_grad = True

    def kernel(self, x):
        if x.ndim == 0:
            raise RuntimeError("For 'Flatten', unsupported input shape dimension: the shape should not be empty "
                               "(got a 0-d Tensor).")
        return jnp.reshape(x, (x.shape[0], math.prod(x.shape[1:])))


class FlattenExt(Primitive):
    """``ops.flatten(input, order='C', *, start_dim=1, end_dim=-1)``."""
    compile_eagerly = True
    inputs = ("input: Tensor",)
    int_grad = True

    def kernel(self, x, start_dim=1, end_dim=-1):
        for name, d in (("start_dim", start_dim), ("end_dim", end_dim)):
            if not isinstance(d, (int, np.integer)) or isinstance(d, bool):
                raise TypeError(f"For 'flatten', both 'start_dim' and 'end_dim' must be int, but got {name}={d!r}.")
        if x.ndim <= 1 and (start_dim, end_dim) == (1, -1):
            return jnp.reshape(x, (-1,))  # MindSpore does not check the default dims of a 0-d or 1-d input
        rank = max(x.ndim, 1)
        for d in (start_dim, end_dim):
            if not -rank <= d < rank:
                raise ValueError(f"For 'flatten', 'start_dim' or 'end_dim' out of range: got {d} for a {x.ndim}-d "
                                 f"input.")
        start, end = start_dim % rank, end_dim % rank
        if start > end:
            raise ValueError(f"For 'flatten', 'start_dim' cannot come after 'end_dim', but got {start_dim} and "
                             f"{end_dim}.")
        if x.ndim <= 1:
            return jnp.reshape(x, (-1,))
        return jnp.reshape(x, x.shape[:start] + (math.prod(x.shape[start:end + 1]),) + x.shape[end + 1:])


class OnesLike(Primitive):
    compile_eagerly = True
    inputs = ("input_x: Tensor",)

    def kernel(self, x):
        return jnp.ones(x.shape, x.dtype)


class ZerosLike(Primitive):
    compile_eagerly = True
    inputs = ("input_x: Tensor",)

    def kernel(self, x):
        return jnp.zeros(x.shape, x.dtype)


class Fill(Primitive):
    """``Fill()(dtype, shape, value)`` and the creation functions (``ops.ones``, ``ops.zeros``, ``ops.full``)."""
    inputs = ("type: dtype", "shape: tuple[int]|int", "value: Number|Tensor")

    def kernel(self, dtype, shape, value):
        shape = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)
        return jnp.full(shape, value, mstype.to_numpy_dtype(dtype))


class Shape(Primitive):
    inputs = ("input_x: Tensor",)

    def __call__(self, x):
        if not hasattr(x, "shape") or isinstance(x, np.ndarray):
            raise TypeError(f"For primitive[Shape], the input argument must be Tensor, but got {type(x)}.")
        return tuple(x.shape)


class Rank(Primitive):
    inputs = ("input_x: Tensor",)

    def __call__(self, x):
        return x.ndim


class Size(Primitive):
    inputs = ("input_x: Tensor",)

    def __call__(self, x):
        return x.size


class Select(Primitive):
    """``Select()(condition, x, y)`` / ``ops.where``."""
    compile_eagerly = True
    inputs = ("condition: Tensor", "input: Number|Tensor", "other: Number|Tensor")
    int_grad = True

    def kernel(self, condition, x, y):
        from .validation import check_broadcast
        (x, y), _ = promote(x, y)
        check_broadcast("Select", x.shape, y.shape)
        check_broadcast("Select", condition.shape, jnp.broadcast_shapes(x.shape, y.shape), ("condition", "input"))
        return jnp.where(condition.astype(bool), x, y)


class Identity(Primitive):
    inputs = ("x: Tensor",)
    int_grad = True

    def kernel(self, x):
        return x


class _ArgReduce(Primitive):
    """Index of the max/min along ``axis`` (Bool inputs are MindSpore's TypeError)."""
    compile_eagerly = True
    inputs = ("input_x: Tensor",)

    def check(self, x, axis):
        if x.dtype == np.bool_:
            raise TypeError(f"For '{self.name}', the input dtype Bool is not supported; cast it to a number dtype "
                            f"first, e.g. x.astype(mindspore.int32).")
        rank = max(x.ndim, 1)
        if not -rank <= axis < rank:
            raise ValueError(f"For primitive[{self.name}], the axis must be in [{-rank},{rank}), but got {axis}.")
        return axis % rank if x.ndim else None


class Argmax(_ArgReduce):
    """``Argmax(axis=-1, output_type=mstype.int32)(x)``."""
    attrs = {"axis": -1, "output_type": mstype.int32}

    def kernel(self, x):
        axis = self.check(x, self.axis)
        return jnp.argmax(x, axis=axis).astype(mstype.to_numpy_dtype(self.output_type))


class Argmin(_ArgReduce):
    attrs = {"axis": -1, "output_type": mstype.int32}

    def kernel(self, x):
        axis = self.check(x, self.axis)
        return jnp.argmin(x, axis=axis).astype(mstype.to_numpy_dtype(self.output_type))


class ArgMaxWithValue(_ArgReduce):
    """``ArgMaxWithValue(axis=0, keep_dims=False)(x)`` -> (Int64 indices, values)."""
    inputs = ("x: Tensor",)
    attrs = {"axis": 0, "keep_dims": False}
    int_grad = True

    def kernel(self, x):
        axis = self.check(x, self.axis)
        index = jnp.argmax(x, axis=axis, keepdims=self.keep_dims)
        return index.astype(np.int64), jnp.max(x, axis=axis, keepdims=self.keep_dims)


class ArgMinWithValue(_ArgReduce):
    inputs = ("x: Tensor",)
    attrs = {"axis": 0, "keep_dims": False}
    int_grad = True

    def kernel(self, x):
        axis = self.check(x, self.axis)
        index = jnp.argmin(x, axis=axis, keepdims=self.keep_dims)
        return index.astype(np.int64), jnp.min(x, axis=axis, keepdims=self.keep_dims)


_ONE_HOT_VALUES = ("Float16", "Float32", "Int32", "Int64")


class OneHot(Primitive):
    """``OneHot(axis=-1)(indices, depth, on_value, off_value)``; the result has on_value's dtype."""
    compile_eagerly = True
    inputs = ("indices: Tensor", "depth: int", "on_value: Number|Tensor", "off_value: Number|Tensor")
    attrs = {"axis": -1}

    def kernel(self, indices, depth, on_value=1, off_value=0):
        if indices.dtype not in (np.int32, np.int64):
            raise TypeError(f"For primitive[OneHot], the input argument[indices] must be a type of {{Tensor[Int32], "
                            f"Tensor[Int64]}}, but got Tensor[{mstype.from_numpy_dtype(indices.dtype)}].")
        if depth < 0:
            raise ValueError(f"For primitive[OneHot], the depth value must be greater than or equal to 0, but got "
                             f"{depth}.")
        if not -1 <= self.axis <= indices.ndim:
            raise ValueError(f"For primitive[OneHot], the axis value must be in [-1,{indices.ndim}], but got "
                             f"{self.axis}.")
        on, off = (v if hasattr(v, "dtype") else jnp.asarray(v, mstype.default_np_dtype_for_python(v))
                   for v in (on_value, off_value))
        for name, v in (("on_value", on), ("off_value", off)):
            if str(mstype.from_numpy_dtype(v.dtype)) not in _ONE_HOT_VALUES:
                raise TypeError(f"For primitive[OneHot], the input argument[{name}] must be a type of "
                                f"{{Float16, Float32, Int32, Int64}}, but got {mstype.from_numpy_dtype(v.dtype)}.")
        if on.dtype != off.dtype:
            raise TypeError(f"For primitive[OneHot], the input type must be same: on_value is "
                            f"{mstype.from_numpy_dtype(on.dtype)}, off_value is {mstype.from_numpy_dtype(off.dtype)}.")
        hot = jax.nn.one_hot(indices, depth, axis=self.axis, dtype=np.bool_)
        return jnp.where(hot, on, off)


class Gather(Primitive):
    """``Gather(batch_dims=0)(input_params, input_indices, axis)``."""
    inputs = ("input_params: Tensor", "input_indices: Tensor", "axis: int")
    attrs = {"batch_dims": 0}
    int_grad = True

    def kernel(self, params, indices, axis=0):
        if np.dtype(indices.dtype) not in _GATHER_INDEX_DTYPES:
            raise TypeError("Select CPU operator[Gather] fail! Unsupported data type!\nThe supported data types are "
                            + _GATHER_SUPPORTED + f", but get input[{mstype.from_numpy_dtype(params.dtype)} "
                            f"{mstype.from_numpy_dtype(indices.dtype)} Int64 Int64 ] and output["
                            f"{mstype.from_numpy_dtype(params.dtype)} ]")
        if not -params.ndim <= axis < params.ndim:
            raise ValueError(f"For primitive[Gather], the axis must be in [{-params.ndim},{params.ndim}), but got "
                             f"{axis}.")
        axis = axis % params.ndim
        # a negative index counts from the end once (jnp.take does the same below); compiled code cannot raise on
        # values, and there jnp.take fills rows out of range (NaN for floats)
        _check_gather_range(indices, params.shape[axis], negative_ok=False, wrap=True)
        batch_dims = self.batch_dims % max(indices.ndim, 1) if self.batch_dims < 0 else self.batch_dims

        def take(p, i):
            return jnp.take(p, i, axis=axis - batch_dims)
        for _ in range(batch_dims):
            take = jax.vmap(take)
        return take(params, indices)


# MindSpore's CPU Gather takes Int16/32/64 indices (its kernel-select error lists the Int32 forms)
_GATHER_INDEX_DTYPES = (np.dtype(np.int16), np.dtype(np.int32), np.dtype(np.int64))
_GATHER_SUPPORTED = "".join(f"input[{name} Int32 Int64 Int64], output[{name}]; " for name in (
    "UInt8", "UInt16", "UInt32", "UInt64", "Int8", "Int16", "Int32", "Int64", "Float16", "Float32", "Float64", "Bool",
    "Complex64", "Complex128"))


def _check_gather_range(indices, size, negative_ok, wrap=False):
    """MindSpore's RuntimeError for an index Tensor out of range (checked when its values are known); with ``wrap``,
    negative indices are first counted from the end once and the error shows the wrapped value."""
    if isinstance(indices, jax.core.Tracer) and indices.to_concrete_value() is None:
        return
    values = np.asarray(concrete_value(indices)).astype(np.int64)
    if wrap:
        values = np.where(values < 0, values + size, values)
    low = -size if negative_ok else 0
    bad = values[(values < low) | (values >= size)]
    if bad.size:
        raise RuntimeError(f"For 'Gather', the 'input_indices' should be in the range [{low}, {size}), but got "
                           f"{int(bad.reshape(-1)[0])}, error_code[58]")


# --- indexing ------------------------------------------------------------------------------------------------

def _normalize_index(x, index):
    """A JAX index for ``x[index]``: Tensors become arrays, boolean masks concrete, integers bounds-checked.

    ``Tensor.__getitem__`` passes Tensor indices as JAX arrays and keeps Python lists as lists; out of range, the
    former are MindSpore's RuntimeError (it gathers), the latter IndexError.
    """
    if not isinstance(index, tuple):
        index = (index,)
    normalized = []
    consumed = 0
    n_explicit = sum(1 for i in index if i is not None and i is not Ellipsis and not _is_bool_mask(i)) + sum(
        np.ndim(i) for i in index if _is_bool_mask(i))
    for item in index:
        if item is Ellipsis:
            consumed += x.ndim - n_explicit
            normalized.append(item)
        elif item is None or isinstance(item, bool):
            normalized.append(item)
        elif isinstance(item, (int, np.integer)):
            size = _indexed_size(x, consumed)
            if not -size <= item < size:
                raise IndexError(f"index {item} is out of bounds for dimension with size {size}")
            normalized.append(int(item))
            consumed += 1
        elif isinstance(item, slice):
            normalized.append(item)
            consumed += 1
        elif _is_bool_mask(item):
            normalized.append(np.asarray(concrete_value(item)))
            consumed += np.ndim(item)
        elif isinstance(item, (list, tuple, np.ndarray)) or hasattr(item, "dtype"):
            from_tensor = hasattr(item, "dtype") and not isinstance(item, np.ndarray)
            array = item if from_tensor else np.asarray(item)
            if np.dtype(array.dtype).kind not in "iu":
                raise IndexError(f"The tensor index must be int or bool type, but got {item}.")
            size = _indexed_size(x, consumed)
            if from_tensor:
                _check_gather_range(array, size, negative_ok=True)
            else:
                bad = array[(array < -size) | (array >= size)]
                if bad.size:
                    raise IndexError(f"index {int(bad.reshape(-1)[0])} out of bounds for dimension with size {size}")
            normalized.append(array)
            consumed += 1
        else:
            raise IndexError(f"Only support integers, slices(`:`), ellipsis(`...`), None, bool, tensor, int, list "
                             f"and tuple as index, but got {item!r} with type {type(item)}")
    return tuple(normalized)


def _indexed_size(x, dim):
    if dim >= x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    return x.shape[dim]


def _is_bool_mask(item) -> bool:
    return hasattr(item, "dtype") and np.dtype(item.dtype) == np.bool_ and np.ndim(item) > 0 or (
        isinstance(item, list) and item and all(isinstance(i, bool) for i in item))


class GetItem(Primitive):
    """``x[index]`` (Tensor.__getitem__)."""
    inputs = ("x: Tensor", "index: any")
    int_grad = True

    def kernel(self, x, index):
        return x[_normalize_index(x, index)]


class SetItem(Primitive):
    """The new value of ``x`` after ``x[index] = value`` (Tensor.__setitem__ stores it back)."""
    inputs = ("x: Tensor", "index: any", "value: Number|Tensor")
    int_grad = True

    def kernel(self, x, index, value):
        value = jnp.asarray(value).astype(x.dtype)
        return x.at[_normalize_index(x, index)].set(value)


class Assign(Primitive):
    """``Assign()(variable, value)``: writes ``value`` into the Parameter and returns the new value as a Tensor."""
    inputs = ("variable: Tensor", "value: Tensor|Number")

    def __call__(self, variable, value):
        from .tensor import Tensor
        if not isinstance(variable, Tensor):
            raise TypeError(f"For 'Assign', the 'variable' must be a Parameter or Tensor, but got {type(variable)}.")
        new = value._data if isinstance(value, Tensor) else jnp.asarray(value)
        current = variable._data
        if new.ndim and tuple(new.shape) != tuple(current.shape):
            raise ValueError(f"For 'Assign', 'value' must have the same shape as 'variable', but got 'value' shape: "
                             f"{shape_list(new.shape)}, 'variable' shape: {shape_list(current.shape)}.")
        variable._data = jnp.broadcast_to(new, current.shape).astype(current.dtype)
        return Tensor._from_raw(variable._data)


class Print(Primitive):
    """``Print()(*inputs)``: as ``ops.print_``."""

    def __call__(self, *inputs):
        from .functional import print_
        print_(*inputs)


class Depend(Primitive):
    """``Depend()(value, expr)``: returns ``value``; ordering is already given by eager execution and by JAX."""
    inputs = ("value: any", "expr: any")

    def __call__(self, value, expr):
        return value


class StopGradient(Primitive):
    """Identity forward, no gradient backward."""
    inputs = ("input: Tensor",)

    def kernel(self, x):
        return jax.lax.stop_gradient(x)
