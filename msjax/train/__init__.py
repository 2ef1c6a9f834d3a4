"""``mindspore.train``: Model, callbacks, metrics and checkpoints."""
from msjax.train.model import *  # noqa: F401,F403
from msjax.train.callback import *  # noqa: F401,F403
from msjax.train.metrics import *  # noqa: F401,F403
from msjax.train.serialization import *  # noqa: F401,F403
from msjax.train import callback, metrics, serialization  # noqa: F401
