"""``mindspore.ops``: op classes, functional ops and autodiff entry points."""
from msjax.ops.operations import *  # noqa: F401,F403
from msjax.ops.functional import *  # noqa: F401,F403
from msjax.ops.functional import abs, all, any, max, min, pow, round, sum  # noqa: F401,A004
from msjax.ops import operations, functional, composite  # noqa: F401
from msjax._src.grad import GradOperation, grad, value_and_grad, get_grad  # noqa: F401
from msjax._src.autodiff import vjp, jvp, jacfwd, jacrev, derivative  # noqa: F401
from msjax._src.vmap import vmap  # noqa: F401
from msjax._src.primitive import Primitive  # noqa: F401
