"""``mindspore.dataset.vision``."""
from msjax._src.dataset.vision import HWC2CHW, Normalize, Rescale, ToTensor  # noqa: F401
from msjax.dataset.vision import transforms  # noqa: F401

__all__ = ["HWC2CHW", "Normalize", "Rescale", "ToTensor"]
