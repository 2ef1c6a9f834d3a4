"""Pieces for the Model and callback tests: a recording stand-in for a dataset pipeline (it counts the iterators and
epochs Model asks for), a small network, and msjax's own loss and optimizer."""
import math

import numpy as np

import msjax as ms
from msjax import Parameter, ParameterTuple, Tensor, nn, ops


class ListDataset:
    """Batches of numpy columns, like a `mindspore.dataset` pipeline ending in ``batch(batch_size)``: an iterator
    from ``create_tuple_iterator`` yields one epoch per ``for`` loop (lists of Tensors)."""

    def __init__(self, columns, batch_size, names=("data", "label")):
        self.columns = columns
        self.batch_size = batch_size
        self.names = list(names)
        self.iterators = []

    def get_dataset_size(self):
        return math.ceil(len(self.columns[0]) / self.batch_size)

    def get_col_names(self):
        return self.names

    def create_tuple_iterator(self, columns=None, num_epochs=-1, output_numpy=False, do_copy=False):
        iterator = _EpochIterator(self, num_epochs)
        self.iterators.append(iterator)
        return iterator


class _EpochIterator:
    def __init__(self, dataset, num_epochs):
        self.dataset = dataset
        self.num_epochs = num_epochs
        self.epochs = 0

    def __iter__(self):
        self.epochs += 1
        size = len(self.dataset.columns[0])
        for start in range(0, size, self.dataset.batch_size):
            yield [Tensor(column[start:start + self.dataset.batch_size]) for column in self.dataset.columns]


def classification_data(samples=10, features=4, classes=3, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(samples, features).astype(np.float32)
    y = (np.arange(samples) % classes).astype(np.int32)
    return x, y


class Linear(nn.Cell):
    def __init__(self, features=4, classes=3, seed=1):
        super().__init__()
        rng = np.random.RandomState(seed)
        self.w = Parameter(Tensor((rng.randn(features, classes) * 0.1).astype(np.float32)), name="w")
        self.b = Parameter(Tensor(np.zeros(classes, np.float32)), name="b")

    def construct(self, x):
        return ops.matmul(x, self.w) + self.b


def cross_entropy():
    """Mean softmax cross-entropy of logits against Int32 class labels."""
    return nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")


def sgd(params, learning_rate=0.1):
    return nn.SGD(params, learning_rate)
