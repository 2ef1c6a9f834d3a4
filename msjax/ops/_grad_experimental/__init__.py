"""``mindspore.ops._grad_experimental``."""
from msjax.ops._grad_experimental import grad_base  # noqa: F401
