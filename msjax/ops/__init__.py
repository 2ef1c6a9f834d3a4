"""``mindspore.ops``: op classes, functional ops and autodiff entry points."""
from msjax.ops.operations import *  # noqa: F401,F403
from msjax.ops.functional import *  # noqa: F401,F403
from msjax.ops.functional import abs, all, any, max, min, pow, round, sum  # noqa: F401,A004
from msjax.ops import operations, functional, composite  # noqa: F401
from msjax._src.grad import GradOperation  # noqa: F401
from msjax._src.primitive import Primitive  # noqa: F401
