"""Training wrappers: ``nn.WithLossCell``, ``nn.WithEvalCell``, ``nn.TrainOneStepCell``."""
from __future__ import annotations

from . import dtype as mstype
from . import functional as F
from .cell import Cell
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


class _Identity(Cell):
    """The gradient reducer of a single-device step (data parallelism replaces it)."""

    def construct(self, grads):
        return grads

    def __repr__(self):
        return "Identity()"


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
        self.grad_reducer = _Identity()
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
