"""Loss scaling: ``nn.TrainOneStepWithLossScaleCell`` and its update Cells, ``amp.all_finite``, the loss scale
managers and ``amp.StaticLossScaler`` / ``DynamicLossScaler``.

Overflow detection is an all-finite check of the unscaled gradients on every device (MindSpore's GPU rule; its CPU
backend lacks the NPU float-status ops the step uses there and raises). A step that overflows leaves the optimizer's
Parameters (weights, moments, step counter) as they were: the update is computed and then discarded by a select,
so the same code runs eagerly and compiled, without a Tensor-valued Python branch around state writes.
"""
from __future__ import annotations

from . import dtype as mstype
from . import functional as F
from .cell import Cell
from .grad import value_and_grad
from .layers_checks import check_positive_int
from .parameter import Parameter
from .tensor import Tensor
from .wrappers import TrainOneStepCell


def all_finite(inputs):
    """``amp.all_finite``: a bool scalar Tensor, True when no Tensor in ``inputs`` holds an inf or a NaN."""
    finite = Tensor(True, mstype.bool_)
    for grad in inputs:
        finite = F.logical_and(finite, F.isfinite(grad).all())
    return finite


def _scaled(scale, grads):
    return tuple(g * F.cast(scale, g.dtype) for g in grads)


def _unscaled(scale, grads):
    return tuple(g * F.cast(F.reciprocal(scale), g.dtype) for g in grads)


class DynamicLossScaleUpdateCell(Cell):
    """Divides the scale by ``scale_factor`` (not below 1) on overflow, multiplies it after ``scale_window``
    overflow-free steps; returns ``overflow``."""

    def __init__(self, loss_scale_value, scale_factor, scale_window):
        super().__init__()
        self.scale_window = Tensor(scale_window, mstype.int32)
        self.scale_factor = Tensor(scale_factor, mstype.float32)
        self.loss_scale_value = loss_scale_value
        self.cur_iter = Parameter(Tensor(1, mstype.int32), name="current_iterator_step")
        self.last_overflow_iter = Parameter(Tensor(0, mstype.int32), name="last_overflow_iterator_step")
        self.minimum_loss_scale = Tensor(1.0, mstype.float32)

    def get_loss_scale(self):
        return self.loss_scale_value

    def construct(self, loss_scale, overflow):
        shrunk = F.select(overflow, F.maximum(loss_scale / self.scale_factor, self.minimum_loss_scale), loss_scale)
        grow = self.scale_window <= self.cur_iter - self.last_overflow_iter
        F.assign(self.last_overflow_iter,
                 F.select(F.logical_or(overflow, grow), self.cur_iter, self.last_overflow_iter))
        F.assign(loss_scale, F.select(F.logical_and(grow, F.logical_not(overflow)), shrunk * self.scale_factor,
                                      shrunk))
        F.assign(self.cur_iter, self.cur_iter + 1)
        return overflow


class FixedLossScaleUpdateCell(Cell):
    """Keeps the scale; returns ``overflow``."""

    def __init__(self, loss_scale_value):
        super().__init__()
        self.loss_scale_value = loss_scale_value

    def get_loss_scale(self):
        return self.loss_scale_value

    def construct(self, _, overflow):
        return overflow


class TrainOneStepWithLossScaleCell(TrainOneStepCell):
    """One step with loss scaling -> ``(loss, overflow, scale)``: gradients of the loss scaled by ``scale_sense``
    (the sensitivity fed to the backward pass), unscaled, checked for overflow; the update runs only without one.
    ``scale_sense`` is an update Cell (its scale becomes the Parameter ``scale_sense``) or a () / (1,) Tensor."""

    def __init__(self, network, optimizer, scale_sense):
        super().__init__(network, optimizer, sens=None)
        self.loss_scaling_manager = None
        if isinstance(scale_sense, Cell):
            self.loss_scaling_manager = scale_sense
            self.scale_sense = Parameter(Tensor(scale_sense.get_loss_scale(), mstype.float32), name="scale_sense")
        elif isinstance(scale_sense, Tensor):
            if scale_sense.shape not in ((1,), ()):
                raise ValueError("For 'TrainOneStepWithLossScaleCell', the shape of 'scale_sense' must be (1,) or (), "
                                 f"but got {scale_sense.shape}.")
            self.scale_sense = Parameter(scale_sense, name="scale_sense")
        else:
            raise TypeError("For 'TrainOneStepWithLossScaleCell', the 'scale_sense' must be Cell or Tensor, but got "
                            f"'scale_sense' type: {type(scale_sense)}.")
        # d(loss * scale)/dw: the backward pass starts from ``scale`` (in the loss's dtype), as MindSpore's sens does
        self._scaled_value_and_grad = value_and_grad(self._scaled_loss, None, self.weights, has_aux=True)

    def _scaled_loss(self, *inputs):
        loss = self.network(*inputs)
        return loss * F.cast(self.scale_sense, loss.dtype), loss

    def construct(self, *inputs):
        scaling_sens = self.scale_sense
        (_, loss), grads = self._scaled_value_and_grad(*inputs)
        grads = self.grad_reducer(_unscaled(scaling_sens, grads))
        cond = self.get_overflow_status(None, grads)
        overflow = self.process_loss_scale(cond)
        self._update_unless(overflow, grads)
        return loss, cond, scaling_sens

    def _update_unless(self, overflow, grads):
        """The optimizer step, discarded when ``overflow`` (a Python bool or a bool Tensor) is set."""
        if isinstance(overflow, bool):
            if not overflow:
                self.optimizer(grads)
            return
        state = list({id(p): p for p in (*self.optimizer.parameters, *self.optimizer.get_parameters())}.values())
        before = [Tensor._from_raw(p._data) for p in state]
        self.optimizer(grads)
        for param, old in zip(state, before):
            F.assign(param, F.select(overflow, old, param))

    def set_sense_scale(self, sens):
        if self.scale_sense is not None and isinstance(sens, Tensor):
            self.scale_sense.set_data(sens)
        else:
            raise TypeError(f"For 'TrainOneStepWithLossScaleCell', the type of 'sens' must be Tensor, but got "
                            f"{type(sens)}")

    def start_overflow_check(self, pre_cond, compute_input):
        return Tensor([0] * 8, mstype.int32), compute_input

    def get_overflow_status(self, status, compute_output):
        return F.logical_not(all_finite(compute_output))

    def process_loss_scale(self, overflow):
        if self.loss_scaling_manager is not None:
            return self.loss_scaling_manager(self.scale_sense, overflow)
        return overflow


# --- managers (what Model and build_train_network take) --------------------------------------------------------

class LossScaleManager:
    """The loss scale manager interface."""

    def get_loss_scale(self):
        pass

    def update_loss_scale(self, overflow):
        pass

    def get_update_cell(self):
        pass


class FixedLossScaleManager(LossScaleManager):
    """A constant scale; ``drop_overflow_update`` makes the step skip updates on overflow (its update Cell)."""

    def __init__(self, loss_scale=128.0, drop_overflow_update=True):
        if loss_scale < 1:
            raise ValueError(f"The argument 'loss_scale' must be >= 1, but got {loss_scale}")
        self._loss_scale = loss_scale
        self._drop_overflow_update = drop_overflow_update

    def get_loss_scale(self):
        return self._loss_scale

    def get_drop_overflow_update(self):
        return self._drop_overflow_update

    def get_update_cell(self):
        return FixedLossScaleUpdateCell(self._loss_scale) if self._drop_overflow_update else None


class DynamicLossScaleManager(LossScaleManager):
    """A scale divided by ``scale_factor`` on overflow and multiplied after ``scale_window`` clean steps
    (`update_loss_scale` on the host, or its update Cell inside the step)."""

    def __init__(self, init_loss_scale=2 ** 24, scale_factor=2, scale_window=2000):
        if init_loss_scale < 1.0:
            raise ValueError(f"The argument 'init_loss_scale' must be > 1, but got {init_loss_scale}")
        self.loss_scale = init_loss_scale
        self.scale_window = check_positive_int(scale_window, "scale_window", type(self).__name__)
        if scale_factor <= 0:
            raise ValueError(f"The argument 'scale_factor' must be > 0, but got {scale_factor}")
        self.scale_factor = scale_factor
        self.increase_ratio = scale_factor
        self.decrease_ratio = 1 / scale_factor
        self.cur_iter = 1
        self.last_overflow_iter = 0
        self.bad_step_max = 1000
        self.bad_step = 0

    def get_loss_scale(self):
        return self.loss_scale

    def update_loss_scale(self, overflow):
        if overflow:
            self.loss_scale = max(self.loss_scale * self.decrease_ratio, 1)
            self.last_overflow_iter = self.cur_iter
            self.bad_step += 1
        else:
            if (self.cur_iter - self.last_overflow_iter) % self.scale_window == 0:
                self.loss_scale *= self.increase_ratio
            self.bad_step = 0
        if self.bad_step > self.bad_step_max:
            raise RuntimeError("Dynamic loss scale Continuous overflow ", self.bad_step,
                               " times, has exceeded maximum threshold.")
        self.cur_iter += 1

    def get_drop_overflow_update(self):
        return True

    def get_update_cell(self):
        return DynamicLossScaleUpdateCell(self.loss_scale, self.scale_factor, self.scale_window)


# --- functional loss scalers -------------------------------------------------------------------------------------

def _check_scale_value(scale_value):
    if not isinstance(scale_value, (float, int)) or isinstance(scale_value, bool):
        raise TypeError(f"The argument 'scale_value' must be float or int, but got {type(scale_value).__name__}")
    if scale_value < 1.0:
        raise ValueError(f"The argument 'scale_value' must be > 1, but got {scale_value}")
    return Parameter(Tensor(scale_value, mstype.float32), name="scale_value")


class LossScaler:
    """``amp.LossScaler``: ``scale``, ``unscale`` and ``adjust`` for functional training loops."""

    def scale(self, inputs):
        raise NotImplementedError

    def unscale(self, inputs):
        raise NotImplementedError

    def adjust(self, grads_finite):
        raise NotImplementedError


def _map(fn, scale, inputs):
    return fn(scale, (inputs,))[0] if isinstance(inputs, Tensor) else fn(scale, inputs)


class StaticLossScaler(LossScaler):
    def __init__(self, scale_value):
        self.scale_value = _check_scale_value(scale_value)

    def scale(self, inputs):
        return _map(_scaled, self.scale_value, inputs)

    def unscale(self, inputs):
        return _map(_unscaled, self.scale_value, inputs)

    def adjust(self, grads_finite):
        return False


class DynamicLossScaler(LossScaler):
    """``adjust(grads_finite)``: on overflow the scale is divided by ``scale_factor`` (not below 1) and the counter
    reset; every ``scale_window``-th finite step multiplies it (unless that overflows float32)."""

    def __init__(self, scale_value, scale_factor, scale_window):
        self.scale_value = _check_scale_value(scale_value)
        self.scale_window = check_positive_int(scale_window, "scale_window")
        self.scale_factor = check_positive_int(scale_factor, "scale_factor")
        self.counter = Parameter(Tensor(0, mstype.int32), name="counter")

    def scale(self, inputs):
        return _map(_scaled, self.scale_value, inputs)

    def unscale(self, inputs):
        return _map(_unscaled, self.scale_value, inputs)

    def adjust(self, grads_finite):
        scale = self.scale_value
        grown = scale * self.scale_factor
        grown = F.select(F.isfinite(grown), grown, scale)
        on_finite = F.select(self.counter == self.scale_window - 1, grown, scale)
        shrunk = F.maximum(F.ones((), scale.dtype), scale / self.scale_factor)
        F.assign(self.scale_value, F.select(grads_finite, on_finite, shrunk))
        F.assign(self.counter, (self.counter + 1) % self.scale_window * grads_finite)
        return True
