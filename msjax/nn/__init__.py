"""``mindspore.nn``: Cells, layers, losses, optimizers and training wrappers."""
from msjax._src.cell import Cell  # noqa: F401
from msjax.nn.layer import *  # noqa: F401,F403
from msjax.nn.loss import *  # noqa: F401,F403
from msjax.nn.optim import *  # noqa: F401,F403
from msjax.nn.wrap import *  # noqa: F401,F403
from msjax.nn.learning_rate_schedule import *  # noqa: F401,F403
from msjax.nn.metrics import *  # noqa: F401,F403
from msjax.nn.dynamic_lr import *  # noqa: F401,F403
from msjax.nn import dynamic_lr  # noqa: F401
from msjax.nn import layer, learning_rate_schedule, loss, optim, wrap  # noqa: F401
from msjax.nn import metrics  # noqa: F401
