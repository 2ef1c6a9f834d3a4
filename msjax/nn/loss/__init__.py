"""``mindspore.nn.loss``."""
from msjax._src.losses import (  # noqa: F401
    LossBase, MSELoss, L1Loss, SoftmaxCrossEntropyWithLogits, CrossEntropyLoss, BCEWithLogitsLoss, NLLLoss,
    SmoothL1Loss, BCELoss, KLDivLoss, HuberLoss, CosineEmbeddingLoss, MarginRankingLoss,
)

__all__ = ["LossBase", "MSELoss", "L1Loss", "SoftmaxCrossEntropyWithLogits", "CrossEntropyLoss", "BCEWithLogitsLoss",
           "NLLLoss", "SmoothL1Loss", "BCELoss", "KLDivLoss", "HuberLoss", "CosineEmbeddingLoss", "MarginRankingLoss"]
