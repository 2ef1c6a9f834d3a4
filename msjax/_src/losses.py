"""Loss Cells (``nn.LossBase``, ``nn.MSELoss``, ``nn.L1Loss``, ``nn.SoftmaxCrossEntropyWithLogits``,
``nn.CrossEntropyLoss``, ``nn.BCEWithLogitsLoss``, ``nn.NLLLoss``, ``nn.SmoothL1Loss``, ``nn.BCELoss``,
``nn.KLDivLoss``, ``nn.HuberLoss``, ``nn.CosineEmbeddingLoss``, ``nn.MarginRankingLoss``) over the ops of
`loss_ops.py`, with MindSpore 2.10's defaults, argument checks and messages."""
from __future__ import annotations

from . import dtype as mstype
from . import loss_ops as L
from .functional import one_hot
from .cell import Cell
from .parameter import Parameter
from .tensor import Tensor

# --- LossBase ------------------------------------------------------------------------------------------------

class LossBase(Cell):
    """``nn.LossBase(reduction='mean')``: subclasses call ``get_loss(x, weights)`` on their unreduced loss."""

    def __init__(self, reduction="mean"):
        super().__init__()
        L.check_reduction(self.cls_name, reduction)
        self.average = reduction != "sum"
        self.reduce = reduction != "none"
        self.reduce_mean, self.reduce_sum, self.mul, self.cast = L.reduce_mean, L.reduce_sum, L.mul, L.cast

    def get_axis(self, x):
        return tuple(range(x.ndim))

    def get_loss(self, x, weights=1.0):
        reduction = ("mean" if self.average else "sum") if self.reduce else "none"
        return L.get_loss(x, reduction, weights)

    def construct(self, logits, labels):
        raise NotImplementedError


class MSELoss(LossBase):
    """``nn.MSELoss(reduction='mean')``: (logits - labels)² with broadcasting, reduced by `LossBase.get_loss`."""

    def construct(self, logits, labels):
        L.check_is_tensor("logits", logits, self.cls_name)
        L.check_is_tensor("labels", labels, self.cls_name)
        return self.get_loss(L.square(logits - labels))


class L1Loss(LossBase):
    """``nn.L1Loss(reduction='mean')``: |logits - labels| with broadcasting."""

    def __init__(self, reduction="mean"):
        super().__init__(reduction)
        self.reduction = reduction

    def construct(self, logits, labels):
        return L.l1_loss(logits, labels, self.reduction)


# --- softmax cross entropy ------------------------------------------------------------------------------------

class SoftmaxCrossEntropyWithLogits(LossBase):
    """``nn.SoftmaxCrossEntropyWithLogits(sparse=False, reduction='none')``."""

    def __init__(self, sparse=False, reduction="none"):
        super().__init__(reduction)
        if not isinstance(sparse, bool):
            raise TypeError(f"For '{self.cls_name}', the 'sparse' must be a bool, but got {type(sparse).__name__}.")
        self.sparse = sparse
        self.reduction = reduction
        self.softmax_cross_entropy = L.SoftmaxCrossEntropyWithLogits()
        self.sparse_softmax_cross_entropy = L.SparseSoftmaxCrossEntropyWithLogits()
        self.on_value = Tensor(1.0, mstype.float32)
        self.off_value = Tensor(0.0, mstype.float32)

    def construct(self, logits, labels):
        L.check_is_tensor("logits", logits, self.cls_name)
        L.check_is_tensor("labels", labels, self.cls_name)
        if self.sparse:
            if self.reduction == "mean":
                return self.sparse_softmax_cross_entropy(logits, labels)
            labels = one_hot(labels, logits.shape[-1], self.on_value, self.off_value)
        return self.get_loss(self.softmax_cross_entropy(logits, labels)[0])


# --- cross entropy and NLL ------------------------------------------------------------------------------------

_HALF_OR_FLOAT = "[mindspore.float16, mindspore.float32]"


def _check_value_type(who, name, value, types_, type_names):
    if not isinstance(value, types_) or isinstance(value, bool):
        raise TypeError(f"For '{who}', the type of '{name}' should be {type_names}, but got type "
                        f"'{type(value).__name__}'.")


def _check_weight(who, weight):
    if weight is not None:
        _check_value_type(who, "weight", weight, Tensor, "'Tensor'")
        if weight.dtype not in (mstype.float16, mstype.float32):
            raise TypeError(f"For '{who}', the 'weight' should be one of {_HALF_OR_FLOAT}, but got "
                            f"'{weight.dtype!r}'.")


class NLLLoss(LossBase):
    """``nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')`` on log-probabilities."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        super().__init__(reduction)
        _check_value_type(self.cls_name, "ignore_index", ignore_index, int, "'int'")
        _check_weight(self.cls_name, weight)
        self.weight = weight
        self.ignore_index = ignore_index
        self.reduction = reduction

    def construct(self, logits, labels):
        return L.nll_loss(logits, labels, self.weight, self.ignore_index, self.reduction)


class CrossEntropyLoss(LossBase):
    """``nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)``: Int32 class
    indices (shape of logits without the class axis 1) or Float16/32 probabilities (shape of logits)."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        super().__init__(reduction)
        _check_value_type(self.cls_name, "ignore_index", ignore_index, int, "'int'")
        _check_value_type(self.cls_name, "label_smoothing", label_smoothing, float, "'float'")
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError(f"For '{self.cls_name}', the 'label_smoothing' must be in range of [0.0, 1.0], but "
                             f"got {label_smoothing} with type 'float'.")
        _check_weight(self.cls_name, weight)
        self.weight = weight
        self.ignore_index = ignore_index
        self.reduction = reduction
        self.label_smoothing = label_smoothing

    def construct(self, logits, labels):
        who = self.cls_name
        L.check_is_tensor("logits", logits, who)
        L.check_is_tensor("labels", labels, who)
        if logits.dtype not in (mstype.float16, mstype.float32):
            raise TypeError(f"For '{who}', the 'logits' should be one of {_HALF_OR_FLOAT}, but got "
                            f"'{logits.dtype!r}'.")
        if logits.ndim == labels.ndim:
            if labels.dtype not in (mstype.float16, mstype.float32):
                raise TypeError(f"For '{who}', the 'labels' should be one of {_HALF_OR_FLOAT}, but got "
                                f"'{labels.dtype!r}'.")
            if logits.shape != labels.shape:
                raise ValueError(f"For '{who}', the shape of 'logits' should be (N, C, d_0, d_1, ...), and the shape "
                                 f"of 'labels' should be (N, C, d_0, d_1, ...), but get 'logits' shape: "
                                 f"{logits.shape} and 'labels' shape: {labels.shape}.")
        elif labels.ndim == logits.ndim - 1:
            if labels.dtype != mstype.int32:
                raise TypeError(f"For '{who}', the 'labels' should be Int32, but got '{labels.dtype!r}'.")
            if logits.ndim != 1 and (logits.shape[0], *logits.shape[2:]) != labels.shape:
                raise ValueError(f"For '{who}', the shape of 'logits' should be (N, C, d_0, d_1, ...), and the shape "
                                 f"of 'labels' should be (N, d_0, d_1, ...), but get 'logits' shape: "
                                 f"{logits.shape} and 'labels' shape: {labels.shape}.")
        else:
            raise ValueError(f"For '{who}', the rank of 'logits' and 'labels' should be:\n1. 'logits.ndim == "
                             f"labels.ndim' for probabilities, \n2. 'logits.ndim - 1 == labels.ndim' for class "
                             f"indices, \nbut get 'logits' rank: {logits.ndim} and 'labels' rank: {labels.ndim}.")
        return L.cross_entropy(logits, labels, self.weight, self.ignore_index, self.reduction, self.label_smoothing)


# --- binary cross entropy with logits ------------------------------------------------------------------------

class BCEWithLogitsLoss(LossBase):
    """``nn.BCEWithLogitsLoss(reduction='mean', weight=None, pos_weight=None)``."""

    def __init__(self, reduction="mean", weight=None, pos_weight=None):
        super().__init__()
        self.reduction = reduction
        for name, value in (("weight", weight), ("pos_weight", pos_weight)):
            if isinstance(value, Parameter):
                raise TypeError(f"For '{self.cls_name}', the '{name}' can not be a Parameter.")
        self.weight = weight
        self.pos_weight = pos_weight

    def construct(self, input, target):
        L.check_is_tensor("input", input, self.cls_name)
        L.check_is_tensor("target", target, self.cls_name)
        return L.binary_cross_entropy_with_logits(input, target, self.weight, self.pos_weight, self.reduction)


# --- smooth L1, BCE, KL divergence, Huber, cosine embedding, margin ranking -----------------------------------

class SmoothL1Loss(LossBase):
    """``nn.SmoothL1Loss(beta=1.0, reduction='none')`` over ``ops.SmoothL1Loss``."""

    def __init__(self, beta=1.0, reduction="none"):
        super().__init__(reduction)
        self.beta = beta
        self.reduction = reduction
        self.smooth_l1_loss = L.SmoothL1Loss(beta, reduction)

    def construct(self, logits, labels):
        return self.smooth_l1_loss(logits, labels)


class BCELoss(LossBase):
    """``nn.BCELoss(weight=None, reduction='mean')`` on probabilities (``ops.binary_cross_entropy``)."""

    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction)
        self.reduction = reduction
        self.weight = weight

    def construct(self, logits, labels):
        return L.binary_cross_entropy(logits, labels, self.weight, self.reduction)


class KLDivLoss(LossBase):
    """``nn.KLDivLoss(reduction='mean')``: also 'batchmean'; the reduction is checked at the call."""

    def __init__(self, reduction="mean"):
        super().__init__()
        self.reduction = reduction

    def construct(self, logits, labels):
        L.check_is_tensor("logits", logits, self.cls_name)
        L.check_is_tensor("labels", labels, self.cls_name)
        return L.kl_div(logits, labels, self.reduction)


class HuberLoss(LossBase):
    """``nn.HuberLoss(reduction='mean', delta=1.0)`` (``ops.huber_loss``)."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction)
        self.reduction = reduction
        self.delta = delta

    def construct(self, logits, labels):
        return L.huber_loss(logits, labels, self.reduction, self.delta)


class CosineEmbeddingLoss(LossBase):
    """``nn.CosineEmbeddingLoss(margin=0.0, reduction='mean')``: ``margin`` a float in [-1, 1]; the inputs must have
    one dtype and shape (MindSpore's SameTypeShape check). It has no ``reduction`` attribute, as in MindSpore."""

    def __init__(self, margin=0.0, reduction="mean"):
        super().__init__(reduction)
        _check_value_type(self.cls_name, "margin", margin, float, "'float'")
        if not -1.0 <= margin <= 1.0:
            raise ValueError(f"For '{self.cls_name}', the 'margin' must be in range of [-1.0, 1.0], but got {margin} "
                             f"with type 'float'.")
        self.margin = margin
        self._reduction = reduction

    def construct(self, logits_x1, logits_x2, labels):
        for name, value in (("logits_x1", logits_x1), ("logits_x2", logits_x2), ("labels", labels)):
            L.check_is_tensor(name, value, self.cls_name)
        if logits_x1.dtype != logits_x2.dtype:
            raise TypeError(f"For 'SameTypeShape', the x dtype should be = y dtype: {logits_x2.dtype}, but got "
                            f"{logits_x1.dtype}.")
        if logits_x1.shape != logits_x2.shape:
            raise ValueError(f"For 'SameTypeShape', the x shape should be = y shape: {logits_x2.shape}, but got "
                             f"{logits_x1.shape}.")
        return L.cosine_embedding(logits_x1, logits_x2, labels, self.margin, self._reduction, self.cls_name)


class MarginRankingLoss(LossBase):
    """``nn.MarginRankingLoss(margin=0.0, reduction='mean')``: the margin's type is checked at the call."""

    def __init__(self, margin=0.0, reduction="mean"):
        super().__init__(reduction)
        self.reduction = reduction
        self.margin = margin

    def construct(self, input1, input2, target):
        return L.margin_ranking_loss(input1, input2, target, self.margin, self.reduction)
