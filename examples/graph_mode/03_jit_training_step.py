# The MindSpore 2.x training loop: value_and_grad over a forward function that uses a global network, and the
# whole step compiled with @ms.jit. (msjax has no nn optimizers yet: the SGD update is written with ops.assign.)
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class Linear(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[0.1], [-0.2], [0.3]], np.float32)), name="w")
        self.b = Parameter(Tensor(np.array([0.0], np.float32)), name="b")

    def construct(self, x):
        return ops.matmul(x, self.w) + self.b


model = Linear()
params = model.trainable_params()
learning_rate = 0.1


def forward_fn(data, label):
    logits = model(data)
    loss = ((logits - label) ** 2).mean()
    return loss, logits


grad_fn = ms.value_and_grad(forward_fn, None, params, has_aux=True)


@ms.jit
def train_step(data, label):
    (loss, _), grads = grad_fn(data, label)
    for param, grad in zip(params, grads):
        ops.assign(param, param - learning_rate * grad)
    return loss


data = Tensor(np.array([[1.0, 0.0, 2.0], [0.5, 1.0, -1.0], [2.0, 1.5, 0.0], [-1.0, 2.0, 1.0]], np.float32))
label = Tensor(np.array([[1.0], [0.0], [2.0], [-0.5]], np.float32))
for step in range(6):
    loss = train_step(data, label)
    print(f"step {step}: loss {loss.asnumpy():.6f}")
print("w:", model.w.asnumpy().reshape(-1))
print("b:", model.b.asnumpy())
