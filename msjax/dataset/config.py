"""``mindspore.dataset.config``."""
from msjax._src.dataset.config import (get_num_parallel_workers, get_prefetch_size, get_seed,  # noqa: F401
                                       set_num_parallel_workers, set_prefetch_size, set_seed)
