"""Parallelism over the devices JAX sees: the mesh data-parallel steps shard over, the placement of semi-auto
parallel steps, and the flags that tell collectives (``nn.DistributedGradReducer``) and sharding strategies
(`shard_strategy`) they run inside such a step."""
from __future__ import annotations

import contextlib
import functools
from typing import NamedTuple

import jax
import numpy as np

AXIS = "data"

_DATA_PARALLEL_MODES = ("data_parallel", "hybrid_parallel")
_SEMI_AUTO_MODES = ("semi_auto_parallel", "auto_parallel")
_replica_depth = 0
_semi_auto_depth = 0


@functools.lru_cache(maxsize=8)
def _mesh(devices, axis):
    return jax.sharding.Mesh(np.array(devices), (axis,))


def data_parallel_mesh():
    """A 1-D mesh over all devices (axis ``AXIS``) in data/hybrid parallel mode with more than one device, else
    None (one Mesh per device list: compiled calls key on it)."""
    from msjax._src.auto_parallel_context import get_auto_parallel_context
    if get_auto_parallel_context("parallel_mode") not in _DATA_PARALLEL_MODES or jax.device_count() < 2:
        return None
    return _mesh(tuple(jax.devices()), AXIS)


_UNKNOWN = object()
_step_placement = _UNKNOWN  # derived from the auto-parallel context; `placement_changed` forgets it


def step_placement():
    """What a compiled step runs over (part of every compiled call's cache key): the data-parallel mesh
    (`data_parallel_mesh`), the semi-auto placement (`semi_auto_placement`), or None. Worked out once per change
    of the auto-parallel context, not per call."""
    global _step_placement
    if _step_placement is _UNKNOWN:
        from msjax._src.auto_parallel_context import get_auto_parallel_context
        mode = get_auto_parallel_context("parallel_mode")
        _step_placement = (data_parallel_mesh() if mode in _DATA_PARALLEL_MODES else
                           semi_auto_placement() if mode in _SEMI_AUTO_MODES else None)
    return _step_placement


def placement_changed():
    """Called by every change of the auto-parallel context."""
    global _step_placement
    _step_placement = _UNKNOWN


class SemiAutoPlacement(NamedTuple):
    """How a semi-auto parallel step is placed: compiled as one program over ``mesh`` (`semi_auto_mesh`), Tensor
    arguments split along axis 0 over all devices (MindSpore's default dataset_strategy), replicated
    (``full_batch``), or as a ``dataset_strategy`` tuple says (one strategy per Tensor argument)."""
    mesh: jax.sharding.Mesh
    full_batch: bool
    dataset_strategy: tuple | None


def semi_auto_placement():
    """The placement of compiled steps in semi_auto_parallel / auto_parallel mode with more than one device, else
    None."""
    from msjax._src.auto_parallel_context import get_auto_parallel_context
    if get_auto_parallel_context("parallel_mode") not in _SEMI_AUTO_MODES or jax.device_count() < 2:
        return None
    strategy = get_auto_parallel_context("dataset_strategy")
    strategy = None if isinstance(strategy, str) else tuple(tuple(dims) for dims in strategy)
    return _placement(tuple(jax.devices()), get_auto_parallel_context("full_batch"), strategy)


@functools.lru_cache(maxsize=8)
def _placement(devices, full_batch, dataset_strategy):
    return SemiAutoPlacement(semi_auto_mesh(devices), full_batch, dataset_strategy)


@functools.lru_cache(maxsize=8)
def semi_auto_mesh(devices):
    """The one mesh of a semi-auto program (JAX wants one per program): the devices in order, one axis per prime
    factor of their number (8 -> axes d0, d1, d2 of size 2), so that a strategy's splits take consecutive axes."""
    factors, rest, prime = [], len(devices), 2
    while rest > 1:
        while rest % prime == 0:
            factors.append(prime)
            rest //= prime
        prime += 1
    names = tuple(f"d{i}" for i in range(len(factors)))
    return jax.sharding.Mesh(np.array(devices).reshape(factors), names)


def varying_axes(value) -> frozenset:
    """The mesh axes ``value`` varies over inside a type-checked `jax.shard_map` (empty outside one). JAX keeps this
    set as ``aval.vma`` in some releases and as ``aval.manual_axis_type.varying`` in others."""
    aval = jax.typeof(value)
    vma = getattr(aval, "vma", None)
    if vma is None:
        vma = getattr(getattr(aval, "manual_axis_type", None), "varying", frozenset())
    return frozenset(vma)


def in_replica() -> bool:
    """True while the per-device body of a data-parallel step is being traced (collectives over AXIS are valid)."""
    return _replica_depth > 0


@contextlib.contextmanager
def replica_scope():
    global _replica_depth
    _replica_depth += 1
    try:
        yield
    finally:
        _replica_depth -= 1


def in_semi_auto() -> bool:
    """True while a semi-auto parallel step is being traced (sharding strategies become constraints)."""
    return _semi_auto_depth > 0


@contextlib.contextmanager
def semi_auto_scope():
    global _semi_auto_depth
    _semi_auto_depth += 1
    try:
        yield
    finally:
        _semi_auto_depth -= 1
