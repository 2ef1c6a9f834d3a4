"""``mindspore.dataset.transforms.transforms``."""
from msjax._src.dataset.transforms import Compose, OneHot, TypeCast  # noqa: F401
