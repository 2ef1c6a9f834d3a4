# A registered bprop that is not the true derivative: a straight-through estimator for Round (whose true
# gradient is zero almost everywhere), as used in quantization-aware training. msjax honours the registration, as
# MindSpore 1.x did; MindSpore 2.10 ignores it, so this program's recording comes from the same rule written as a
# Cell.bprop (compat_tests/reference_programs/10_custom_bprop_straight_through_cell.py), which 2.10 honours.
import numpy as np
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple
from mindspore.ops._grad_experimental.grad_base import bprop_getters


@bprop_getters.register(ops.Round)
def get_bprop_round(self):
    def bprop(x, out, dout):
        return (dout,)
    return bprop


class Quantize(nn.Cell):
    """Rounds to multiples of 1/4."""
    def __init__(self):
        super().__init__()
        self.round = ops.Round()
        self.scale = 4.0

    def construct(self, x):
        return self.round(x * self.scale) / self.scale


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.quantize = Quantize()
        self.w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name="w")

    def construct(self, x):
        q = self.quantize(x * self.w)
        return (q * q).sum()


net = Net()
x = Tensor(np.array([0.3, 0.7, -0.45], np.float32))
print("loss:", net(x))
grads = ops.GradOperation(get_all=True, get_by_list=True)(net, ParameterTuple(net.trainable_params()))(x)
print("grads:", grads)
