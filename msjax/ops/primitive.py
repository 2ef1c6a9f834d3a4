"""``mindspore.ops.primitive``."""
from msjax._src.primitive import Primitive  # noqa: F401
