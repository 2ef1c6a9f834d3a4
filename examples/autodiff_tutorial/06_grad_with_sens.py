# The autodiff tutorial (shared/seed), program 6: get_all + get_by_list + sens_param: every gradient scaled by the sensitivity.
from mindspore import nn, ops
from mindspore import Tensor
from mindspore import dtype as mstype  # the seed uses mstype without importing it
import numpy as np

from mindspore import Parameter
# f(x,y,z) = (x*z)*y
class Net(nn.Cell):
    def __init__(self):
        super(Net, self).__init__()
        self.matmul = ops.MatMul()
        self.z = Parameter(Tensor(np.array([1.0], np.float32)), name='z')
    def construct(self, x, y):
        x = x * self.z
        out = self.matmul(x, y)
        return out
import mindspore
from mindspore import ParameterTuple
# sens * df/dx, sens * df/dy, sens * df/dz
class GradNetWrtXYWithSensParam(nn.Cell):
    def __init__(self, net):
        super(GradNetWrtXYWithSensParam, self).__init__()
        self.net = net
        self.grad_op = ops.GradOperation(get_all=True, get_by_list=True, sens_param=True)
        self.params = ParameterTuple(net.trainable_params())
        self.grad_wrt_output = Tensor([[0.1, 0.1, 0.1], [0.1, 0.1, 0.1]], dtype=mindspore.float32)
    def construct(self, x, y):
        gradient_function = self.grad_op(self.net, self.params)
        return gradient_function(x, y, self.grad_wrt_output)

x = Tensor([[0.5, 0.6, 0.4], [1.2, 1.3, 1.1]], dtype=mindspore.float32)
y = Tensor([[0.01, 0.3, 1.1], [0.1, 0.2, 1.3], [2.1, 1.2, 3.3]], dtype=mindspore.float32)

output = GradNetWrtXYWithSensParam(Net())(x, y)
print(output)

# out = (x*z)*y 关于y导数如下
xnp = x.asnumpy().T
a = np.ones((2,3))
out = np.matmul(xnp, a)
print(out)
