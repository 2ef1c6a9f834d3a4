"""Activation layers (``nn.ReLU``, ``nn.Sigmoid``, ``nn.Tanh``, ``nn.Softmax``, ...) and ``nn.get_activation``."""
from __future__ import annotations

from . import math_ops as M
from . import nn_ops as N
from .cell import Cell


class ReLU(Cell):
    def __init__(self):
        super().__init__()
        self.relu = M.ReLU()

    def construct(self, input):
        return self.relu(input)


class ReLU6(Cell):
    def __init__(self):
        super().__init__()
        self.relu6 = N.ReLU6()

    def construct(self, x):
        return self.relu6(x)


class Sigmoid(Cell):
    def __init__(self):
        super().__init__()
        self.sigmoid = M.Sigmoid()

    def construct(self, x):
        return self.sigmoid(x)


class Tanh(Cell):
    def __init__(self):
        super().__init__()
        self.tanh = M.Tanh()

    def construct(self, x):
        return self.tanh(x)


class Softmax(Cell):
    def __init__(self, axis=-1):
        super().__init__()
        self.softmax = N.Softmax(axis)

    def construct(self, input):
        return self.softmax(input)


class LogSoftmax(Cell):
    def __init__(self, axis=-1):
        super().__init__()
        self.log_softmax = N.LogSoftmax(axis)

    def construct(self, x):
        return self.log_softmax(x)


# Every name MindSpore 2.10 accepts (its KeyError lists them); msjax builds the ones in `_ACTIVATIONS`.
_MINDSPORE_NAMES = ["softmin", "softmax", "softmax2d", "logsoftmax", "logsoftmaxExt", "relu", "relu6", "rrelu", "silu",
                    "tanh", "tanhshrink", "hardtanh", "gelu", "fast_gelu", "elu", "sigmoid", "softsign", "prelu",
                    "preluExt", "leakyrelu", "hswish", "hsigmoid", "logsigmoid", "softshrink", "hshrink",
                    "threshold", "mish"]
_ACTIVATIONS = {"softmax": Softmax, "logsoftmax": LogSoftmax, "relu": ReLU, "relu6": ReLU6, "tanh": Tanh,
                "sigmoid": Sigmoid}


def get_activation(name, prim_name=None):
    """The activation Cell named ``name`` (``'relu'`` -> ``nn.ReLU()``); None for None."""
    if name is None:
        return None
    if name not in _MINDSPORE_NAMES:
        owner = f"For '{prim_name}', the" if prim_name else "The"
        raise KeyError(f"{owner} 'name' must be in {_MINDSPORE_NAMES}, but got {name}.")
    if name not in _ACTIVATIONS:
        raise NotImplementedError(f"msjax does not implement the activation '{name}' yet; implemented: "
                                  f"{sorted(_ACTIVATIONS)}.")
    return _ACTIVATIONS[name]()
