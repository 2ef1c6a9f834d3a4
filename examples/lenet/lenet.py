# LeNet-5 on a small synthetic MNIST (MindSpore's classic LeNet: two valid-padded 5x5 convolutions with 2x2 max
# pooling, three Dense layers): trained with Model.train + LossMonitor + ModelCheckpoint, evaluated with Accuracy,
# reloaded from its checkpoint for prediction, then trained again from the same initial weights with the
# MindSpore 2.x functional loop (value_and_grad + optimizer(grads) in @ms.jit), which gives the same losses.
# The images are 28x28 (no Resize to 32x32), so fc1 takes 16*4*4 features. Weights are set from numpy's
# RandomState and the data is not shuffled, so MindSpore and msjax compute the same numbers step for step.
import os
import sys
import tempfile

import numpy as np
import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn
from mindspore.dataset import transforms, vision
from mindspore.train import Accuracy, CheckpointConfig, LossMonitor, Model, ModelCheckpoint

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from make_mnist import make_mnist  # noqa: E402

DATA_DIR = make_mnist(tempfile.mkdtemp(prefix="lenet_mnist_"), train=200, test=64)


def create_dataset(usage, batch_size=32):
    dataset = ds.MnistDataset(DATA_DIR, usage=usage, shuffle=False)
    image_ops = [vision.Rescale(1.0 / 255.0, 0.0), vision.Normalize(mean=(0.1307,), std=(0.3081,)), vision.HWC2CHW()]
    dataset = dataset.map(image_ops, "image")
    dataset = dataset.map(transforms.TypeCast(ms.int32), "label")
    return dataset.batch(batch_size)


class LeNet5(nn.Cell):
    def __init__(self, num_class=10, num_channel=1):
        super().__init__()
        self.conv1 = nn.Conv2d(num_channel, 6, 5, pad_mode="valid")
        self.conv2 = nn.Conv2d(6, 16, 5, pad_mode="valid")
        self.fc1 = nn.Dense(16 * 4 * 4, 120)
        self.fc2 = nn.Dense(120, 84)
        self.fc3 = nn.Dense(84, num_class)
        self.relu = nn.ReLU()
        self.max_pool2d = nn.MaxPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()

    def construct(self, x):
        x = self.max_pool2d(self.relu(self.conv1(x)))
        x = self.max_pool2d(self.relu(self.conv2(x)))
        x = self.flatten(x)
        x = self.relu(self.fc1(x))
        x = self.relu(self.fc2(x))
        return self.fc3(x)


def lenet_with_fixed_weights():
    net = LeNet5()
    rng = np.random.RandomState(0)
    for param in net.trainable_params():  # uniform in +-1/sqrt(fan_in); biases start at zero
        if param.name.endswith("bias"):
            value = np.zeros(param.shape, np.float32)
        else:
            bound = 1 / np.sqrt(np.prod(param.shape[1:]))
            value = rng.uniform(-bound, bound, param.shape).astype(np.float32)
        param.set_data(ms.Tensor(value))
    return net



print([(p.name, p.shape) for p in LeNet5().trainable_params()])

# --- Model.train with callbacks, Model.eval with Accuracy
net = lenet_with_fixed_weights()
loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
optimizer = nn.Momentum(net.trainable_params(), learning_rate=0.05, momentum=0.9)
model = Model(net, loss, optimizer, metrics={"accuracy"})
ckpt_dir = tempfile.mkdtemp(prefix="lenet_ckpt_")
config = CheckpointConfig(save_checkpoint_steps=7, keep_checkpoint_max=2)
checkpoint = ModelCheckpoint(prefix="lenet", directory=ckpt_dir, config=config)
model.train(3, create_dataset("train"), callbacks=[LossMonitor(), checkpoint])
print("checkpoints:", sorted(name for name in os.listdir(ckpt_dir) if name.endswith(".ckpt")))
print("eval:", model.eval(create_dataset("test")))

# --- reload the last checkpoint into a new network and predict
param_dict = ms.load_checkpoint(checkpoint.latest_ckpt_file_name)
reloaded = LeNet5()
param_not_load, ckpt_not_load = ms.load_param_into_net(reloaded, param_dict)
print("param_not_load:", param_not_load, "ckpt_not_load:", ckpt_not_load)
images, labels = next(create_dataset("test").create_tuple_iterator())
predicted = Model(reloaded).predict(images).argmax(1)
print("predicted:", predicted[:10], "actual:", labels[:10])
print("same as the trained network:", (predicted == model.predict(images).argmax(1)).all())

# --- the functional training loop from the same initial weights
net = lenet_with_fixed_weights()
loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
optimizer = nn.Momentum(net.trainable_params(), learning_rate=0.05, momentum=0.9)


def forward_fn(data, label):
    logits = net(data)
    return loss_fn(logits, label), logits


grad_fn = ms.value_and_grad(forward_fn, None, optimizer.parameters, has_aux=True)


@ms.jit
def train_step(data, label):
    (loss, _), grads = grad_fn(data, label)
    optimizer(grads)
    return loss


net.set_train()
for epoch in range(3):
    for step, (data, label) in enumerate(create_dataset("train").create_tuple_iterator()):
        loss = train_step(data, label)
        print(f"functional: epoch: {epoch + 1} step: {step + 1}, loss is {float(loss.asnumpy())}")
print("fc3.bias:", net.fc3.bias.asnumpy())
