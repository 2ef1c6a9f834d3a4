# The autodiff tutorial (shared/seed), program 2: GradOperation of f(x) = cos(sin(x)) inside a GradNet Cell.
# The seed mixes tabs and spaces in GradNet.__init__; this copy uses spaces only (Python 3 requires it).
from mindspore import nn, ops
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

def backward():
    f = Net()
    gradf = GradNet(f)
    x = np.array([1.0, 2.0, 5.0], np.float32)
    y1 = -np.sin(np.sin(x)) * np.cos(x)
    x = Tensor(x)
    y2 = gradf(x)

    print("y1 = ", y1)
    print("y2 = ", y2)

if __name__ == "__main__":
    backward()
