"""``mindspore.ops.functional`` (usually imported as ``F``)."""
from msjax._src.functional import *  # noqa: F401,F403
from msjax._src.functional import (  # noqa: F401
    abs, all, any, max, min, pow, round, sum, stop_gradient, print_, depend,
)
from msjax._src.grad import GradOperation, grad, value_and_grad, get_grad  # noqa: F401
from msjax._src.autodiff import vjp, jvp, jacfwd, jacrev, derivative  # noqa: F401
from msjax._src.vmap import vmap  # noqa: F401
