"""``mindspore.common.tensor``."""
from msjax._src.tensor import Tensor, tensor, from_numpy, is_tensor  # noqa: F401
