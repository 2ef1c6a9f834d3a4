"""Data-parallel training, written as in MindSpore's data-parallel tutorial.

Each rank reads its shard of the data set (``num_shards=get_group_size(), shard_id=get_rank()``) with a batch size
of the global batch divided by the group size; ``gradients_mean=True`` averages the ranks' gradients, so every
rank's step equals one step over the global batch. The data are generated (a fixed linear teacher's labels).

MindSpore runs it on several ranks through ``mpirun``/``msrun``. msjax runs it unchanged on one device
(``python -m msjax data_parallel.py``), on every device of the host (for example 8 virtual CPU devices:
``XLA_FLAGS=--xla_force_host_platform_device_count=8 python -m msjax data_parallel.py``) or on several hosts (see
README, "Data parallelism"); the losses are the same in all three.
"""
import numpy as np

import mindspore as ms
import mindspore.dataset as ds
from mindspore import nn
from mindspore.communication import init, get_rank, get_group_size
from mindspore.train import Model, LossMonitor

ms.set_context(mode=ms.GRAPH_MODE)
ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL, gradients_mean=True)
init()
ms.set_seed(1)

GLOBAL_BATCH = 32
SAMPLES, FEATURES, CLASSES = 512, 16, 4


class RandomAccessData:
    """A generated classification set: features ~ N(0, 1), labels from a fixed linear teacher."""

    def __init__(self):
        rng = np.random.default_rng(0)
        self.features = rng.normal(size=(SAMPLES, FEATURES)).astype(np.float32)
        teacher = rng.normal(size=(FEATURES, CLASSES)).astype(np.float32)
        self.labels = np.argmax(self.features @ teacher, axis=1).astype(np.int32)

    def __getitem__(self, index):
        return self.features[index], self.labels[index]

    def __len__(self):
        return SAMPLES


def create_dataset(batch_size):
    rank_id = get_rank()
    rank_size = get_group_size()
    dataset = ds.GeneratorDataset(RandomAccessData(), ["data", "label"], shuffle=True,
                                  num_shards=rank_size, shard_id=rank_id)
    return dataset.batch(batch_size, drop_remainder=True)


class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.dense1 = nn.Dense(FEATURES, 32, weight_init="normal")
        self.relu = nn.ReLU()
        self.dense2 = nn.Dense(32, CLASSES, weight_init="normal")

    def construct(self, x):
        return self.dense2(self.relu(self.dense1(x)))


data_set = create_dataset(GLOBAL_BATCH // get_group_size())
net = Network()
loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
optimizer = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
model = Model(net, loss_fn=loss_fn, optimizer=optimizer)

print("rank", get_rank(), "of", get_group_size(), "- steps per epoch:", data_set.get_dataset_size())
model.train(3, data_set, callbacks=[LossMonitor()], dataset_sink_mode=False)
for param in net.trainable_params():
    print(param.name, "norm:", float(np.linalg.norm(param.asnumpy())))
