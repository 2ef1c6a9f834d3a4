"""``mindspore.parallel``: sharding strategies (see msjax/_src/shard_strategy.py)."""
from msjax._src.shard_strategy import Layout, shard  # noqa: F401

__all__ = ["shard", "Layout"]
