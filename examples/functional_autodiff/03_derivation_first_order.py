# The MindSpore 2.x tutorial "Advanced Automatic Differentiation" (r2.3.1 tutorials/source_en/advanced/derivation.md),
# first-order part: grad w.r.t. inputs (grad_position=(0, 1)), w.r.t. weights (grad_position=None, weights=params),
# has_aux with a forward function over a network and a loss, and ops.stop_gradient inside a Cell.
# Changes from the tutorial: nn.Dense(10, 1) and nn.MSELoss are written as a small Cell with Parameters and
# ops.matmul and a squared-error mean (msjax has no nn.Dense / nn.MSELoss yet), with fixed weights and data
# instead of random ones; the gradient itself is printed as well as its length.
import numpy as np
from mindspore import ops, Tensor
import mindspore.nn as nn
import mindspore as ms

# Define the inputs x and y.
x = Tensor([3.0], dtype=ms.float32)
y = Tensor([5.0], dtype=ms.float32)


class Net(nn.Cell):
    def __init__(self):
        super(Net, self).__init__()
        self.z = ms.Parameter(ms.Tensor(np.array([1.0], np.float32)), name='z')

    def construct(self, x, y):
        out = x * x * y * self.z
        return out


# Computing the First-order Derivative for Input
net = Net()
grad_fn = ms.grad(net, grad_position=(0, 1))
gradients = grad_fn(x, y)
print(gradients)

# Computing the Derivative for Weight
params = ms.ParameterTuple(net.trainable_params())
output = ms.grad(net, grad_position=None, weights=params)(x, y)
print(output)


# Returning Auxiliary Variables
class Dense(nn.Cell):
    def __init__(self, weight, bias):
        super().__init__()
        self.weight = ms.Parameter(Tensor(weight), name='weight')
        self.bias = ms.Parameter(Tensor(bias), name='bias')

    def construct(self, x):
        return ops.matmul(x, self.weight.T) + self.bias


net = Dense(np.linspace(-0.5, 0.4, 10, dtype=np.float32).reshape(1, 10), np.array([0.1], np.float32))


def loss_fn(logits, labels):
    return ((logits - labels) ** 2).mean()


def forward(inputs, labels):
    logits = net(inputs)
    loss = loss_fn(logits, labels)
    return loss, logits


inputs = Tensor(np.cos(np.arange(16 * 10, dtype=np.float32)).reshape(16, 10))
labels = Tensor(np.sin(np.arange(16, dtype=np.float32)).reshape(16, 1))
weights = net.trainable_params()

# Aux value does not contribute to the gradient.
grad_fn = ms.grad(forward, grad_position=0, weights=None, has_aux=True)
inputs_gradient, (aux_logits,) = grad_fn(inputs, labels)
print(len(inputs_gradient), aux_logits.shape)
print(inputs_gradient[:2])

# With the weights as well: (input gradient, weight gradients).
grad_fn = ms.grad(forward, grad_position=0, weights=weights, has_aux=True)
(inputs_gradient, weight_gradients), (aux_logits,) = grad_fn(inputs, labels)
print(weight_gradients)


# Stopping Gradient Computation
class Net(nn.Cell):

    def __init__(self):
        super(Net, self).__init__()

    def construct(self, x, y):
        out1 = x * y
        out2 = x * y
        out2 = ops.stop_gradient(out2)  # Stop computing the gradient of the out2 operator.
        out = out1 + out2
        return out


net = Net()
grad_fn = ms.grad(net)
output = grad_fn(x, y)
print(output)


class Net(nn.Cell):
    def __init__(self):
        super(Net, self).__init__()

    def construct(self, x, y):
        out1 = x * y
        out2 = x * y
        # out2 = stop_gradient(out2)
        out = out1 + out2
        return out


net = Net()
grad_fn = ms.grad(net)
output = grad_fn(x, y)
print(output)
