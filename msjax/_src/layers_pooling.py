"""``nn.MaxPool2d``, ``nn.AvgPool2d`` and ``nn.AdaptiveAvgPool2d`` (NCHW or CHW input): MindSpore 2.10's defaults
(kernel_size=1, stride=1, pad_mode 'valid'), checks and reprs. 'valid'/'same' run MaxPool/AvgPool; 'pad' mode (and
AvgPool2d's ceil_mode/count_include_pad/divisor_override) runs the 3-d ops on a depth-1 input, as MindSpore does."""
from __future__ import annotations

from . import nn_ops as N
from .cell import Cell
from .layers_checks import check_cpu_format, check_non_negative_int, check_string, check_value_type


def _check_int_or_tuple(cls_name, name, value):
    check_value_type(cls_name, name, value, (int, tuple))
    message = f"For '{cls_name}', the '{name}' must be an positive int number or a tuple, but got {value}"
    if isinstance(value, int):
        if value <= 0:
            raise ValueError(message)
        return value
    for item in value:
        if not (isinstance(item, int) and item > 0):
            raise ValueError(message)
    return value[0] if len(value) == 1 else value


def _with_depth(cls_name, name, value):
    """(1, h, w) for the 3-d ops, from an int or a pair."""
    if isinstance(value, int):
        return 1, value, value
    if len(value) != 2:
        raise ValueError(f"For {cls_name}, the length of {name} must be equal to 2, but got {len(value)}.")
    return (1,) + value


class _PoolNd(Cell):
    def __init__(self, kernel_size, stride, pad_mode, data_format="NCHW"):
        super().__init__()
        check_value_type(self.cls_name, "pad_mode", pad_mode, (str,))
        self.pad_mode = check_string(pad_mode.upper(), ["VALID", "SAME", "PAD"], "pad_mode", self.cls_name)
        self.format = check_string(data_format, ["NCHW", "NHWC"], "format", self.cls_name)
        check_cpu_format(self.cls_name, self.format,
                         "For '{cls}, the 'NHWC' format only support in GPU target, but got device target {target}.")
        self.kernel_size = _check_int_or_tuple(self.cls_name, "kernel_size", kernel_size)
        self.stride = _check_int_or_tuple(self.cls_name, "stride", stride)

    def extend_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, pad_mode={self.pad_mode}"

    def _run(self, pool, x, depth):
        """``pool`` on ``x`` (3-d input: a batch of one), through a depth axis for the 3-d ops."""
        batched = x.ndim == 3
        if batched:
            x = x.unsqueeze(0)
        out = pool(x.unsqueeze(2) if depth else x)
        outs = out if isinstance(out, tuple) else (out,)
        outs = tuple(o.squeeze(2) if depth else o for o in outs)
        outs = tuple(o.squeeze(0) if batched else o for o in outs)
        return outs if isinstance(out, tuple) else outs[0]


class MaxPool2d(_PoolNd):
    """``MaxPool2d(kernel_size=1, stride=1, pad_mode='valid', padding=0, dilation=1, return_indices=False,
    ceil_mode=False, data_format='NCHW')``; padding, dilation, indices and ceil_mode need pad_mode 'pad'."""

    def __init__(self, kernel_size=1, stride=1, pad_mode="valid", padding=0, dilation=1, return_indices=False,
                 ceil_mode=False, data_format="NCHW"):
        super().__init__(kernel_size, stride, pad_mode, data_format)
        self.return_indices = return_indices
        self.use_pad = pad_mode.upper() == "PAD"
        if self.use_pad:
            kernel = _with_depth(self.cls_name, "kernel_size", self.kernel_size)
            strides = _with_depth(self.cls_name, "stride", self.stride)
            self.padding = self._padding(padding)
            self.max_pool = N.MaxPool3DWithArgmax(ksize=kernel, strides=strides, pads=self.padding,
                                                  dilation=self._dilation(dilation), ceil_mode=ceil_mode)
        else:
            if padding != 0 or dilation != 1 or return_indices or ceil_mode:
                raise ValueError("For MaxPool2d, the parameter 'padding', 'dilation', 'return_indices', 'ceil_mode' "
                                 "can not be set to non-default value when pad_mode is not 'pad', but got "
                                 f"pad_mode:{pad_mode}.")
            self.max_pool = N.MaxPool(kernel_size=self.kernel_size, strides=self.stride, pad_mode=self.pad_mode,
                                      data_format=self.format)

    def _padding(self, padding):
        check_value_type(self.cls_name, "padding", padding, (int, tuple, list))
        if isinstance(padding, int):
            return 0, padding, padding
        for index, item in enumerate(padding):
            check_non_negative_int(item, f"padding[{index}]", self.cls_name)
        if len(padding) == 1:
            return (0,) + tuple(padding) * 2
        if len(padding) != 2:
            raise ValueError(f"For {self.cls_name}, the length of padding must equal to 2, but got {len(padding)}.")
        return (0,) + tuple(padding)

    def _dilation(self, dilation):
        if isinstance(dilation, int):
            return dilation
        if isinstance(dilation, tuple):
            if len(dilation) == 1:
                return dilation[0]
            if len(dilation) == 2:
                return (1,) + dilation
            raise ValueError(f"For {self.cls_name}, the length of 'dilation' must be 1 or 2, but got "
                             f"{len(dilation)}.")
        raise ValueError(f"For {self.cls_name}, the 'dilation' must be int or tuple, but got {type(dilation)}.")

    def construct(self, x):
        out = self._run(self.max_pool, x, self.use_pad)
        return out[0] if self.use_pad and not self.return_indices else out


class AvgPool2d(_PoolNd):
    """``AvgPool2d(kernel_size=1, stride=1, pad_mode='valid', padding=0, ceil_mode=False, count_include_pad=True,
    divisor_override=None, data_format='NCHW')``. 'same' without the extra options does not count padding."""

    def __init__(self, kernel_size=1, stride=1, pad_mode="valid", padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None, data_format="NCHW"):
        super().__init__(kernel_size, stride, pad_mode, data_format)
        self.is_expand = (pad_mode.upper() == "PAD" or padding != 0 or ceil_mode or not count_include_pad
                          or divisor_override is not None)
        if self.is_expand:
            if self.format == "NHWC":
                raise ValueError(f"For '{self.cls_name}, the 'NHWC' format are not support when 'pad_mode' is 'pad' "
                                 "or 'padding' is not 0 or 'ceil_mode' is not False or 'count_include_pad' is not "
                                 f"Trueor divisor_override is not None, but got pade_mode:{pad_mode}, padding:"
                                 f"{padding}, ceil_mode:{ceil_mode}, count_include_pad:{count_include_pad}, "
                                 f"divisor_override:{divisor_override}.")
            if divisor_override is not None and divisor_override <= 0:
                raise ValueError(f"For '{self.cls_name}', the 'divisor_override' must be > 0, but got "
                                 f"{divisor_override}.")
            self.avg_pool = N.AvgPool3D(kernel_size=_with_depth(self.cls_name, "kernel_size", self.kernel_size),
                                        strides=_with_depth(self.cls_name, "stride", self.stride), pad_mode=pad_mode,
                                        pad=self._padding(padding), ceil_mode=ceil_mode,
                                        count_include_pad=count_include_pad,
                                        divisor_override=divisor_override or 0)
        else:
            self.avg_pool = N.AvgPool(kernel_size=self.kernel_size, strides=self.stride, pad_mode=self.pad_mode,
                                      data_format=self.format)

    def _padding(self, padding):
        """(front, back, top, bottom, left, right) for AvgPool3D from an int or 1 or 2 ints."""
        check_value_type(self.cls_name, "padding", padding, (int, tuple, list))
        if isinstance(padding, int):
            return (0, 0) + (padding,) * 4
        for index, item in enumerate(padding):
            check_non_negative_int(item, f"padding[{index}]", self.cls_name)
        if len(padding) == 1:
            return (0, 0) + tuple(padding) * 4
        if len(padding) != 2:
            raise ValueError(f"For {self.cls_name}, the padding must be a int or tuple/list contains 1 or 2 int, but "
                             f"got tuple/list with length:{len(padding)}.")
        return (0, 0, padding[0], padding[0], padding[1], padding[1])

    def construct(self, x):
        return self._run(self.avg_pool, x, self.is_expand)


class AdaptiveAvgPool2d(Cell):
    """``AdaptiveAvgPool2d(output_size)``: an int, or a pair whose None entries keep the input's size; input
    (N, C, H, W) or (C, H, W)."""

    def __init__(self, output_size):
        super().__init__()
        self.adaptive_avgpool2d = N.AdaptiveAvgPool2D(output_size)

    def construct(self, input):
        return self.adaptive_avgpool2d(input)
