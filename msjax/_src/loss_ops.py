"""The loss ops: ``ops.SoftmaxCrossEntropyWithLogits``, ``ops.SparseSoftmaxCrossEntropyWithLogits``,
``ops.BCEWithLogitsLoss``, ``ops.SmoothL1Loss``, ``ops.BinaryCrossEntropy``, ``ops.KLDivLoss`` and the functional
losses ``ops.mse_loss``, ``ops.l1_loss``, ``ops.cross_entropy``, ``ops.nll_loss``,
``ops.binary_cross_entropy_with_logits``, ``ops.smooth_l1_loss``, ``ops.binary_cross_entropy``, ``ops.kl_div``,
``ops.huber_loss``, ``ops.cosine_embedding_loss``, ``ops.margin_ranking_loss`` (the loss Cells of `losses.py` call
these). Huber, cosine embedding and margin ranking are composed of ops, as in MindSpore, so their dtypes follow its
promotion rules.

MindSpore composes cross entropy and NLL from GatherD, masked_fill and sums; msjax runs each as one op with the same
formula. Half-precision inputs are computed in float32 and rounded once, which is what MindSpore's CPU kernels give.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from . import array_ops as A
from . import dtype as mstype
from . import math_ops as M
from .primitive import Primitive
from .tensor import Tensor, concrete_value
from .validation import check_broadcast, is_float, ms_dtype_name, promote, shape_list

_REDUCTIONS = ("mean", "sum", "none")
_sg = jax.lax.stop_gradient


def check_reduction(who, reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"For '{who}', the 'reduction' must be in ['mean', 'sum', 'none'], but got {reduction}.")


def check_is_tensor(param_name, value, who):
    if value is not None and not isinstance(value, Tensor):
        raise TypeError(f"For '{who}', the '{param_name}' must be 'Tensor', but got '{type(value).__name__}'.")


def _widened(x):
    """Half precision computes in float32 (rounded once at the end, as MindSpore's CPU kernels do)."""
    return x.astype(np.float32) if x.dtype in (np.float16, jnp.bfloat16) else x


# --- reductions, MSE, L1 ---------------------------------------------------------------------------------------

cast, mul, reduce_mean, reduce_sum, square = M.Cast(), M.Mul(), M.ReduceMean(), M.ReduceSum(), M.Square()
_abs = M.Abs()


def get_loss(x, reduction, weights=1.0):
    """Weighted in float32, reduced over every axis, cast back to ``x``'s dtype (integers truncate)."""
    input_dtype = x.dtype
    x = mul(cast(weights, mstype.float32), cast(x, mstype.float32))
    if reduction == "mean":
        x = reduce_mean(x, tuple(range(x.ndim)))
    elif reduction == "sum":
        x = reduce_sum(x, tuple(range(x.ndim)))
    return cast(x, input_dtype)


def l1_loss(input, target, reduction="mean"):
    check_is_tensor("input", input, "l1_loss")
    check_is_tensor("target", target, "l1_loss")
    if reduction not in _REDUCTIONS:
        raise ValueError(f"For l1_loss, the 'reduction' must be in ['mean', 'sum', 'none'], but got {reduction}.")
    return get_loss(_abs(input - target), reduction)


def mse_loss(input, target, reduction="mean"):
    """Unlike `MSELoss`, an integer input gives a Float32 loss (not cast back)."""
    if not isinstance(input, Tensor):
        raise TypeError("For ops.mse_loss, the `input` must be tensor")
    if not isinstance(target, Tensor):
        raise TypeError("For ops.mse_loss, the `target` must be tensor")
    if reduction not in _REDUCTIONS:
        raise ValueError("For ops.mse_loss, `reduction` value should be either 'mean', 'none' or 'sum'.")
    x = square(input - target)
    out = get_loss(cast(x, mstype.float32), reduction)
    return cast(out, x.dtype) if x.dtype in (mstype.float16, mstype.float32, mstype.float64) else out


# --- softmax cross entropy -----------------------------------------------------------------------------------

def _check_logits_2d(op, logits, labels=None):
    if logits.ndim != 2:
        raise ValueError(f"For primitive[{op}], the dimension of 'logits' must be equal to 2, but got "
                         f"{logits.ndim}.")
    if labels is not None and tuple(labels.shape) != tuple(logits.shape):
        raise ValueError(f"For '{op}', evaluator arg 'label' shape must be consistent with 'logits' shape, but got "
                         f"'label' shape: {tuple(labels.shape)}, 'logits' shape: {tuple(logits.shape)}.")


def _check_half_or_float(op, name, x):
    if x.dtype not in (np.float16, np.float32):
        raise TypeError(f"For primitive[{op}], the input argument[{name}] must be a type of {{Tensor[Float16], "
                        f"Tensor[Float32]}}, but got Tensor[{ms_dtype_name(x)}].")


def _softmax_xent(logits, labels):
    """Per-row -sum(labels * log_softmax(logits)), whose gradient is MindSpore's: softmax - labels for the logits
    (whatever the labels sum to) and nothing for the labels."""
    log_probs = jax.nn.log_softmax(logits, axis=-1)
    loss = -jnp.sum(_sg(labels) * log_probs, axis=-1)
    backprop = _sg(jnp.exp(log_probs) - labels)
    surrogate = jnp.sum((logits - _sg(logits)) * backprop, axis=-1)
    return _sg(loss) + surrogate, backprop


class SoftmaxCrossEntropyWithLogits(Primitive):
    """``ops.SoftmaxCrossEntropyWithLogits()(logits, labels)`` -> (loss (N,), backprop (N, C))."""
    compile_eagerly = True
    inputs = ("logits: Tensor", "labels: Tensor")

    def kernel(self, logits, labels):
        _check_half_or_float(self.name, "logits", logits)
        if labels.dtype != logits.dtype:
            raise TypeError(f"For primitive[{self.name}], the input type must be same.\n"
                            f"name:[label_type]:Tensor[{ms_dtype_name(labels)}].\n"
                            f"name:[logits_type]:Tensor[{ms_dtype_name(logits)}].")
        _check_logits_2d(self.name, logits, labels)
        loss, backprop = _softmax_xent(_widened(logits), _widened(labels))
        return loss.astype(logits.dtype), backprop.astype(logits.dtype)


class SparseSoftmaxCrossEntropyWithLogits(Primitive):
    """``ops.SparseSoftmaxCrossEntropyWithLogits(is_grad=False)(logits, labels)``: the mean loss over the rows
    (every axis but the last of ``logits``; ``labels`` has their shape)."""
    inputs = ("logits: Tensor", "labels: Tensor")
    attrs = {"is_grad": False}

    def kernel(self, logits, labels):
        _check_half_or_float(self.name, "features", logits)
        if labels.dtype not in (np.int32, np.int64):
            raise TypeError(f"For primitive[{self.name}], the input argument[labels] must be a type of "
                            f"{{Tensor[Int32], Tensor[Int64]}}, but got Tensor[{ms_dtype_name(labels)}].")
        if logits.ndim < 1 or tuple(labels.shape) != tuple(logits.shape[:-1]):
            raise ValueError(f"For primitive[{self.name}], the shape of 'labels' must be equal to the shape of "
                             f"'logits' without its last dimension, but got 'logits' {shape_list(logits.shape)} "
                             f"and 'labels' {shape_list(labels.shape)}.")
        classes = logits.shape[-1]
        hot = jax.nn.one_hot(labels.reshape(-1), classes, dtype=np.float32)
        loss, _ = _softmax_xent(_widened(logits).reshape(-1, classes), hot)
        return jnp.mean(loss).astype(logits.dtype)


# --- cross entropy and NLL -----------------------------------------------------------------------------------

def _gather_classes(x, target, class_dim):
    return jnp.take_along_axis(x, jnp.expand_dims(target, class_dim), axis=class_dim).squeeze(class_dim)


def _class_shape(ndim, class_dim, classes):
    shape = [1] * ndim
    shape[class_dim] = classes
    return shape


def _nll(log_probs, target, weight, ignore_index, reduction, label_smoothing):
    """MindSpore's nll_loss on (N, C, ...) / (C,) log-probabilities and integer targets. With label smoothing the
    loss is (1 - s) * nll + s / C * (the weighted sum of -log_probs over the classes)."""
    class_dim = 0 if log_probs.ndim == 1 else 1
    classes = log_probs.shape[class_dim]
    ignored = target == ignore_index
    safe = jnp.where(ignored, 0, target)
    weighted = log_probs
    if weight is not None:
        weighted = log_probs * weight.reshape(_class_shape(log_probs.ndim, class_dim, classes))
        loss_weights = jnp.take(weight, safe)
    else:
        loss_weights = jnp.ones(safe.shape, log_probs.dtype)
    zero = jnp.zeros((), log_probs.dtype)
    loss = jnp.where(ignored, zero, -_gather_classes(weighted, safe, class_dim))
    smooth = jnp.where(ignored, zero, -jnp.sum(weighted, axis=class_dim))
    loss_weights = jnp.where(ignored, zero, loss_weights)
    if reduction == "sum":
        loss, smooth = jnp.sum(loss), jnp.sum(smooth)
    elif reduction == "mean":
        total = jnp.sum(loss_weights)
        loss, smooth = jnp.sum(loss) / total, jnp.sum(smooth) / total
    return (1.0 - label_smoothing) * loss + (label_smoothing / classes) * smooth


def _known(x):
    """The numpy values of a raw array, or None while they are being compiled."""
    if isinstance(x, jax.core.Tracer) and x.to_concrete_value() is None:
        return None
    return concrete_value(x)


def _check_nll_indices(logits, labels, weight, ignore_index, class_dim):
    """MindSpore's errors, in its order: Gather of the weight by the labels, the weight's Mul with the logits, GatherD
    of the logits (out-of-range labels are checked when their values are known; ignored labels count as 0)."""
    classes = logits.shape[class_dim]
    known = _known(labels)
    index = None if known is None else known[known != ignore_index]
    if weight is not None:
        size = weight.shape[0] if weight.ndim else 1
        bad = [] if index is None else index[(index >= size) | (index < -size)]
        if len(bad):
            raise RuntimeError(f"For 'Gather', the 'input_indices' should be in the range [0, {size}), but got "
                               f"{int(bad[0])}, error_code[58]")
        rows = int(np.prod(logits.shape)) // classes
        check_broadcast("Mul", (classes,) if logits.ndim == 1 else (rows, classes), weight.shape,
                        ("input1", "input2"))
    bad = [] if index is None else index[(index >= classes) | (index < -classes)]
    if len(bad):
        raise RuntimeError(f"For 'GatherD', the value of 'index' must be in [{-classes}, {classes}), but got: "
                           f"{int(bad[0])}")


def _log_softmax(x, class_dim):
    return x - jax.scipy.special.logsumexp(x, axis=class_dim, keepdims=True)


def _soft_cross_entropy(log_probs, target, weight, reduction, label_smoothing):
    class_dim = 0 if log_probs.ndim == 1 else 1
    classes = log_probs.shape[class_dim]
    if label_smoothing > 0.0:
        target = target * (1 - label_smoothing) + label_smoothing / classes
    if weight is not None and log_probs.ndim != 1:
        weight = weight.reshape(_class_shape(log_probs.ndim, class_dim, classes))
    terms = log_probs * target if weight is None else log_probs * target * weight
    if reduction == "mean":
        return -jnp.sum(terms) / (log_probs.size / classes)
    if reduction == "sum":
        return -jnp.sum(terms)
    return -jnp.sum(terms, axis=class_dim)


class _NLLLoss(Primitive):
    """nll_loss as one op (MindSpore composes it from GatherD, masked_fill and sums)."""
    inputs = ("logits: Tensor", "labels: Tensor", "weight: Tensor|None")
    attrs = {"ignore_index": -100, "reduction": "mean", "label_smoothing": 0.0, "log_softmax_first": False}

    def kernel(self, logits, labels, weight=None):
        if np.dtype(labels.dtype).kind not in "iu":
            raise TypeError(f"For 'GatherD', the 'index' must be an integer Tensor, but got "
                            f"Tensor[{ms_dtype_name(labels)}].")
        class_dim = 0 if logits.ndim == 1 else 1
        expected = tuple(logits.shape[:class_dim]) + tuple(logits.shape[class_dim + 1:])
        if tuple(labels.shape) != expected:
            raise ValueError(f"For 'nll_loss', the shape of 'labels' must be {shape_list(expected)} for 'logits' of "
                             f"shape {shape_list(logits.shape)}, but got {shape_list(labels.shape)}.")
        _check_nll_indices(logits, labels, weight, self.ignore_index, class_dim)
        x = logits  # nll_loss is composed of half-precision ops in MindSpore: its sums round to Float16
        if self.log_softmax_first:
            x = _log_softmax(_widened(logits), class_dim)
        w = None if weight is None else weight.astype(x.dtype)
        out = _nll(x, labels, w, self.ignore_index, self.reduction, self.label_smoothing)
        return out.astype(logits.dtype)


class _SoftCrossEntropy(Primitive):
    """Cross entropy against class probabilities, as one op."""
    inputs = ("logits: Tensor", "labels: Tensor", "weight: Tensor|None")
    attrs = {"reduction": "mean", "label_smoothing": 0.0}

    def kernel(self, logits, labels, weight=None):
        if tuple(labels.shape) != tuple(logits.shape):
            raise ValueError(f"For 'cross_entropy', the shape of 'logits' and 'labels' must be equal, but got "
                             f"{shape_list(logits.shape)} and {shape_list(labels.shape)}.")
        if weight is not None:
            class_shape = weight.shape if logits.ndim == 1 else _class_shape(logits.ndim, 1, weight.size)
            check_broadcast("Mul", logits.shape, class_shape, ("input1", "input2"))
        dtype = jnp.promote_types(logits.dtype, labels.dtype)
        x = _widened(logits)
        log_probs = _log_softmax(x, 0 if x.ndim == 1 else 1)
        w = None if weight is None else weight.astype(x.dtype)
        out = _soft_cross_entropy(log_probs, labels.astype(x.dtype), w, self.reduction, self.label_smoothing)
        return out.astype(dtype)


def _check_cross_entropy_args(input, target, weight, ignore_index, reduction, label_smoothing):
    for name, value in (("input", input), ("target", target), ("weight", weight)):
        check_is_tensor(name, value, "cross_entropy_loss")
    if not isinstance(ignore_index, int) or isinstance(ignore_index, bool):
        raise TypeError(f"For 'cross_entropy_loss', the 'ignore_index' must be int, but got "
                        f"{type(ignore_index).__name__}.")
    if not isinstance(label_smoothing, float):
        raise TypeError(f"For 'cross_entropy_loss', the 'label_smoothing' must be float, but got "
                        f"{type(label_smoothing).__name__}.")
    if label_smoothing < 0:
        raise ValueError(f"For 'cross_entropy_loss', the 'label_smoothing' must be non-negative, but got "
                         f"{label_smoothing}.")
    if reduction not in _REDUCTIONS:
        raise ValueError(f"For 'cross_entropy_loss', the 'reduction' must be in ['none', 'mean', 'sum'], but got "
                         f"{reduction}.")
    if input.dtype not in (mstype.float64, mstype.float32, mstype.float16):
        raise TypeError(f"For cross_entropy, the input dtype should be mstype.float64, mstype.float32 "
                        f"ormstype.float16, but got dtype:{input.dtype}.")


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """Float targets are class probabilities; integer targets class indices (Int32 or Int64 here)."""
    _check_cross_entropy_args(input, target, weight, ignore_index, reduction, label_smoothing)
    if target.dtype in (mstype.float32, mstype.float16):
        return _SoftCrossEntropy(reduction, label_smoothing)(input, target, weight)
    return _NLLLoss(ignore_index, reduction, label_smoothing, True)(input, target, weight)


def nll_loss(inputs, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """``inputs`` are log-probabilities (N, C, ...) or (C,)."""
    return _NLLLoss(ignore_index, reduction, label_smoothing)(inputs, target, weight)


# --- binary cross entropy with logits ------------------------------------------------------------------------

class BCEWithLogitsLoss(Primitive):
    """``ops.BCEWithLogitsLoss(reduction='mean')(logits, label, weight, pos_weight)``; the result has the label's
    dtype. With p = pos_weight: (1 - y) x + (1 + (p - 1) y) (log(1 + e^-|x|) + max(-x, 0)), times weight."""
    compile_eagerly = True
    inputs = ("logits: Tensor", "label: Tensor", "weight: Tensor|None", "pos_weight: Tensor|None")
    attrs = {"reduction": "mean"}

    def kernel(self, logits, label, weight=None, pos_weight=None):
        check_reduction(self.name, self.reduction)
        for name, value in (("input", logits), ("target", label), ("weight", weight), ("pos_weight", pos_weight)):
            if value is not None and value.dtype not in (np.float16, np.float32):
                raise TypeError(f"For primitive[{self.name}], the input argument[{name}] must be a type of "
                                f"{{Tensor[Float16], Tensor[Float32]}}, but got Tensor[{ms_dtype_name(value)}].")
        if tuple(logits.shape) != tuple(label.shape):
            raise ValueError(f"For '{self.name}', two inputs 'input' and 'target' shape are not equal, 'input' "
                             f"shape: {shape_list(logits.shape)}, 'target' shape: {shape_list(label.shape)}")
        for name, value in (("weight", weight), ("pos_weight", pos_weight)):
            if value is not None and not _broadcasts_to(value.shape, logits.shape):
                raise ValueError(f"For '{self.name}', the shape of '{name}' can not broadcast to the shape of "
                                 "'input'.")
        x, y = logits.astype(np.float32), label.astype(np.float32)
        softplus_neg = jnp.log1p(jnp.exp(-jnp.abs(x))) + jnp.maximum(-x, 0.0)
        if pos_weight is None:
            loss = (1.0 - y) * x + softplus_neg
        else:
            loss = (1.0 - y) * x + (1.0 + (pos_weight.astype(np.float32) - 1.0) * y) * softplus_neg
        if weight is not None:
            loss = loss * weight.astype(np.float32)
        return _reduce(loss, self.reduction).astype(label.dtype)


def _broadcasts_to(shape, target):
    try:
        return np.broadcast_shapes(tuple(shape), tuple(target)) == tuple(target)
    except ValueError:
        return False


def _reduce(x, reduction):
    if reduction == "mean":
        return jnp.mean(x)
    if reduction == "sum":
        return jnp.sum(x)
    return x


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction="mean"):
    return BCEWithLogitsLoss(reduction)(input, target, weight, pos_weight)


# --- smooth L1, binary cross entropy, KL divergence (MindSpore primitives) ------------------------------------------

def _shape_text(shape):
    return "[" + "".join(f"{d}," for d in shape) + "]"


def _check_same_shape(op, what, x, y):
    if tuple(x.shape) != tuple(y.shape):
        raise ValueError(f"For primitive[{op}], the {what}: {_shape_text(x.shape)} must be equal to "
                         f"{_shape_text(y.shape)}")


def _reduce_in(x, reduction, dtype):
    """Reduced in ``x``'s (float32 or wider) precision, rounded once to ``dtype``."""
    return _reduce(x, reduction).astype(dtype)


class SmoothL1Loss(Primitive):
    """``ops.SmoothL1Loss(beta=1.0, reduction='none')(prediction, target)``: 0.5 d² / beta where |d| < beta, else
    |d| - 0.5 beta. Float operands are promoted (Float16 computes in float32); CPU has no integer kernel."""
    compile_eagerly = True
    inputs = ("prediction: Tensor", "target: Tensor")
    attrs = {"beta": 1.0, "reduction": "none"}

    def __init__(self, beta=1.0, reduction="none"):
        if not isinstance(beta, (bool, int, float)):
            raise TypeError(f"For 'SmoothL1Loss', the type of 'beta' should be one of '[bool, int, float]', but got "
                            f"{type(beta)}.")
        if reduction not in _REDUCTIONS:
            raise ValueError(f"Failed to convert the value \"{reduction}\" of input 'reduction' of 'SmoothL1Loss' to "
                             "enum.")
        super().__init__(beta, reduction)

    def kernel(self, prediction, target):
        if not (is_float(prediction) and is_float(target)):
            names = f"{ms_dtype_name(prediction)}, {ms_dtype_name(target)}"
            raise TypeError("Select CPU operator[SmoothL1Loss] fail! Unsupported data type!\nThe supported data types "
                            "are input[Float32 Float32 Float32 Int64], output[Float32];input[Float64 Float64 Float32 "
                            f"Int64], output[Float64];,\n but get input[[const vector]{{{names}, Float32, Int64}}].")
        _check_same_shape(self.name, "prediction_shape", prediction, target)
        if self.beta <= 0:
            raise RuntimeError(f"For 'SmoothL1Loss', the values for beta should greater than 0, but got "
                               f"{self.beta:g}.")
        (prediction, target), dtype = promote(prediction, target)
        diff = _widened(prediction) - _widened(target)
        distance = jnp.abs(diff)
        loss = jnp.where(distance < self.beta, 0.5 * diff * diff / self.beta, distance - 0.5 * self.beta)
        return _reduce_in(loss, self.reduction, dtype)


class BinaryCrossEntropy(Primitive):
    """``ops.BinaryCrossEntropy(reduction='mean')(input, target, weight=None)`` on probabilities: -w (y log p +
    (1 - y) log(1 - p)), each log clamped at log(1e-12) as MindSpore's kernels do."""
    compile_eagerly = True
    inputs = ("input: Tensor", "target: Tensor", "weight: Tensor|None")
    attrs = {"reduction": "mean"}

    def __init__(self, reduction="mean"):
        if reduction not in _REDUCTIONS:
            raise ValueError(f"Failed to convert the value \"{reduction}\" of input 'reduction' of "
                             "'BinaryCrossEntropy' to enum.")
        super().__init__(reduction)

    def kernel(self, input, target, weight=None):
        # (sic: MindSpore's dtype messages spell the op 'BinaryCrossEntorpy')
        if input.dtype not in (np.float16, np.float32, jnp.bfloat16):
            raise TypeError(f"For Primitive[BinaryCrossEntorpy], the type of the input must be [Float16, Float32, "
                            f"BFloat16], but got {ms_dtype_name(input)}!")
        for name, value in (("target", target), ("weight", weight)):
            if value is not None and value.dtype != input.dtype:
                raise TypeError(f"For primitive[BinaryCrossEntorpy], the input and {name} should have same type, but "
                                f"got: {ms_dtype_name(input)} and {ms_dtype_name(value)}.")
        _check_same_shape(self.name, "input_shape", input, target)
        if weight is not None and not _broadcasts_to(weight.shape, input.shape):
            raise ValueError(f"For '{self.name}', the shape of 'weight' can not broadcast to the shape of 'input'.")
        p, y = _widened(input), _widened(target)
        eps = 1e-12
        loss = -(y * jnp.log(jnp.maximum(p, eps)) + (1.0 - y) * jnp.log(jnp.maximum(1.0 - p, eps)))
        if weight is not None:
            loss = loss * _widened(weight)
        return _reduce_in(loss, self.reduction, input.dtype)


_KL_REDUCTIONS = ("none", "mean", "batchmean", "sum")


def _kl_reduction_error(who, reduction):
    return ValueError(f"For '{who}', the 'reduction' must be str and must be in '{list(_KL_REDUCTIONS)}', but got "
                      f"'{reduction}'.")


class KLDivLoss(Primitive):
    """``ops.KLDivLoss(reduction='mean')(logits, labels)``: labels * (log(labels) - logits) where labels > 0 (else
    0), on log-probability ``logits``. The labels get no gradient (as in MindSpore)."""
    compile_eagerly = True
    inputs = ("logits: Tensor", "labels: Tensor")
    attrs = {"reduction": "mean"}

    def __init__(self, reduction="mean"):
        if reduction not in _KL_REDUCTIONS:
            raise _kl_reduction_error("KLDivLoss", reduction)
        super().__init__(reduction)

    def kernel(self, logits, labels):
        if logits.dtype not in (np.float16, np.float32, np.float64):
            raise TypeError(f"For primitive[{self.name}], the input argument[x] must be a type of {{Tensor[Float16], "
                            f"Tensor[Float32], Tensor[Float64]}}, but got Tensor[{ms_dtype_name(logits)}].")
        if labels.dtype != logits.dtype:
            raise TypeError(f"For primitive[{self.name}], the input type must be same.\nname:[target]:"
                            f"Tensor[{ms_dtype_name(labels)}].\nname:[x]:Tensor[{ms_dtype_name(logits)}].")
        _check_same_shape(self.name, "x shape", logits, labels)
        x, t = _widened(logits), _sg(_widened(labels))
        positive = t > 0
        loss = jnp.where(positive, t * (jnp.log(jnp.where(positive, t, jnp.ones_like(t))) - x), jnp.zeros_like(x))
        if self.reduction == "none":
            return loss.astype(logits.dtype)
        total = jnp.sum(loss).astype(logits.dtype)
        if self.reduction == "sum":
            return total
        count = logits.shape[0] if self.reduction == "batchmean" else logits.size
        return total / np.asarray(count, logits.dtype)  # divided in the input's dtype, as MindSpore's Div


def smooth_l1_loss(input, target, beta=1.0, reduction="none"):
    if beta == 0.0:
        # MindSpore dispatches beta 0 to L1LossExt, which its CPU backend lacks
        raise RuntimeError("The kernel L1LossExt unregistered.")
    return SmoothL1Loss(beta, reduction)(input, target)


def binary_cross_entropy(logits, labels, weight=None, reduction="mean"):
    return BinaryCrossEntropy(reduction)(logits, labels, weight)


def kl_div(logits, labels, reduction="mean"):
    if not isinstance(reduction, str):
        raise _kl_reduction_error("kl_div", reduction)
    return KLDivLoss(reduction)(logits, labels)


# --- losses composed of ops: Huber, cosine embedding, margin ranking ----------------------------------------------

_less, _maximum, _select, _sqrt = M.Less(), M.Maximum(), A.Select(), M.Sqrt()
_zeros_like = A.ZerosLike()


def _check_get_loss_reduction(who, reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"For '{who}', the 'reduction' must be in ['mean', 'sum', 'none'], but got {reduction}.")


def _check_tensor_arg(who, name, value):
    if not isinstance(value, Tensor):
        raise TypeError(f"For '{who}', the '{name}' must be a Tensor, but got '{type(value).__name__}'.")


def _check_same_dtype(who, name1, x1, name2, x2):
    if x1.dtype != x2.dtype:
        raise TypeError(f"For {who}, the {name1} dtype should be equal to {name2} dtype, but got {name1} "
                        f"dtype:{x1.dtype}, {name2} dtype:{x2.dtype}.")


def huber_loss(input, target, reduction="mean", delta=1.0):
    """0.5 z² where z = |input - target| < delta, else delta (z - 0.5 delta); integer inputs give Float32."""
    _check_tensor_arg("huber_loss", "input", input)
    _check_tensor_arg("huber_loss", "target", target)
    if not isinstance(delta, (int, float)) or isinstance(delta, bool):
        raise TypeError(f"For 'huber_loss', the type of 'delta' should be one of '['int', 'float']', but got type "
                        f"'{type(delta).__name__}'.")
    if delta <= 0.0:
        raise ValueError(f"For 'huber_loss', the argument 'delta' must > 0.0, but got {delta}.")
    z = _abs(input - target)
    loss = _select(_less(z, delta), 0.5 * square(z), delta * (z - 0.5 * delta))
    _check_get_loss_reduction("huber_loss", reduction)
    return get_loss(loss, reduction)


def cosine_embedding(x1, x2, target, margin, reduction, who):
    """1 - cos(x1, x2) (over axis 1) where target == 1, max(0, cos - margin) where target == -1, else 0."""
    norms = _sqrt(reduce_sum(square(x1), (1,))) * _sqrt(reduce_sum(square(x2), (1,)))
    cosine = reduce_sum(x1 * x2, (1,)) / norms
    zeros = _zeros_like(cosine)
    loss = _select(target == 1, 1.0 - cosine, zeros) + _select(target == -1, _maximum(cosine - margin, 0.0), zeros)
    _check_get_loss_reduction(who, reduction)
    return get_loss(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction="mean"):
    who = "ops.cosine_embedding_loss"
    for name, value in (("input1", input1), ("input2", input2), ("target", target)):
        _check_tensor_arg(who, name, value)
    _check_same_dtype(who, "input1", input1, "input2", input2)
    reduced = tuple(d for axis, d in enumerate(input1.shape) if axis != 1)
    if input1.ndim < 2 or reduced != tuple(target.shape):
        raise ValueError(f"For '{who}', the shape of parameter 'input1' reduce on 'axis': (1,) must be equal to the "
                         f"shape of 'target': {tuple(target.shape)}, but got {tuple(input1.shape)}.")
    input1, input2 = (cast(x, mstype.float32) if x.dtype in (mstype.int32, mstype.int64) else x
                      for x in (input1, input2))
    margin = float(margin) if isinstance(margin, int) and not isinstance(margin, bool) else margin
    if not isinstance(margin, float):
        raise TypeError(f"For '{who}', the type of 'margin' should be 'float', but got type '{type(margin).__name__}'.")
    if not -1.0 <= margin <= 1.0:
        raise ValueError(f"For {who}, the value of 'margin' should be in [-1, 1],but got {margin}.")
    return cosine_embedding(input1, input2, target, margin, reduction, "cosine_embedding_loss")


def margin_ranking_loss(input1, input2, target, margin=0.0, reduction="mean"):
    """max(0, -target (input1 - input2) + margin)."""
    who = "margin_ranking_loss"
    if not isinstance(margin, float):
        raise TypeError(f"For '{who}', the type of 'margin' should be 'float', but got type '{type(margin).__name__}'.")
    for name, value in (("input1", input1), ("input2", input2), ("target", target)):
        _check_tensor_arg(who, name, value)
    _check_same_dtype(who, "input1", input1, "input2", input2)
    _check_same_dtype(who, "target", target, "input1", input1)
    loss = _maximum(-target * (input1 - input2) + margin, 0)
    _check_get_loss_reduction(who, reduction)
    return get_loss(loss, reduction)
