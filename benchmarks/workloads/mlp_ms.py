"""An MLP 784-512-512-10 train step, batch 128 (or --batch): TrainOneStepCell(WithLossCell(net, sparse softmax
cross-entropy), Momentum(lr 0.01, momentum 0.9)).

    python mlp_ms.py --mode pynative|graph [--batch N] [--device CPU|GPU]
    (or: python -m msjax mlp_ms.py ...)
"""
import functools
import os
import sys

import mindspore as ms
from mindspore import Tensor, nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _data  # noqa: E402
from _timing import framework, measure, parse_args  # noqa: E402


class MLP(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(784, 512)
        self.fc2 = nn.Dense(512, 512)
        self.fc3 = nn.Dense(512, 10)
        self.relu = nn.ReLU()

    def construct(self, x):
        x = self.relu(self.fc1(x))
        x = self.relu(self.fc2(x))
        return self.fc3(x)


if __name__ == "__main__":  # mlp_dp_ms.py imports MLP
    args = parse_args(("pynative", "graph"))
    ms.set_context(mode=ms.GRAPH_MODE if args.mode == "graph" else ms.PYNATIVE_MODE)
    if args.device:
        ms.set_context(device_target=args.device)
    batch = args.batch or _data.MLP_BATCH
    net = MLP()
    for param, value in zip(net.trainable_params(), _data.weights(_data.MLP_SHAPES)):
        param.set_data(Tensor(value))
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    optimizer = nn.Momentum(net.trainable_params(), learning_rate=_data.LR, momentum=_data.MOMENTUM)
    train_step = nn.TrainOneStepCell(nn.WithLossCell(net, loss_fn), optimizer)
    train_step.set_train()
    x = Tensor(_data.normal((batch, 784)))
    labels = Tensor(_data.labels(batch))
    measure("mlp", framework(), args, functools.partial(train_step, x, labels))
