"""Evaluation metrics (``mindspore.train.Metric``, ``Accuracy``, ``Loss``, ``Precision``, ``Recall``, ``Fbeta``,
``F1``, ``MAE``, ``MSE``, ``TopKCategoricalAccuracy`` and its Top1/Top5 forms, ``ConfusionMatrix``) and the name
registry ``Model`` uses.

Metrics run on the host with numpy, as in MindSpore: ``update`` turns Tensors into arrays, ``eval`` returns the
accumulated result. Per-class results and matrices are float64 numpy arrays, as in MindSpore; scalar results are
Python floats (MindSpore returns ``numpy.float64``, a float subclass that prints the
same under numpy 1.x; under numpy 2 its repr would read ``np.float64(...)``, so msjax returns the plain float).
"""
from __future__ import annotations

import functools
import sys
from abc import ABCMeta, abstractmethod

import numpy as np

from .tensor import Tensor


def rearrange_inputs(func):
    """Decorator for ``update``: when the metric has ``indexes``, pass ``inputs[i] for i in indexes`` instead."""

    @functools.wraps(func)
    def update(self, *inputs):
        indexes = self.indexes
        if indexes:
            inputs = [inputs[i] for i in indexes]
        return func(self, *inputs)

    return update


class Metric(metaclass=ABCMeta):
    """Base class of metrics: ``clear()``, ``update(*inputs)``, ``eval()``; calling it does all three once."""

    def __init__(self):
        self._indexes = None

    def _convert_data(self, data):
        if isinstance(data, Tensor):
            return data.asnumpy()
        if isinstance(data, list):
            return np.array(data)
        if isinstance(data, np.ndarray):
            return data
        raise TypeError(f"For 'Metric' and its derived classes, the input data type must be tensor, list or "
                        f"numpy.ndarray, but got {type(data)}.")

    @property
    def indexes(self):
        return getattr(self, "_indexes", None)

    def set_indexes(self, indexes):
        if not isinstance(indexes, list) or not all(isinstance(i, int) for i in indexes):
            raise ValueError("For 'set_indexes', the argument 'indexes' must be a list and all its elements must "
                             "be int, please check whether it is correct.")
        self._indexes = indexes
        return self

    def __call__(self, *inputs):
        self.clear()
        self.update(*inputs)
        return self.eval()

    @abstractmethod
    def clear(self):
        """Reset the accumulated state."""

    @abstractmethod
    def eval(self):
        """The result over everything passed to ``update`` since ``clear``."""

    @abstractmethod
    def update(self, *inputs):
        """Accumulate one batch."""


_EVAL_TYPES = {"classification", "multilabel"}


def _is_one_hot(data) -> bool:
    if data.ndim > 1 and np.equal(data ** 2, data).all():
        return bool(np.equal(np.ones((data.shape[0],) + data.shape[2:]), data.sum(axis=1)).all())
    return False


class EvaluationBase(Metric):
    """Base of the metrics with an ``eval_type`` ('classification' or 'multilabel') and its input checks."""

    def __init__(self, eval_type):
        super().__init__()
        if eval_type not in _EVAL_TYPES:
            raise TypeError(f"The argument 'eval_type' must be in {_EVAL_TYPES}, but got {eval_type}")
        self._type = eval_type

    def _check(self, y_pred, y):
        if self._type == "classification":
            if y_pred.ndim != y.ndim + 1:
                raise ValueError("In classification case, the dimension of y_pred (predicted value) should equal to "
                                 "the dimension of y (true value) add 1, but got y_pred dimension: "
                                 f"{y_pred.ndim} and y dimension: {y.ndim}.")
            if y.shape != (y_pred.shape[0],) + y_pred.shape[2:]:
                raise ValueError("In classification case, y_pred (predicted value) shape and y (true value) shape "
                                 "can not match, y shape should be equal to y_pred shape that the value at index 1 "
                                 "is deleted. Such as y_pred shape (1, 2, 3), then y shape should be (1, 3). "
                                 f"But got y_pred shape {y_pred.shape} and y shape {y.shape}")
            return
        if y_pred.ndim != y.ndim:
            raise ValueError(f"In {self._type} case, the dimension of y_pred (predicted value) should equal to the "
                             f"dimension of y (true value), but got y_pred dimension: {y_pred.ndim} and y "
                             f"dimension: {y.ndim}.")
        if y_pred.shape != y.shape:
            raise ValueError(f"In {self._type} case, the shape of y_pred (predicted value) should equal to the shape "
                             f"of y (true value), but got y_pred shape: {y_pred.shape} and y shape: {y.shape}.")
        if not (np.equal(y_pred ** 2, y_pred).all() and np.equal(y ** 2, y).all()):
            raise ValueError("In multilabel case, all elements in y_pred (predicted value) and y (true value) should "
                             "be 0 or 1.Please check whether your inputs y_pred and y are correct.")


class Accuracy(EvaluationBase):
    """Fraction of samples whose arg-max prediction equals the label (``'classification'``), or whose whole 0/1
    prediction row equals the label row (``'multilabel'``). Labels may be class indices or one-hot."""

    def __init__(self, eval_type="classification"):
        super().__init__(eval_type)
        self.clear()

    def clear(self):
        self._correct_num = 0
        self._total_num = 0
        self._class_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        if len(inputs) != 2:
            raise ValueError("For 'Accuracy.update', it needs 2 inputs (predicted value, true value), "
                             f"but got {len(inputs)}")
        y_pred = self._convert_data(inputs[0])
        y = self._convert_data(inputs[1])
        if self._type == "classification" and y_pred.ndim == y.ndim and _is_one_hot(y):
            y = y.argmax(axis=1)
        self._check(y_pred, y)
        if self._class_num == 0:
            self._class_num = y_pred.shape[1]
        elif y_pred.shape[1] != self._class_num:
            raise ValueError("For 'Accuracy.update', class number not match, last input predicted data contain "
                             f"{self._class_num} classes, but current predicted data contain {y_pred.shape[1]} "
                             "classes, please check your predicted value(inputs[0]).")
        if self._type == "classification":
            correct = np.equal(y_pred.argmax(axis=1), y).reshape(-1)
        else:
            last = y_pred.ndim - 1
            correct = np.equal(y_pred.swapaxes(1, last).reshape(-1, self._class_num),
                               y.swapaxes(1, last).reshape(-1, self._class_num)).all(axis=1)
        self._correct_num += int(correct.sum())
        self._total_num += correct.shape[0]

    def eval(self):
        if self._total_num == 0:
            raise RuntimeError("The 'Accuracy' can not be calculated, because the number of samples is 0, "
                               "please check whether your inputs(predicted value, true value) are empty, "
                               "or has called update method before calling eval method.")
        return self._correct_num / self._total_num


class Loss(Metric):
    """The mean over ``update`` calls of each call's mean loss (a 0-d or 1-d loss), accumulated in float64."""

    def __init__(self):
        super().__init__()
        self.clear()

    def clear(self):
        self._sum_loss = 0.0
        self._total_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        if len(inputs) != 1:
            raise ValueError(f"For 'Loss.update', it needs 1 input (loss), but got {len(inputs)}")
        loss = self._convert_data(inputs[0])
        if loss.ndim == 0:
            loss = loss.reshape(1)
        if loss.ndim != 1:
            raise ValueError(f"For 'Loss.update', the dimension of your input (loss) must be 1, but got {loss.ndim}.")
        self._sum_loss += float(loss.mean(-1))  # the batch mean in the loss's dtype, the sum in float64
        self._total_num += 1

    def eval(self):
        if self._total_num == 0:
            raise RuntimeError("The 'Loss' can not be calculated, because the number of samples is 0, please "
                               "check whether has called update method before calling eval method.")
        return self._sum_loss / self._total_num


def _check_type(who, name, value, types, type_name):
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        prefix = f"For '{who}', the" if who else "The"
        raise TypeError(f"{prefix} type of '{name}' should be '{type_name}', but got type '{type(value).__name__}'.")
    return value


def _empty_error(who, space=" "):
    return RuntimeError(f"The '{who}' can not be calculated, because the number of samples is 0, please check "
                        f"whether your inputs{space}(predicted value, true value) are empty, or has called update "
                        "method before calling eval method.")


def _check_two_inputs(who, inputs):
    if len(inputs) != 2:
        raise ValueError(f"For '{who}.update', it needs 2 inputs (predicted value, true value), but got "
                         f"{len(inputs)}.")


def _class_counts(metric, who, inputs, checked):
    """(y_pred, y) of one batch as per-class 0/1 rows (classification: arg-max of the scores and the label, each
    one-hot; multilabel: the given 0/1 values, classes first), after MindSpore's checks (``checked``: the
    eval_type checks of Precision and Recall; Fbeta has none)."""
    _check_two_inputs(who, inputs)
    y_pred, y = metric._convert_data(inputs[0]), metric._convert_data(inputs[1])
    classification = not checked or metric._type == "classification"
    if classification and y_pred.ndim == y.ndim and _is_one_hot(y):
        y = y.argmax(axis=1)
    if checked:
        metric._check(y_pred, y)
    if metric._class_num == 0:
        metric._class_num = y_pred.shape[1]
    elif y_pred.shape[1] != metric._class_num:
        raise ValueError(f"For '{who}.update', class number not match, last input predicted data contain "
                         f"{metric._class_num} classes, but current predicted data contain {y_pred.shape[1]} classes, "
                         "please check your predicted value(inputs[0]).")
    classes = metric._class_num
    if not classification:  # counted in float64, as MindSpore's numpy 1.x arithmetic does
        rows = (a.swapaxes(1, 0).reshape(classes, -1).astype(np.float64) for a in (y_pred, y))
        return tuple(rows)
    if y.max() + 1 > classes:
        raise ValueError(f"For '{who}.update', predicted value (input[0]) should have the same classes number as "
                         f"true value (input[1]), but got predicted value classes {classes}, true value classes "
                         f"{y.max() + 1}.")
    eye = np.eye(classes)
    return eye[y_pred.argmax(axis=1).reshape(-1)], eye[y.reshape(-1)]


class _PrecisionRecall(EvaluationBase):
    """Precision (true positives / predicted positives) or Recall (true positives / actual positives), per class.
    ``eval(average=False)`` gives a float64 array; ``average=True`` its mean (multilabel: the mean of each
    batch's per-class ratios)."""
    _predicted = True

    def __init__(self, eval_type="classification"):
        super().__init__(eval_type)
        self.eps = sys.float_info.min
        self.clear()

    def clear(self):
        self._class_num = 0
        multilabel = self._type == "multilabel"
        self._true_positives = np.empty(0) if multilabel else 0
        self._positives = np.empty(0) if multilabel else 0
        self._ratio_sum = 0
        self._ratio_count = 0

    @rearrange_inputs
    def update(self, *inputs):
        y_pred, y = _class_counts(self, type(self).__name__, inputs, checked=True)
        positives = (y_pred if self._predicted else y).sum(axis=0)
        true_positives = (y * y_pred).sum(axis=0)
        if self._type == "multilabel":
            self._ratio_sum += np.sum(true_positives / (positives + self.eps))
            self._ratio_count += len(positives)
            self._true_positives = np.concatenate((self._true_positives, true_positives))
            self._positives = np.concatenate((self._positives, positives))
        else:
            self._true_positives = self._true_positives + true_positives
            self._positives = self._positives + positives

    def eval(self, average=False):
        if self._class_num == 0:
            raise _empty_error(type(self).__name__)
        _check_type(type(self).__name__, "average", average, (bool,), "bool")
        result = self._true_positives / (self._positives + self.eps)
        if not average:
            return result
        if self._type == "multilabel":
            return float(self._ratio_sum / (self._ratio_count + self.eps))
        return float(result.mean())


class Precision(_PrecisionRecall):
    """``Precision(eval_type='classification')``."""


class Recall(_PrecisionRecall):
    """``Recall(eval_type='classification')``."""
    _predicted = False


class Fbeta(Metric):
    """``Fbeta(beta)``: (1 + beta²) tp / (beta² actual positives + predicted positives), per class (arg-max
    predictions, labels as indices or one-hot)."""

    def __init__(self, beta):
        super().__init__()
        self.eps = sys.float_info.min
        if not beta > 0:
            raise ValueError(f"For 'Fbeta', the argument 'beta' must be greater than 0, but got {beta}.")
        self.beta = beta
        self.clear()

    def clear(self):
        self._true_positives = self._actual_positives = self._positives = 0
        self._class_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        y_pred, y = _class_counts(self, "Fbeta", inputs, checked=False)
        self._true_positives = self._true_positives + (y * y_pred).sum(axis=0)
        self._positives = self._positives + y_pred.sum(axis=0)
        self._actual_positives = self._actual_positives + y.sum(axis=0)

    def eval(self, average=False):
        _check_type(type(self).__name__, "average", average, (bool,), "bool")
        if self._class_num == 0:
            raise _empty_error("Fbeta", space="")
        beta2 = self.beta ** 2
        fbeta = (1.0 + beta2) * self._true_positives / (beta2 * self._actual_positives + self._positives + self.eps)
        return float(fbeta.mean()) if average else fbeta


class F1(Fbeta):
    """``F1()``: Fbeta with beta 1."""

    def __init__(self):
        super().__init__(1.0)


class _ErrorMetric(Metric):
    """Sum over elements of an error of ``y`` (reshaped to ``y_pred``'s shape) and ``y_pred``, divided by the
    number of samples (rows)."""

    def __init__(self):
        super().__init__()
        self.clear()

    def clear(self):
        self._error_sum = 0
        self._samples_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        _check_two_inputs(type(self).__name__, inputs)
        y_pred, y = self._convert_data(inputs[0]), self._convert_data(inputs[1])
        self._error_sum += float(self._error(y.reshape(y_pred.shape) - y_pred).sum())
        self._samples_num += y.shape[0]

    def eval(self):
        if self._samples_num == 0:
            raise _empty_error(type(self).__name__, space="")
        return self._error_sum / self._samples_num


class MAE(_ErrorMetric):
    """``MAE()``: mean absolute error per sample."""
    _error = staticmethod(np.abs)


class MSE(_ErrorMetric):
    """``MSE()``: mean squared error per sample."""
    _error = staticmethod(np.square)


class TopKCategoricalAccuracy(Metric):
    """``TopKCategoricalAccuracy(k)``: fraction of samples whose label is among the k highest scores."""

    def __init__(self, k):
        super().__init__()
        if not isinstance(k, int):
            raise TypeError(f"For 'TopKCategoricalAccuracy', the type of the argument 'k' should be int, but got "
                            f"'k' type: {type(k)}.")
        if k < 1:
            raise ValueError(f"For 'TopKCategoricalAccuracy', the argument 'k' must be at least 1, but got 'k' "
                             f"value: {k}.")
        self.k = k
        self.clear()

    def clear(self):
        self._correct_num = 0
        self._samples_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        if len(inputs) != 2:
            raise ValueError("For 'TopKCategoricalAccuracy.update', it needs 2 inputs (predicted value, true value), "
                             f"but got 'inputs' size: {len(inputs)}.")
        y_pred, y = self._convert_data(inputs[0]), self._convert_data(inputs[1])
        if y_pred.ndim == y.ndim and _is_one_hot(y):
            y = y.argmax(axis=1)
        top = np.argsort(-y_pred, axis=1)[:, :self.k]
        # (with fewer than k classes the shapes differ: a ValueError, as in MindSpore)
        self._correct_num += int(np.equal(top, y.reshape(-1, 1).repeat(self.k, axis=1)).sum())
        self._samples_num += top.shape[0]

    def eval(self):
        if self._samples_num == 0:
            raise _empty_error("TopKCategoricalAccuracy")
        return self._correct_num / self._samples_num


class Top1CategoricalAccuracy(TopKCategoricalAccuracy):
    """``Top1CategoricalAccuracy()``."""

    def __init__(self):
        super().__init__(1)


class Top5CategoricalAccuracy(TopKCategoricalAccuracy):
    """``Top5CategoricalAccuracy()``."""

    def __init__(self):
        super().__init__(5)


_NORMALIZE = ("target", "prediction", "all", "no_norm")


class ConfusionMatrix(Metric):
    """``ConfusionMatrix(num_classes, normalize='no_norm', threshold=0.5)``: rows are labels, columns predictions
    (arg-max of scores with a class axis; float predictions shaped like the labels are thresholded). ``eval``
    gives a float64 matrix, normalized over rows ('target'), columns ('prediction') or everything ('all'), 0
    where a row/column is empty."""

    def __init__(self, num_classes, normalize="no_norm", threshold=0.5):
        super().__init__()
        self.num_classes = _check_type(None, "num_classes", num_classes, (int,), "int")
        if normalize not in _NORMALIZE:
            raise ValueError("For 'ConfusionMatrix', the argument 'normalize' must be in ['all', 'prediction', "
                             f"'label', 'no_norm'(None)], but got {normalize}.")
        self.normalize = normalize
        self.threshold = _check_type(None, "threshold", threshold, (float,), "float")
        self.clear()

    def clear(self):
        self.confusion_matrix = np.zeros((self.num_classes, self.num_classes))
        self._is_update = False

    @rearrange_inputs
    def update(self, *inputs):
        _check_two_inputs("ConfusionMatrix", inputs)
        y_pred, y = self._convert_data(inputs[0]), self._convert_data(inputs[1])
        if y_pred.ndim not in (y.ndim, y.ndim + 1):
            raise ValueError("For 'ConfusionMatrix.update', predicted value (input[0]) and true value (input[1]) "
                             "should have same dimensions, or the dimension of predicted value equals the dimension "
                             f"of true value add 1, but got predicted value ndim: {y_pred.ndim}, true value ndim: "
                             f"{y.ndim}.")
        if y_pred.ndim == y.ndim + 1:
            y_pred = np.argmax(y_pred, axis=1)
        elif y_pred.dtype in (np.float16, np.float32, np.float64):
            y_pred = (y_pred >= self.threshold).astype(int)
        cells = (y.reshape(-1) * self.num_classes + y_pred.reshape(-1)).astype(int)
        counts = np.bincount(cells, minlength=self.num_classes ** 2)
        self.confusion_matrix += counts.reshape(self.num_classes, self.num_classes)
        self._is_update = True

    def eval(self):
        if not self._is_update:
            raise RuntimeError("Please call the 'update' method before calling 'eval' method.")
        matrix = self.confusion_matrix.astype(float)
        if self.normalize == "no_norm":
            return matrix
        total = {"target": matrix.sum(axis=1, keepdims=True), "prediction": matrix.sum(axis=0, keepdims=True),
                 "all": matrix.sum()}[self.normalize]
        with np.errstate(invalid="ignore", divide="ignore"):
            matrix = matrix / total
        matrix[np.isnan(matrix)] = 0
        return matrix


# Names ``Model(metrics={'accuracy', ...})`` accepts (MindSpore's registry has more metrics; msjax has these so far).
_FACTORY = {"accuracy": Accuracy, "acc": Accuracy, "precision": Precision, "recall": Recall, "F1": F1,
            "topk": TopKCategoricalAccuracy, "top_1_accuracy": Top1CategoricalAccuracy,
            "top_5_accuracy": Top5CategoricalAccuracy, "mae": MAE, "mse": MSE, "loss": Loss,
            "confusion_matrix": ConfusionMatrix}


def names():
    """The metric names ``get_metric_fn`` knows, sorted."""
    return sorted(_FACTORY)


def get_metric_fn(name, *args, **kwargs):
    """A new metric object for ``name``."""
    if name not in _FACTORY:
        raise KeyError(f"For 'get_metric_fn', unsupported metric {name}, please refer to official website "
                       f"for more details about supported metrics.")
    return _FACTORY[name](*args, **kwargs)


def get_metrics(metrics):
    """``{name: Metric}`` from a set of names or a dict of Metric objects (None stays None)."""
    if metrics is None:
        return None
    if isinstance(metrics, dict):
        for name, metric in metrics.items():
            if not isinstance(name, str) or not isinstance(metric, Metric):
                raise TypeError(f"For 'get_metrics', if 'metrics' is dict, the key in 'metrics' must be string and "
                                f"value in 'metrics' must be Metric, but got key:{type(name)}, value:{type(metric)}.")
        return metrics
    if isinstance(metrics, set):
        return {name: get_metric_fn(name) for name in metrics}
    raise TypeError(f"For 'get_metrics', the argument 'metrics' must be None, dict or set, but got {metrics}")
