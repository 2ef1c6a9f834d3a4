"""Optimizers (``nn.Optimizer``, ``nn.SGD``, ``nn.Momentum``, ``nn.Adam``, ``nn.AdamWeightDecay``) with MindSpore
2.10's update formulas, state Parameters and names, learning rates (float, list, Tensor, schedule), parameter groups,
weight decay (with its gamma/beta filter) and loss scale.

Every piece of state is a Parameter and every update an ``ops.assign``, so a step works under grad, jit and
GRAPH_MODE like any other Parameter write (`state.py`). As MindSpore's optimizers have a ``@jit`` construct, the
built-in ones compile their step in PyNative too: one XLA program per optimizer and gradient signature.
"""
from __future__ import annotations

import functools
from typing import Iterable

import jax
import jax.numpy as jnp
import numpy as np

from . import dtype as mstype
from . import jit
from .cell import Cell
from .functional import assign
from .containers import CellList
from .learning_rate import LearningRateSchedule, _ConvertToCell, _IteratorLearningRate, _WrappedWeightDecay
from .parameter import Parameter, ParameterTuple
from .tensor import Tensor
from .validation import ms_dtype_name, shape_list

_GROUP_KEYS = ["params", "lr", "weight_decay", "order_params", "grad_centralization"]


def _check_float(who, name, value, *, positive=False):
    if not isinstance(value, float):
        raise TypeError(f"For '{who}', the type of '{name}' should be 'float', but got type "
                        f"'{type(value).__name__}'.")
    if value < 0 or (positive and value == 0):
        raise ValueError(f"For '{who}', the '{name}' must be float and must {'>' if positive else '>='} 0, but got "
                         f"'{value}' with type 'float'.")
    return value


def _check_bool(who, name, value):
    if not isinstance(value, bool):
        raise TypeError(f"For '{who}', the type of '{name}' should be 'bool', but got type "
                        f"'{type(value).__name__}'.")
    return value


def _parameters_base_check(parameters, what):
    if parameters is None:
        raise ValueError(f"For 'Optimizer', the argument {what} can not be None.")
    if not isinstance(parameters, Iterable):
        raise TypeError(f"For 'Optimizer', the argument {what} must be Iterable type, but got {type(parameters)}.")
    parameters = list(parameters)
    if not parameters:
        raise ValueError(f"For 'Optimizer', the argument {what} must not be empty.")
    return parameters


def _check_gradients(gradients, count, mapper="HyperMap"):
    """MindSpore maps the update over (parameters, gradients, state): a list or a length mismatch fails there."""
    if not isinstance(gradients, tuple):
        if mapper == "Map":
            raise RuntimeError("The types of arguments in Map must be consistent, but the types of arguments are "
                               "inconsistent.")
        raise RuntimeError(f"In a nonleaf situation, the types of arguments in {mapper} must be consistent, but the "
                           "types of arguments are inconsistent.")
    if len(gradients) != count:
        if mapper == "Map":
            raise RuntimeError("For 'Map', the length of tuples must be the same.")
        raise RuntimeError(f"The tuples in {mapper} should have the same length.")


class Optimizer(Cell):
    """``nn.Optimizer(learning_rate, parameters, weight_decay=0.0, loss_scale=1.0)``: the base of all optimizers.

    ``parameters`` is a list of Parameters or of group dicts (``params``, ``lr``, ``weight_decay``,
    ``grad_centralization``; or one ``{'order_params': [...]}``). Without groups, weight decay skips Parameters whose
    name contains 'beta' or 'gamma'; with groups, it applies where the group's decay is > 0.
    """

    def __init__(self, learning_rate, parameters, weight_decay=0.0, loss_scale=1.0):
        super().__init__(auto_prefix=False)
        parameters = _parameters_base_check(parameters, "parameters")
        if not (all(isinstance(p, Parameter) for p in parameters) or all(isinstance(p, dict) for p in parameters)):
            raise TypeError("For 'Optimizer', all elements of the argument 'parameters' must be 'Parameter' or "
                            "'dict', please check the 'parameters'.")
        if isinstance(loss_scale, int) and not isinstance(loss_scale, bool):
            loss_scale = float(loss_scale)
        self.loss_scale = _check_float(self.cls_name, "loss_scale", loss_scale, positive=True)
        self.dynamic_weight_decay = False
        self.grad_centralization = False
        self.dynamic_lr = False
        self.global_step = Parameter(Tensor(np.zeros(1, np.int32)), name="global_step")
        self.is_group = self.is_group_lr = self.is_group_params_ordered = False
        learning_rate = self._preprocess_single_lr(learning_rate)
        if isinstance(parameters[0], dict):
            self.is_group = True
            self.group_params, self.group_lr, self.group_weight_decay, self.group_grad_centralization = [], [], [], []
            self._init_group_params(parameters, learning_rate, weight_decay)
        self._init_opt_attrs(learning_rate, parameters, weight_decay)

    def _init_opt_attrs(self, learning_rate, parameters, weight_decay):
        weight_decay = self._preprocess_weight_decay(weight_decay)
        if self.is_group_lr:
            self.learning_rate = (CellList(self.group_lr, auto_prefix=False) if self.dynamic_lr
                                  else ParameterTuple(self.group_lr))
        else:
            self.learning_rate = self._build_single_lr(learning_rate, "learning_rate")
        if self.is_group:
            self.parameters = ParameterTuple(self.group_params)
            self.decay_flags = tuple(isinstance(x, Cell) or x > 0 for x in self.group_weight_decay)
            self.dynamic_decay_flags = tuple(isinstance(x, Cell) for x in self.group_weight_decay)
            self.weight_decay = tuple(x if isinstance(x, Cell) else Tensor(x, mstype.float32)
                                      for x in self.group_weight_decay)
            self.exec_weight_decay = any(self.decay_flags)
            self.grad_centralization_flags = tuple(self.group_grad_centralization)
        else:
            self.parameters = ParameterTuple(parameters)
            self.decay_flags = tuple("beta" not in p.name and "gamma" not in p.name for p in self.parameters)
            self.dynamic_decay_flags = isinstance(weight_decay, Cell)
            self.exec_weight_decay = isinstance(weight_decay, Cell) or weight_decay > 0
            self.weight_decay = weight_decay if isinstance(weight_decay, Cell) else Tensor(weight_decay,
                                                                                            mstype.float32)
        self._parameters = self.parameters
        self.reciprocal_scale = Tensor(1.0 / self.loss_scale, mstype.float32)
        self.need_scale = self.loss_scale != 1.0
        self.global_step_increase_tensor = Tensor([1], mstype.int32)
        self.param_length = len(self._parameters)

    # --- learning rates and weight decay ------------------------------------------------------------------------
    def _preprocess_single_lr(self, learning_rate):
        """A float, a float32 0-d Tensor, or (setting ``dynamic_lr``) a schedule or a float32 1-d Tensor."""
        if isinstance(learning_rate, (float, int)):
            return _check_float(self.cls_name, "learning rate", float(learning_rate))
        if isinstance(learning_rate, Tensor) and learning_rate.ndim == 0:
            return Tensor(learning_rate.asnumpy(), mstype.float32)
        self.dynamic_lr = True
        if isinstance(learning_rate, LearningRateSchedule):
            return learning_rate
        if isinstance(learning_rate, Tensor):
            if learning_rate.ndim > 1:
                raise ValueError(f"For 'Optimizer', if 'learning_rate' is Tensor type, then the dimension of it "
                                 f"should be 0 or 1, but got {learning_rate.ndim}.")
            return Tensor(learning_rate.asnumpy(), mstype.float32)
        if isinstance(learning_rate, Iterable):
            return Tensor(np.array(list(learning_rate)).astype(np.float32))
        raise TypeError("For 'Optimizer', the argument 'learning_rate' must be int, float, Tensor, Iterable or "
                        f"LearningRateSchedule, but got {type(learning_rate)}.")

    def _build_single_lr(self, learning_rate, name):
        """A fixed rate becomes a Parameter named ``name`` (inside a schedule when group rates are dynamic); a 1-d
        Tensor an `_IteratorLearningRate`; a schedule stays as it is."""
        if isinstance(learning_rate, float) or (isinstance(learning_rate, Tensor) and learning_rate.ndim == 0):
            learning_rate = Parameter(Tensor(learning_rate, mstype.float32) if isinstance(learning_rate, float)
                                      else learning_rate, name)
            return _ConvertToCell(learning_rate) if self.is_group_lr and self.dynamic_lr else learning_rate
        if isinstance(learning_rate, Tensor) and learning_rate.ndim == 1:
            return _IteratorLearningRate(learning_rate, name)
        return learning_rate

    def _preprocess_weight_decay(self, weight_decay):
        if isinstance(weight_decay, (float, int)) and not isinstance(weight_decay, bool):
            return _check_float(self.cls_name, "weight_decay", float(weight_decay)) * self.loss_scale
        if isinstance(weight_decay, Cell):
            self.dynamic_weight_decay = True
            return _WrappedWeightDecay(weight_decay, self.loss_scale)
        raise TypeError(f"For 'Optimizer', the argument 'Weight_decay' must be int, float or Cell.but got "
                        f"{type(weight_decay)}")

    def get_lr(self):
        """The rate of the current step: the learning-rate Parameter (a ParameterTuple for fixed group rates), or
        for dynamic rates a 0-d Tensor (a tuple of them with groups)."""
        if not self.dynamic_lr:
            return self.learning_rate
        if not jit.tracing_now(self.global_step):
            self._check_lr_steps()
        if self.is_group_lr:
            return tuple(schedule(self.global_step).reshape(()) for schedule in self.learning_rate)
        return self.learning_rate(self.global_step).reshape(())

    def get_weight_decay(self):
        if not self.dynamic_weight_decay:
            return self.weight_decay
        if self.is_group:
            return tuple(wd(self.global_step) if dynamic else wd
                         for wd, dynamic in zip(self.weight_decay, self.dynamic_decay_flags))
        return self.weight_decay(self.global_step)

    def get_lr_parameter(self, param):
        """The learning-rate Parameter (or schedule) of ``param``, or a list for a list of Parameters."""
        if isinstance(param, Parameter):
            params = [param]
        elif isinstance(param, list):
            params = param
        else:
            raise TypeError(f"For 'get_lr_parameter', the 'param' must be 'Parameter' or 'list' type, but got "
                            f"{type(param)}.")
        ids = [id(p) for p in self._parameters]
        found = []
        for p in params:
            if not isinstance(p, Parameter):
                raise TypeError(f"For '{self.cls_name}', the type of 'parameter' should be 'Parameter', but got "
                                f"'{type(p).__name__}'.")
            if id(p) not in ids:
                raise ValueError(f"For 'get_lr_parameter', the parameter {p.name} is not in optimizer, please check "
                                 "whether the argument 'param' is correct.")
            lr = self.learning_rate[ids.index(id(p))] if self.is_group_lr else self.learning_rate
            found.append(lr.learning_rate if isinstance(lr, (_ConvertToCell, _IteratorLearningRate)) else lr)
        return found if isinstance(param, list) else found[0]

    # --- groups ---------------------------------------------------------------------------------------------------
    def _check_group_params(self, groups):
        for group in groups:
            invalid = [key for key in group if key not in _GROUP_KEYS]
            if invalid:
                raise KeyError(f"For 'Optimizer', the key in group params must be one of in {_GROUP_KEYS}, but got "
                               f"{invalid}.")
            if "order_params" in group:
                if len(group) > 1:
                    raise ValueError("For 'Optimizer', the order params dict in group parameters should only include "
                                     f"the 'order_params' key, but got {group.keys()}.")
                if not isinstance(group["order_params"], Iterable):
                    raise TypeError("For 'Optimizer', the value of 'order_params' in group parameters should be "
                                    f"Iterable type, but got {type(group['order_params'])}.")
                continue
            for index, param in enumerate(_parameters_base_check(group["params"], "group `params`")):
                if not isinstance(param, Parameter):
                    raise TypeError("For 'Optimizer', the element in group parameters must be Parameter type, but "
                                    f"got {type(param)} at index {index}.")

    def _init_group_params(self, groups, learning_rate, weight_decay):
        self._check_group_params(groups)
        tensor_lr_length = learning_rate.size if isinstance(learning_rate, Tensor) and learning_rate.ndim == 1 else 0
        for group in groups:
            if "order_params" in group:
                self.is_group_params_ordered = True
            elif "lr" in group:
                self.is_group_lr = True
                group_lr = self._preprocess_single_lr(group["lr"])
                if isinstance(group_lr, Tensor) and group_lr.ndim == 1:
                    if tensor_lr_length == 0:
                        tensor_lr_length = group_lr.size
                    elif group_lr.size != tensor_lr_length:
                        raise ValueError("For 'Optimizer', the Tensor type dynamic learning rate in group must be "
                                         "the same size as the argument 'learning_rate'.")
        default_lr = self._build_single_lr(learning_rate, "learning_rate")
        seen, ordered = [], []
        for number, group in enumerate(groups):
            if "order_params" in group:
                ordered = group["order_params"]
                continue
            self.group_params += group["params"]
            lr = default_lr
            if "lr" in group:
                lr = self._build_single_lr(self._preprocess_single_lr(group["lr"]), f"learning_rate_group_{number}")
            decay = self._preprocess_weight_decay(group.get("weight_decay", weight_decay))
            centralize = self.grad_centralization
            if "grad_centralization" in group:
                if not isinstance(group["grad_centralization"], bool):
                    raise TypeError("For 'Optimizer', the 'gradients_centralization' must be bool type, but got "
                                    f"{type(group['grad_centralization'])}.")
                self.grad_centralization = centralize = group["grad_centralization"]
            for param in group["params"]:
                if param.name in seen:
                    raise RuntimeError(f"For 'Optimizer', the {param.name} parameter already exists, it does not "
                                       "support repeated setting. Please check whether the optimizer parameter has "
                                       "been set multiple times.")
                seen.append(param.name)
                self.group_lr.append(lr)
                self.group_weight_decay.append(decay)
                self.group_grad_centralization.append(centralize)
        if self.is_group_params_ordered and ordered:
            self._order_group_params(ordered)

    def _order_group_params(self, ordered):
        ordered = list(ordered)
        if len(ordered) != len(self.group_params):
            raise ValueError(f"For 'Optimizer',the length of order parameters must be the same as the length of "
                             f"group parameters, but got order parameters' length {len(ordered)}, group "
                             f"parameters' length {len(self.group_params)}.")
        names = [p.name for p in ordered]
        positions = [names.index(p.name) for p in self.group_params]
        for attr in ("group_params", "group_lr", "group_weight_decay", "group_grad_centralization"):
            values = getattr(self, attr)
            reordered = [None] * len(values)
            for position, value in zip(positions, values):
                reordered[position] = value
            setattr(self, attr, reordered)

    # --- gradient preprocessing (also used by custom optimizers) --------------------------------------------------
    def flatten_gradients(self, gradients):
        return gradients

    def decay_weight(self, gradients):
        """grad + weight_decay * weight for the Parameters that decay."""
        if not self.exec_weight_decay:
            return gradients
        decays = self.get_weight_decay()
        if not self.is_group:
            decays = (decays,) * len(gradients)
        return tuple(_add_decay(param, decay, grad) if flag else grad
                     for decay, flag, param, grad in zip(decays, self.decay_flags, self._parameters, gradients))

    def gradients_centralization(self, gradients):
        """Groups with ``grad_centralization``: gradients of rank > 1 whose axis 1 is a multiple of 16 lose their
        mean over every axis but the first."""
        if not self.is_group:
            return gradients
        out = []
        for flag, grad in zip(self.grad_centralization_flags, gradients):
            if flag and grad.ndim > 1 and grad.shape[1] % 16 == 0:
                grad = grad - grad.mean(axis=tuple(range(1, grad.ndim)), keep_dims=True)
            out.append(grad)
        return tuple(out)

    def scale_grad(self, gradients):
        """Gradients divided by the loss scale."""
        if not self.need_scale:
            return gradients
        return tuple(grad * self.reciprocal_scale.astype(grad.dtype) for grad in gradients)

    def _prepared_gradients(self, gradients, mapper="HyperMap"):
        """The steps every built-in optimizer takes: checks, weight decay, centralization, loss scale; the rate of
        this step; then the global step advances."""
        _check_gradients(gradients, self.param_length, mapper)
        gradients = self.scale_grad(self.gradients_centralization(self.decay_weight(gradients)))
        lr = self.get_lr()
        assign(self.global_step, self.global_step + self.global_step_increase_tensor)
        lrs = lr if self.is_group_lr else (lr,) * self.param_length
        return gradients, [x._data for x in lrs]

    def __call__(self, *args, **kwargs):
        if self.dynamic_lr and not jit.tracing_now((args, kwargs)):
            self._check_lr_steps()
        return super().__call__(*args, **kwargs)

    def _check_lr_steps(self):
        """A list rate past its end is Gather's RuntimeError in MindSpore; checked here while the global step is
        known (compiled code cannot raise: there the rate is NaN)."""
        schedules = self.learning_rate if self.is_group_lr else (self.learning_rate,)
        for schedule in schedules:
            if isinstance(schedule, _IteratorLearningRate):
                schedule.construct(self.global_step)

    def construct(self, *hyper_params):
        raise NotImplementedError


def _add_decay(param, decay, grad):
    """MindSpore adds the decay with AddN, which takes no mixed dtypes."""
    if param.dtype != grad.dtype:
        raise TypeError(f"For primitive[AddN], the input type must be same.\nname:[element_0]:Tensor[{param.dtype}]."
                        f"\nname:[element_1]:Tensor[{grad.dtype}].")
    return param * decay.astype(param.dtype) + grad


class _CompiledStep:
    """``construct`` of the built-in optimizers: compiled once per optimizer (MindSpore's is ``@jit``), run inline
    when something already traces (a jitted training step, GRAPH_MODE)."""

    def __init__(self, fn):
        self.fn = fn
        functools.update_wrapper(self, fn)

    def __get__(self, obj, objtype=None):
        return self if obj is None else functools.partial(self, obj)

    def __call__(self, optimizer, *args):
        compiled = optimizer.__dict__.get("_msjax_step")
        if compiled is None:
            compiled = jit.JitFunction(self.fn, name=f"{type(optimizer).__name__}.construct", convert=False,
                                       per_device=False)  # gradients are whole values, never batches
            object.__setattr__(optimizer, "_msjax_step", compiled)
        return compiled(optimizer, *args)


# --- update formulas (raw arrays; MindSpore's SGD, ApplyMomentum, Adam and AdamWeightDecay kernels) --------------

def _gradient(op, param, grad, *, shape_error=ValueError, allowed=None):
    """The gradient in the Parameter's dtype (SGD's: as it is), after the kernel's shape and dtype checks."""
    if tuple(grad.shape) != tuple(param.shape):
        raise shape_error(f"For primitive[{op}], the gradient shape must be equal to the variable shape "
                          f"{shape_list(param.shape)}, but got {shape_list(grad.shape)}.")
    if allowed is not None:
        # SGD's kernel takes any gradient dtype of its list, even float32 for a float16 Parameter
        if grad.dtype not in allowed:
            names = ", ".join(f"Tensor[{mstype.from_numpy_dtype(d)}]" for d in allowed)
            raise TypeError(f"For '{op}', the element of 'gradient' must be one of {names}, but got "
                            f"Tensor[{ms_dtype_name(grad)}].")
        return grad
    if jnp.promote_types(param.dtype, grad.dtype) != param.dtype and np.dtype(grad.dtype).kind == "f":
        raise TypeError(f"Data type conversion is not supported for a 'Parameter', nor for the input tensor of an "
                        f"in-place operator, the argument[variable]'s data type of primitive[{op}] is "
                        f"{ms_dtype_name(param)}, which cannot be converted to data type {ms_dtype_name(grad)} "
                        "automatically.")
    return grad.astype(param.dtype)


def _sgd(param, grad, lr, accum, momentum, stat, dampening, nesterov):
    """With momentum > 0: the first step (stat 1) takes accum = g, later ones momentum * accum + (1 - dampening) * g,
    and stat becomes 0; without momentum, accum and stat are left alone. Computed in float32 from the unrounded
    gradient, rounded once to half-precision state, as MindSpore's kernel does."""
    dtypes = param.dtype, accum.dtype
    dt = np.promote_types(param.dtype, np.float32)
    param, grad, accum = param.astype(dt), grad.astype(dt), accum.astype(dt)
    momentum, lr = momentum.astype(dt), lr.astype(dt)
    accum_new = jnp.where(stat > 0, grad, momentum * accum + (1 - dampening) * grad)
    step = grad + momentum * accum_new if nesterov else accum_new
    moving = momentum > 0
    step = jnp.where(moving, step, grad)
    return ((param - lr * step).astype(dtypes[0]), jnp.where(moving, accum_new, accum).astype(dtypes[1]),
            jnp.where(moving, jnp.zeros_like(stat), stat))


def _momentum(param, grad, lr, accum, momentum, nesterov):
    """Half-precision state is updated in float32 and rounded once, as MindSpore's kernel does."""
    dtypes = param.dtype, accum.dtype
    dt = np.promote_types(param.dtype, np.float32)
    param, grad, accum = param.astype(dt), grad.astype(dt), accum.astype(dt)
    momentum, lr = momentum.astype(dt), lr.astype(dt)
    accum = accum * momentum + grad
    if nesterov:
        param = param - (grad * lr + accum * momentum * lr)
    else:
        param = param - lr * accum
    return param.astype(dtypes[0]), accum.astype(dtypes[1])


def _adam(param, grad, lr, m, v, beta1_power, beta2_power, beta1, beta2, eps, nesterov, vhat=None):
    """Bias correction folded into the rate: lr * sqrt(1 - beta2^t) / (1 - beta1^t). Half-precision state is
    updated in float32 and rounded once, as MindSpore's kernel does."""
    states = (param, grad, m, v) if vhat is None else (param, grad, m, v, vhat)
    dtypes = [x.dtype for x in states]
    dt = np.promote_types(param.dtype, np.float32)
    param, grad, m, v, *rest = (x.astype(dt) for x in states)
    lr_t = (lr * jnp.sqrt(1 - beta2_power) / (1 - beta1_power)).astype(dt)
    beta1, beta2, eps = beta1.astype(dt), beta2.astype(dt), eps.astype(dt)
    m = m + (grad - m) * (1 - beta1)
    v = v + (grad * grad - v) * (1 - beta2)
    new = [param, m, v]
    if vhat is not None:
        new.append(jnp.maximum(rest[0], v))
    numerator = m * beta1 + (1 - beta1) * grad if nesterov else m
    new[0] = param - lr_t * numerator / (jnp.sqrt(new[-1] if vhat is not None else v) + eps)
    return [x.astype(d) for x, d in zip(new, dtypes[:1] + dtypes[2:])]


def _adam_weight_decay(param, grad, lr, m, v, beta1, beta2, eps, weight_decay):
    """No bias correction; the decay is added to the update: p -= lr * (m / (sqrt(v) + eps) + wd * p).
    MindSpore's kernel works in the Parameter's dtype, rounding after every operation; XLA would fuse half-precision
    chains in float32, so `r` rounds explicitly."""
    dt = param.dtype
    r = _rounding_to(dt)
    lr, beta1, beta2, eps, weight_decay = (r(x.astype(jnp.float32)) for x in (lr, beta1, beta2, eps, weight_decay))
    param, grad, m, v = (x.astype(np.promote_types(dt, np.float32)) for x in (param, grad, m, v))
    m = r(m + r(r(grad - m) * r(1 - beta1)))
    v = r(v + r(r(r(grad * grad) - v) * r(1 - beta2)))
    update = r(r(m / r(r(jnp.sqrt(v)) + eps)) + r(weight_decay * param))
    return [x.astype(dt) for x in (r(param - r(lr * update)), m, v)]


def _rounding_to(dt):
    """Rounds a wider float to ``dt``'s precision (identity for float32/float64). XLA keeps `lax.reduce_precision`
    (a round trip through ``dt`` may be dropped as excess precision) but it flushes subnormals, which MindSpore's
    half-precision values keep: those are rounded on the subnormal grid."""
    info = jnp.finfo(dt)
    if info.bits >= 32:
        return lambda x: x
    quantum, tiny = float(info.smallest_subnormal), float(info.tiny)

    def rounded(x):
        subnormal = jnp.round(x / quantum) * quantum
        return jnp.where(jnp.abs(x) < tiny, subnormal,
                         jax.lax.reduce_precision(x, exponent_bits=info.nexp, mantissa_bits=info.nmant))
    return rounded


def _assign_all(params, values):
    for param, value in zip(params, values):
        assign(param, Tensor._from_raw(value))


# --- the optimizers ----------------------------------------------------------------------------------------------

def _as_float(who, name, value):
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, float):
        raise TypeError(f"For '{who}', the argument '{name}' must be float type, but got {type(value)}.")
    if value < 0.0:
        # MindSpore words its two SGD checks differently
        got = f"'{name}' {value}" if name == "dampening" else f"{value}."
        raise ValueError(f"For '{who}', the argument '{name}' must be at least 0.0, but got {got}")
    return value


class SGD(Optimizer):
    """``nn.SGD(params, learning_rate=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
    loss_scale=1.0)``; state ``momentum``, ``accum.<name>`` (zeros) and ``stat.<name>`` (ones: first step)."""

    def __init__(self, params, learning_rate=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
                 loss_scale=1.0):
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        momentum = _as_float("SGD", "momentum", momentum)
        self.dampening = _as_float("SGD", "dampening", dampening)
        _check_bool(self.cls_name, "nesterov", nesterov)
        if nesterov and (momentum <= 0.0 or dampening != 0.0):
            raise ValueError(f"For 'SGD', if 'nesterov' is true, 'momentum' must be > 0.0 and 'dampening' must equal "
                             f"to 0.0, but got 'momentum' {momentum}, 'dampening' {dampening}.")
        self.nesterov = nesterov
        if self.dynamic_weight_decay:
            raise TypeError("For 'SGD', dynamic weight decay is currently not supported, the argument "
                            "'weight_decay' or 'weight_decay' set in grouped 'params' must be float or int type.")
        self.momentum = Parameter(Tensor(momentum, mstype.float32), name="momentum")
        self.accum = self._parameters.clone(prefix="accum", init="zeros")
        self.stat = self._parameters.clone(prefix="stat", init="ones")

    @_CompiledStep
    def construct(self, gradients):
        gradients, lrs = self._prepared_gradients(gradients)
        momentum = self.momentum._data
        for param, grad, lr, accum, stat in zip(self._parameters, gradients, lrs, self.accum, self.stat):
            grad = _gradient("SGD", param._data, grad._data, shape_error=RuntimeError,
                             allowed=(np.dtype(np.float16), np.dtype(np.float32)))
            _assign_all((param, accum, stat), _sgd(param._data, grad, lr, accum._data, momentum, stat._data,
                                                   self.dampening, self.nesterov))
        return (True,) * self.param_length


class Momentum(Optimizer):
    """``nn.Momentum(params, learning_rate, momentum, weight_decay=0.0, loss_scale=1.0, use_nesterov=False)``:
    v = momentum * v + g; p -= lr * v (Nesterov: p -= lr * (g + momentum * v)); state ``moments.<name>``."""

    def __init__(self, params, learning_rate, momentum, weight_decay=0.0, loss_scale=1.0, use_nesterov=False):
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        if not isinstance(momentum, float):
            raise TypeError(f"For '{self.cls_name}', the type of 'momentum' should be 'float', but got "
                            f"'{type(momentum).__name__}'.")
        if momentum < 0.0:
            raise ValueError(f"For 'Momentum', the argument 'momentum' must be at least 0.0, but got {momentum}")
        self.momentum = Parameter(Tensor(momentum, mstype.float32), name="momentum")
        self.params = self._parameters
        self.use_nesterov = _check_bool(self.cls_name, "use_nesterov", use_nesterov)
        self.moments = self.params.clone(prefix="moments", init="zeros")

    @_CompiledStep
    def construct(self, gradients):
        gradients, lrs = self._prepared_gradients(gradients)
        momentum = self.momentum._data
        for param, grad, lr, moment in zip(self._parameters, gradients, lrs, self.moments):
            grad = _gradient("ApplyMomentum", param._data, grad._data)
            _assign_all((param, moment), _momentum(param._data, grad, lr, moment._data, momentum, self.use_nesterov))
        return (True,) * self.param_length


def _check_betas(who, beta1, beta2, eps):
    for name, value in (("beta1", beta1), ("beta2", beta2), ("eps", eps)):
        if not isinstance(value, float):
            raise TypeError(f"For '{who}', the type of '{name}' should be 'float', but got type "
                            f"'{type(value).__name__}'.")
    for name, value in (("beta1", beta1), ("beta2", beta2)):
        if not 0.0 < value < 1.0:
            raise ValueError(f"For '{who}', the '{name}' must be in range of (0.0, 1.0), but got {value} with type "
                             "'float'.")
    if eps <= 0:
        raise ValueError(f"For '{who}', the 'eps' must be float and must > 0, but got '{eps}' with type 'float'.")


class Adam(Optimizer):
    """``nn.Adam(params, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, use_locking=False,
    use_nesterov=False, weight_decay=0.0, loss_scale=1.0, use_amsgrad=False, use_lazy=False, use_offload=False)``;
    state ``beta1_power``, ``beta2_power``, ``moment1.<name>``, ``moment2.<name>`` (and ``vhat.<name>`` with
    amsgrad). With dense gradients the lazy and offload variants compute the same update."""

    def __init__(self, params, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, use_locking=False,
                 use_nesterov=False, weight_decay=0.0, loss_scale=1.0, use_amsgrad=False, **kwargs):
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        if set(kwargs) - {"use_lazy", "use_offload"}:
            raise KeyError(f"For 'Adam', invalid keys are passed as kwargs, supported keys are 'use_lazy' "
                           f"and'use_offload', but got {kwargs.keys()}.")
        use_lazy, use_offload = kwargs.get("use_lazy", False), kwargs.get("use_offload", False)
        _check_betas(self.cls_name, beta1, beta2, eps)
        for name, value in (("use_locking", use_locking), ("use_nesterov", use_nesterov), ("use_amsgrad", use_amsgrad),
                            ("use_lazy", use_lazy), ("use_offload", use_offload)):
            _check_bool(self.cls_name, name, value)
        if use_lazy and use_offload:
            raise ValueError(f"For 'Adam', 'use_lazy' and 'use_offload' can not both be True.But got "
                             f"use_lazy={use_lazy}, use_offload={use_offload}.")
        if use_amsgrad and (use_lazy or use_offload):
            raise ValueError(f"For lazy Adam and Adam with offload, there is no parameter named 'use_amsgrad'.but "
                             f"got 'use_amsgrad'={use_amsgrad}.")
        self.beta1 = Tensor(beta1, mstype.float32)
        self.beta2 = Tensor(beta2, mstype.float32)
        self.beta1_power = Parameter(Tensor(1.0, mstype.float32), name="beta1_power")
        self.beta2_power = Parameter(Tensor(1.0, mstype.float32), name="beta2_power")
        self.eps = Tensor(eps, mstype.float32)
        self.use_nesterov, self.use_locking, self.use_amsgrad = use_nesterov, use_locking, use_amsgrad
        self.use_lazy, self.use_offload = use_lazy, use_offload
        self.moment1 = self._parameters.clone(prefix="moment1", init="zeros")
        self.moment2 = self._parameters.clone(prefix="moment2", init="zeros")
        if use_amsgrad:
            self.vhat = self._parameters.clone(prefix="vhat", init="zeros")

    @_CompiledStep
    def construct(self, gradients):
        gradients, lrs = self._prepared_gradients(gradients, mapper="Map")
        beta1_power = assign(self.beta1_power, self.beta1_power * self.beta1)._data
        beta2_power = assign(self.beta2_power, self.beta2_power * self.beta2)._data
        vhats = self.vhat if self.use_amsgrad else (None,) * self.param_length
        for param, grad, lr, m, v, vhat in zip(self._parameters, gradients, lrs, self.moment1, self.moment2, vhats):
            grad = _gradient("Adam", param._data, grad._data)
            # amsgrad's kernel (ApplyAdamWithAmsgradV2) has no Nesterov form: use_nesterov is ignored there
            new = _adam(param._data, grad, lr, m._data, v._data, beta1_power, beta2_power, self.beta1._data,
                        self.beta2._data, self.eps._data, self.use_nesterov and not self.use_amsgrad,
                        None if vhat is None else vhat._data)
            _assign_all((param, m, v, vhat), new)
        return (True,) * self.param_length


class AdamWeightDecay(Optimizer):
    """``nn.AdamWeightDecay(params, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-6, weight_decay=0.0)``:
    Adam without bias correction, with decoupled weight decay; state ``adam_m.<name>``, ``adam_v.<name>``."""

    def __init__(self, params, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-6, weight_decay=0.0):
        super().__init__(learning_rate, params, weight_decay)
        _check_betas(self.cls_name, beta1, beta2, eps)
        self.beta1 = Tensor(np.array([beta1]).astype(np.float32))
        self.beta2 = Tensor(np.array([beta2]).astype(np.float32))
        self.eps = Tensor(np.array([eps]).astype(np.float32))
        self.moments1 = self._parameters.clone(prefix="adam_m", init="zeros")
        self.moments2 = self._parameters.clone(prefix="adam_v", init="zeros")

    @_CompiledStep
    def construct(self, gradients):
        _check_gradients(gradients, self.param_length)
        decays = self.get_weight_decay()
        if not self.is_group:
            decays = (decays,) * self.param_length
        lr = self.get_lr()
        assign(self.global_step, self.global_step + self.global_step_increase_tensor)
        lrs = lr if self.is_group_lr else (lr,) * self.param_length
        beta1, beta2, eps = (x._data.reshape(()) for x in (self.beta1, self.beta2, self.eps))
        zero = jnp.zeros((), np.float32)
        for param, grad, lr, decay, flag, m, v in zip(self._parameters, gradients, lrs, decays, self.decay_flags,
                                                      self.moments1, self.moments2):
            grad = grad._data
            if tuple(grad.shape) != tuple(param.shape):
                raise ValueError(f"For primitive[AdamWeightDecay], the var_shape: {shape_list(param.shape)} must be "
                                 f"equal to {shape_list(grad.shape)}")
            new = _adam_weight_decay(param._data, grad.astype(param._data.dtype), lr._data, m._data, v._data, beta1,
                                     beta2, eps, decay._data if flag else zero)
            _assign_all((param, m, v), new)
        return (True,) * self.param_length
