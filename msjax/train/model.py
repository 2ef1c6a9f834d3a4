"""``mindspore.train.model``."""
from msjax._src.model import Model

__all__ = ["Model"]
