"""Semi-auto parallel strategies (``Primitive.shard``, ``Cell.shard``, ``mindspore.parallel.shard``) as sharding
constraints on the inputs they name.

In semi_auto_parallel / auto_parallel mode MindSpore computes what the stand-alone program computes; a strategy
only chooses the layout. msjax compiles such a step as one program (jit.py, `parallel.semi_auto_placement`) and
turns the strategy ``(s0, s1, ...)`` of an input into ``with_sharding_constraint``: dimension i split s_i ways as if
the n devices were reshaped to ``(s0, s1, ..., n / prod)``, the last axis repeating the computation (MindSpore's
"repeated calculation" when the strategy uses fewer devices than there are). The program's one mesh has an axis per
prime factor of n (`parallel.semi_auto_mesh`); s_i takes the next axes. The constraints act only while such a
step is traced (`parallel.in_semi_auto`); in other modes and in PyNative, strategies are stored and ignored, as
MindSpore ignores them there.

Checks MindSpore makes when ``shard`` is called raise the same errors at the call; those it makes when compiling
(MindSpore 2.10 runs semi-auto parallel only on Ascend/GPU, so their text could not be recorded) raise RuntimeError,
as MindSpore's compile errors are, when the step is traced. Layouts, a Primitive's out_strategy and parameter_plan
do not map: NotImplementedError naming them.
"""
from __future__ import annotations

import functools
import types

import jax
import numpy as np

from . import parallel


# --- Primitive.shard --------------------------------------------------------------------------------------------

def check_primitive_strategy(prim_name, strategy, label):
    """MindSpore's checks of a Primitive.shard strategy (tuple of tuples of ints)."""
    if not isinstance(strategy, tuple):
        raise TypeError(f"{label} must be tuple type, but got:{type(strategy)}")
    for element in strategy:
        if not isinstance(element, tuple):
            raise TypeError(f"The element of strategy must be tuple/Layout type, but got:{type(element)}")
        for value in element:
            if not isinstance(value, int):
                raise TypeError(f"The {label}: {strategy} of {prim_name} is not valid, the value of strategy must "
                                f"be int type, but got:{type(value)}")


def shard_primitive(prim, in_strategy, out_strategy):
    """``Primitive.shard``: check and record the strategies; a Primitive with an in_strategy runs its kernel
    through `_constrained_kernel` (an instance attribute: Primitives without one pay nothing)."""
    if in_strategy is None and out_strategy is None:
        return prim
    if in_strategy is not None:
        check_primitive_strategy(prim.name, in_strategy, "in_strategy")
    if out_strategy is not None:
        check_primitive_strategy(prim.name, out_strategy, "out_strategy")
    if in_strategy is None:
        raise ValueError(f"The out_strategy of {prim.name} is {out_strategy}, need to set in_strategy, but got none")
    prim.add_prim_attr("in_strategy", in_strategy)
    if out_strategy is not None:
        prim.add_prim_attr("out_strategy", out_strategy)
    if in_strategy:
        prim.kernel = types.MethodType(_constrained_kernel(type(prim)), prim)
    return prim


@functools.lru_cache(maxsize=None)
def _constrained_kernel(cls):
    """``cls.kernel`` with the instance's in_strategy applied to its array inputs while a semi-auto step is traced
    (``__wrapped__`` keeps `inspect.signature` of the kernel)."""

    @functools.wraps(cls.kernel)
    def kernel(prim, *args, **kwargs):
        if parallel.in_semi_auto():
            out_strategy = prim.attrs.get("out_strategy")
            if out_strategy is not None:
                raise NotImplementedError(
                    f"msjax does not support the out_strategy {out_strategy} of '{prim.name}' in semi-auto "
                    f"parallel mode: only in_strategy maps to sharding constraints (on the op's inputs).")
            args = constrain(prim.name, prim.attrs["in_strategy"], args)
        return cls.kernel(prim, *args, **kwargs)

    return kernel


# --- applying a strategy ----------------------------------------------------------------------------------------

def constrain(name, strategy, args):
    """``args`` with each array constrained to the sharding its entry of ``strategy`` describes (non-array
    arguments -- axes, Python numbers -- have no entry, as in MindSpore)."""
    positions = [i for i, arg in enumerate(args) if isinstance(arg, jax.Array)]
    if len(strategy) != len(positions):
        raise RuntimeError(f"For '{name}', the in_strategy {strategy} has {len(strategy)} strategies, but the "
                           f"number of its Tensor inputs is {len(positions)}.")
    args = list(args)
    for index, (position, dims) in enumerate(zip(positions, strategy)):
        args[position] = jax.lax.with_sharding_constraint(args[position],
                                                          sharding_of(name, strategy, index, dims, args[position]))
    return tuple(args)


def sharding_of(name, strategy, index, dims, value, label="in_strategy"):
    """The NamedSharding of input ``index`` (``value``) under its strategy ``dims`` (entry ``index`` of
    ``strategy``, named ``label`` in errors), after MindSpore's checks."""
    mesh = parallel.semi_auto_mesh(tuple(jax.devices()))
    count = mesh.size
    shape = tuple(value.shape)
    where = f"For '{name}', the {label} {strategy}"
    if len(dims) != len(shape):
        raise RuntimeError(f"{where} is invalid: the strategy of input {index} {dims} has {len(dims)} dimensions, "
                           f"but the input's shape {list(shape)} has {len(shape)}.")
    for dim, split in enumerate(dims):
        if split < 1:
            raise RuntimeError(f"{where} is invalid: each element in strategy must be a positive integer, but got "
                               f"{split} in the strategy of input {index}.")
        if shape[dim] % split:
            raise RuntimeError(f"{where} is invalid: dimension {dim} of input {index} (shape {list(shape)}) cannot "
                               f"be divisible by the strategy value {split}.")
    used = int(np.prod(dims, dtype=np.int64))
    if count % used:
        raise RuntimeError(f"{where} is invalid: the strategy of input {index} {dims} uses {used} devices, which "
                           f"does not divide the device number {count}.")
    spec = _partition_spec(mesh.axis_names, tuple(mesh.devices.shape), tuple(dims))
    if spec is None:
        raise NotImplementedError(f"{where}: msjax cannot map the strategy of input {index} {dims} onto the "
                                  f"{count} devices (each split must be a product of consecutive prime factors of "
                                  f"the device number, {list(mesh.devices.shape)}).")
    return jax.sharding.NamedSharding(mesh, spec)


@functools.lru_cache(maxsize=256)
def _partition_spec(names, sizes, dims):
    """The PartitionSpec splitting dimension i over the next mesh axes whose sizes multiply to ``dims[i]`` (the
    devices reshaped to ``(*dims, rest)``, as MindSpore arranges them), or None when the sizes do not add up."""
    spec, axis = [], 0
    for split in dims:
        taken, product = [], 1
        while product < split and axis < len(sizes):
            taken.append(names[axis])
            product *= sizes[axis]
            axis += 1
        if product != split:
            return None
        spec.append(tuple(taken) if taken else None)
    return jax.sharding.PartitionSpec(*spec)


# --- Cell.shard and mindspore.parallel.shard --------------------------------------------------------------------

def check_shard_arguments(in_strategy, out_strategy, parameter_plan):
    """The checks ``mindspore.parallel.shard`` and ``Cell.shard`` make when called."""
    if not isinstance(in_strategy, tuple):
        raise TypeError(f"For 'Shard', the 'in_strategy' should be a tuple, but got {type(in_strategy).__name__}.")
    _check_inner(in_strategy, "in_strategy")
    if not isinstance(out_strategy, (type(None), tuple)):
        raise TypeError(f"For 'Shard', the 'out_strategy' should be None or tuple, but got "
                        f"{type(out_strategy).__name__}.")
    if out_strategy is not None:
        _check_inner(out_strategy, "out_strategy")
    if not isinstance(parameter_plan, (type(None), dict)):
        raise TypeError(f"For 'Shard', the 'parameter_plan' should be a dict or None, but got "
                        f"{type(parameter_plan).__name__}")
    for key, value in (parameter_plan or {}).items():
        if not isinstance(key, str) or not isinstance(value, tuple):
            raise TypeError("For 'Shard', the type of each key and value in 'parameter_plan' must be str and "
                            f"tuple/Layout, but got {type(key).__name__} and {type(value).__name__}")


def _check_inner(strategy, label):
    for element in strategy:
        if not isinstance(element, tuple):
            raise TypeError(f"The '{label}' should be a tuple(tuple(int)) or tuple(mindspore.parallel.Layout), but "
                            f"got {type(element).__name__}")
        if not all(isinstance(value, int) for value in element):
            raise TypeError("The tuple strategy for each dimension should be tuple(int).")
    if not strategy:
        raise TypeError("For 'Shard', the strategy can only pass in consistent type for all dimensions.")


def constrain_call(name, in_strategy, parameter_plan, args):
    """The positional arguments of a sharded Cell or function, constrained while a semi-auto step is traced."""
    if not parallel.in_semi_auto():
        return args
    if parameter_plan is not None:
        raise NotImplementedError(f"msjax does not support the parameter_plan {parameter_plan} of '{name}' in "
                                  f"semi-auto parallel mode: Parameters stay replicated.")
    raw = [getattr(arg, "_data", arg) for arg in args]
    constrained = constrain(name, in_strategy, raw)
    return tuple(_rewrap(arg, value) for arg, value in zip(args, constrained))


def _rewrap(arg, value):
    from .tensor import Tensor
    return Tensor._from_raw(value) if value is not getattr(arg, "_data", arg) else arg


def shard(fn, in_strategy, out_strategy=None, parameter_plan=None):
    """``mindspore.parallel.shard``: ``fn`` unchanged with one device (as MindSpore), else a function that calls it
    on its inputs constrained to ``in_strategy``. MindSpore ignores out_strategy here (with a warning)."""
    from .communication import get_group_size
    if get_group_size() == 1:
        return fn
    check_shard_arguments(in_strategy, out_strategy, parameter_plan)
    name = getattr(fn, "__name__", type(fn).__name__)

    def sharded(*args):
        return fn(*constrain_call(name, in_strategy, parameter_plan, args))

    return sharded


class Layout:
    """``mindspore.parallel.Layout``: not supported by msjax (strategies are tuples of ints)."""

    def __init__(self, device_matrix, alias_name, rank_list=None):
        raise NotImplementedError(f"msjax does not support mindspore.parallel.Layout (device_matrix={device_matrix}, "
                                  f"alias_name={alias_name}): use tuple strategies, e.g. ((2, 1), (1, 4)).")
