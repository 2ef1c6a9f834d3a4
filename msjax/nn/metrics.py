"""``mindspore.nn.metrics``: the metrics of ``mindspore.train.metrics``, also reachable as ``nn.Accuracy`` etc."""
from msjax._src.metrics import (Accuracy, ConfusionMatrix, F1, Fbeta, Loss, MAE, MSE, Metric, Precision, Recall,
                                Top1CategoricalAccuracy, Top5CategoricalAccuracy, TopKCategoricalAccuracy,
                                get_metric_fn, get_metrics, names, rearrange_inputs)

__all__ = ["names", "get_metric_fn", "get_metrics", "Accuracy", "Metric", "rearrange_inputs", "Loss", "Precision",
           "Recall", "Fbeta", "F1", "MAE", "MSE", "TopKCategoricalAccuracy", "Top1CategoricalAccuracy",
           "Top5CategoricalAccuracy", "ConfusionMatrix"]
