"""Data parallelism with one process driving several devices: one step's batch for all of this process's ranks.

An unchanged MindSpore script builds its dataset with ``num_shards=get_group_size(), shard_id=get_rank()``. When
this process drives k > 1 devices of the data-parallel mesh, ``get_rank()`` is the rank of its first device and the
process stands for ranks ``rank .. rank + k - 1``. Its iterators then run the pipeline once per local rank -- each
with its own `Run` (shard id shifted by i, the same seeds, so each is exactly that rank's MindSpore pipeline) -- and
yield per step the k batches concatenated along axis 0 as one global jax Array sharded over the mesh's data axis:
each device holds its own rank's batch, so every sample is seen once per epoch, as on k MindSpore ranks.
"""
from __future__ import annotations

import jax
import numpy as np
from jax.sharding import NamedSharding, PartitionSpec

from .. import parallel
from .datasets import Run


class LocalRanks:
    """This process's ranks of a data-parallel mesh: ``rank`` (its first) and ``count`` (k)."""

    def __init__(self, mesh, rank, count):
        self.mesh, self.rank, self.count = mesh, rank, count

    def runs(self) -> list:
        return [Run(shard_offset=i) for i in range(self.count)]

    def rows(self, dataset, runs):
        """One epoch: each step's per-rank rows, as a list of k rows (each a tuple of numpy columns)."""
        passes = [dataset._rows(run) for run in runs]
        while True:
            step = [next(rank_rows, None) for rank_rows in passes]
            if all(row is None for row in step):
                return
            if any(row is None for row in step):  # equal shard sizes make this unreachable for MindSpore's rule
                raise RuntimeError("The local ranks' shards yield different numbers of batches.")
            yield step

    def _check(self, parts, name):
        if any(part.ndim == 0 for part in parts):
            raise RuntimeError(f"Column '{name}' holds 0-d values, which cannot be split over the {self.count} "
                               "local devices of the data-parallel mesh; batch the dataset.")
        if len({part.shape for part in parts}) > 1:
            raise RuntimeError(f"Column '{name}' has different shapes on the local ranks "
                               f"({[part.shape for part in parts]}); they cannot form one global batch.")

    def concatenate(self, parts, name) -> np.ndarray:
        self._check(parts, name)
        return np.concatenate(parts)

    def global_array(self, parts, name) -> jax.Array:
        """The local ranks' batches ``parts`` as one Array of the whole mesh's batch, sharded along axis 0."""
        self._check(parts, name)
        rows = parts[0].shape[0]
        shape = (rows * self.mesh.size,) + parts[0].shape[1:]
        sharding = NamedSharding(self.mesh, PartitionSpec(parallel.AXIS))
        arrays = []
        for device, index in sharding.addressable_devices_indices_map(shape).items():
            local = (index[0].start or 0) // rows - self.rank
            if not 0 <= local < self.count:
                raise RuntimeError(f"Device {device} holds rank {local + self.rank}'s rows, which this process "
                                   f"(ranks {self.rank}..{self.rank + self.count - 1}) does not drive.")
            arrays.append(jax.device_put(parts[local], device))
        return jax.make_array_from_single_device_arrays(shape, sharding, arrays)


def local_ranks(dataset) -> LocalRanks | None:
    """The local ranks whose batches ``dataset``'s iterators merge, or None (plain single-shard iteration)."""
    mesh = parallel.data_parallel_mesh()
    if mesh is None or len(mesh.local_devices) < 2:
        return None
    from ..communication import get_group_size, get_rank
    sampling = getattr(list(dataset._chain())[-1], "_sampling", None)
    rank, group = get_rank(), get_group_size()
    # group == mesh.size: before init() MindSpore's answers (1, or the launcher's RANK_SIZE) do not count the mesh.
    if sampling is None or group != mesh.size or sampling.num_shards != group or sampling.shard_id != rank:
        return None
    return LocalRanks(mesh, rank, len(mesh.local_devices))
