"""``mindspore.common.initializer``."""
from msjax._src.initializer import Initializer, Zero, One, Constant, Normal, Uniform, initializer  # noqa: F401
