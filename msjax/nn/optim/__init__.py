"""``mindspore.nn.optim``."""
from msjax._src.optimizers import Optimizer, SGD, Momentum, Adam, AdamWeightDecay  # noqa: F401
from msjax._src.optimizers_adaptive import RMSProp, Adagrad  # noqa: F401

__all__ = ["Optimizer", "SGD", "Momentum", "Adam", "AdamWeightDecay", "RMSProp", "Adagrad"]
