"""``mindspore.train.serialization``: checkpoints."""
from msjax._src.checkpoint import save_checkpoint, load_checkpoint, load_param_into_net  # noqa: F401
from msjax._src.safetensors import ckpt_to_safetensors, safetensors_to_ckpt  # noqa: F401

__all__ = ["save_checkpoint", "load_checkpoint", "load_param_into_net", "ckpt_to_safetensors", "safetensors_to_ckpt"]
