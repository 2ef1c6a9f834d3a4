"""mlp_ms.py's train step under MindSpore's data-parallel API: `init()`, DATA_PARALLEL with gradients_mean, the
global batch (128 or --batch) split over every device JAX sees (the device count comes from XLA_FLAGS; see
benchmarks/data_parallel.py).

    python -m msjax mlp_dp_ms.py --mode graph [--batch N]
"""
import functools
import os
import sys

import mindspore as ms
from mindspore import Tensor, nn
from mindspore.communication import init

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _data  # noqa: E402
from _timing import framework, measure, parse_args  # noqa: E402
from mlp_ms import MLP  # noqa: E402

args = parse_args(("graph", "pynative"))
ms.set_context(mode=ms.GRAPH_MODE if args.mode == "graph" else ms.PYNATIVE_MODE)
ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL, gradients_mean=True)
init()
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
measure("mlp_dp", framework(), args, functools.partial(train_step, x, labels))
