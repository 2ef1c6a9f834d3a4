"""``mindspore.common``."""
from msjax.common import dtype  # noqa: F401
from msjax._src.tensor import Tensor, tensor, from_numpy, is_tensor  # noqa: F401
from msjax._src.parameter import Parameter, ParameterTuple  # noqa: F401
from msjax._src.random import set_seed, get_seed  # noqa: F401
from msjax.common import initializer  # noqa: F401
