"""The tutorial's f(x, y, z) = (x * z) @ y net at 256x256 float32, differentiated by
GradOperation(get_all=True, get_by_list=True, sens_param=True) inside a Cell, as the tutorial's program 6 does.

    python grad_matmul_ms.py --mode pynative|graph      (or: python -m msjax grad_matmul_ms.py ...)
"""
import functools
import os
import sys

import numpy as np
import mindspore as ms
from mindspore import Parameter, ParameterTuple, Tensor, nn, ops

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _data  # noqa: E402
from _timing import framework, measure, parse_args  # noqa: E402

N = _data.MATMUL_N


class Net(nn.Cell):
    def __init__(self):
        super(Net, self).__init__()
        self.matmul = ops.MatMul()
        self.z = Parameter(Tensor(np.array([1.0], np.float32)), name='z')

    def construct(self, x, y):
        x = x * self.z
        out = self.matmul(x, y)
        return out


class GradNetWrtXYWithSensParam(nn.Cell):
    def __init__(self, net, sens):
        super(GradNetWrtXYWithSensParam, self).__init__()
        self.net = net
        self.grad_op = ops.GradOperation(get_all=True, get_by_list=True, sens_param=True)
        self.params = ParameterTuple(net.trainable_params())
        self.grad_wrt_output = sens

    def construct(self, x, y):
        gradient_function = self.grad_op(self.net, self.params)
        return gradient_function(x, y, self.grad_wrt_output)


args = parse_args(("pynative", "graph"))
ms.set_context(mode=ms.GRAPH_MODE if args.mode == "graph" else ms.PYNATIVE_MODE)
if args.device:
    ms.set_context(device_target=args.device)
grad_net = GradNetWrtXYWithSensParam(Net(), Tensor(_data.normal((N, N), seed=3)))
x, y = Tensor(_data.normal((N, N), seed=1)), Tensor(_data.normal((N, N), seed=2))
measure("grad_matmul", framework(), args, functools.partial(grad_net, x, y))
