"""``mindspore.train.metrics``."""
from msjax._src.metrics import Accuracy, Loss, Metric, get_metric_fn, get_metrics, names, rearrange_inputs

__all__ = ["Accuracy", "Loss", "Metric", "get_metric_fn", "names", "rearrange_inputs"]
