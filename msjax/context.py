"""``mindspore.context``."""
from msjax._src.context import (  # noqa: F401
    GRAPH_MODE, PYNATIVE_MODE, STRICT, COMPATIBLE, LAX, ParallelMode, get_context, set_context, set_device,
)
