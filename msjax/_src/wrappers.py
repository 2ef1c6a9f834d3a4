"""Training wrappers: ``nn.WithLossCell``, ``nn.WithEvalCell``, ``nn.TrainOneStepCell``."""
from __future__ import annotations

from . import context, jit, parallel
from . import dtype as mstype
from . import functional as F
from .auto_parallel_context import device_num_is_set, get_auto_parallel_context
from .cell import Cell
from .context import ParallelMode
from .grad_reducer import DistributedGradReducer
from .layers_basic import Identity
from .grad import value_and_grad


class WithLossCell(Cell):
    """``loss_fn(backbone(data), label)``."""

    def __init__(self, backbone, loss_fn):
        super().__init__(auto_prefix=False)
        self._backbone = backbone
        self._loss_fn = loss_fn

    def construct(self, data, label):
        return self._loss_fn(self._backbone(data), label)

    @property
    def backbone_network(self):
        return self._backbone


class WithEvalCell(Cell):
    """``(loss, outputs, label)`` for evaluation (``add_cast_fp32`` casts outputs and label to float32 first)."""

    def __init__(self, network, loss_fn, add_cast_fp32=False):
        super().__init__(auto_prefix=False)
        self._network = network
        self._loss_fn = loss_fn
        self.add_cast_fp32 = add_cast_fp32

    def construct(self, data, label):
        outputs = self._network(data)
        if self.add_cast_fp32:
            if label.dtype in mstype.float_type:  # MindSpore's mixed_precision_cast: integer labels stay
                label = F.cast(label, mstype.float32)
            outputs = F.cast(outputs, mstype.float32)
        return self._loss_fn(outputs, label), outputs, label


class TrainOneStepCell(Cell):
    """One training step: the network's loss, its gradients w.r.t. the optimizer's Parameters, the update.

    The loss and gradients come from one forward pass (MindSpore's graph shares the forward between the loss and
    the backward; running it twice would update BatchNorm statistics twice). ``sens`` scales the gradients.
    """

    def __init__(self, network, optimizer, sens=None, return_grad=False):
        super().__init__(auto_prefix=False)
        self.network = network
        self.network.set_grad()
        self.optimizer = optimizer
        self.weights = optimizer.parameters
        self.sens = 1.0 if sens is None else sens
        self.return_grad = return_grad
        self.grad_reducer = Identity()  # the stand-alone reducer
        # Data parallelism: MindSpore's cell builds its gradient reducer itself (mean: gradients_mean; degree: the
        # set device_num, else the device count).
        self.parallel_mode = get_auto_parallel_context("parallel_mode")
        self.reducer_flag = self.parallel_mode in (ParallelMode.DATA_PARALLEL, ParallelMode.HYBRID_PARALLEL)
        if self.reducer_flag:
            self.mean = get_auto_parallel_context("gradients_mean")
            self.degree = get_auto_parallel_context("device_num") if device_num_is_set() else None
            self.grad_reducer = DistributedGradReducer(self.weights, self.mean, self.degree)
        self._value_and_grad = value_and_grad(network, None, self.weights)

    def construct(self, *inputs):
        loss, grads = self._value_and_grad(*inputs)
        if self.sens != 1.0:
            grads = tuple(g * self.sens for g in grads)
        grads = self.grad_reducer(grads)
        self.optimizer(grads)
        if self.return_grad:
            return loss, grads
        return loss

    def __call__(self, *inputs):
        if context.is_pynative() and parallel.data_parallel_mesh() is not None and not jit.tracing_now(inputs):
            return run_compiled(self, inputs)  # data parallel: each device runs the step on its slice of the batch
        return super().__call__(*inputs)


def run_compiled(cell, inputs):
    """``cell(*inputs)`` as GRAPH_MODE runs it (one compiled program, per device under a data-parallel mesh)."""
    if not cell._init_flag:
        cell._first_call_check()
    compiled = cell.__dict__.get("_msjax_compiled") or cell._compiled_construct()
    return compiled(cell, *inputs)
