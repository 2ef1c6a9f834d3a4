"""Data parallelism over the devices JAX sees: the mesh compiled steps shard over, and the flag that tells
collectives (``nn.DistributedGradReducer``) they run inside the per-device body of such a step."""
from __future__ import annotations

import contextlib

import jax
import numpy as np

AXIS = "data"

_DATA_PARALLEL_MODES = ("data_parallel", "hybrid_parallel")
_replica_depth = 0


def data_parallel_mesh():
    """A 1-D mesh over all devices (axis ``AXIS``) in data/hybrid parallel mode with more than one device, else
    None."""
    from msjax._src.auto_parallel_context import get_auto_parallel_context
    if get_auto_parallel_context("parallel_mode") not in _DATA_PARALLEL_MODES or jax.device_count() < 2:
        return None
    return jax.sharding.Mesh(np.array(jax.devices()), (AXIS,))


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
