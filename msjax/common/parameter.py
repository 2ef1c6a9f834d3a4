"""``mindspore.common.parameter``."""
from msjax._src.parameter import Parameter, ParameterTuple  # noqa: F401
