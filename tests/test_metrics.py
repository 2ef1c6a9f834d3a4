"""mindspore.train metrics: Accuracy and Loss values, their checks and messages, the name registry (all checked
against MindSpore 2.10)."""
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
    assert names() == ["acc", "accuracy", "loss"]
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
    assert not hasattr(nn, "Accuracy") or nn.Accuracy is Accuracy
