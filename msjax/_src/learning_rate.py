"""Learning-rate schedules as the optimizers see them: ``nn.LearningRateSchedule`` (a Cell called with the global
step) and the schedules an `Optimizer` builds from a fixed rate inside dynamic groups, from a list or a 1-d Tensor
(indexed by the global step) and from a weight-decay Cell."""
from __future__ import annotations

from . import array_ops as A
from . import dtype as mstype
from .cell import Cell
from .parameter import Parameter
from .tensor import Tensor


class LearningRateSchedule(Cell):
    """Base class of dynamic learning rates: ``construct(global_step)`` returns the rate for that step."""

    def construct(self, global_step):
        raise NotImplementedError


class _ConvertToCell(LearningRateSchedule):
    """A fixed rate among dynamic group rates (MindSpore computes it as ``lr + 1.0 - 1.0``: the float32 rounding of
    that sum is part of the rate, so it is kept)."""

    def __init__(self, learning_rate):
        super().__init__()
        if not isinstance(learning_rate, Parameter):
            raise TypeError(f"For 'Optimizer', the argument 'learning_rate' must be Parameter, but got "
                            f"{type(learning_rate)}.")
        self.learning_rate = learning_rate

    def construct(self, global_step):
        return self.learning_rate + 1.0 - 1.0


class _IteratorLearningRate(LearningRateSchedule):
    """Rates from a 1-d Tensor (a list): the rate of step i is element i (out of range: Gather's RuntimeError)."""

    def __init__(self, learning_rate, name):
        super().__init__()
        if not isinstance(learning_rate, Tensor):
            raise TypeError(f"For 'Optimizer', the argument 'learning_rate' must be Tensor, but got "
                            f"{type(learning_rate)}.")
        if learning_rate.ndim != 1:
            raise ValueError(f"For 'Optimizer', the dimension of the argument 'learning_rate' should be 1, but got "
                             f"{learning_rate.ndim}.")
        self.learning_rate = Parameter(learning_rate, name)
        self.gather = A.Gather()

    def construct(self, global_step):
        return self.gather(self.learning_rate, global_step, 0)


class _LearningRateList(Cell):
    """The per-parameter schedules of grouped dynamic rates, as children ``0``, ``1``, ... (MindSpore holds them in
    a ``CellList`` without prefix; a schedule shared by a group appears once in the Parameter enumeration)."""

    def __init__(self, schedules):
        super().__init__(auto_prefix=False)
        for index, schedule in enumerate(schedules):
            self.insert_child_to_cell(str(index), schedule)

    def __len__(self):
        return len(self._cells)

    def __iter__(self):
        return iter(self._cells.values())

    def __getitem__(self, index):
        return list(self._cells.values())[index]


class _WrappedWeightDecay(Cell):
    """A weight-decay Cell (called with the global step) scaled by the loss scale."""

    def __init__(self, weight_decay, loss_scale=1.0):
        super().__init__()
        self.weight_decay = weight_decay
        self.loss_scale = Tensor(loss_scale, mstype.float32)

    def construct(self, global_step):
        return self.weight_decay(global_step) * self.loss_scale
