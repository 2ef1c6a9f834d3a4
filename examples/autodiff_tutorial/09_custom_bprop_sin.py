# The autodiff tutorial (shared/seed): a custom bprop for Sin registered with bprop_getters, then the tutorial's
# GradNet over f(x) = cos(sin(x)). The rule is Sin's true derivative, so MindSpore 2.10 (which ignores
# registrations for built-in ops) prints the same values msjax does when it honours the rule.
# Import path: the seed uses mindspore.ops._grad.grad_base, which MindSpore 2.x removed; this is 2.10's path.
import mindspore.ops as ops
from mindspore.ops._grad_experimental.grad_base import bprop_getters

@bprop_getters.register(ops.Sin)
def get_bprop_sin(self):
    """Grad definition for `Sin` operation."""
    cos = ops.Cos()
    def bprop(x, out, dout):
        dx = dout * cos(x)
        return (dx,)
    return bprop

from mindspore import nn
from mindspore import Tensor
import numpy as np

class Net(nn.Cell):
    def __init__(self):
        super(Net, self).__init__()
        self.sin = ops.Sin()
        self.cos = ops.Cos()

    def construct(self, x):
        a = self.sin(x)
        out = self.cos(a)
        return out

class GradNet(nn.Cell):
    def __init__(self, net):
        super(GradNet, self).__init__()
        self.net = net
        self.grad_op = ops.GradOperation()
    def construct(self, x):
        gradient_function = self.grad_op(self.net)
        return gradient_function(x)

def sin_squared(x):
    return ops.sin(x) * ops.sin(x)

def backward():
    x = np.array([1.0, 2.0, 5.0], np.float32)
    y1 = -np.sin(np.sin(x)) * np.cos(x)
    y2 = GradNet(Net())(Tensor(x))
    print("y1 = ", y1)
    print("y2 = ", y2)
    # the functional op goes through the same rule
    print("d(sin^2)/dx = ", ops.GradOperation()(sin_squared)(Tensor(x)))
    print("2 sin cos   = ", 2 * np.sin(x) * np.cos(x))

if __name__ == "__main__":
    backward()
