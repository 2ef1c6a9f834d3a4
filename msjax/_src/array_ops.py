"""Array ops: shapes, joins, indexing, creation (``ops.Reshape``, ``ops.concat``, ``Tensor.__getitem__``, ...)."""
from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from . import dtype as mstype
from .primitive import Primitive
from .tensor import concrete_value
from .validation import normalize_axis, normalize_axes, promote, shape_list


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
            raise ValueError(f"For 'Reshape', there can be at most one '-1' in 'input_shape', but got {shape}.")
        known = math.prod(d for d in shape if d != -1)
        size = math.prod(x.shape)
        if (-1 not in shape and known != size) or (-1 in shape and (known == 0 or size % known)):
            raise ValueError(f"proposed_shape '{_const_vector(shape)}' is invalid for input of size {size}")
        return jnp.reshape(x, shape)


class Transpose(Primitive):
    inputs = ("input_x: Tensor", "input_perm: tuple[int]")
    int_grad = True

    def kernel(self, x, perm):
        perm = tuple(int(p) for p in perm)
        if len(perm) != x.ndim:
            raise ValueError(f"For 'Transpose', size of perm should equal to rank of x, but got {len(perm)} and "
                             f"{x.ndim}!")
        normalized = tuple(p % x.ndim if x.ndim else p for p in perm)
        if sorted(normalized) != list(range(x.ndim)):
            raise ValueError(f"For 'Transpose', the perm must be a permutation of the axes of x, but got {perm}.")
        return jnp.transpose(x, normalized)


class ExpandDims(Primitive):
    inputs = ("input_x: Tensor", "axis: int")
    int_grad = True

    def kernel(self, x, axis):
        rank = x.ndim + 1
        if not -rank <= axis < rank:
            raise ValueError(f"Dimension out of range (expected to be in range of [{-rank}, {rank}), but got {axis})")
        return jnp.expand_dims(x, axis)


class Squeeze(Primitive):
    """``Squeeze(axis=())(x)``: axes whose size is not 1 are left alone, as in MindSpore."""
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
    inputs = ("input_x: tuple[Tensor]",)
    attrs = {"axis": 0}
    int_grad = True

    def kernel(self, xs):
        if not xs:
            raise ValueError("For 'Concat', the input tuple must not be empty.")
        ndim = xs[0].ndim
        axis = normalize_axis("Concat", self.axis, ndim)
        for x in xs[1:]:
            mismatch = x.ndim != ndim or any(x.shape[d] != xs[0].shape[d] for d in range(ndim) if d != axis)
            if mismatch:
                bad = next((d for d in range(ndim) if d != axis and x.shape[d] != xs[0].shape[d]), axis)
                shapes = ", ".join(_const_vector(v.shape) for v in xs)
                raise ValueError(f"For primitive[Concat], shapes of tensors must match except in given concat axis "
                                 f"{axis}, but got mismatch in {bad}(all input shapes are [const vector]{{{shapes}}})!")
        parts, _ = promote(*xs)
        return jnp.concatenate(parts, axis=axis)


class Stack(Primitive):
    """``Stack(axis=0)((x1, x2, ...))``."""
    inputs = ("input_x: tuple[Tensor]",)
    attrs = {"axis": 0}
    int_grad = True

    def kernel(self, xs):
        if not xs:
            raise ValueError("For 'Stack', the input tuple must not be empty.")
        for x in xs[1:]:
            if x.shape != xs[0].shape:
                raise ValueError(f"All input shape must be the same! {_const_vector(x.shape)} And "
                                 f"{_const_vector(xs[0].shape)}")
        axis = normalize_axis("Stack", self.axis, xs[0].ndim + 1)
        parts, _ = promote(*xs)
        return jnp.stack(parts, axis=axis)


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
            sizes = [int(sections)] * (length // sections) + ([length % sections] if length % sections else [])
        else:
            sizes = [int(s) for s in sections]
            if sum(sizes) != length:
                raise ValueError(f"For 'split', the sum of 'split_size_or_sections' must be {length}, "
                                 f"but got {sum(sizes)}.")
        bounds = np.cumsum(sizes)[:-1].tolist()
        return tuple(jnp.split(x, bounds, axis=axis))


class Tile(Primitive):
    inputs = ("input: Tensor", "dims: tuple[int]")
    int_grad = True

    def kernel(self, x, multiples):
        return jnp.tile(x, tuple(int(m) for m in multiples))


class BroadcastTo(Primitive):
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
    inputs = ("input_x: Tensor",)
    int_grad = True

    def kernel(self, x):
        if x.ndim == 0:
            return jnp.reshape(x, (1,))
        return jnp.reshape(x, (x.shape[0], -1))


class FlattenExt(Primitive):
    """``ops.flatten(input, order='C', *, start_dim=1, end_dim=-1)``."""
    inputs = ("input: Tensor",)
    int_grad = True

    def kernel(self, x, start_dim=1, end_dim=-1):
        if x.ndim == 0:
            return jnp.reshape(x, (1,))
        start = normalize_axis("flatten", start_dim, x.ndim)
        end = normalize_axis("flatten", end_dim, x.ndim)
        if start > end:
            raise ValueError(f"For 'flatten', 'start_dim' cannot come after 'end_dim', but got {start_dim} and "
                             f"{end_dim}.")
        shape = x.shape[:start] + (-1,) + x.shape[end + 1:]
        return jnp.reshape(x, shape)


class OnesLike(Primitive):
    inputs = ("input_x: Tensor",)

    def kernel(self, x):
        return jnp.ones(x.shape, x.dtype)


class ZerosLike(Primitive):
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


class Argmax(Primitive):
    """``Argmax(axis=-1, output_type=mstype.int32)(x)``."""
    inputs = ("input_x: Tensor",)
    attrs = {"axis": -1, "output_type": mstype.int32}

    def kernel(self, x):
        axis = _argreduce_axis("Argmax", self.axis, x.ndim)
        return jnp.argmax(x, axis=axis).astype(mstype.to_numpy_dtype(self.output_type))


class Argmin(Primitive):
    inputs = ("input_x: Tensor",)
    attrs = {"axis": -1, "output_type": mstype.int32}

    def kernel(self, x):
        axis = _argreduce_axis("Argmin", self.axis, x.ndim)
        return jnp.argmin(x, axis=axis).astype(mstype.to_numpy_dtype(self.output_type))


def _argreduce_axis(op, axis, ndim):
    rank = max(ndim, 1)
    if not -rank <= axis < rank:
        raise ValueError(f"For primitive[{op}], the axis must be in [{-rank},{rank}), but got {axis}.")
    return axis % rank if ndim else None


class ArgMaxWithValue(Primitive):
    """``ArgMaxWithValue(axis=0, keep_dims=False)(x)`` -> (indices Int32, values)."""
    inputs = ("x: Tensor",)
    attrs = {"axis": 0, "keep_dims": False}
    int_grad = True

    def kernel(self, x):
        axis = _argreduce_axis("ArgMaxWithValue", self.axis, x.ndim)
        index = jnp.argmax(x, axis=axis, keepdims=self.keep_dims)
        return index.astype(np.int32), jnp.max(x, axis=axis, keepdims=self.keep_dims)


class ArgMinWithValue(Primitive):
    inputs = ("x: Tensor",)
    attrs = {"axis": 0, "keep_dims": False}
    int_grad = True

    def kernel(self, x):
        axis = _argreduce_axis("ArgMinWithValue", self.axis, x.ndim)
        index = jnp.argmin(x, axis=axis, keepdims=self.keep_dims)
        return index.astype(np.int32), jnp.min(x, axis=axis, keepdims=self.keep_dims)


class MaxDim(Primitive):
    """``ops.max(input, dim, keepdim)`` -> (values, Int64 indices); without ``dim``, the global max and index."""
    inputs = ("input: Tensor",)
    int_grad = True

    def kernel(self, x, dim=None, keepdim=False):
        if dim is None:
            flat = jnp.reshape(x, (-1,))
            return jnp.max(flat), jnp.argmax(flat).astype(np.int64)
        axis = _argreduce_axis("max", dim, x.ndim)
        return (jnp.max(x, axis=axis, keepdims=keepdim),
                jnp.argmax(x, axis=axis, keepdims=keepdim).astype(np.int64))


class MinDim(Primitive):
    inputs = ("input: Tensor",)
    int_grad = True

    def kernel(self, x, dim=None, keepdim=False):
        if dim is None:
            flat = jnp.reshape(x, (-1,))
            return jnp.min(flat), jnp.argmin(flat).astype(np.int64)
        axis = _argreduce_axis("min", dim, x.ndim)
        return (jnp.min(x, axis=axis, keepdims=keepdim),
                jnp.argmin(x, axis=axis, keepdims=keepdim).astype(np.int64))


class OneHot(Primitive):
    """``OneHot(axis=-1)(indices, depth, on_value, off_value)``."""
    inputs = ("indices: Tensor", "depth: int", "on_value: Number|Tensor", "off_value: Number|Tensor")
    attrs = {"axis": -1}

    def kernel(self, indices, depth, on_value=1, off_value=0):
        if indices.dtype not in (np.int32, np.int64):
            raise TypeError(f"For primitive[OneHot], the input argument[indices] must be a type of "
                            f"{{Tensor[Int32], Tensor[Int64]}}, but got Tensor[{mstype.from_numpy_dtype(indices.dtype)}].")
        (on, off), dtype = promote(on_value, off_value)
        hot = jax.nn.one_hot(indices, depth, axis=self.axis, dtype=np.bool_)
        return jnp.where(hot, on, off)


class Gather(Primitive):
    """``Gather()(input_params, input_indices, axis)``."""
    inputs = ("input_params: Tensor", "input_indices: Tensor|int", "axis: int")
    int_grad = True

    def kernel(self, params, indices, axis=0, batch_dims=0):
        axis = normalize_axis("Gather", axis, params.ndim)
        indices = jnp.asarray(indices)
        if not isinstance(indices, jax.core.Tracer) and indices.size:
            bad = np.asarray(indices)
            size = params.shape[axis]
            out = bad[(bad < 0) | (bad >= size)]
            if out.size:
                raise RuntimeError(f"For 'Gather', the 'input_indices' should be in the range [0, {size}), but got "
                                   f"{int(out.reshape(-1)[0])}, error_code[58]")
        return jnp.take(params, indices, axis=axis)


# --- indexing ------------------------------------------------------------------------------------------------

def _normalize_index(x, index):
    """A JAX index for ``x[index]``: Tensors become arrays, boolean masks concrete, ints bounds-checked."""
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
        elif item is None:
            normalized.append(item)
        elif isinstance(item, bool):
            normalized.append(item)
        elif isinstance(item, (int, np.integer)):
            if consumed >= x.ndim:
                raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
            size = x.shape[consumed]
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
        else:
            array = item if hasattr(item, "dtype") else np.asarray(item)
            normalized.append(array)
            consumed += 1
    return tuple(normalized)


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
    """``Assign()(variable, value)``: writes ``value`` into the Parameter (see Tensor/Parameter write path)."""
    inputs = ("variable: Tensor", "value: Tensor|Number")

    def __call__(self, variable, value):
        from .tensor import Tensor
        if not isinstance(variable, Tensor):
            raise TypeError(f"For 'Assign', the 'variable' must be a Parameter or Tensor, but got {type(variable)}.")
        new = value._data if isinstance(value, Tensor) else jnp.asarray(value)
        current = variable._data
        if tuple(new.shape) != tuple(current.shape):
            try:
                new = jnp.broadcast_to(new, current.shape)
            except ValueError:
                raise ValueError(f"For 'Assign', the shape of 'value' {shape_list(new.shape)} must be broadcastable "
                                 f"to the shape of 'variable' {shape_list(current.shape)}.") from None
        variable._data = new.astype(current.dtype)
        return variable


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
