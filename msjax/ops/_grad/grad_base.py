"""``mindspore.ops._grad.grad_base`` (MindSpore 1.x path; gone in 2.x): the same registry as
``mindspore.ops._grad_experimental.grad_base``."""
from msjax.ops._grad_experimental.grad_base import BpropRegistry, bprop_getters, bprops  # noqa: F401
