"""``nn.DistributedGradReducer``: sums (``mean=False``) or averages (``mean=True``) gradients over the devices of a
data-parallel step. The sum is a collective over `parallel.AXIS`, so it acts while the per-device body of a
compiled data-parallel step is traced (`parallel.in_replica`) and is the identity anywhere else (one device)."""
from __future__ import annotations

import jax
import jax.numpy as jnp

from . import parallel
from .auto_parallel_context import get_auto_parallel_context
from .cell import Cell
from .communication import GlobalComm
from .primitive import Primitive


class _AllReduce(Primitive):
    """Sum over the data-parallel devices in float32 (as MindSpore reduces mixed-precision gradients), times
    ``1 / degree`` when ``mean`` (``degree=None``: the device count), cast back to the input's dtype."""
    inputs = ("x: Tensor",)
    attrs = {"mean": False, "degree": None}
    int_grad = True

    def kernel(self, x):
        if not parallel.in_replica():
            return x
        floating = jnp.issubdtype(x.dtype, jnp.floating)
        total = x.astype(jnp.float32) if floating else x
        if parallel.AXIS in parallel.varying_axes(x):
            total = jax.lax.psum(total, parallel.AXIS)
        # else: a gradient of a replicated Parameter that JAX's differentiation already summed over the devices
        if self.mean:
            degree = self.degree if self.degree is not None else jax.lax.axis_size(parallel.AXIS)
            total = total * jnp.asarray(1.0 / degree, total.dtype if floating else jnp.float32)
        return total.astype(x.dtype)


class DistributedGradReducer(Cell):
    """``DistributedGradReducer(parameters, mean=None, degree=None, fusion_type=1, group=...)``: ``mean=None`` takes
    the ``gradients_mean`` of the auto-parallel context. Gradients of ``layerwise_parallel`` Parameters pass
    unreduced, as in MindSpore. ``degree=None`` divides by the number of devices the step runs on."""

    def __init__(self, parameters, mean=None, degree=None, fusion_type=1, group=GlobalComm.WORLD_COMM_GROUP):
        super().__init__(auto_prefix=False)
        if mean is None:
            mean = get_auto_parallel_context("gradients_mean")
        if degree is not None and (not isinstance(degree, int) or degree <= 0):
            raise ValueError("For 'DistributedGradReducer', parameter 'degree' in DistributedGradReducer should "
                             f"large than 0 and be int, degree: {degree}.")
        self.mean = mean
        # MindSpore's default is get_group_size(); msjax takes the device count when the step runs (the same number
        # after init()), so a reducer built before init() still averages over every device.
        self.degree = degree
        self.group = group
        self.fusion_type = fusion_type
        self._reduce = _AllReduce(mean=bool(mean), degree=self.degree)
        self.allreduce_filter = tuple(not getattr(p, "layerwise_parallel", False) for p in parameters)

    def construct(self, grads):
        if not isinstance(grads, (tuple, list)):
            return self._reduce(grads)
        reduced = []
        for i, grad in enumerate(grads):
            if i < len(self.allreduce_filter) and not self.allreduce_filter[i]:
                reduced.append(grad)
            else:
                reduced.append(self._reduce(grad))
        return tuple(reduced)
