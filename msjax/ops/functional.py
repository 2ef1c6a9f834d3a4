"""``mindspore.ops.functional`` (usually imported as ``F``)."""
from msjax._src.functional import *  # noqa: F401,F403
from msjax._src.functional import (  # noqa: F401
    abs, all, any, max, min, pow, round, sum, stop_gradient, print_, depend,
)
from msjax._src.grad import GradOperation  # noqa: F401
