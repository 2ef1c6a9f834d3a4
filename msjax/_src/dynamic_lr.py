"""``mindspore.nn.dynamic_lr``: learning-rate lists, one Python float per step, for an optimizer's
``learning_rate`` (which turns a list into a per-step rate indexed by its global step). Plain Python arithmetic, as
MindSpore computes them, so the floats are the same to the last bit."""
from __future__ import annotations

import math

from .layers_checks import check_positive_int
from .learning_rate import _float_at_least, _positive_float


def _check_type(name, value, types):
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        listed = (f"one of '{[t.__name__ for t in types]}'" if len(types) > 1 else f"'{types[0].__name__}'")
        raise TypeError(f"The type of '{name}' should be {listed}, but got type '{type(value).__name__}'.")


def _typed_float(who, name, value):
    if not isinstance(value, float):
        raise TypeError(f"For '{who}', the argument '{name}' must be type of float, but got '{name}' type: "
                        f"{type(value)}.")


def _epoch(step, step_per_epoch):
    return math.floor(step / step_per_epoch)


def piecewise_constant_lr(milestone, learning_rates):
    """``learning_rates[t]`` for the steps in ``[milestone[t-1], milestone[t])``."""
    _check_type("milestone", milestone, (tuple, list))
    _check_type("learning_rates", learning_rates, (tuple, list))
    if len(milestone) != len(learning_rates):
        raise ValueError(f"For 'piecewise_constant_lr', the size of 'milestone' must be same with the size of "
                         f"'learning_rates', but got 'milestone' size: {len(milestone)}, 'learning_rates' size: "
                         f"{len(learning_rates)}.")
    rates, last = [], 0
    for i, (end, rate) in enumerate(zip(milestone, learning_rates)):
        check_positive_int(end, f"milestone[{i}]")
        if not isinstance(rate, float):
            raise TypeError(f"The type of 'learning_rates[{i}]' must be 'float', but got '{type(rate).__name__}'.")
        if end < last:
            raise ValueError(f"For 'piecewise_constant_lr', the value of milestone[{i}] must be greater than "
                             f"milestone[{i - 1}], but got milestone[{i}]: {end}, milestone[{i - 1}]: {last}.")
        rates += [rate] * (end - last)
        last = end
    return rates


def _check_steps(*named):
    for name, value in named:
        check_positive_int(value, name)


def _check_decay(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair):
    _check_steps(("total_step", total_step), ("step_per_epoch", step_per_epoch), ("decay_epoch", decay_epoch))
    _positive_float(None, "learning_rate", learning_rate)
    _positive_float(None, "decay_rate", decay_rate)
    _check_type("is_stair", is_stair, (bool,))


def exponential_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair=False):
    """``learning_rate * decay_rate ** (epoch / decay_epoch)`` (the exponent floored with ``is_stair``)."""
    _check_decay(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    rates = []
    for i in range(total_step):
        exponent = _epoch(i, step_per_epoch) / decay_epoch
        rates.append(learning_rate * decay_rate ** (math.floor(exponent) if is_stair else exponent))
    return rates


def natural_exp_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair=False):
    """``learning_rate * e ** (-decay_rate * epoch)`` (the epoch rounded down to a multiple of ``decay_epoch`` with
    ``is_stair``)."""
    _check_decay(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    rates = []
    for i in range(total_step):
        epoch = _epoch(i, step_per_epoch)
        if is_stair:
            epoch = math.floor(epoch / decay_epoch) * decay_epoch
        rates.append(learning_rate * math.e ** (-decay_rate * epoch))
    return rates


def inverse_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair=False):
    """``learning_rate / (1 + decay_rate * epoch / decay_epoch)`` (the quotient floored with ``is_stair``)."""
    _check_decay(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    rates = []
    for i in range(total_step):
        epoch = _epoch(i, step_per_epoch)
        if is_stair:
            rates.append(learning_rate / (1 + decay_rate * math.floor(epoch / decay_epoch)))
        else:
            rates.append(learning_rate / (1 + decay_rate * epoch / decay_epoch))
    return rates


def cosine_decay_lr(min_lr, max_lr, total_step, step_per_epoch, decay_epoch):
    """``min_lr + (max_lr - min_lr) / 2 * (1 + cos(pi * epoch / decay_epoch))``, the epoch capped at
    ``decay_epoch``."""
    _typed_float("cosine_decay_lr", "min_lr", min_lr)
    _float_at_least(None, "min_lr", min_lr, ">=")
    _positive_float(None, "max_lr", max_lr)
    _check_steps(("total_step", total_step), ("step_per_epoch", step_per_epoch), ("decay_epoch", decay_epoch))
    if min_lr >= max_lr:
        raise ValueError(f"For 'cosine_decay_lr', the 'max_lr' must be greater than the 'min_lr', but got 'max_lr' "
                         f"value: {max_lr}, 'min_lr' value: {min_lr}.")
    delta = 0.5 * (max_lr - min_lr)
    return [min_lr + delta * (1 + math.cos(math.pi * min(_epoch(i, step_per_epoch), decay_epoch) / decay_epoch))
            for i in range(total_step)]


def polynomial_decay_lr(learning_rate, end_learning_rate, total_step, step_per_epoch, decay_epoch, power,
                        update_decay_epoch=False):
    """``(learning_rate - end) * (1 - epoch / decay_epoch) ** power + end``, the epoch capped at ``decay_epoch``;
    with ``update_decay_epoch`` the horizon grows to the next multiple of ``decay_epoch`` instead."""
    _positive_float(None, "learning_rate", learning_rate)
    _typed_float("polynomial_decay_lr", "end_learning_rate", end_learning_rate)
    _float_at_least(None, "end_learning_rate", end_learning_rate, ">=")
    _positive_float(None, "power", power)
    _check_steps(("total_step", total_step), ("step_per_epoch", step_per_epoch), ("decay_epoch", decay_epoch))
    _check_type("update_decay_epoch", update_decay_epoch, (bool,))
    delta = learning_rate - end_learning_rate
    rates = []
    for i in range(total_step):
        epoch = _epoch(i, step_per_epoch)
        if update_decay_epoch:
            horizon = decay_epoch * max(math.ceil(epoch / decay_epoch), 1)
        else:
            horizon, epoch = decay_epoch, min(epoch, decay_epoch)
        rates.append(delta * (1 - epoch / horizon) ** power + end_learning_rate)
    return rates


def warmup_lr(learning_rate, total_step, step_per_epoch, warmup_epoch):
    """``learning_rate * min(epoch, warmup_epoch) / warmup_epoch``."""
    _typed_float("warmup_lr", "learning_rate", learning_rate)
    _float_at_least(None, "learning_rate", learning_rate, ">=")
    _check_steps(("warmup_epoch", warmup_epoch), ("total_step", total_step), ("step_per_epoch", step_per_epoch))
    return [learning_rate * min(_epoch(i, step_per_epoch), warmup_epoch) / warmup_epoch for i in range(total_step)]
