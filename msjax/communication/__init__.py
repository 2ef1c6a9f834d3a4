"""``mindspore.communication``."""
from msjax._src.communication import (  # noqa: F401
    GlobalComm, HCCL_WORLD_COMM_GROUP, MCCL_WORLD_COMM_GROUP, NCCL_WORLD_COMM_GROUP, get_group_size, get_local_rank,
    get_local_rank_size, get_rank, init, release,
)
from msjax.communication import management  # noqa: F401

__all__ = ["GlobalComm", "init", "release", "get_rank", "get_group_size", "get_local_rank", "get_local_rank_size",
           "HCCL_WORLD_COMM_GROUP", "NCCL_WORLD_COMM_GROUP", "MCCL_WORLD_COMM_GROUP"]
