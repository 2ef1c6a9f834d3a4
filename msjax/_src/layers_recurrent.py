"""``nn.RNN``, ``nn.GRU``, ``nn.LSTM`` and ``nn.RNNCell``, ``nn.GRUCell``, ``nn.LSTMCell`` with MindSpore 2.10's
parameters (names, order, initial values), checks, return structures and reprs.

Each layer direction runs as one `rnn_ops.RNNScan` (a `jax.lax.scan`); the backward direction scans in reverse
instead of reversing its input and output, as MindSpore does, which computes the same values.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from . import dtype as mstype
from . import functional as F
from . import rnn_ops
from .cell import Cell
from .initializer import Uniform, initializer
from .layers_basic import Dropout
from .layers_checks import check_positive_int, check_string, check_value_type
from .parameter import Parameter, ParameterTuple
from .tensor import Tensor

_TENSOR_TYPE = "<class 'mindspore._c_expression.typing.TensorType'>"
_TUPLE_TYPE = "<class 'mindspore._c_expression.typing.Tuple'>"
_FLOAT_TYPES = (mstype.float32, mstype.float16)


def _typeof(value):
    """The name of a value's type in MindSpore's messages (``ops.typeof``)."""
    if isinstance(value, Tensor):
        return f"Tensor[{value.dtype}]"
    if isinstance(value, tuple):
        names = [_typeof(v) for v in value]
        if names and len(set(names)) == 1:
            return f"Tuple[{names[0]}*{len(names)}]"
        return f"Tuple[{', '.join(names)}]"
    return "External"


def _check_is_tensor(name, value, cls_name):
    if value is not None and not isinstance(value, Tensor):
        raise TypeError(f"For '{cls_name}', the '{name}' must be '{_TENSOR_TYPE}', but got '{_typeof(value)}'")


def _check_state_tuple(value, cls_name):
    if not isinstance(value, tuple):
        raise TypeError(f"For '{cls_name}', the 'hx' must be '{_TUPLE_TYPE}', but got '{_typeof(value)}'")
    if len(value) != 2:
        raise TypeError(f"For '{cls_name}', the length of 'hx' must be '2', but got '{len(value)}'")
    _check_is_tensor("hx[0]", value[0], cls_name)
    _check_is_tensor("hx[1]", value[1], cls_name)


def _check_dtype(name, dtype, allowed, cls_name):
    if dtype not in allowed:
        listed = ", ".join(repr(d) for d in allowed)
        raise TypeError(f"For '{cls_name}', the '{name}' should be one of [{listed}], but got '{dtype!r}'.")


def _check_dtypes_same_and_valid(named, cls_name):
    """MindSpore's ``check_types_same_and_valid``: each in turn must be Float32/Float16 and equal the first."""
    first_name, first = named[0]
    for index, (name, dtype) in enumerate(named):
        if dtype not in _FLOAT_TYPES:
            raise TypeError(f"For '{cls_name}', the element of '{name}' must be one of Float32, Float16, but got "
                            f"{dtype}.The supported data types depend on the hardware that executes the operator, "
                            "for more details, please refer to the MindSpore official website to get more "
                            "information about the data type.")
        if index and dtype != first:
            raise TypeError(f"For '{cls_name}', the type of '{name}' should be same as '{first_name}', but got "
                            f"'{first_name}' with type {first} and '{name}' with type {dtype}.")


# --- layers ----------------------------------------------------------------------------------------------------

class _DynamicRNN(Cell):
    """One layer direction over time (MindSpore's per-mode helper Cell, shown in the layer's repr)."""
    mode = None

    def __init__(self):
        super().__init__()
        self.scans = (rnn_ops.RNNScan(self.mode, False), rnn_ops.RNNScan(self.mode, True))

    def construct(self, x, h, seq_length, w_ih, w_hh, b_ih, b_hh, reverse=False):
        h, c = h if self.mode == "LSTM" else (h, None)
        return self.scans[reverse](x, h, c, w_ih, w_hh, b_ih, b_hh, seq_length)


class _DynamicRNNTanh(_DynamicRNN):
    mode = "RNN_TANH"


class _DynamicRNNRelu(_DynamicRNN):
    mode = "RNN_RELU"


class _DynamicGRUCPUGPU(_DynamicRNN):
    mode = "GRU"


class _DynamicLSTMCPUGPU(_DynamicRNN):
    mode = "LSTM"


_DYNAMIC = {"RNN_TANH": _DynamicRNNTanh, "RNN_RELU": _DynamicRNNRelu, "GRU": _DynamicGRUCPUGPU,
            "LSTM": _DynamicLSTMCPUGPU}
_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}


class _RNNBase(Cell):
    """Multi-layer, optionally bidirectional recurrence. Parameters are four ParameterTuples (``weight_ih_l{k}``,
    ``weight_hh_l{k}``, ``bias_ih_l{k}``, ``bias_hh_l{k}``, ``_reverse`` for the backward direction), drawn
    uniform in ±1/sqrt(hidden_size) from numpy's global generator in MindSpore's order, so ``np.random.seed``
    gives MindSpore's initial weights."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, has_bias=True, batch_first=False, dropout=0.,
                 bidirectional=False, dtype=mstype.float32):
        super().__init__()
        name = self.cls_name
        check_positive_int(hidden_size, "hidden_size", name)
        check_positive_int(input_size, "input_size", name)
        check_positive_int(num_layers, "num_layers", name)
        if not isinstance(dropout, float):
            raise TypeError(f"For '{name}', the type of 'dropout' must be 'float', but got '{type(dropout).__name__}'.")
        for arg, value in (("has_bias", has_bias), ("batch_first", batch_first), ("bidirectional", bidirectional)):
            check_value_type(name, arg, value, (bool,))
        if not 0 <= dropout < 1:
            raise ValueError(f"For '{name}', the 'dropout' must be a number in range [0, 1) representing the "
                             f"probability of an element being zeroed, but got {dropout}.")
        self.rnn = _DYNAMIC[mode]()
        self.hidden_size = hidden_size
        self.batch_first = batch_first
        self.num_layers = num_layers
        self.dropout = dropout
        self.dropout_op = Dropout(p=float(dropout))
        self.bidirectional = bidirectional
        self.has_bias = has_bias
        self.is_lstm = mode == "LSTM"
        gate_size, directions = _GATES[mode] * hidden_size, 2 if bidirectional else 1
        stdv = 1 / math.sqrt(hidden_size)
        lists = {"weight_ih": [], "weight_hh": [], "bias_ih": [], "bias_hh": []}
        for layer in range(num_layers):
            for direction in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                shapes = {"weight_ih": (gate_size, input_size if layer == 0 else hidden_size * directions),
                          "weight_hh": (gate_size, hidden_size)}
                if has_bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                for kind, shape in shapes.items():
                    values = np.random.uniform(-stdv, stdv, shape).astype(np.float32)
                    lists[kind].append(Parameter(Tensor(values, dtype=dtype), name=kind + suffix))
        self.w_ih_list = ParameterTuple(lists["weight_ih"])
        self.w_hh_list = ParameterTuple(lists["weight_hh"])
        self.b_ih_list = ParameterTuple(lists["bias_ih"])
        self.b_hh_list = ParameterTuple(lists["bias_hh"])

    def _check_hx(self, x, hx):
        name = self.cls_name
        if self.is_lstm:
            _check_state_tuple(hx, name)
            _check_dtypes_same_and_valid([("x", x.dtype), ("hx[0]", hx[0].dtype), ("hx[1]", hx[1].dtype)], name)
        else:
            _check_is_tensor("h", hx, name)
            _check_dtypes_same_and_valid([("x", x.dtype), ("hx", hx.dtype)], name)

    def construct(self, x, hx=None, seq_length=None):
        batch = x.shape[0] if self.batch_first else x.shape[1]
        directions = 2 if self.bidirectional else 1
        _check_is_tensor("x", x, self.cls_name)
        x_dtype = x.dtype
        if hx is not None:
            self._check_hx(x, hx)
        else:
            zeros = F.zeros((self.num_layers * directions, batch, self.hidden_size), x_dtype)
            hx = (zeros, zeros) if self.is_lstm else zeros
        if seq_length is not None:
            _check_dtype("seq_length", seq_length.dtype, (mstype.int32, mstype.int64), self.cls_name)
            if batch != seq_length.shape[0]:
                raise ValueError(f"For '{self.cls_name}' batch size of x and seq_length must be equal, but got "
                                 f"{batch} of x and {seq_length.shape[0]} of seq_length.")
        if self.batch_first:
            x = F.transpose(x, (1, 0, 2))
        layer_input, h_n, c_n = x, [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                h_k = (hx[0][k], hx[1][k]) if self.is_lstm else hx[k]
                biases = (self.b_ih_list[k], self.b_hh_list[k]) if self.has_bias else (None, None)
                output, *state = self.rnn(layer_input, h_k, seq_length, self.w_ih_list[k], self.w_hh_list[k],
                                          *biases, direction == 1)
                outputs.append(output)
                h_n.append(state[0])
                c_n.extend(state[1:])
            output = outputs[0] if directions == 1 else F.concat(outputs, 2)
            last = layer == self.num_layers - 1
            layer_input = self.dropout_op(output) if self.dropout != 0 and not last else output
        if self.batch_first:
            output = F.transpose(output, (1, 0, 2))
        output = output.astype(x_dtype)
        if self.is_lstm:
            h_n = F.concat(h_n, 0).view(hx[0].shape).astype(x_dtype)
            return output, (h_n, F.concat(c_n, 0).view(hx[1].shape).astype(x_dtype))
        return output, F.concat(h_n, 0).view(hx.shape).astype(x_dtype)


class RNN(_RNNBase):
    """``RNN(input_size, hidden_size, num_layers=1, has_bias=True, batch_first=False, dropout=0.,
    bidirectional=False, dtype=float32, nonlinearity='tanh')``: ``(x, hx=None, seq_length=None) -> (output, h_n)``;
    ``h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)``."""

    def __init__(self, *args, **kwargs):
        mode = "RNN_TANH"
        if "nonlinearity" in kwargs:
            nonlinearity = kwargs.pop("nonlinearity")
            if nonlinearity not in ("tanh", "relu"):
                raise ValueError(f"For '{self.cls_name}', the 'nonlinearity' must be in ['tanh', 'relu'], but got "
                                 f"{nonlinearity}.")
            mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(mode, *args, **kwargs)


class GRU(_RNNBase):
    """``GRU(...)``: as ``RNN`` with gates r, z, n (weights stacked in that order); returns ``(output, h_n)``."""

    def __init__(self, *args, **kwargs):
        super().__init__("GRU", *args, **kwargs)


class LSTM(_RNNBase):
    """``LSTM(...)``: as ``RNN`` with gates i, f, g, o; ``(x, hx=(h_0, c_0), seq_length=None) ->
    (output, (h_n, c_n))``."""

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)


# --- cells ----------------------------------------------------------------------------------------------------

class _RNNCellBase(Cell):
    """Parameters ``weight_ih`` (gates*hidden, input), ``weight_hh``, ``bias_ih``, ``bias_hh``, uniform in
    ±1/sqrt(hidden_size) from the ``Uniform`` initializer (MindSpore's final values; the throw-away ``randn``
    fill MindSpore makes first is skipped)."""

    def __init__(self, mode, input_size, hidden_size, has_bias, dtype=mstype.float32):
        super().__init__()
        check_value_type(self.cls_name, "has_bias", has_bias, (bool,))
        check_positive_int(hidden_size, "hidden_size", self.cls_name)
        check_positive_int(input_size, "input_size", self.cls_name)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.has_bias = has_bias
        gate_size = _GATES[mode] * hidden_size
        shapes = {"weight_ih": (gate_size, input_size), "weight_hh": (gate_size, hidden_size)}
        if has_bias:
            shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
        stdv = 1 / math.sqrt(hidden_size)
        for name, shape in shapes.items():
            setattr(self, name, Parameter(initializer(Uniform(stdv), shape, dtype), name=name))
        if not has_bias:
            self.bias_ih = None
            self.bias_hh = None
        self.step = rnn_ops.RNNCellStep(mode)

    def _forward(self, x, hx):
        name = self.cls_name
        _check_is_tensor("x", x, name)
        if self.step.mode == "LSTM":
            _check_state_tuple(hx, name)
            states, labels = hx, ("hx[0]", "hx[1]")
        else:
            _check_is_tensor("hx", hx, name)
            states, labels = (hx, None), ("hx",)
        for label, value in zip(("x",) + labels, (x,) + states):
            _check_dtype(label, value.dtype, _FLOAT_TYPES, name)
        return self.step(x, *states, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)


class RNNCell(_RNNCellBase):
    """``RNNCell(input_size, hidden_size, has_bias=True, nonlinearity='tanh', dtype=float32)``: ``(x, hx) -> h'``."""

    def __init__(self, input_size, hidden_size, has_bias=True, nonlinearity="tanh", dtype=mstype.float32):
        super().__init__("RNN_RELU" if nonlinearity == "relu" else "RNN_TANH", input_size, hidden_size, has_bias,
                         dtype)
        check_value_type(self.cls_name, "nonlinearity", nonlinearity, (str,))
        check_string(nonlinearity, ["tanh", "relu"], "nonlinearity", self.cls_name)
        self.nonlinearity = nonlinearity

    def construct(self, x, hx):
        return self._forward(x, hx)


def _reject_old_lstmcell_args(init):
    """More than three positional arguments or 1.x keywords are the pre-1.6 LSTMCell layer's: ValueError."""
    @functools.wraps(init)
    def checked(self, *args, **kwargs):
        if len(args) > 3 or {"batch_size", "dropout", "bidirectional"} & set(kwargs):
            raise ValueError("The arguments of `nn.LSTMCell` from old MindSpore version(<1.6) are detected, if you "
                             "still need use single LSTM layer, please use `nn.LSTM` instead.")
        init(self, *args, **kwargs)
    return checked


class LSTMCell(_RNNCellBase):
    """``LSTMCell(input_size, hidden_size, has_bias=True, dtype=float32)``: ``(x, (h, c)) -> (h', c')``."""

    @_reject_old_lstmcell_args
    def __init__(self, input_size, hidden_size, has_bias=True, dtype=mstype.float32):
        super().__init__("LSTM", input_size, hidden_size, has_bias, dtype)

    def construct(self, x, hx):
        return self._forward(x, hx)


class GRUCell(_RNNCellBase):
    """``GRUCell(input_size, hidden_size, has_bias=True, dtype=float32)``: ``(x, hx) -> h'``."""

    def __init__(self, input_size, hidden_size, has_bias=True, dtype=mstype.float32):
        super().__init__("GRU", input_size, hidden_size, has_bias, dtype)

    def construct(self, x, hx):
        return self._forward(x, hx)
