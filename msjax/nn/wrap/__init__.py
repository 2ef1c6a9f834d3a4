"""``mindspore.nn.wrap``: training and evaluation wrappers."""
from msjax._src.wrappers import TrainOneStepCell, WithEvalCell, WithLossCell  # noqa: F401
from msjax._src.loss_scale import (DynamicLossScaleUpdateCell, FixedLossScaleUpdateCell,  # noqa: F401
                                   TrainOneStepWithLossScaleCell)
from msjax._src.grad_reducer import DistributedGradReducer  # noqa: F401
