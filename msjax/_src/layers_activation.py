"""Activation layers (``nn.ReLU``, ``nn.Sigmoid``, ``nn.Tanh``, ``nn.Softmax``, ``nn.GELU``, ...) and
``nn.get_activation``."""
from __future__ import annotations

from . import functional as F
from . import math_ops as M
from . import nn_ops as N
from .cell import Cell
from .layers_checks import check_bool


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


class GELU(Cell):
    """``GELU(approximate=True)``: the tanh approximation, or with False the exact erf form."""

    def __init__(self, approximate=True):
        super().__init__()
        check_bool(approximate, "approximate", self.cls_name)
        self.approximate = "tanh" if approximate else "none"

    def construct(self, x):
        return F.gelu(x, approximate=self.approximate)


class SiLU(Cell):
    def construct(self, x):
        return F.silu(x)


class LeakyReLU(Cell):
    """``LeakyReLU(alpha=0.2)``: ``alpha`` is checked at the call (by ``ops.leaky_relu``)."""

    def __init__(self, alpha=0.2):
        super().__init__()
        self.alpha = alpha

    def construct(self, x):
        return F.leaky_relu(x, self.alpha)


# Every name MindSpore 2.10 accepts (its KeyError lists them); msjax builds the ones in `_ACTIVATIONS`.
_MINDSPORE_NAMES = ["softmin", "softmax", "softmax2d", "logsoftmax", "logsoftmaxExt", "relu", "relu6", "rrelu", "silu",
                    "tanh", "tanhshrink", "hardtanh", "gelu", "fast_gelu", "elu", "sigmoid", "softsign", "prelu",
                    "preluExt", "leakyrelu", "hswish", "hsigmoid", "logsigmoid", "softshrink", "hshrink",
                    "threshold", "mish"]
_ACTIVATIONS = {"softmax": Softmax, "logsoftmax": LogSoftmax, "relu": ReLU, "relu6": ReLU6, "tanh": Tanh,
                "sigmoid": Sigmoid, "gelu": GELU, "silu": SiLU, "leakyrelu": LeakyReLU}


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
