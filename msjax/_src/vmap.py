"""``mindspore.vmap``: `jax.vmap` over a function of Tensors, with MindSpore's argument checks and errors."""
from __future__ import annotations

import jax

from . import state
from .tensor import Tensor


def _is_tensor(x):
    return isinstance(x, Tensor)


def _check_axis(axis, ndim, what):
    if axis is None:
        return None
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise RuntimeError(f"The axis in vmap`s '{what}' can only be of type Int or None, but got {axis!r}.")
    if not -ndim <= axis < ndim:
        raise RuntimeError(f"The axis: {axis} in '{what}' is out of bounds for array of dimension [{-ndim},{ndim}).")
    return axis % ndim


def _leaf_axes(args, in_axes):
    """One axis (or None) per Tensor leaf of ``args``, following MindSpore's in_axes rules."""
    if in_axes is None:
        raise RuntimeError("The 'in_axes' of 'vmap' cannot be a single None while 'fn' is not a 'CellList'.")
    if isinstance(in_axes, (tuple, list)):
        if len(in_axes) != len(args):
            raise RuntimeError(f"When vmap`s 'in_axes' is a tuple or list, and its size must be equal to the number "
                               f"of arguments of 'fn': {len(args)}, but got size: {len(in_axes)}.")
        per_arg = list(in_axes)
    else:
        per_arg = [in_axes] * len(args)
    axes = []
    for arg, axis in zip(args, per_arg):
        leaves = jax.tree_util.tree_leaves(arg, is_leaf=_is_tensor)
        sub_axes = axis if isinstance(axis, (tuple, list)) else [axis] * len(leaves)
        for leaf, leaf_axis in zip(leaves, sub_axes):
            if not isinstance(leaf, Tensor):
                if leaf_axis is not None:
                    raise RuntimeError(f"vmap can only map over Tensors: the argument {leaf!r} has in_axes "
                                       f"{leaf_axis}; give it in_axes None.")
                axes.append(None)
                continue
            axes.append(_check_axis(leaf_axis, leaf.ndim, "in_axes"))
    return axes


def vmap(fn, in_axes=0, out_axes=0):
    """``mindspore.vmap(fn, in_axes=0, out_axes=0)``."""
    if not callable(fn):
        raise RuntimeError(f"'VmapOperation' arg0 must be a 'Function' or 'Cell', but got {fn!r}.")

    def mapped(*args, **kwargs):
        if kwargs:
            raise RuntimeError(f"Got an unexpected keyword argument '{next(iter(kwargs))}'")
        leaves, tree = jax.tree_util.tree_flatten(args, is_leaf=_is_tensor)
        axes = _leaf_axes(args, in_axes)
        sizes = {leaf.shape[axis] for leaf, axis in zip(leaves, axes) if axis is not None}
        if len(sizes) > 1:
            first, second = sorted(sizes)[:2]
            raise RuntimeError(f"The 'axis_size' of each argument in the scope of 'vmap' should be equal, but got "
                               f"{first} and {second}.")
        tensor_slots = [i for i, leaf in enumerate(leaves) if isinstance(leaf, Tensor)]
        record = {}

        def pure(*raw):
            filled = list(leaves)
            for slot, value in zip(tensor_slots, raw):
                filled[slot] = Tensor._from_raw(value)
            # Parameter writes land in a frame (never a batch tracer in a Parameter) and leave the map unbatched.
            with state.Frame() as frame:
                out = fn(*jax.tree_util.tree_unflatten(tree, filled))
            out_leaves, out_tree = jax.tree_util.tree_flatten(out, is_leaf=_is_tensor)
            written, written_values = frame.writes()
            record.update(tree=out_tree, written=written)
            for leaf in out_leaves:
                if not isinstance(leaf, Tensor):
                    raise RuntimeError(f"The outputs of a vmap-ed function must be Tensors, but got {leaf!r}.")
            return tuple(leaf._data for leaf in out_leaves), tuple(written_values)

        raw_in = [leaves[i]._data for i in tensor_slots]
        in_spec = tuple(axes[i] for i in tensor_slots)
        out_spec = tuple(out_axes) if isinstance(out_axes, list) else out_axes
        for axis in out_spec if isinstance(out_spec, tuple) else (out_spec,):
            if axis is not None and (isinstance(axis, bool) or not isinstance(axis, int)):
                raise RuntimeError(f"The axis in vmap`s 'out_axes' can only be of type Int or None, but got {axis!r}.")
        try:
            results, written_values = jax.vmap(pure, in_axes=in_spec, out_axes=(out_spec, None))(*raw_in)
        except ValueError as error:
            if "out_axes" not in str(error):
                raise
            if record.get("written") and str(error).startswith("at vmap out_axes[1]"):  # a write is batched
                raise ValueError("The source axis of `variable` is None, but the source axis of `value` is not "
                                 "None. The execution order of operator `Assign` cannot be guaranteed.") from None
            raise RuntimeError(f"The 'out_axes' of 'vmap' do not fit the outputs of 'fn': {error}") from None
        state.write_back(record["written"], written_values)
        return jax.tree_util.tree_unflatten(record["tree"], [Tensor._from_raw(r) for r in results])

    return mapped
