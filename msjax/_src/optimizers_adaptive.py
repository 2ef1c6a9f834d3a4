"""Optimizers with per-element adaptive rates: ``nn.RMSProp`` (plain and centered) and ``nn.Adagrad``, on the
`Optimizer` base of `optimizers.py` (groups, rates, weight decay, loss scale); MindSpore's ApplyRMSProp,
ApplyCenteredRMSProp and ApplyAdagrad kernels as formulas on raw arrays, their shape and dtype errors included."""
from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from .nn_ops import check_value_type
from .optimizers import Optimizer, _assign_all, _check_float, _CompiledStep
from .validation import ms_dtype_name


def _shape(x):
    return "(" + ", ".join(str(d) for d in x.shape) + ")"


def _compute_dtype(x):
    return np.promote_types(x.dtype, np.float32)


class RMSProp(Optimizer):
    """``nn.RMSProp(params, learning_rate=0.1, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
    centered=False, loss_scale=1.0, weight_decay=0.0)``:
    ms = decay * ms + (1 - decay) * g^2; mom = momentum * mom + lr * g / sqrt(ms + eps); p -= mom.
    Centered, mg = decay * mg + (1 - decay) * g and the root is sqrt(ms - mg^2 + eps).
    State ``mean_square.<name>`` (ones), ``moment.<name>`` (zeros), centered also ``mean_grad.<name>`` (zeros)."""

    def __init__(self, params, learning_rate=0.1, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
                 centered=False, loss_scale=1.0, weight_decay=0.0):
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        who = self.cls_name
        for name, value in (("decay", decay), ("momentum", momentum)):
            check_value_type(who, name, value, (float,))
            _check_float(who, name, value)
        check_value_type(who, "epsilon", epsilon, (float,))
        _check_float(who, "epsilon", epsilon, positive=True)
        check_value_type(who, "use_locking", use_locking, (bool,))
        check_value_type(who, "centered", centered, (bool,))
        self.centered = centered
        if centered:
            self.mg = self._parameters.clone(prefix="mean_grad", init="zeros")
        self.ms = self._parameters.clone(prefix="mean_square", init="ones")
        self.moment = self._parameters.clone(prefix="moment", init="zeros")
        self.decay, self.momentum, self.epsilon = decay, momentum, epsilon

    @_CompiledStep
    def construct(self, gradients):
        gradients, lrs = self._prepared_gradients(gradients)
        op = "ApplyCenteredRMSProp" if self.centered else "ApplyRMSProp"
        mgs = self.mg if self.centered else (None,) * self.param_length
        for param, grad, lr, mg, ms, mom in zip(self._parameters, gradients, lrs, mgs, self.ms, self.moment):
            grad = grad._data
            if tuple(grad.shape) != tuple(param.shape):
                raise ValueError(f"For '{op}', 'grad' must have the same shape as 'var'. But got 'grad' shape: "
                                 f"{_shape(grad)}, 'var' shape: {_shape(param)}.")
            states = [("grad", grad), ("mean gradient", mg), ("mean square", ms), ("moment", mom), ("var", param)]
            states = [(name, x if name == "grad" else x._data) for name, x in states if x is not None]
            if len({np.dtype(x.dtype) for _, x in states}) > 1:
                listed = "".join(f"\nname:[{name} dtype]:{'' if name == 'grad' else 'Ref['}Tensor["
                                 f"{ms_dtype_name(x)}]{'' if name == 'grad' else ']'}." for name, x in states)
                raise TypeError(f"For primitive[{op}], the input type must be same.{listed}")
            if self.centered:
                new = _centered_rmsprop(param._data, mg._data, ms._data, mom._data, grad, lr, self.decay,
                                        self.momentum, self.epsilon)
                _assign_all((param, mg, ms, mom), new)
            else:
                # the plain kernel takes its scalars in the gradient's dtype (MindSpore casts them first)
                scalars = (jnp.asarray(x, np.float32).astype(grad.dtype) for x in (lr, self.decay, self.momentum,
                                                                                  self.epsilon))
                _assign_all((param, ms, mom), _rmsprop(param._data, ms._data, mom._data, grad, *scalars))
        return (True,) * self.param_length


def _rmsprop(param, ms, mom, grad, lr, decay, momentum, epsilon):
    out_dtype, dt = param.dtype, _compute_dtype(param)
    param, ms, mom, grad, lr, decay, momentum, epsilon = (x.astype(dt) for x in (param, ms, mom, grad, lr, decay,
                                                                                 momentum, epsilon))
    ms = decay * ms + (1 - decay) * grad * grad
    mom = momentum * mom + lr * grad / jnp.sqrt(ms + epsilon)
    return [x.astype(out_dtype) for x in (param - mom, ms, mom)]


def _centered_rmsprop(param, mg, ms, mom, grad, lr, decay, momentum, epsilon):
    out_dtype, dt = param.dtype, _compute_dtype(param)
    param, mg, ms, mom, grad, lr = (x.astype(dt) for x in (param, mg, ms, mom, grad, lr))
    mg = decay * mg + (1 - decay) * grad
    ms = decay * ms + (1 - decay) * grad * grad
    mom = momentum * mom + lr * grad / jnp.sqrt(ms - mg * mg + epsilon)
    return [x.astype(out_dtype) for x in (param - mom, mg, ms, mom)]


class Adagrad(Optimizer):
    """``nn.Adagrad(params, accum=0.1, learning_rate=0.001, update_slots=True, loss_scale=1.0, weight_decay=0.0)``:
    accum += g^2 (with ``update_slots``); p -= lr * g / sqrt(accum). State ``accum.<name>``, filled with ``accum``."""

    def __init__(self, params, accum=0.1, learning_rate=0.001, update_slots=True, loss_scale=1.0, weight_decay=0.0):
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        check_value_type(self.cls_name, "accum", accum, (float,))
        check_value_type(self.cls_name, "update_slots", update_slots, (bool,))
        _check_float(self.cls_name, "accum", accum)
        self.accum = self._parameters.clone(prefix="accum", init=accum)
        self.update_slots = update_slots

    @_CompiledStep
    def construct(self, gradients):
        gradients, lrs = self._prepared_gradients(gradients, mapper="Map")
        for param, grad, lr, accum in zip(self._parameters, gradients, lrs, self.accum):
            grad = grad._data
            if tuple(grad.shape) != tuple(param.shape):
                raise ValueError(f"For 'ApplyAdagrad', evaluator arg 'grad' and 'var' must have the same shape. But "
                                 f"got 'grad' shape: {_shape(grad)}, 'var' shape: {_shape(param)}.")
            value = param._data
            if np.dtype(grad.dtype).kind == "f" and jnp.promote_types(value.dtype, grad.dtype) != value.dtype:
                raise TypeError("Data type conversion is not supported for a 'Parameter', nor for the input tensor "
                                f"of an in-place operator, so data type {ms_dtype_name(value)}, which cannot be "
                                f"converted to data type {ms_dtype_name(grad)} automatically.")
            _assign_all((param, accum), _adagrad(value, accum._data, grad, lr, self.update_slots))
        return (True,) * self.param_length


def _adagrad(param, accum, grad, lr, update_slots):
    out_dtype, dt = param.dtype, _compute_dtype(param)
    param, accum, grad, lr = (x.astype(dt) for x in (param, accum, grad.astype(out_dtype), lr))
    if update_slots:
        accum = accum + grad * grad
    return [x.astype(out_dtype) for x in (param - lr * grad / jnp.sqrt(accum), accum)]
