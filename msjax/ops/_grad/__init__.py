"""``mindspore.ops._grad``: the MindSpore 1.x location of ``grad_base`` that older tutorials import."""
from msjax.ops._grad import grad_base  # noqa: F401
