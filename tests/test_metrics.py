"""mindspore.train metrics: Accuracy, Loss, Precision, Recall, Fbeta/F1, MAE, MSE, TopK and ConfusionMatrix values,
their checks and messages, the name registry (all checked against MindSpore 2.10)."""
import numpy as np
import pytest

import msjax as ms
from msjax import Tensor, nn
from msjax.train import Accuracy, Loss, Metric, get_metric_fn, names, rearrange_inputs
from msjax.train.metrics import get_metrics


def test_accuracy_classification():
    logits = Tensor(np.array([[0.2, 0.8], [0.6, 0.4], [0.1, 0.9]], np.float32))
    result = Accuracy()(logits, Tensor(np.array([1, 1, 1])))
    assert result == 2 / 3 and type(result) is float


def test_accuracy_accumulates_and_clears():
    metric = Accuracy()
    metric.update(np.array([[0.2, 0.8], [0.6, 0.4]]), np.array([1, 1]))
    metric.update([[0.9, 0.1]], [0])
    assert metric.eval() == pytest.approx(2 / 3)
    metric.clear()
    with pytest.raises(RuntimeError, match="The 'Accuracy' can not be calculated, because the number of samples"):
        metric.eval()


def test_accuracy_one_hot_labels_and_multilabel():
    assert Accuracy()(np.array([[0.2, 0.8], [0.6, 0.4]]), np.array([[0, 1], [0, 1]])) == 0.5
    assert Accuracy("multilabel")(np.array([[0, 1], [1, 1]]), np.array([[0, 1], [0, 1]])) == 0.5
    with pytest.raises(ValueError, match="In multilabel case, all elements in y_pred"):
        Accuracy("multilabel")(np.array([[0, 0.5], [1, 1]]), np.array([[0, 1], [0, 1]]))


def test_accuracy_errors():
    with pytest.raises(TypeError, match="The argument 'eval_type' must be in"):
        Accuracy("foo")
    with pytest.raises(ValueError, match=r"y shape should be equal to y_pred shape .* But got y_pred shape \(2, 2\) "
                                         r"and y shape \(3,\)"):
        Accuracy()(np.array([[0.2, 0.8], [0.6, 0.4]]), np.array([1, 0, 1]))
    with pytest.raises(ValueError, match="y_pred dimension: 1 and y dimension: 1"):
        Accuracy()(np.array([0.2, 0.8]), np.array([1, 0]))
    with pytest.raises(ValueError, match="it needs 2 inputs .* but got 3"):
        Accuracy().update(1, 2, 3)
    with pytest.raises(TypeError, match="the input data type must be tensor, list or numpy.ndarray, but got "
                                        "<class 'int'>"):
        Accuracy().update(1, 2)
    metric = Accuracy()
    metric.update(np.ones((2, 3)), np.array([0, 1]))
    with pytest.raises(ValueError, match="last input predicted data contain 3 classes, but current predicted data "
                                         "contain 2 classes"):
        metric.update(np.ones((2, 2)), np.array([0, 1]))


def test_loss_metric_mean_of_batch_means():
    assert Loss()(Tensor(np.float32(0.2))) == 0.20000000298023224  # float32 0.2, summed in float64
    assert Loss()(Tensor(np.array([0.2, 0.3], np.float32))) == 0.25
    metric = Loss()
    for value in (0.5, 1.0, 2.0):
        metric.update(Tensor(np.float32(value)))
    assert metric.eval() == pytest.approx(3.5 / 3) and type(metric.eval()) is float
    with pytest.raises(ValueError, match="the dimension of your input \\(loss\\) must be 1, but got 2"):
        Loss()(Tensor(np.ones((2, 2), np.float32)))
    with pytest.raises(ValueError, match="it needs 1 input \\(loss\\), but got 2"):
        Loss().update(1, 2)
    with pytest.raises(RuntimeError, match="The 'Loss' can not be calculated"):
        Loss().eval()


def test_indexes_rearrange_inputs():
    metric = Accuracy().set_indexes([2, 1])
    assert metric.indexes == [2, 1]
    assert metric(0, np.array([1, 0]), np.array([[0.2, 0.8], [0.6, 0.4]])) == 1.0
    with pytest.raises(ValueError, match="the argument 'indexes' must be a list"):
        Accuracy().set_indexes((1, 0))

    class Echo(Metric):
        def clear(self):
            self.seen = None

        @rearrange_inputs
        def update(self, *inputs):
            self.seen = inputs

        def eval(self):
            return self.seen

    assert Echo().set_indexes([1, 0])("a", "b") == ("b", "a")


def test_metric_is_abstract():
    with pytest.raises(TypeError, match="Can't instantiate abstract class Metric"):
        Metric()


def test_registry():
    assert names() == ["F1", "acc", "accuracy", "confusion_matrix", "loss", "mae", "mse", "precision", "recall",
                       "top_1_accuracy", "top_5_accuracy", "topk"]
    assert isinstance(get_metric_fn("acc"), Accuracy) and isinstance(get_metric_fn("loss"), Loss)
    with pytest.raises(KeyError, match="For 'get_metric_fn', unsupported metric foo"):
        get_metric_fn("foo")
    assert set(get_metrics({"accuracy", "loss"})) == {"accuracy", "loss"}
    assert get_metrics(None) is None
    with pytest.raises(TypeError, match="the argument 'metrics' must be None, dict or set, but got \\['acc'\\]"):
        get_metrics(["acc"])
    with pytest.raises(TypeError, match="value in 'metrics' must be Metric, but got key:<class 'str'>, "
                                        "value:<class 'int'>"):
        get_metrics({"a": 1})


def test_public_paths():
    import msjax.nn.metrics as nn_metrics
    assert nn_metrics.Accuracy is ms.train.Accuracy is ms.Accuracy is ms.train.metrics.Accuracy
    assert nn_metrics.Loss is ms.Loss and ms.Metric is Metric
    assert nn.Accuracy is Accuracy and nn.Precision is ms.train.Precision is ms.train.metrics.Precision


# --- Precision, Recall, Fbeta/F1, MAE, MSE, TopK, ConfusionMatrix (values and messages from MindSpore 2.10) ------

from msjax.train import (ConfusionMatrix, F1, Fbeta, MAE, MSE, Precision, Recall,  # noqa: E402
                         Top1CategoricalAccuracy, Top5CategoricalAccuracy, TopKCategoricalAccuracy)

SCORES = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3], [0.6, 0.1, 0.3]], np.float32)
LABELS = np.array([1, 0, 1, 2, 0], np.int32)


def _raises(exc, message, fn):
    with pytest.raises(exc) as info:
        fn()
    assert str(info.value).startswith(message), str(info.value)


def test_precision_recall_f1():
    for cls, expected in ((Precision, [1.0, 0.5, 0.0]), (Recall, [1.0, 0.5, 0.0])):
        metric = cls()
        metric.update(Tensor(SCORES[:2]), Tensor(LABELS[:2]))
        metric.update(SCORES[2:], np.eye(3)[LABELS[2:]])  # one-hot labels
        result = metric.eval()
        assert result.dtype == np.float64 and np.allclose(result, expected)
        average = metric.eval(average=True)
        assert type(average) is float and np.isclose(average, np.mean(expected))
    tp, predicted, actual = np.array([2, 1, 0]), np.array([2, 2, 1]), np.array([2, 2, 1])
    assert np.allclose(Precision()(SCORES[:4], LABELS[:4]), [1.0, 0.5, 0.0])
    assert np.allclose(F1()(SCORES, LABELS), 2 * tp / (actual + predicted))
    assert np.allclose(Fbeta(2)(SCORES, LABELS), 5 * tp / (4 * actual + predicted))
    multi_pred = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 0]], np.float32)
    multi_true = np.array([[1, 0, 0], [0, 1, 1], [1, 0, 1]], np.float32)
    assert np.allclose(Precision("multilabel")(multi_pred, multi_true), [0.5, 1.0, 0.5])
    metric = Recall("multilabel")
    metric.update(multi_pred, multi_true)
    metric.update(multi_pred[:2], multi_true[:2])
    assert metric.eval(average=True) == 0.9


def test_precision_recall_fbeta_errors():
    _raises(RuntimeError, "The 'Precision' can not be calculated, because the number of samples is 0, please check "
            "whether your inputs (predicted value, true value) are empty", Precision().eval)
    _raises(RuntimeError, "The 'Fbeta' can not be calculated, because the number of samples is 0, please check "
            "whether your inputs(predicted value, true value)", F1().eval)
    metric = Precision()
    metric.update(SCORES, LABELS)
    _raises(TypeError, "For 'Precision', the type of 'average' should be 'bool', but got type 'int'.",
            lambda: metric.eval(average=1))
    _raises(ValueError, "For 'Precision.update', class number not match, last input predicted data contain 3 "
            "classes, but current predicted data contain 2 classes", lambda: metric.update(SCORES[:, :2], LABELS % 2))
    _raises(ValueError, "For 'Recall.update', predicted value (input[0]) should have the same classes number as true "
            "value (input[1]), but got predicted value classes 3, true value classes 6.",
            lambda: Recall().update(SCORES[:2], np.array([1, 5])))
    _raises(ValueError, "In multilabel case, all elements in y_pred (predicted value) and y (true value) should be 0 "
            "or 1.", lambda: Precision("multilabel").update(SCORES, SCORES))
    _raises(TypeError, "For 'F1', the type of 'average' should be 'bool', but got type 'str'.",
            lambda: _f1_eval_with("x"))
    _raises(ValueError, "For 'Fbeta', the argument 'beta' must be greater than 0, but got 0.", lambda: Fbeta(0))
    _raises(TypeError, "The argument 'eval_type' must be in", lambda: Recall("binary"))


def _f1_eval_with(average):
    metric = F1()
    metric.update(SCORES, LABELS)
    return metric.eval(average=average)


def test_mae_mse():
    pred = np.array([[0.5, 1.5], [2.0, -1.0], [0.0, 0.25]], np.float32)
    true = np.array([[1.0, 1.0], [2.5, -1.0], [0.5, 0.0]], np.float32)
    mae, mse = MAE(), MSE()
    for metric in (mae, mse):
        metric.update(Tensor(pred), Tensor(true))
        metric.update(pred[:1], true[:1])
    assert mae.eval() == 0.8125 and mse.eval() == 0.390625 and type(mae.eval()) is float
    _raises(RuntimeError, "The 'MAE' can not be calculated, because the number of samples is 0", MAE().eval)
    _raises(ValueError, "For 'MSE.update', it needs 2 inputs (predicted value, true value), but got 1.",
            lambda: MSE().update(pred))


def test_topk():
    assert Top1CategoricalAccuracy()(SCORES, LABELS) == 0.6 and TopKCategoricalAccuracy(2)(SCORES, LABELS) == 0.6
    assert Top5CategoricalAccuracy().k == 5
    with pytest.raises(ValueError):  # fewer classes than k: numpy's broadcast error, as in MindSpore
        Top5CategoricalAccuracy()(SCORES, LABELS)
    _raises(TypeError, "For 'TopKCategoricalAccuracy', the type of the argument 'k' should be int, but got 'k' type: "
            "<class 'float'>.", lambda: TopKCategoricalAccuracy(2.0))
    _raises(ValueError, "For 'TopKCategoricalAccuracy', the argument 'k' must be at least 1, but got 'k' value: 0.",
            lambda: TopKCategoricalAccuracy(0))
    _raises(RuntimeError, "The 'TopKCategoricalAccuracy' can not be calculated", TopKCategoricalAccuracy(1).eval)


def test_confusion_matrix():
    counts = np.array([[2.0, 0, 0], [0, 1, 1], [0, 1, 0]])
    assert np.array_equal(ConfusionMatrix(3)(SCORES, LABELS), counts)
    with np.errstate(invalid="ignore"):
        assert np.allclose(ConfusionMatrix(3, "target")(SCORES, LABELS), counts / counts.sum(1, keepdims=True))
        assert np.allclose(ConfusionMatrix(3, "prediction")(SCORES, LABELS), counts / counts.sum(0, keepdims=True))
    assert np.allclose(ConfusionMatrix(3, "all")(SCORES, LABELS), counts / 5)
    assert np.array_equal(ConfusionMatrix(4, "target")(SCORES, LABELS)[3], np.zeros(4))  # empty rows are 0
    binary = ConfusionMatrix(2, threshold=0.7)(np.array([0.2, 0.8, 0.55], np.float32), np.array([0, 1, 0]))
    assert np.array_equal(binary, [[2.0, 0], [0, 1]])
    _raises(RuntimeError, "Please call the 'update' method before calling 'eval' method.", ConfusionMatrix(2).eval)
    _raises(ValueError, "For 'ConfusionMatrix', the argument 'normalize' must be in ['all', 'prediction', 'label', "
            "'no_norm'(None)], but got rows.", lambda: ConfusionMatrix(2, "rows"))
    _raises(TypeError, "The type of 'threshold' should be 'float', but got type 'int'.",
            lambda: ConfusionMatrix(2, threshold=1))
    _raises(TypeError, "The type of 'num_classes' should be 'int', but got type 'float'.", lambda: ConfusionMatrix(2.0))
    _raises(ValueError, "For 'ConfusionMatrix.update', predicted value (input[0]) and true value (input[1]) should "
            "have same dimensions", lambda: ConfusionMatrix(3).update(SCORES[None], LABELS))
