"""A LeNet-5 train step, batch 32 (or --batch) of 1x32x32 images: two valid 5x5 convolutions with ReLU and 2x2 max
pooling, then Dense 120/84/10; TrainOneStepCell(WithLossCell(net, sparse softmax cross-entropy),
Momentum(lr 0.01, momentum 0.9)).

    python lenet_ms.py --mode pynative|graph [--batch N] [--device CPU|GPU]
    (or: python -m msjax lenet_ms.py ...)
"""
import functools
import os
import sys

import mindspore as ms
from mindspore import Tensor, nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _data  # noqa: E402
from _timing import framework, measure, parse_args  # noqa: E402


class LeNet5(nn.Cell):
    def __init__(self, num_class=10, num_channel=1):
        super().__init__()
        self.conv1 = nn.Conv2d(num_channel, 6, 5, pad_mode="valid")
        self.conv2 = nn.Conv2d(6, 16, 5, pad_mode="valid")
        self.fc1 = nn.Dense(16 * 5 * 5, 120)
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


args = parse_args(("pynative", "graph"))
ms.set_context(mode=ms.GRAPH_MODE if args.mode == "graph" else ms.PYNATIVE_MODE)
if args.device:
    ms.set_context(device_target=args.device)
batch = args.batch or _data.LENET_BATCH
net = LeNet5()
for param, value in zip(net.trainable_params(), _data.weights(_data.LENET_SHAPES)):
    param.set_data(Tensor(value))
loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
optimizer = nn.Momentum(net.trainable_params(), learning_rate=_data.LR, momentum=_data.MOMENTUM)
train_step = nn.TrainOneStepCell(nn.WithLossCell(net, loss_fn), optimizer)
train_step.set_train()
images = Tensor(_data.normal((batch, 1, 32, 32)))
labels = Tensor(_data.labels(batch))
measure("lenet", framework(), args, functools.partial(train_step, images, labels))
