"""``nn.Conv2d`` (NCHW): MindSpore 2.10's defaults (pad_mode 'same', no bias, HeUniform(sqrt(5)) weight), checks
and repr."""
from __future__ import annotations

import math

from . import dtype as mstype
from . import nn_ops as N
from .cell import Cell
from .initializer import HeUniform, Uniform, _calculate_fan_in_and_fan_out, initializer
from .layers_checks import check_bool, check_cpu_format, check_non_negative_int, check_positive_int, check_string, twice
from .parameter import Parameter


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
        if isinstance(padding, int):
            check_non_negative_int(padding, "padding", self.cls_name)
        elif isinstance(padding, tuple):
            for pad in padding:
                check_non_negative_int(pad, "padding item", self.cls_name)
        else:
            raise TypeError(f"For '{self.cls_name}', the type of 'padding' must be int or tuple(int), but got "
                            f"{type(padding).__name__}.")
        self.padding = padding
        self.group = group
        self.has_bias = has_bias
        for name, values in (("kernel_size", kernel_size), ("stride", stride), ("dilation", dilation)):
            for item in values:
                check_positive_int(item, f"{name} item", self.cls_name)
        shape = [out_channels, in_channels // group, *kernel_size]
        self.weight_init = HeUniform(math.sqrt(5)) if weight_init is None else weight_init
        self.weight = Parameter(initializer(self.weight_init, shape, dtype=dtype), name="weight")
        self.bias_init = bias_init
        if check_bool(has_bias, "has_bias", self.cls_name):
            if bias_init is None:
                fan_in, _ = _calculate_fan_in_and_fan_out(shape)
                self.bias_init = Uniform(1 / math.sqrt(fan_in)) if fan_in else "zeros"
            self.bias = Parameter(initializer(self.bias_init, [out_channels], dtype=dtype), name="bias")
        else:
            self.bias = None
        self.conv2d = N.Conv2D(out_channel=out_channels, kernel_size=kernel_size, mode=1, pad_mode=pad_mode,
                               pad=padding, stride=stride, dilation=dilation, group=group, data_format=data_format)
        self.bias_add = N.BiasAdd(data_format=data_format)

    def construct(self, x):
        output = self.conv2d(x, self.weight)
        if self.has_bias:
            output = self.bias_add(output, self.bias)
        return output

    def extend_repr(self):
        return (f"input_channels={self.in_channels}, output_channels={self.out_channels}, kernel_size="
                f"{self.kernel_size}, stride={self.stride}, pad_mode={self.pad_mode}, padding={self.padding}, "
                f"dilation={self.dilation}, group={self.group}, has_bias={self.has_bias}, weight_init="
                f"{self.weight_init}, bias_init={self.bias_init}, format={self.data_format}")
