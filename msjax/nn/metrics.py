"""``mindspore.nn.metrics``: the metrics of ``mindspore.train.metrics``, also reachable as ``nn.Accuracy`` etc."""
from msjax._src.metrics import Accuracy, Loss, Metric, get_metric_fn, get_metrics, names, rearrange_inputs

__all__ = ["names", "get_metric_fn", "get_metrics", "Accuracy", "Metric", "rearrange_inputs", "Loss"]
