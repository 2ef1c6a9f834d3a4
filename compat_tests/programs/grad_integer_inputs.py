"""Gradients with respect to integer and bool Tensors: computed as for floats, then cast to the input's dtype."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple

ms.set_context(pynative_synchronize=True)

ga = ops.GradOperation(get_all=True)
a32 = Tensor(np.array([3, 4], np.int32))
a64 = Tensor(np.array([3, 4], np.int64))
w = Tensor(np.array([1.7, -2.6], np.float32))
x = Tensor(np.array([0.5, -1.5], np.float32))

print("square int32", ops.GradOperation()(lambda a: (a * a).astype(ms.float32))(a32))
print("square int64", ops.GradOperation()(lambda a: (a * a).astype(ms.float32))(a64))
print("int output", ops.GradOperation()(lambda a: a * a)(a32))
print("truncation", ga(lambda a, v: a * v)(a32, w))
print("truncation int64", ga(lambda a, v: a * v)(a64, w))
print("cast then scale", ops.GradOperation()(lambda a: a.astype(ms.float32) * 2.5)(a32))
print("negative", ops.GradOperation()(lambda a: a.astype(ms.float32) * -2.5)(a32))
print("mixed", ga(lambda f, a: f * a.astype(ms.float32) * a.astype(ms.float32))(x, a32))
print("int sum", ops.GradOperation()(lambda a: (a * 3).sum().astype(ms.float32))(a32))
print("each use truncates", ops.GradOperation()(lambda a: a.astype(ms.float32) * 0.6 + a.astype(ms.float32) * 0.6)(a32))
print("one cast used twice", ops.GradOperation()(lambda a: (lambda c: c * 0.6 + c * 0.6)(a.astype(ms.float32)))(a32))
print("int32 to int64", ops.GradOperation()(lambda a: a.astype(ms.int64) * 3)(a32))
print("identity", ops.GradOperation()(lambda a: a)(a32))
print("int8", ops.GradOperation()(lambda a: a.astype(ms.float32) * 2.5)(Tensor(np.array([3, 4], np.int8))))
print("uint8", ops.GradOperation()(lambda a: a.astype(ms.float32) * 2.5)(Tensor(np.array([3, 4], np.uint8))))
print("float through int", ops.GradOperation()(lambda f: (f.astype(ms.int32) * 2).astype(ms.float32))(x))
print("float to int output", ops.GradOperation()(lambda f: f.astype(ms.int32) * 2)(x))


def shows_int(a):
    print("inside", a, a.dtype, a[1])
    return a.astype(ms.float32) * 2


print("printed inside", ops.GradOperation()(shows_int)(a32))
b = Tensor(np.array([True, False]))
print("bool", ops.GradOperation()(lambda c: c.astype(ms.float32) * 3.0)(b))
print("bool zero", ops.GradOperation()(lambda c: c.astype(ms.float32) * 0.0)(b))
print("bool mixed", ga(lambda f, c: f * c.astype(ms.float32))(x, b))
print("int unused", ga(lambda f, a: f * f)(x, a32))
print("int sens", ops.GradOperation(sens_param=True)(lambda a: a.astype(ms.float32) * 2.0)(
    a32, Tensor(np.array([0.6, 1.6], np.float32))))


# --- integer labels next to float inputs: the FGSM adversarial-example pattern ---
class Classifier(nn.Cell):
    def __init__(self):
        super().__init__()
        self.weight = Parameter(Tensor(np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.5]], np.float32)), name="weight")
        self.bias = Parameter(Tensor(np.array([0.1, 0.0, -0.1], np.float32)), name="bias")

    def construct(self, data):
        return ops.matmul(data, self.weight) + self.bias


class WithLoss(nn.Cell):
    def __init__(self, network):
        super().__init__()
        self.network = network

    def construct(self, data, label):
        logits = self.network(data)
        onehot = ops.one_hot(label, 3, Tensor(1.0, ms.float32), Tensor(0.0, ms.float32))
        return -(ops.log_softmax(logits, -1) * onehot).sum()


net = Classifier()
loss = WithLoss(net)
data = Tensor(np.array([[1.0, 2.0], [-1.0, 0.5]], np.float32))
labels = Tensor(np.array([2, 0], np.int32))
print("loss", loss(data, labels))
grads = ops.GradOperation(get_all=True)(loss)(data, labels)
print("fgsm grads", grads)
adversarial = data + 0.1 * ops.sign(grads[0])
print("adversarial", adversarial)
print("with params", ops.GradOperation(get_all=True, get_by_list=True)(loss, ParameterTuple(net.trainable_params()))(
    data, labels))
labels64 = Tensor(np.array([2, 0], np.int64))
print("int64 labels", ops.GradOperation(get_all=True)(loss)(data, labels64))


def gathered(table, idx):
    return ops.gather(table, idx, 0).sum()


table = Tensor(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32))
idx = Tensor(np.array([2, 0, 2], np.int32))
print("gather", ga(gathered)(table, idx))
print("index", ga(lambda t, i: t[i] * 2.0)(table, idx))
