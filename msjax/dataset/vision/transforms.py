"""``mindspore.dataset.vision.transforms``."""
from msjax._src.dataset.vision import HWC2CHW, Normalize, Rescale, ToTensor  # noqa: F401
