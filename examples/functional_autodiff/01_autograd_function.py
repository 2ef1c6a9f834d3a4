# The MindSpore 2.x beginner tutorial "Automatic Differentiation" (tutorials/source_en/beginner/autograd.md):
# mindspore.grad of a function w.r.t. inputs, a tuple output, ops.stop_gradient, has_aux, and value_and_grad of a
# forward function over a Cell with weights=model.trainable_params().
# Changes from the tutorial: fixed w and b instead of np.random.randn; the loss is written out with basic ops
# because msjax has no ops.binary_cross_entropy_with_logits / nn.BCEWithLogitsLoss yet (same formula: mean over
# elements of max(z, 0) - z*y + log(1 + exp(-|z|)), unit weight and pos_weight).
import numpy as np
import mindspore
from mindspore import ops, nn, Tensor, Parameter

x = ops.ones(5, mindspore.float32)  # input tensor
y = ops.zeros(3, mindspore.float32)  # expected output
w = Parameter(Tensor(np.array([[0.5, -0.1, 0.6], [1.5, -0.2, -0.2], [1.6, 0.8, -0.5], [0.5, -0.5, -0.5],
                               [0.2, -1.9, -1.7]]), mindspore.float32), name='w')  # weight
b = Parameter(Tensor(np.array([-0.6, -1.0, 0.3]), mindspore.float32), name='b')  # bias


def binary_cross_entropy_with_logits(logits, label):
    return (ops.relu(logits) - logits * label + ops.log(1 + ops.exp(-ops.abs(logits)))).mean()


def function(x, y, w, b):
    z = ops.matmul(x, w) + b
    loss = binary_cross_entropy_with_logits(z, y)
    return loss


loss = function(x, y, w, b)
print(loss)

grad_fn = mindspore.grad(function, (2, 3))
grads = grad_fn(x, y, w, b)
print(grads)


# Stop Gradient: a second output contributes to the gradient unless it is stopped.
def function_with_logits(x, y, w, b):
    z = ops.matmul(x, w) + b
    loss = binary_cross_entropy_with_logits(z, y)
    return loss, z


grad_fn = mindspore.grad(function_with_logits, (2, 3))
grads = grad_fn(x, y, w, b)
print(grads)


def function_stop_gradient(x, y, w, b):
    z = ops.matmul(x, w) + b
    loss = binary_cross_entropy_with_logits(z, y)
    return loss, ops.stop_gradient(z)


grad_fn = mindspore.grad(function_stop_gradient, (2, 3))
grads = grad_fn(x, y, w, b)
print(grads)

# Auxiliary data: has_aux=True differentiates only the first output and returns the others as a tuple.
grad_fn = mindspore.grad(function_with_logits, (2, 3), has_aux=True)
grads, (z,) = grad_fn(x, y, w, b)
print(grads, z)


# Calculating Neural Network Gradient
class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = w
        self.b = b

    def construct(self, x):
        z = ops.matmul(x, self.w) + self.b
        return z


model = Network()
loss_fn = binary_cross_entropy_with_logits


def forward_fn(x, y):
    z = model(x)
    loss = loss_fn(z, y)
    return loss


grad_fn = mindspore.value_and_grad(forward_fn, None, weights=model.trainable_params())
loss, grads = grad_fn(x, y)
print(loss)
print(grads)
