"""``mindspore.common.initializer``."""
from msjax._src.initializer import (  # noqa: F401
    Initializer, Zero, One, Constant, Normal, Uniform, TruncatedNormal, HeUniform, HeNormal, XavierUniform,
    XavierNormal, Identity, Sparse, Dirac, Orthogonal, VarianceScaling, initializer,
)
