"""The autodiff tutorial's gradient of f(x) = cos(sin(x)): GradOperation inside a GradNet Cell, 3 float32 elements.

    python tutorial_grad_ms.py --mode pynative|graph      (or: python -m msjax tutorial_grad_ms.py ...)
"""
import functools
import os
import sys

import mindspore as ms
from mindspore import Tensor, nn, ops

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _data  # noqa: E402
from _timing import framework, measure, parse_args  # noqa: E402


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


args = parse_args(("pynative", "graph"))
ms.set_context(mode=ms.GRAPH_MODE if args.mode == "graph" else ms.PYNATIVE_MODE)
if args.device:
    ms.set_context(device_target=args.device)
grad_net = GradNet(Net())
x = Tensor(_data.TUTORIAL_X)
measure("tutorial_grad", framework(), args, functools.partial(grad_net, x))
