"""``nn.Conv2d``, ``nn.Conv1d`` and ``nn.Conv2dTranspose`` (NCHW): MindSpore 2.10's defaults (pad_mode 'same', no
bias, HeUniform(sqrt(5)) weight, Uniform(1/sqrt(fan_in)) bias), checks and reprs. Conv1d runs Conv2D on a height-1
input with a (out, in/group, 1, k) weight, as MindSpore does."""
from __future__ import annotations

import math

from . import array_ops as A
from . import dtype as mstype
from . import nn_ops as N
from .cell import Cell
from .initializer import HeUniform, Uniform, _calculate_fan_in_and_fan_out, initializer
from .layers_checks import (check_bool, check_cpu_format, check_int, check_non_negative_int, check_positive_int,
                           check_string, check_value_type, twice)
from .parameter import Parameter
from .tensor import Tensor


def _make_parameters(cell, shape, has_bias, weight_init, bias_init, dtype):
    """``cell.weight`` of ``shape`` and, with ``has_bias``, ``cell.bias`` of the output channels."""
    cell.weight_init = HeUniform(math.sqrt(5)) if weight_init is None else weight_init
    cell.weight = Parameter(initializer(cell.weight_init, shape, dtype=dtype), name="weight")
    cell.bias_init = bias_init
    if check_bool(has_bias, "has_bias", cell.cls_name):
        if bias_init is None:
            fan_in, _ = _calculate_fan_in_and_fan_out(shape)
            cell.bias_init = Uniform(1 / math.sqrt(fan_in)) if fan_in else "zeros"
        cell.bias = Parameter(initializer(cell.bias_init, [cell.out_channels], dtype=dtype), name="bias")
    else:
        cell.bias = None


def _conv_repr(cell):
    return (f"input_channels={cell.in_channels}, output_channels={cell.out_channels}, kernel_size="
            f"{cell.kernel_size}, stride={cell.stride}, pad_mode={cell.pad_mode}, padding={cell.padding}, "
            f"dilation={cell.dilation}, group={cell.group}, has_bias={cell.has_bias}, weight_init="
            f"{cell.weight_init}, bias_init={cell.bias_init}, format={cell.data_format}")


def _check_equal_int(cls_name, name, value, expected):
    if value != expected:
        raise ValueError(f"For '{cls_name}', the '{name}' must be int and must = {expected}, but got '{value}' with "
                         f"type 'int'.")


def _check_padding(padding, cls_name):
    if isinstance(padding, int):
        check_non_negative_int(padding, "padding", cls_name)
    elif isinstance(padding, tuple):
        for pad in padding:
            check_non_negative_int(pad, "padding item", cls_name)
    else:
        raise TypeError(f"For '{cls_name}', the type of 'padding' must be int or tuple(int), but got "
                        f"{type(padding).__name__}.")


class _ConvNd(Cell):
    """MindSpore's ``_Conv`` checks (channels, format, padding, group, kernel/stride/dilation items) in its order."""

    def _setup(self, in_channels, out_channels, kernel_size, stride, pad_mode, padding, dilation, group, has_bias):
        self.in_channels = check_positive_int(in_channels, "in_channels", self.cls_name)
        self.out_channels = check_positive_int(out_channels, "out_channels", self.cls_name)
        self.kernel_size, self.stride, self.pad_mode = kernel_size, stride, pad_mode
        self.data_format = "NCHW"
        _check_padding(padding, self.cls_name)
        self.padding, self.dilation = padding, dilation
        self.group = check_positive_int(group)
        self.has_bias = has_bias
        for name, values in (("kernel_size", kernel_size), ("stride", stride), ("dilation", dilation)):
            for item in values:
                check_positive_int(item, f"{name} item", self.cls_name)
        if in_channels % group:
            raise ValueError(f"For '{self.cls_name}', the attr 'in_channels' must be divisible by attr 'group', but "
                             f"got 'in_channels': {in_channels} and 'group': {group}.")
        if out_channels % group:
            raise ValueError(f"For '{self.cls_name}', the 'out_channels' must be divisible by attr 'group', but got "
                             f"'out_channels': {out_channels} and 'group': {group}.")

    def extend_repr(self):
        return _conv_repr(self)


class Conv2d(Cell):
    """``Conv2d(in_channels, out_channels, kernel_size, stride=1, pad_mode='same', padding=0, dilation=1, group=1,
    has_bias=False, weight_init=None, bias_init=None, data_format='NCHW', dtype=float32)``; weight
    (out, in/group, kh, kw). A 4-tuple ``padding`` is (top, bottom, left, right) and needs pad_mode 'pad'; 'same'
    puts the odd padding pixel at the bottom/right."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, pad_mode="same", padding=0, dilation=1,
                 group=1, has_bias=False, weight_init=None, bias_init=None, data_format="NCHW",
                 dtype=mstype.float32):
        kernel_size, stride, dilation = twice(kernel_size), twice(stride), twice(dilation)
        super().__init__()
        check_positive_int(group, "group", self.cls_name)
        if not (in_channels % group == 0 and out_channels % group == 0):
            raise ValueError(f"The argument 'group' should be divisible by 'in_channels' and 'out_channels', but got "
                             f"group:{group}, in_channels:{in_channels}, out_channels:{out_channels}.")
        self.in_channels = check_positive_int(in_channels, "in_channels", self.cls_name)
        self.out_channels = check_positive_int(out_channels, "out_channels", self.cls_name)
        self.kernel_size, self.stride, self.pad_mode, self.dilation = kernel_size, stride, pad_mode, dilation
        self.data_format = check_string(data_format, ["NCHW", "NHWC", "NCDHW"], "format", self.cls_name)
        check_cpu_format(self.cls_name, self.data_format,
                         "For '{cls}', the \"NHWC\" format only support in GPU target, but got the 'format' is NHWC "
                         "and the platform is {target}.")
        _check_padding(padding, self.cls_name)
        self.padding = padding
        self.group = group
        self.has_bias = has_bias
        for name, values in (("kernel_size", kernel_size), ("stride", stride), ("dilation", dilation)):
            for item in values:
                check_positive_int(item, f"{name} item", self.cls_name)
        _make_parameters(self, [out_channels, in_channels // group, *kernel_size], has_bias, weight_init, bias_init,
                         dtype)
        self.conv2d = N.Conv2D(out_channel=out_channels, kernel_size=kernel_size, mode=1, pad_mode=pad_mode,
                               pad=padding, stride=stride, dilation=dilation, group=group, data_format=data_format)
        self.bias_add = N.BiasAdd(data_format=data_format)

    def construct(self, x):
        output = self.conv2d(x, self.weight)
        if self.has_bias:
            output = self.bias_add(output, self.bias)
        return output

    def extend_repr(self):
        return _conv_repr(self)


class Conv1d(_ConvNd):
    """``Conv1d(in_channels, out_channels, kernel_size, stride=1, pad_mode='same', padding=0, dilation=1, group=1,
    has_bias=False, weight_init=None, bias_init=None, dtype=float32)``: input (N, C, L); int arguments only; the
    weight is (out, in/group, 1, kernel_size) and the repr shows the 2-d attributes, as in MindSpore."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, pad_mode="same", padding=0, dilation=1,
                 group=1, has_bias=False, weight_init=None, bias_init=None, dtype=mstype.float32):
        super().__init__()
        for name, value in (("kernel_size", kernel_size), ("stride", stride), ("padding", padding),
                            ("dilation", dilation)):
            check_value_type(self.cls_name, name, value, (int,))
        check_int(kernel_size, 1, ">=", "kernel_size", self.cls_name)
        check_int(stride, 1, ">=", "stride", self.cls_name)
        check_non_negative_int(padding, "padding", self.cls_name)
        check_int(dilation, 1, ">=", "dilation", self.cls_name)
        check_positive_int(group, "group", self.cls_name)
        if not (in_channels % group == 0 and out_channels % group == 0):
            raise ValueError(f"The argument 'group' should be divisible by 'in_channels' and 'out_channels', but got "
                             f"group:{group}, in_channels:{in_channels}, out_channels:{out_channels}.")
        if isinstance(weight_init, Tensor):
            _check_equal_int(self.cls_name, "weight_init_shape", weight_init.ndim, 3)
            weight_init = weight_init.expand_dims(2)
        self._setup(in_channels, out_channels, (1, kernel_size), (1, stride), pad_mode, padding, (1, dilation), group,
                    has_bias)
        _make_parameters(self, [out_channels, in_channels // group, 1, kernel_size], has_bias, weight_init,
                         bias_init, dtype)
        self.padding = (0, 0, padding, padding)
        check_string(pad_mode, ["valid", "same", "pad"], "pad_mode", self.cls_name)
        self.conv2d = N.Conv2D(out_channel=out_channels, kernel_size=self.kernel_size, mode=1, pad_mode=pad_mode,
                               pad=self.padding, stride=self.stride, dilation=self.dilation, group=group)
        self.bias_add = N.BiasAdd()
        self.expand_dims = A.ExpandDims()
        self.squeeze = A.Squeeze(2)

    def construct(self, x):
        output = self.conv2d(self.expand_dims(x, 2), self.weight)
        if self.has_bias:
            output = self.bias_add(output, self.bias)
        return self.squeeze(output)


def _deconv_length(pad_mode, size, kernel, stride, dilation, padding):
    """The transposed convolution's output length: the input length the forward convolution maps to ``size``."""
    extent = (kernel - 1) * dilation + 1
    if pad_mode == "valid":
        return size * stride + max(extent - stride, 0)
    if pad_mode == "same":
        return size * stride
    return size * stride - padding + extent - stride


class Conv2dTranspose(_ConvNd):
    """``Conv2dTranspose(in_channels, out_channels, kernel_size, stride=1, pad_mode='same', padding=0,
    output_padding=0, dilation=1, group=1, has_bias=False, weight_init=None, bias_init=None, dtype=float32)``:
    weight (in, out/group, kh, kw); output (N, out, H*stride, W*stride) for 'same'; ``output_padding`` (pad mode
    only) appends zero rows/columns at the bottom/right, as MindSpore does."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, pad_mode="same", padding=0, output_padding=0,
                 dilation=1, group=1, has_bias=False, weight_init=None, bias_init=None, dtype=mstype.float32):
        super().__init__()
        kernel_size, stride, dilation = twice(kernel_size), twice(stride), twice(dilation)
        check_value_type(self.cls_name, "padding", padding, (int, tuple))
        if isinstance(padding, tuple):
            _check_equal_int(self.cls_name, "padding size", len(padding), 4)
        check_value_type(self.cls_name, "output_padding", output_padding, (int, tuple))
        if isinstance(output_padding, tuple):
            _check_equal_int(self.cls_name, "output_padding size", len(output_padding), 2)
        self._setup(in_channels, out_channels, kernel_size, stride, pad_mode, padding, dilation, group, has_bias)
        _make_parameters(self, [in_channels, out_channels // group, *kernel_size], has_bias, weight_init, bias_init,
                         dtype)
        check_string(pad_mode, ["valid", "same", "pad"], "pad_mode", self.cls_name)
        self.output_padding = output_padding
        self.conv2d_transpose = N.Conv2DTranspose(out_channel=in_channels, kernel_size=kernel_size, mode=1,
                                                  pad_mode=pad_mode, pad=padding, stride=stride, dilation=dilation,
                                                  group=group)
        self.bias_add = N.BiasAdd()
        self.pads = (padding,) * 4 if isinstance(padding, int) else padding

    def _output_padding(self):
        """(rows, columns) of zeros appended, checked at the call as MindSpore does."""
        pair = isinstance(self.output_padding, tuple)
        values = self.output_padding if pair else (self.output_padding,) * 2
        if not pair and values[0] == 0:
            return values
        for i, axis in enumerate("hw"):
            if values[i] < 0 or values[i] >= max(self.dilation[i], self.stride[i]):
                where = f"output_padding[{i}]" if pair else "output_padding"
                raise ValueError(f"{where} must be in range of [0, max(stride_{axis}, dilation_{axis})).")
        if self.pad_mode != "pad" and max(values) > 0:
            raise ValueError("when output_padding is not zero, pad_mode must be 'pad'")
        return values

    def construct(self, x):
        n, _, h, w = x.shape
        sizes = [_deconv_length(self.pad_mode, size, self.kernel_size[i], self.stride[i], self.dilation[i],
                                self.pads[2 * i] + self.pads[2 * i + 1]) for i, size in enumerate((h, w))]
        output = self.conv2d_transpose(x, self.weight, (n, self.out_channels, *sizes))
        if self.has_bias:
            output = self.bias_add(output, self.bias)
        rows, columns = self._output_padding()
        if rows or columns:
            output = N.Pad(((0, 0), (0, 0), (0, rows), (0, columns)))(output)
        return output
