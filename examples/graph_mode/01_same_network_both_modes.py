# One line switches between eager (PyNative) and compiled (graph) execution: the same network, the same inputs,
# the same numbers. (The MindSpore autodiff tutorial's closing claim.)
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[0.5, -1.0], [2.0, 0.25], [1.0, 1.5]], np.float32)), name="w")
        self.b = Parameter(Tensor(np.array([0.1, -0.2], np.float32)), name="b")

    def construct(self, x):
        h = ops.matmul(x, self.w) + self.b
        return (ops.sin(h) * h).sum()


x = Tensor(np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32))
net = Net()
grad_fn = ops.GradOperation(get_all=True, get_by_list=True)(net, ParameterTuple(net.trainable_params()))

for mode, name in ((ms.PYNATIVE_MODE, "PYNATIVE_MODE"), (ms.GRAPH_MODE, "GRAPH_MODE")):
    ms.set_context(mode=mode)
    print(name, ms.get_context("mode"))
    print("output:", net(x))
    print("gradients:", grad_fn(x))
