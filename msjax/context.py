"""``mindspore.context``."""
from msjax._src.context import (  # noqa: F401
    GRAPH_MODE, PYNATIVE_MODE, STRICT, COMPATIBLE, LAX, ParallelMode, get_context, set_context, set_device,
)
from msjax._src.auto_parallel_context import (  # noqa: F401,E402
    get_auto_parallel_context, reset_auto_parallel_context, set_auto_parallel_context,
)
