"""``mindspore.nn.dynamic_lr``: learning-rate lists."""
from msjax._src.dynamic_lr import (piecewise_constant_lr, exponential_decay_lr, natural_exp_decay_lr,  # noqa: F401
                                   inverse_decay_lr, cosine_decay_lr, polynomial_decay_lr, warmup_lr)

__all__ = ["piecewise_constant_lr", "exponential_decay_lr", "natural_exp_decay_lr", "inverse_decay_lr",
           "cosine_decay_lr", "polynomial_decay_lr", "warmup_lr"]
