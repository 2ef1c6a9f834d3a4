# The MindSpore 2.x quick start's training loop (tutorials/source_en/beginner/quick_start.md, "Training"):
# forward_fn returns (loss, logits), value_and_grad(forward_fn, None, optimizer.parameters, has_aux=True) gives
# ((loss, logits), grads), and the optimizer applies the gradients.
# Changes from the tutorial: a small two-layer network on a fixed 6-sample batch instead of the MNIST MLP and
# dataset; the layers are written with Parameters and ops.matmul, the cross-entropy loss with log_softmax and
# one_hot, and the SGD step by hand with ops.assign, because msjax has no nn.Dense, nn.CrossEntropyLoss or
# optimizers (nn.SGD) yet. The hand optimizer has nn.SGD's interface: `.parameters` and `optimizer(grads)`.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter


class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w1 = Parameter(Tensor(np.array([[0.2, -0.3, 0.1, 0.4], [-0.1, 0.5, 0.3, -0.2], [0.3, 0.1, -0.4, 0.2]],
                                            np.float32)), name='w1')
        self.b1 = Parameter(Tensor(np.full(4, 0.05, np.float32)), name='b1')
        self.w2 = Parameter(Tensor(np.array([[0.3, -0.2], [0.1, 0.4], [-0.3, 0.2], [0.2, -0.1]], np.float32)),
                            name='w2')
        self.b2 = Parameter(Tensor(np.zeros(2, np.float32)), name='b2')

    def construct(self, x):
        hidden = ops.relu(ops.matmul(x, self.w1) + self.b1)
        logits = ops.matmul(hidden, self.w2) + self.b2
        return logits


class CrossEntropyLoss:
    def __call__(self, logits, label):
        one_hot = ops.one_hot(label, logits.shape[-1], Tensor(1.0, mindspore.float32), Tensor(0.0, mindspore.float32))
        return -(ops.log_softmax(logits, -1) * one_hot).sum(-1).mean()


class SGD:
    def __init__(self, params, learning_rate):
        self.parameters = params
        self.learning_rate = learning_rate

    def __call__(self, grads):
        for param, grad in zip(self.parameters, grads):
            ops.assign(param, param - self.learning_rate * grad)


model = Network()
print(model)
print([p.name for p in model.trainable_params()])

loss_fn = CrossEntropyLoss()
optimizer = SGD(model.trainable_params(), 0.5)

data = Tensor(np.array([[1.0, 0.6, -0.4], [0.8, 1.0, 0.0], [1.2, 0.1, 0.3],
                        [-1.0, -0.4, 0.6], [-0.7, -1.2, 0.1], [-0.2, -0.8, -0.9]], np.float32))
label = Tensor(np.array([0, 0, 0, 1, 1, 1], np.int32))


# Define forward function
def forward_fn(data, label):
    logits = model(data)
    loss = loss_fn(logits, label)
    return loss, logits


# Get gradient function
grad_fn = mindspore.value_and_grad(forward_fn, None, optimizer.parameters, has_aux=True)


# Define function of one-step training
def train_step(data, label):
    (loss, _), grads = grad_fn(data, label)
    optimizer(grads)
    return loss


model.set_train()
for step in range(8):
    loss = train_step(data, label)
    print(f"step {step}: loss: {loss.asnumpy():>7f}")

for param in model.trainable_params():
    print(param.name, param.asnumpy())

logits = model(data)
print("predicted:", logits.argmax(1), "actual:", label)
