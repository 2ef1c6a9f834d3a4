# Reference for examples/autodiff_tutorial/10_custom_bprop_straight_through.py: the same straight-through rule for
# Round, written as a Cell.bprop, which MindSpore 2.10 honours (it ignores bprop_getters registrations).
import numpy as np
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple


class StraightThroughRound(nn.Cell):
    def __init__(self):
        super().__init__()
        self.round = ops.Round()

    def construct(self, x):
        return self.round(x)

    def bprop(self, x, out, dout):
        return (dout,)


class Quantize(nn.Cell):
    """Rounds to multiples of 1/4."""
    def __init__(self):
        super().__init__()
        self.round = StraightThroughRound()
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
