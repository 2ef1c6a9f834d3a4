"""``mindspore.dataset.transforms``."""
from msjax._src.dataset.transforms import Compose, OneHot, TypeCast  # noqa: F401
from msjax.dataset.transforms import transforms  # noqa: F401

__all__ = ["Compose", "OneHot", "TypeCast"]
