"""Neural-network ops: activations, convolution, pooling, BatchNorm, Dropout (MindSpore's op classes)."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from .primitive import Primitive
from .validation import ms_dtype_name, shape_list

_FLOATS = ("BFloat16", "Float16", "Float32", "Float64")


def _check_float_input(op, x):
    name = ms_dtype_name(x)
    if name not in _FLOATS:
        raise TypeError(f"For primitive[{op}], the input argument[x] must be a type of {{{', '.join(_FLOATS)}}}, "
                        f"but got {name}.")


def _softmax_axes(op, axis, ndim):
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    rank = max(ndim, 1)
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"For primitive[{op}], the axis must be in [{-rank},{rank}), but got {a}.")
    return tuple(a % rank for a in axes) if ndim else None


class Softmax(Primitive):
    """``Softmax(axis=-1)(x)``."""
    compile_eagerly = True
    inputs = ("x: Tensor",)
    attrs = {"axis": -1}

    def kernel(self, x):
        _check_float_input("Softmax", x)
        return jax.nn.softmax(x, axis=_softmax_axes("Softmax", self.axis, x.ndim))


class LogSoftmax(Primitive):
    compile_eagerly = True
    inputs = ("logits: Tensor",)
    attrs = {"axis": -1}

    def kernel(self, x):
        _check_float_input("LogSoftmax", x)
        # MindSpore's CPU kernel is float32 only: other float inputs are computed in float32 and cast back
        out = jax.nn.log_softmax(x.astype(np.float32), axis=_softmax_axes("LogSoftmax", self.axis, x.ndim))
        return out.astype(x.dtype)


class ReLU6(Primitive):
    compile_eagerly = True
    inputs = ("x: Tensor",)

    def kernel(self, x):
        _require("ReLU6", x, ("Float16", "Float32"), "input_x")
        # where, not clip: MindSpore's gradient is 1 on (0, 6], 0 at 0
        return jnp.where(x <= 0, np.zeros((), x.dtype), jnp.where(x > 6, np.asarray(6, x.dtype), x))


class GeLU(Primitive):
    """``GeLU()(x)``: the tanh approximation ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`` (half precision
    computed in float32)."""
    compile_eagerly = True
    inputs = ("x: Tensor",)

    def kernel(self, x):
        _require("GeLU", x, _FLOATS[:3] + ("Float64",), "x")
        work = x.astype(np.float32) if x.dtype in (np.float16, jnp.bfloat16) else x
        inner = np.asarray(np.sqrt(2 / np.pi), work.dtype) * (work + np.asarray(0.044715, work.dtype) * work ** 3)
        return (np.asarray(0.5, work.dtype) * work * (1 + jnp.tanh(inner))).astype(x.dtype)


class SiLU(Primitive):
    """``x * sigmoid(x)`` (``ops.silu``; MindSpore has no public op class for it)."""
    compile_eagerly = True
    inputs = ("input: Tensor",)

    def kernel(self, x):
        _require("Sigmoid", x, ("Float16", "Float32", "Float64"), "input")
        return x * jax.nn.sigmoid(x)


# --- argument normalization shared by the convolution and pooling ops ------------------------------------------

def check_value_type(op, name, value, types):
    """MindSpore's ``Validator.check_value_type`` (bool is not accepted as int)."""
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        names = [t.__name__ for t in types]
        listed = f"one of '{names}'" if len(types) > 1 else f"'{names[0]}'"
        raise TypeError(f"For '{op}', the type of '{name}' should be {listed}, but got type '{type(value).__name__}'.")
    return value


def _spatial(op, name, value, n, *, full=False, positive=True):
    """``value`` (an int, an n-tuple, or with ``full`` an (n+2)-tuple of which the last n count) as an n-tuple of
    positive (or non-negative) ints, with MindSpore's 2-d / 3-d op messages."""
    check_value_type(op, name, value, (int, tuple))
    if n == 2:
        message = (f"For '{op}' attr '{name}' must be an positive int number or a tuple of two "
                   f"{'or four ' if full else ''}positive int numbers, but got {value}")
    else:
        message = (f"For '{op}', the parameter '{name}' must be an positive integer or a tuple of three "
                   f"{'or five ' if full else ''}positive integer, but got {value}")
    if isinstance(value, int):
        result = (value,) * n
    elif len(value) == n or (full and len(value) == n + 2):
        result = tuple(value[-n:])
    else:
        raise ValueError(message)
    for item in result:
        if not isinstance(item, int) or isinstance(item, bool) or item < (1 if positive else 0):
            raise ValueError(message)
    return result


def _const_vector(shape):
    return "[const vector]{" + ", ".join(str(d) for d in shape) + "}"


def _check_rank(op, x, rank, what="the x shape size must be equal to"):
    if x.ndim != rank:
        raise ValueError(f"For primitive[{op}], {what} {rank}, but got {x.ndim}.")


def _require(op, x, allowed, arg="x"):
    name = ms_dtype_name(x)
    if name not in allowed:
        listed = ", ".join(f"Tensor[{t}]" for t in allowed)
        raise TypeError(f"For primitive[{op}], the input argument[{arg}] must be a type of {{{listed}}}, but got "
                        f"Tensor[{name}].")


def _same_dtype(op, first, second, names):
    if first.dtype != second.dtype:
        raise TypeError(f"For primitive[{op}], the input type must be same.\nname:[{names[1]}]:Tensor["
                        f"{ms_dtype_name(second)}].\nname:[{names[0]}]:Tensor[{ms_dtype_name(first)}].")


def _same_pads(size, kernel, stride, dilation=1):
    """TF-style 'same' padding (MindSpore's split): output ceil(size/stride), the odd pixel at the end."""
    total = max((-(-size // stride) - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def _pool_size(size, kernel, stride, dilation, lo, hi, ceil_mode):
    """Output length of a padded pooling window; with ``ceil_mode`` the last window must start inside the input
    or its leading padding (as MindSpore's pad-mode pooling and torch)."""
    span = size + lo + hi - (kernel - 1) * dilation - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + lo:
        out -= 1
    return out


def _windows(x, kernel, strides, dilation, pads, out, fill):
    """The pooling windows of ``x`` over its last ``len(kernel)`` axes: an array ``(*lead, *out, prod(kernel))``,
    positions outside the input holding ``fill``. Built from `jnp.take`, so gradients reach exactly the picked
    element."""
    n, lead = len(kernel), x.ndim - len(kernel)
    widths = [(lo, max((o - 1) * s + (k - 1) * d + 1 - size - lo, 0))
              for (lo, _), o, s, k, d, size in zip(pads, out, strides, kernel, dilation, x.shape[lead:])]
    xp = jnp.pad(x, [(0, 0)] * lead + widths, constant_values=fill)
    for i in range(n):
        index = np.arange(out[i])[:, None] * strides[i] + np.arange(kernel[i])[None, :] * dilation[i]
        xp = jnp.take(xp, index, axis=lead + 2 * i)
    order = list(range(lead)) + [lead + 2 * i for i in range(n)] + [lead + 2 * i + 1 for i in range(n)]
    return xp.transpose(order).reshape(x.shape[:lead] + tuple(out) + (-1,))


def _lowest(dtype):
    return -jnp.inf if np.dtype(dtype).kind in "fV" else np.iinfo(dtype).min


def _max_with_argmax(op, x, kernel, strides, dilation, pads, ceil_mode):
    """Max pooling over the last axes with explicit symmetric ``pads``; also the flat index of each maximum in
    the input's pooled axes (the first one on ties), as MaxPoolWithArgmaxV2 / MaxPool3DWithArgmax return."""
    n = len(kernel)
    spatial = x.shape[-n:]
    for k, p in zip(kernel, pads):
        if p > k // 2:
            raise ValueError(op(kernel, pads))
    out = tuple(_pool_size(size, k, s, d, p, p, ceil_mode)
                for size, k, s, d, p in zip(spatial, kernel, strides, dilation, pads))
    windows = _windows(x, kernel, strides, dilation, [(p, p) for p in pads], out, _lowest(x.dtype))
    best = jnp.argmax(windows, axis=-1)
    values = jnp.take_along_axis(windows, best[..., None], axis=-1)[..., 0]
    offsets = jnp.unravel_index(best, kernel)
    flat = jnp.zeros(best.shape, np.int64)
    for i in range(n):
        position = np.arange(out[i]).reshape((-1,) + (1,) * (n - 1 - i)) * strides[i] - pads[i]
        flat = flat * spatial[i] + position + offsets[i] * dilation[i]
    return values, flat


# --- convolution -----------------------------------------------------------------------------------------------

_CONV_TYPES = ("BFloat16", "Float16", "Float32", "Int32", "Int64", "Int8")



def _conv_geometry(prim, case_sensitive=True):
    """Normalizes a Conv2D-family primitive's kernel_size/stride/dilation and returns its pad as 4 sides."""
    prim.kernel_size = _spatial(prim.name, "kernel_size", prim.kernel_size, 2)
    prim.stride = (1, 1) + _spatial(prim.name, "stride", prim.stride, 2, full=True)
    prim.dilation = (1, 1) + _spatial(prim.name, "dilation", prim.dilation, 2, full=True)
    check_value_type(prim.name, "pad", prim.pad, (int, tuple))
    check_value_type(prim.name, "pad_mode", prim.pad_mode, (str,))
    pad = (prim.pad,) * 4 if isinstance(prim.pad, int) else prim.pad
    if len(pad) != 4:
        raise ValueError(f"For '{prim.name}', the 'pad size' must be int and must = 4, but got '{len(pad)}' "
                         "with type 'int'.")
    if (prim.pad_mode if case_sensitive else prim.pad_mode.lower()) not in ("valid", "same", "pad"):
        raise ValueError(f"For '{prim.name}', the 'pad_mode' must be str and must be in "
                         f"'['valid', 'same', 'pad']', but got '{prim.pad_mode}'.")
    return pad


class Conv2D(Primitive):
    """``Conv2D(out_channel, kernel_size, mode=1, pad_mode='valid', pad=0, stride=1, dilation=1, group=1,
    data_format='NCHW')(x, w)``: NCHW input, OIHW weight; float32 in full precision."""
    compile_eagerly = True
    inputs = ("x: Tensor", "w: Tensor")
    attrs = {"out_channel": None, "kernel_size": None, "mode": 1, "pad_mode": "valid", "pad": 0, "stride": 1,
             "dilation": 1, "group": 1, "data_format": "NCHW"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import context
        pad = _conv_geometry(self)
        if self.pad_mode != "pad" and pad != (0, 0, 0, 0):
            raise ValueError(f"For '{self.name}', the 'pad' must be zero when 'pad_mode' is not 'pad', but got "
                             f"'pad': {self.pad} and 'pad_mode': {self.pad_mode}.")
        self.padding = pad
        if self.data_format not in ("NCHW", "NHWC"):
            raise ValueError(f"For '{self.name}', the 'format' must be str and must be in '['NCHW', 'NHWC']', but "
                             f"got '{self.data_format}'.")
        if self.data_format == "NHWC" and context.get_context("device_target") != "GPU":
            raise ValueError(f"For '{self.name}', the 'NHWC' format is only supported in GPU target, but got the "
                             f"'data_format' is NHWC and platform is {context.get_context('device_target')}.")
        for key in ("kernel_size", "stride", "dilation"):
            self.add_prim_attr(key, getattr(self, key))
        self.add_prim_attr("pad", pad).add_prim_attr("groups", self.group)

    def kernel(self, x, w):
        _check_rank(self.name, x, 4)
        _check_rank(self.name, w, 4, "the w shape size must be equal to")
        _same_dtype(self.name, x, w, ("x", "w"))
        _require(self.name, w, _CONV_TYPES, "w")
        _require(self.name, x, _FLOATS[:3])  # the integer kernels MindSpore lists are not built for CPU
        if w.shape[0] != self.out_channel:
            raise RuntimeError(f"For 'Conv2D', 'w_shape[0]' must be equal to 'out_channel', but got 'w_shape[0]': "
                               f"{w.shape[0]}, 'out_channel': {self.out_channel}.")
        for i in range(2):
            if w.shape[2 + i] != self.kernel_size[i]:
                raise RuntimeError(f"For 'Conv2D', 'w_shape[{2 + i}]' must be equal to 'kernel_size[{i}]', but got "
                                   f"'w_shape[{2 + i}]': {w.shape[2 + i]}, 'kernel_size[{i}]': {self.kernel_size[i]}.")
        if x.shape[1] // self.group != w.shape[1] or x.shape[1] % self.group:
            raise RuntimeError(f"For 'Conv2D', 'C_in' of input 'x' shape divide by parameter 'group' must be equal "
                               f"to 'C_in' of input 'weight' shape: {w.shape[1]}, but got 'C_in' of input 'x' shape: "
                               f"{x.shape[1]}, and 'group': {self.group}.")
        strides, dilation = self.stride[2:], self.dilation[2:]
        if self.pad_mode == "same":
            pads = [_same_pads(x.shape[2 + i], self.kernel_size[i], strides[i], dilation[i]) for i in range(2)]
        else:
            pads = [tuple(self.padding[:2]), tuple(self.padding[2:])]
        for i in range(2):
            if x.shape[2 + i] + sum(pads[i]) < (self.kernel_size[i] - 1) * dilation[i] + 1:
                raise ValueError("For 'Conv2d', input shape's h and w after padding must be greater than or equal "
                                 "to kernel_size's h and w respectively.")
        return jax.lax.conv_general_dilated(x, w, strides, pads, rhs_dilation=dilation,
                                            dimension_numbers=("NCHW", "OIHW", "NCHW"),
                                            feature_group_count=self.group, precision=jax.lax.Precision.HIGHEST)


class BiasAdd(Primitive):
    """``BiasAdd(data_format='NCHW')(input_x, bias)``: ``bias`` added along axis 1."""
    compile_eagerly = True
    inputs = ("input_x: Tensor", "bias: Tensor")
    attrs = {"data_format": "NCHW"}

    def kernel(self, x, bias):
        if not 2 <= x.ndim <= 5:
            raise ValueError(f"For primitive[BiasAdd], the rank of input_x must be in [2,5], but got {x.ndim}.")
        _same_dtype("BiasAdd", x, bias, ("input_x", "bias"))
        if bias.ndim != 1 or bias.shape[0] != x.shape[1]:
            raise ValueError(f"For 'BiasAdd', bias[0] shape should be equal to input_x[1] shape when data_format "
                             f"is 0, but got bias shape: .{shape_list(bias.shape)}, input_shape: "
                             f"{shape_list(x.shape)}.")
        return x + bias.reshape((-1,) + (1,) * (x.ndim - 2))


# --- pooling ---------------------------------------------------------------------------------------------------

class _Pool2D(Primitive):
    """MaxPool / AvgPool: NCHW, ``pad_mode`` 'VALID' or 'SAME' (TF-style split)."""
    compile_eagerly = True
    inputs = ("x: Tensor",)
    attrs = {"kernel_size": 1, "strides": 1, "pad_mode": "valid", "data_format": "NCHW"}
    _rank_text = "the length of input must be equal to 4 ,"  # MindSpore's wording differs per op

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_value_type(self.name, "kernel_size", self.kernel_size, (int, tuple))
        check_value_type(self.name, "strides", self.strides, (int, tuple))
        check_value_type(self.name, "pad_mode", self.pad_mode, (str,))
        self.pad_mode = self.pad_mode.upper()
        if self.pad_mode not in ("VALID", "SAME"):
            raise ValueError(f"For '{self.name}', the 'pad_mode' must be str and must be in '['VALID', 'SAME']', "
                             f"but got '{self.pad_mode}'.")
        self.kernel_size = (1, 1) + _spatial(self.name, "kernel_size", self.kernel_size, 2)
        self.strides = (1, 1) + _spatial(self.name, "strides", self.strides, 2)
        for key in ("kernel_size", "strides", "pad_mode"):
            self.add_prim_attr(key, getattr(self, key))

    def _geometry(self, x):
        if x.ndim != 4:
            raise ValueError(f"For primitive[{self.name}], {self._rank_text} but got {x.ndim}.")
        _require(self.name, x, _FLOATS[1:])
        kernel, strides = self.kernel_size[2:], self.strides[2:]
        if self.pad_mode == "SAME":
            pads = [_same_pads(x.shape[2 + i], kernel[i], strides[i]) for i in range(2)]
        else:
            pads = [(0, 0), (0, 0)]
        out = [(x.shape[2 + i] + sum(pads[i]) - kernel[i]) // strides[i] + 1 for i in range(2)]
        if min(out) <= 0:
            self._empty_output(x, out)
        return self.kernel_size, self.strides, [(0, 0), (0, 0)] + pads

    def _empty_output(self, x, out):
        sizes = [-(-(x.shape[2 + i] - self.kernel_size[2 + i] + 1) // self.strides[2 + i]) for i in range(2)]
        raise ValueError(f"For '{self.name}', the each element of the output shape must be larger than 0, but got "
                         f"output shape: {_const_vector(x.shape[:2] + tuple(sizes))}. The input shape: "
                         f"{_const_vector(x.shape)}, kernel size: {_const_vector(self.kernel_size)}, strides: "
                         f"{_const_vector(self.strides)}. Please check the official api documents for more "
                         "information about the output.")


class MaxPool(_Pool2D):
    def kernel(self, x):
        window, strides, pads = self._geometry(x)
        return jax.lax.reduce_window(x, _lowest(x.dtype), jax.lax.max, window, strides, pads)


class AvgPool(_Pool2D):
    """Average over the window's positions inside the input ('SAME' padding is not counted)."""
    _rank_text = "the x_rank must be equal to 4,"

    def _empty_output(self, x, out):
        raise RuntimeError(f"For 'AvgPool' op, H_out/W_out must be positive, but H_out/W_out is "
                           f"{out[0] if out[0] <= 0 else out[1]}, please check input and parameters of op")

    def kernel(self, x):
        window, strides, pads = self._geometry(x)
        total = jax.lax.reduce_window(x, np.zeros((), x.dtype), jax.lax.add, window, strides, pads)
        count = jax.lax.reduce_window(np.ones(x.shape[2:], x.dtype), np.zeros((), x.dtype), jax.lax.add,
                                      window[2:], strides[2:], pads[2:])
        return (total / count).astype(x.dtype)


class MaxPoolWithArgmaxV2(Primitive):
    """``MaxPoolWithArgmaxV2(kernel_size, strides=None, pads=0, dilation=(1, 1), ceil_mode=False,
    argmax_type=int64)(x)`` -> (output, argmax): ``ops.max_pool2d``."""
    inputs = ("x: Tensor",)
    attrs = {"kernel_size": None, "strides": None, "pads": 0, "dilation": (1, 1), "ceil_mode": False,
             "argmax_type": None}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_value_type(self.name, "ceil_mode", self.ceil_mode, (bool,))
        strides = self.kernel_size if self.strides is None else self.strides
        self.kernel_size = (1, 1) + _spatial(self.name, "kernel_size", self.kernel_size, 2)
        self.strides = (1, 1) + _spatial(self.name, "strides", strides, 2)
        self.pads = (1, 1) + _spatial(self.name, "pads", self.pads, 2, positive=False)
        self.dilation = (1, 1) + _spatial(self.name, "dilation", self.dilation, 2)
        for key in ("kernel_size", "strides", "pads", "dilation"):
            self.add_prim_attr(key, getattr(self, key))

    def kernel(self, x):
        _check_rank(self.name, x, 4, "the input x rank must be equal to")
        kernel, pads = self.kernel_size[2:], self.pads[2:]
        return _max_with_argmax(
            lambda k, p: "It is required that the `pads` is no more than half of the `kernel_size`, but gets "
                         f"pads{tuple(p)} and kernel_size{tuple(k)}.",
            x, kernel, self.strides[2:], self.dilation[2:], pads, self.ceil_mode)


class MaxPool3DWithArgmax(Primitive):
    """``MaxPool3DWithArgmax(ksize, strides, pads, dilation=(1, 1, 1), ceil_mode=False, data_format='NCDHW',
    argmax_type=int64)(x)`` -> (output, argmax) (nn.MaxPool2d's 'pad' mode runs it on a depth-1 NCDHW input)."""
    inputs = ("x: Tensor",)
    attrs = {"ksize": None, "strides": None, "pads": None, "dilation": (1, 1, 1), "ceil_mode": False,
             "data_format": "NCDHW", "argmax_type": None}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_value_type(self.name, "ceil_mode", self.ceil_mode, (bool,))
        self.ksize = _spatial(self.name, "ksize", self.ksize, 3)
        self.strides = _spatial(self.name, "strides", self.strides, 3)
        self.pads = _spatial(self.name, "pads", self.pads, 3, positive=False)
        self.dilation = _spatial(self.name, "dilation", self.dilation, 3, full=True)
        for key in ("ksize", "strides", "pads", "dilation"):
            self.add_prim_attr(key, getattr(self, key))

    def kernel(self, x):
        _check_rank(self.name, x, 5, "the input x rank must be equal to")
        return _max_with_argmax(
            lambda k, p: f"For Maxpool3DWithArgmax, pads should be less equal to the half of ksize, but got ksize "
                         f"is[[const vector]{{{', '.join(map(str, k))}}}], pads is[[const vector]"
                         f"{{{', '.join(map(str, p))}}}].",
            x, self.ksize, self.strides, self.dilation, self.pads, self.ceil_mode)


class AvgPool3D(Primitive):
    """``AvgPool3D(kernel_size=1, strides=1, pad_mode='valid', pad=0, ceil_mode=False, count_include_pad=True,
    divisor_override=0, data_format='NCDHW')(x)``: the divisor is ``divisor_override`` when nonzero, else the
    window clipped to the padded input (``count_include_pad``) or to the input."""
    inputs = ("x: Tensor",)
    attrs = {"kernel_size": 1, "strides": 1, "pad_mode": "valid", "pad": 0, "ceil_mode": False,
             "count_include_pad": True, "divisor_override": 0, "data_format": "NCDHW"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kernel_size = (1, 1) + _spatial(self.name, "kernel_size", self.kernel_size, 3, full=True)
        self.strides = (1, 1) + _spatial(self.name, "strides", self.strides, 3, full=True)
        check_value_type(self.name, "pad", self.pad, (int, tuple, list))
        pad = (self.pad,) * 6 if isinstance(self.pad, int) else tuple(self.pad)
        if len(pad) != 6:
            raise ValueError(f"For '{self.name}', attr 'pad' must be an positive int number or a tuple of six "
                             f"positive int numbers, but got {self.pad}.")
        check_value_type(self.name, "pad_mode", self.pad_mode, (str,))
        self.pad_mode = self.pad_mode.upper()
        if self.pad_mode not in ("VALID", "SAME", "PAD"):
            raise ValueError(f"For '{self.name}', the 'pad_mode' must be str and must be in "
                             f"'['VALID', 'SAME', 'PAD']', but got '{self.pad_mode}'.")
        if self.pad_mode != "PAD" and pad != (0,) * 6:
            raise ValueError(f"For '{self.name}', the 'pad' must be zero or (0, 0, 0, 0, 0, 0) when 'pad_mode' is "
                             f"not \"PAD\", but got 'pad' is {self.pad} and 'pad_mode' is {self.pad_mode}.")
        check_value_type(self.name, "ceil_mode", self.ceil_mode, (bool,))
        check_value_type(self.name, "count_include_pad", self.count_include_pad, (bool,))
        self.pad_list = pad
        for key in ("kernel_size", "strides", "pad_mode", "pad_list"):
            self.add_prim_attr(key, getattr(self, key))

    def kernel(self, x):
        _check_rank(self.name, x, 5, "the x_rank must be equal to")
        _require(self.name, x, _FLOATS[1:])
        kernel, strides, spatial = self.kernel_size[2:], self.strides[2:], x.shape[2:]
        if self.pad_mode == "SAME":
            pads = [_same_pads(size, k, s) for size, k, s in zip(spatial, kernel, strides)]
        else:
            pads = [tuple(self.pad_list[2 * i:2 * i + 2]) for i in range(3)]
        if any(lo + hi > k for (lo, hi), k in zip(pads, kernel)):
            raise ValueError("For 'AvgPool3D the sum of the pads in the two directions should be less than or equal "
                             f"to the corresponding kernel size, but got pads: ({','.join(map(str, self.pad_list))}) "
                             f"and kernel: {tuple(kernel)}")
        out = tuple(_pool_size(size, k, s, 1, lo, hi, self.ceil_mode)
                    for size, k, s, (lo, hi) in zip(spatial, kernel, strides, pads))
        total = _windows(x, kernel, strides, (1, 1, 1), pads, out, 0).sum(-1)
        if self.divisor_override:
            divisor = np.float64(self.divisor_override)
        else:
            divisor = np.ones(())
            for i, (size, k, s, (lo, hi)) in enumerate(zip(spatial, kernel, strides, pads)):
                start = np.arange(out[i]) * s - lo
                low, high = (0, size) if not self.count_include_pad else (-lo, size + hi)
                extent = np.minimum(start + k, high) - np.maximum(start, low)
                divisor = divisor[..., None] * extent
        return (total / divisor.astype(x.dtype)).astype(x.dtype)


# --- normalization and dropout ---------------------------------------------------------------------------------

class BatchNorm(Primitive):
    """``BatchNorm(is_training=False, epsilon=1e-5, momentum=0.1, data_format='NCHW')(x, scale, bias, mean,
    variance)`` -> (y, batch_mean, batch_variance, reserve_space_1, reserve_space_2), channels on axis 1.

    Training normalizes with the batch mean and biased variance and updates ``mean``/``variance`` in place (through
    `ops.assign`, so under grad and jit too) to ``(1 - momentum) * old + momentum * batch``, the variance term
    being the unbiased batch variance. Otherwise ``mean``/``variance`` normalize and nothing is written."""
    compile_eagerly = True
    inputs = ("input_x: Tensor", "scale: Tensor", "bias: Tensor", "mean: Tensor", "variance: Tensor")
    attrs = {"is_training": False, "epsilon": 1e-5, "momentum": 0.1, "data_format": "NCHW"}

    def __call__(self, x, scale, bias, mean, variance):
        from .array_ops import Assign
        from .primitive import apply
        outputs = apply(self, (x, scale, bias, mean, variance))
        if not self.is_training:
            return outputs
        assign = Assign()
        assign(mean, outputs[5])
        assign(variance, outputs[6])
        return outputs[:5]

    def kernel(self, x, scale, bias, mean, variance):
        if not 2 <= x.ndim <= 4:
            raise ValueError(f"For primitive[BatchNorm], the rank of images must be in [2,4], but got {x.ndim}.")
        _require("BatchNorm", x, ("Float16", "Float32"), "input_x")
        if scale.shape != bias.shape:
            raise ValueError(f"For primitive[BatchNorm], the scale and bias: {shape_list(scale.shape)} must be "
                             f"equal to {shape_list(bias.shape)}")
        if scale.shape[0] != x.shape[1]:
            raise ValueError(f"For BatchNorm, scale.shape[0] should be equal to input_x's channel dimension: "
                             f"{x.shape[1]}, bug got scale.shape[0]: {scale.shape[0]}.")
        axes = (0,) + tuple(range(2, x.ndim))
        channel = (-1,) + (1,) * (x.ndim - 2)
        xf = x.astype(np.float32)
        if self.is_training:
            batch_mean = xf.mean(axes)
            batch_var = jnp.square(xf - batch_mean.reshape(channel)).mean(axes)
            used_mean, used_var = batch_mean, batch_var
        else:
            used_mean, used_var = mean, variance
        inv = jax.lax.rsqrt(used_var.astype(np.float32) + np.float32(self.epsilon)) * scale
        y = ((xf - used_mean.reshape(channel)) * inv.reshape(channel) + bias.reshape(channel)).astype(x.dtype)
        if not self.is_training:
            return y, mean, variance, mean, variance
        count = x.size // x.shape[1]
        unbiased = jax.lax.stop_gradient(batch_var) * (np.float32(count) / np.float32(count - 1))
        m = np.float32(self.momentum)
        new_mean = (1 - m) * mean + m * jax.lax.stop_gradient(batch_mean)
        new_var = (1 - m) * variance + m * unbiased
        return y, batch_mean, batch_var, batch_mean, batch_var, new_mean, new_var


class Dropout(Primitive):
    """``Dropout(keep_prob=0.5, Seed0=0, Seed1=0)(x)`` -> (output, mask): each element kept with probability
    ``keep_prob`` and scaled by ``1/keep_prob``. The mask draws from the global key (`random.next_key`), so
    compiled steps get a fresh mask on every call; the seeds are accepted and not used."""
    inputs = ("x: Tensor",)
    attrs = {"keep_prob": 0.5, "Seed0": 0, "Seed1": 0}

    def kernel(self, x):
        from . import random
        _require(self.name, x, _FLOATS)
        if not 0 < self.keep_prob <= 1:
            raise RuntimeError(f"For 'Dropout, the 'keep_prob' must be in (0.0, 1.0], but got {self.keep_prob}")
        keep = jax.random.bernoulli(random.next_key(), self.keep_prob, x.shape)
        mask = keep.astype(x.dtype)
        return jnp.where(keep, x / np.asarray(self.keep_prob, x.dtype), np.zeros((), x.dtype)), mask


# --- layer and group normalization -----------------------------------------------------------------------------

def _attr_call_error(op, attrs, valid, inputs):
    """MindSpore's "Failed calling" TypeError for an op whose attribute has the wrong type."""
    given = ", ".join(f"{k}={type(v).__name__}" for k, v in attrs.items())
    listed = ", ".join(f"{k}=<{t}>" for k, t in valid.items())
    return TypeError(f'Failed calling {op} with "{op}({given})({", ".join(f"{i}=Tensor" for i in inputs)})".\n'
                     f'The valid calling should be: \n"{op}({listed})({", ".join(f"{i}=<Tensor>" for i in inputs)})".')


def _normalize(x, axes, epsilon):
    """(normalized x, mean, 1/std) over ``axes`` with the biased variance, in float32 for half precision."""
    work = x.astype(np.float32) if x.dtype in (np.float16, jnp.bfloat16) else x
    mean = work.mean(axes, keepdims=True)
    rstd = jax.lax.rsqrt(jnp.square(work - mean).mean(axes, keepdims=True) + np.asarray(epsilon, work.dtype))
    return (work - mean) * rstd, mean, rstd


class LayerNorm(Primitive):
    """``LayerNorm(begin_norm_axis=1, begin_params_axis=1, epsilon=1e-7)(input_x, gamma, beta)`` -> (y, mean,
    rstd): normalizes over the axes from ``begin_norm_axis`` on; gamma and beta have the shape of the axes from
    ``begin_params_axis`` on. Both axes lie in [-1, rank). mean and rstd are float32 with the normalized axes
    kept as 1."""
    compile_eagerly = True
    inputs = ("input_x: Tensor", "gamma: Tensor", "beta: Tensor")
    attrs = {"begin_norm_axis": 1, "begin_params_axis": 1, "epsilon": 1e-7}

    def kernel(self, x, gamma, beta):
        valid = {"begin_norm_axis": "int", "begin_params_axis": "int", "epsilon": "float"}
        attrs = {key: getattr(self, key) for key in valid}
        if any(type(attrs[key]) is not (float if kind == "float" else int) for key, kind in valid.items()):
            raise _attr_call_error(self.name, attrs, valid, ("input_x", "gamma", "beta"))
        if x.ndim == 0:
            raise ValueError("For primitive[LayerNorm], the x_rank must be not equal to 0, but got 0.")
        axes = {}
        for key in ("begin_norm_axis", "begin_params_axis"):
            if not -1 <= attrs[key] < x.ndim:
                raise RuntimeError(f"For primitive[LayerNorm], input_x's rank is {x.ndim}, while the '{key}' value "
                                   f"should be in the range [-1, {x.ndim}), but got {attrs[key]}")
            axes[key] = attrs[key] % x.ndim
        params_axis = axes["begin_params_axis"]
        if gamma.ndim + params_axis < x.ndim or beta.ndim + params_axis < x.ndim:
            raise ValueError(f"For 'LayerNorm', begin_params_axis must be less than or equal to input_x shape size, "
                             "gamma shape size add begin_params_axis must be equal to or greater than input_x shape "
                             "size, and beta shape size add begin_params_axis must be equal to or greater than "
                             f"input_x shape size, But got begin_params_axis: {params_axis}, input_x shape size: "
                             f"{x.ndim}, gamma shape size: {gamma.ndim}, beta shape size: {beta.ndim}.")
        if gamma.shape != x.shape[params_axis:] or beta.shape != x.shape[params_axis:]:
            raise ValueError(f"For 'LayerNorm', gamma or beta shape must match input shape, but got input shape: "
                             f"{_const_vector(x.shape)}, gamma shape: {_const_vector(gamma.shape)}, beta shape: "
                             f"{_const_vector(beta.shape)}.")
        _require(self.name, x, ("Float16", "Float32", "Float64"), "input_x")
        normed, mean, rstd = _normalize(x, tuple(range(axes["begin_norm_axis"], x.ndim)), self.epsilon)
        y = (normed * gamma.astype(normed.dtype) + beta.astype(normed.dtype)).astype(x.dtype)
        return y, mean.astype(np.float32), rstd.astype(np.float32)


class GroupNorm(Primitive):
    """``GroupNorm()(input, num_groups, weight, bias, eps)`` -> (y, mean, rstd) (``ops.group_norm``'s op): input
    (N, C, *) normalized over each group of C/num_groups channels and its other axes; weight and bias per channel.
    mean and rstd have shape (N, num_groups)."""
    compile_eagerly = True
    inputs = ("input: Tensor", "num_groups: int", "weight: Tensor", "bias: Tensor", "eps: Number")

    def kernel(self, x, num_groups, weight, bias, eps=1e-5):
        if not 2 <= x.ndim <= 8:
            raise RuntimeError(f"For 'GroupNorm', The dim of input must be between 2 and 8. But got: {x.ndim}.")
        names = [ms_dtype_name(v) for v in (x, weight, bias)]
        if len(set(names)) != 1 or names[0] not in _FLOATS:
            raise TypeError(f"For GroupNorm. input arguments' types must be the same and be one of [BFloat16, Float16, "
                            f"Float32, Float64]. But got input's type: {names[0]}, weight's type: {names[1]}, bias's "
                            f"type: {names[2]}.")
        channels = x.shape[1]
        if weight.shape != (channels,) or bias.shape != (channels,):
            raise ValueError(f"For GroupNorm, shape of weight and bias should be equal to input_x's channel dimension: "
                             f"{channels}, bug got shape: {_const_vector(weight.shape)}.")
        if channels % num_groups:
            raise ValueError(f"For GroupNorm, the 'num_channels' must be divided by 'num_groups', but got "
                             f"'num_channels': {channels} ,'num_groups': {num_groups}")
        grouped = x.reshape(x.shape[0], num_groups, -1)
        normed, mean, rstd = _normalize(grouped, (2,), eps)
        shape = (1, channels) + (1,) * (x.ndim - 2)
        y = normed.reshape(x.shape) * weight.reshape(shape).astype(normed.dtype) + bias.reshape(shape).astype(
            normed.dtype)
        return y.astype(x.dtype), mean[..., 0].astype(x.dtype), rstd[..., 0].astype(x.dtype)


# --- transposed convolution, adaptive pooling, padding ---------------------------------------------------------

class Conv2DBackpropInput(Primitive):
    """``Conv2DBackpropInput(out_channel, kernel_size, pad_mode='valid', pad=0, pad_list=None, mode=1, stride=1,
    dilation=1, group=1, data_format='NCHW')(out_backprop, filter, input_size)``: the gradient of Conv2D (same
    attributes, weight ``filter``) with respect to its input of shape ``input_size``, i.e. the transposed
    convolution of ``out_backprop``."""
    compile_eagerly = True
    inputs = ("out_backprop: Tensor", "filter: Tensor", "input_size: tuple[int]")
    attrs = {"out_channel": None, "kernel_size": None, "pad_mode": "valid", "pad": 0, "pad_list": None, "mode": 1,
             "stride": 1, "dilation": 1, "group": 1, "data_format": "NCHW"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pad = _conv_geometry(self, case_sensitive=False)
        if self.pad_mode != "pad" and pad != (0, 0, 0, 0):
            raise ValueError(f"For '{self.name}', the 'pad' must be zero or (0, 0, 0, 0) when 'pad_mode' is not "
                             f"\"pad\", but got 'pad' is {self.pad} and 'pad_mode' is {self.pad_mode}.")
        self.padding = pad
        for key in ("kernel_size", "stride", "dilation"):
            self.add_prim_attr(key, getattr(self, key))
        self.add_prim_attr("pad", pad).add_prim_attr("pad_mode", self.pad_mode.upper())

    def kernel(self, dout, w, input_size):
        _check_rank(self.name, dout, 4, "the out_backprop shape size must be equal to")
        _check_rank(self.name, w, 4, "the filter shape size must be equal to")
        _same_dtype(self.name, dout, w, ("out_backprop", "filter"))
        _require(self.name, dout, _FLOATS[1:3], "out_backprop")
        input_size = tuple(input_size)
        if len(input_size) != 4 or dout.shape[1] != w.shape[0] or input_size[1] != w.shape[1] * self.group:
            raise RuntimeError("could not create a primitive descriptor for the convolution forward propagation "
                               "primitive.")
        strides, dilation = self.stride[2:], self.dilation[2:]
        if self.pad_mode.lower() == "same":
            pads = [_same_pads(input_size[2 + i], self.kernel_size[i], strides[i], dilation[i]) for i in range(2)]
        else:
            pads = [tuple(self.padding[:2]), tuple(self.padding[2:])]

        def forward(y):
            return jax.lax.conv_general_dilated(y, w, strides, pads, rhs_dilation=dilation,
                                                dimension_numbers=("NCHW", "OIHW", "NCHW"),
                                                feature_group_count=self.group, precision=jax.lax.Precision.HIGHEST)
        expected, pull = jax.vjp(forward, jnp.zeros(input_size, dout.dtype))
        if expected.shape != dout.shape:  # MindSpore's oneDNN kernel fails to build (a RuntimeError)
            raise RuntimeError(f"For '{self.name}', the shape of 'out_backprop' must be {shape_list(expected.shape)} "
                             f"for 'input_size' {shape_list(input_size)}, but got {shape_list(dout.shape)}.")
        return pull(dout)[0]


class Conv2DTranspose(Conv2DBackpropInput):
    """``Conv2DTranspose``: the same op as Conv2DBackpropInput under its newer name."""


class AdaptiveAvgPool2D(Primitive):
    """``AdaptiveAvgPool2D(output_size)(x)``: (N, C, H, W) or (C, H, W) averaged over the bins
    ``[floor(i*H/oh), ceil((i+1)*H/oh))`` (and the same in W); a None size keeps the input's (stored as -1)."""
    compile_eagerly = True
    inputs = ("x: Tensor",)
    attrs = {"output_size": None}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_value_type(self.name, "output_size", self.output_size, (int, tuple))
        size = (self.output_size,) * 2 if isinstance(self.output_size, int) else self.output_size
        if len(size) != 2:
            raise ValueError(f"For '{self.name}', the 'length of output_size' must be int and must = 2, but got "
                             f"'{len(size)}' with type 'int'.")
        for i, item in enumerate(size):
            if item is not None:
                check_value_type(self.name, f"output_size[{i}]", item, (int,))
                if item < 0:
                    raise ValueError(f"For '{self.name}', the argument 'output_size[{i}]' must >= 0, but got {item}.")
        self.output_size = tuple(-1 if item is None else item for item in size)
        self.add_prim_attr("output_size", self.output_size)

    def kernel(self, x):
        if x.ndim not in (3, 4):
            raise ValueError(f"For primitive[{self.name}], the dim of x must be in [3,4], but got {x.ndim}.")
        _require(self.name, x, ("Float16", "Float32", "Float64"))
        work = x.astype(np.float32) if x.dtype == np.float16 else x
        counts = np.ones(())
        for axis, out in zip((-2, -1), self.output_size):
            size = x.shape[axis]
            out = size if out == -1 else out
            starts = np.arange(out) * size // out
            ends = -(-(np.arange(out) + 1) * size // out)
            positions = np.arange(size)
            bins = ((positions >= starts[:, None]) & (positions < ends[:, None])).astype(work.dtype)
            work = jnp.moveaxis(jnp.tensordot(work, bins, axes=((axis,), (1,)),
                                              precision=jax.lax.Precision.HIGHEST), -1, axis)
            counts = counts[..., None] * (ends - starts)
        return (work / counts.astype(work.dtype)).astype(x.dtype)


class Pad(Primitive):
    """``Pad(paddings)(input_x)``: zero padding, ``paddings[i] = (before, after)`` for axis i (used by
    nn.Conv2dTranspose's ``output_padding``; not exported: its argument checks are not MindSpore's)."""
    compile_eagerly = True
    inputs = ("input_x: Tensor",)
    attrs = {"paddings": None}

    def kernel(self, x):
        return jnp.pad(x, self.paddings)
