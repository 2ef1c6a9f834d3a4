"""``mindspore.ops._grad_experimental.grad_base``: where ``bprop_getters`` lives in MindSpore 2.x.

Registrations replace the op's gradient in msjax (as in MindSpore 1.x and the autodiff tutorial); MindSpore 2.10
ignores them for its built-in ops.
"""
from msjax._src.bprop import BpropRegistry, bprop_getters, bprops  # noqa: F401
