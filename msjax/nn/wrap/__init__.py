"""``mindspore.nn.wrap``: training and evaluation wrappers."""
from msjax._src.wrappers import TrainOneStepCell, WithEvalCell, WithLossCell  # noqa: F401
