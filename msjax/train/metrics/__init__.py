"""``mindspore.train.metrics``."""
from msjax._src.metrics import (Accuracy, ConfusionMatrix, F1, Fbeta, Loss, MAE, MSE, Metric, Precision, Recall,
                                Top1CategoricalAccuracy, Top5CategoricalAccuracy, TopKCategoricalAccuracy,
                                get_metric_fn, get_metrics, names, rearrange_inputs)

__all__ = ["Accuracy", "ConfusionMatrix", "F1", "Fbeta", "Loss", "MAE", "MSE", "Metric", "Precision", "Recall",
           "Top1CategoricalAccuracy", "Top5CategoricalAccuracy", "TopKCategoricalAccuracy", "get_metric_fn", "names",
           "rearrange_inputs"]
