"""``mindspore.amp``: mixed precision and loss scaling."""
from msjax._src.amp import (auto_mixed_precision, build_train_network, custom_mixed_precision,  # noqa: F401
                            get_black_list, get_white_list)
from msjax._src.loss_scale import (DynamicLossScaleManager, DynamicLossScaler, FixedLossScaleManager,  # noqa: F401
                                   LossScaleManager, LossScaler, StaticLossScaler, all_finite)

__all__ = ["DynamicLossScaleManager", "LossScaleManager", "FixedLossScaleManager", "build_train_network",
           "DynamicLossScaler", "StaticLossScaler", "LossScaler", "auto_mixed_precision", "all_finite",
           "custom_mixed_precision", "get_white_list", "get_black_list"]
