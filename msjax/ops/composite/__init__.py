"""``mindspore.ops.composite`` (usually imported as ``C``)."""
from msjax._src.grad import GradOperation  # noqa: F401
