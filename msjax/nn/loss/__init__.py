"""``mindspore.nn.loss``."""
from msjax._src.losses import (  # noqa: F401
    LossBase, MSELoss, L1Loss, SoftmaxCrossEntropyWithLogits, CrossEntropyLoss, BCEWithLogitsLoss, NLLLoss,
)

__all__ = ["LossBase", "MSELoss", "L1Loss", "SoftmaxCrossEntropyWithLogits", "CrossEntropyLoss", "BCEWithLogitsLoss",
           "NLLLoss"]
