"""Learning-rate schedules: ``nn.LearningRateSchedule`` (a Cell called with the global step), MindSpore's six
built-in schedules (ops on the step Tensor, so a compiled training step computes the rate inside itself), and the
schedules an `Optimizer` builds from a fixed rate inside dynamic groups, from a list or a 1-d Tensor
(indexed by the global step) and from a weight-decay Cell."""
from __future__ import annotations

import math

from . import array_ops as A
from . import dtype as mstype
from .cell import Cell
from .functional import cast, ceil, floor, floor_divide, maximum, minimum, pow, sin  # noqa: A004
from .layers_checks import check_positive_int
from .nn_ops import check_value_type
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


class _WrappedWeightDecay(Cell):
    """A weight-decay Cell (called with the global step) scaled by the loss scale."""

    def __init__(self, weight_decay, loss_scale=1.0):
        super().__init__()
        self.weight_decay = weight_decay
        self.loss_scale = Tensor(loss_scale, mstype.float32)

    def construct(self, global_step):
        return self.weight_decay(global_step) * self.loss_scale


# --- the built-in schedules (``mindspore.nn.learning_rate_schedule``) ---------------------------------------------

def _positive_float(who, name, value):
    return _float_at_least(who, name, value, ">")


def _float_at_least(who, name, value, relation):
    """MindSpore's ``check_positive_float`` (relation '>') / ``check_non_negative_float`` ('>=')."""
    what = f"For '{who}', the '{name}'" if who else f"The '{name}'"
    if not isinstance(value, float):
        raise TypeError(f"{what} must be float, but got '{type(value).__name__}'")
    if not (value > 0 if relation == ">" else value >= 0):
        raise ValueError(f"{what} must be float and must {relation} 0, but got '{value}' with type 'float'.")
    return value


def _float_typed(who, name, value):
    """The explicit float check some schedules make before the range check."""
    if not isinstance(value, float):
        raise TypeError(f"For '{who}', the argument '{name}' must be type of float, but got '{name}' type: "
                        f"{type(value)}.")
    return value


def _decay_inputs(who, learning_rate, decay_rate, decay_steps, is_stair):
    check_positive_int(decay_steps, "decay_steps", who)
    _positive_float(who, "learning_rate", learning_rate)
    _positive_float(who, "decay_rate", decay_rate)
    check_value_type(who, "is_stair", is_stair, (bool,))


def _steps(global_step):
    return cast(global_step, mstype.float32)


class _DecayLR(LearningRateSchedule):
    """The arguments the three ``decay_rate``/``decay_steps`` schedules share."""

    def __init__(self, learning_rate, decay_rate, decay_steps, is_stair=False):
        super().__init__()
        _decay_inputs(self.cls_name, learning_rate, decay_rate, decay_steps, is_stair)
        self.learning_rate, self.decay_rate, self.decay_steps, self.is_stair = (learning_rate, decay_rate,
                                                                                decay_steps, is_stair)


class ExponentialDecayLR(_DecayLR):
    """``learning_rate * decay_rate ** (step / decay_steps)`` (the exponent floored with ``is_stair``)."""

    def construct(self, global_step):
        p = _steps(global_step) / self.decay_steps
        if self.is_stair:
            p = floor(p)
        return self.learning_rate * pow(self.decay_rate, p)


class NaturalExpDecayLR(_DecayLR):
    """``learning_rate * e ** (-decay_rate * step)`` (the step rounded down to a multiple of ``decay_steps`` with
    ``is_stair``)."""

    def construct(self, global_step):
        p = _steps(global_step)
        if self.is_stair:
            p = floor_divide(p, self.decay_steps) * self.decay_steps
        return self.learning_rate * pow(math.e, -self.decay_rate * p)


class InverseDecayLR(_DecayLR):
    """``learning_rate / (1 + decay_rate * step / decay_steps)`` (the quotient floored with ``is_stair``)."""

    def construct(self, global_step):
        p = _steps(global_step) / self.decay_steps
        if self.is_stair:
            p = floor(p)
        return self.learning_rate / (1 + self.decay_rate * p)


class CosineDecayLR(LearningRateSchedule):
    """From ``max_lr`` down to ``min_lr`` along half a cosine over ``decay_steps``, then ``min_lr``."""

    def __init__(self, min_lr, max_lr, decay_steps):
        super().__init__()
        _float_typed(self.cls_name, "min_lr", min_lr)
        _float_at_least(self.cls_name, "min_lr", min_lr, ">=")
        _positive_float(self.cls_name, "max_lr", max_lr)
        check_positive_int(decay_steps, "decay_steps", self.cls_name)
        if min_lr >= max_lr:
            raise ValueError(f"For 'CosineDecayLR', the 'max_lr' must be greater than the 'min_lr', but got 'max_lr' "
                             f"value: {max_lr}, 'min_lr' value: {min_lr}.")
        self.min_lr, self.max_lr, self.decay_steps = min_lr, max_lr, decay_steps
        self.math_pi = math.pi
        self.delta = 0.5 * (max_lr - min_lr)

    def construct(self, global_step):
        p = cast(minimum(global_step, self.decay_steps), mstype.float32)
        # MindSpore writes cos(pi * p / steps) as sin(pi * (p / steps + 0.5)); the float32 result follows that form
        return self.min_lr + self.delta * (1.0 + sin(self.math_pi * (p / self.decay_steps + 0.5)))


class PolynomialDecayLR(LearningRateSchedule):
    """``(learning_rate - end) * (1 - step / decay_steps) ** power + end``, the step capped at ``decay_steps``; with
    ``update_decay_steps`` the horizon grows to the next multiple of ``decay_steps`` instead."""

    def __init__(self, learning_rate, end_learning_rate, decay_steps, power, update_decay_steps=False):
        super().__init__()
        _positive_float(None, "learning_rate", learning_rate)
        _float_typed(self.cls_name, "end_learning_rate", end_learning_rate)
        _float_at_least(self.cls_name, "end_learning_rate", end_learning_rate, ">=")
        check_positive_int(decay_steps, "decay_steps", self.cls_name)
        check_value_type(self.cls_name, "update_decay_steps", update_decay_steps, (bool,))
        _positive_float(self.cls_name, "power", power)
        self.decay_steps, self.start_learning_rate = decay_steps, learning_rate
        self.end_learning_rate = end_learning_rate
        self.diff_learning_rate = learning_rate - end_learning_rate
        self.power, self.update_decay_steps = power, update_decay_steps

    def construct(self, global_step):
        step = _steps(global_step)
        decay_steps = self.decay_steps
        if self.update_decay_steps:
            decay_steps = decay_steps * maximum(ceil(step / decay_steps), 1)
        else:
            step = minimum(step, decay_steps)
        # 1 - step / decay_steps is never negative; compiled, XLA computes it as an FMA with 1 / decay_steps, which
        # can dip below 0 at the last step (pow would give NaN): clamped to 0
        base = maximum(1.0 - step / decay_steps, 0.0)
        return self.diff_learning_rate * pow(base, self.power) + self.end_learning_rate


class WarmUpLR(LearningRateSchedule):
    """``learning_rate * min(step, warmup_steps) / warmup_steps``."""

    def __init__(self, learning_rate, warmup_steps):
        super().__init__()
        _float_typed(self.cls_name, "learning_rate", learning_rate)
        _float_at_least(self.cls_name, "learning_rate", learning_rate, ">=")
        check_positive_int(warmup_steps, "warmup_steps", self.cls_name)
        self.warmup_steps, self.learning_rate = warmup_steps, learning_rate

    def construct(self, global_step):
        return self.learning_rate * (cast(minimum(global_step, self.warmup_steps), mstype.float32) / self.warmup_steps)
