"""``mindspore.nn``."""
from msjax._src.cell import Cell  # noqa: F401
