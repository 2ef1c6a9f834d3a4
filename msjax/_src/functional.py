"""Functional ops (``ops.sin``, ``ops.matmul``, ``ops.sum``, ...): MindSpore 2.10's signatures over the same
Primitives as the op classes, so class and function share checks, errors and custom bprops. Where MindSpore's
functional op is Python composing primitives (``ops.max``, ``ops.remainder``, ``ops.chunk``), so is this one."""
from __future__ import annotations

import builtins

import jax.numpy as jnp

from . import array_ops as A
from . import dtype as mstype
from . import math_ops as M
from . import nn_ops as N
from .tensor import Tensor
from .validation import normalize_axis


def _unary_function(prim_class, name):
    prim = prim_class()

    def function(input):
        return prim(input)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``ops.{name}(input)``: elementwise, through ``ops.{prim_class.__name__}``."
    return function


sin = _unary_function(M.Sin, "sin")
cos = _unary_function(M.Cos, "cos")
tan = _unary_function(M.Tan, "tan")
exp = _unary_function(M.Exp, "exp")
log = _unary_function(M.Log, "log")
log1p = _unary_function(M.Log1p, "log1p")
expm1 = _unary_function(M.Expm1, "expm1")
tanh = _unary_function(M.Tanh, "tanh")
sigmoid = _unary_function(M.Sigmoid, "sigmoid")
erf = _unary_function(M.Erf, "erf")
asin = _unary_function(M.Asin, "asin")
acos = _unary_function(M.Acos, "acos")
atan = _unary_function(M.Atan, "atan")
sinh = _unary_function(M.Sinh, "sinh")
cosh = _unary_function(M.Cosh, "cosh")
softplus = _unary_function(M.Softplus, "softplus")
sqrt = _unary_function(M.Sqrt, "sqrt")
rsqrt = _unary_function(M.Rsqrt, "rsqrt")
reciprocal = _unary_function(M.Reciprocal, "reciprocal")
floor = _unary_function(M.Floor, "floor")
ceil = _unary_function(M.Ceil, "ceil")
round = _unary_function(M.Round, "round")  # noqa: A001
neg = _unary_function(M.Neg, "neg")
negative = neg
abs = _unary_function(M.Abs, "abs")  # noqa: A001
absolute = abs
square = _unary_function(M.Square, "square")
sign = _unary_function(M.Sign, "sign")
relu6 = _unary_function(N.ReLU6, "relu6")
isnan = _unary_function(M.IsNan, "isnan")
isinf = _unary_function(M.IsInf, "isinf")
isfinite = _unary_function(M.IsFinite, "isfinite")
logical_not = _unary_function(M.LogicalNot, "logical_not")
arcsin, arccos, arctan = asin, acos, atan

_relu = M.ReLU()


def relu(input, inplace=False):
    out = _relu(input)
    if inplace:
        input._data = out._data
        return input
    return out


# --- binary --------------------------------------------------------------------------------------------------

def _binary_function(prim_class, name, first="input", second="other"):
    prim = prim_class()

    def function(input, other):
        return prim(input, other)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``ops.{name}({first}, {second})``: elementwise with broadcasting, through " \
                       f"``ops.{prim_class.__name__}``."
    return function


add = _binary_function(M.Add, "add")
sub = _binary_function(M.Sub, "sub")
mul = _binary_function(M.Mul, "mul")
floor_divide = _binary_function(M.FloorDiv, "floor_divide")
floor_mod = _binary_function(M.FloorMod, "floor_mod", "x", "y")
pow = _binary_function(M.Pow, "pow", "input", "exponent")  # noqa: A001
maximum = _binary_function(M.Maximum, "maximum")
minimum = _binary_function(M.Minimum, "minimum")
equal = _binary_function(M.Equal, "equal")
ne = _binary_function(M.NotEqual, "ne")
gt = _binary_function(M.Greater, "gt")
ge = _binary_function(M.GreaterEqual, "ge")
lt = _binary_function(M.Less, "lt")
le = _binary_function(M.LessEqual, "le")
logical_and = _binary_function(M.LogicalAnd, "logical_and")
logical_or = _binary_function(M.LogicalOr, "logical_or")
bitwise_and = _binary_function(M.BitwiseAnd, "bitwise_and")
bitwise_or = _binary_function(M.BitwiseOr, "bitwise_or")
bitwise_xor = _binary_function(M.BitwiseXor, "bitwise_xor")
atan2 = _binary_function(M.Atan2, "atan2")
arctan2 = atan2
not_equal, greater, greater_equal, less, less_equal = ne, gt, ge, lt, le
multiply, subtract = mul, sub

_div, _div_mod = M.Div(), M.DivMod()
_sub_ext = M.SubExt()


def div(input, other, *, rounding_mode=None):
    if rounding_mode is None:
        return _div(input, other)
    return _div_mod(input, other, rounding_mode)


divide = true_divide = div


def remainder(input, other):
    """``input - floor_divide(input, other) * other``, as MindSpore composes it."""
    return _sub_ext(input, mul(floor_divide(input, other), other))


# --- matmul --------------------------------------------------------------------------------------------------

_matmul_ext = M.MatMulExt()
_bmm = M.BatchMatMul()


def matmul(input, other):
    return _matmul_ext(input, other)


def bmm(input_x, mat2):
    return _bmm(input_x, mat2)


# --- reductions ----------------------------------------------------------------------------------------------

_sum_ext, _prod_ext = M.SumExt(), M.ProdExt()


def _axis_or_all(axis):
    return () if axis is None else axis


def sum(input, dim=None, keepdim=False, *, dtype=None):  # noqa: A001
    return _sum_ext(input, dim, keepdim, dtype)


def mean(x, axis=None, keep_dims=False):
    return M.ReduceMean(keep_dims)(x, _axis_or_all(axis))


def prod(input, axis=None, keep_dims=False, dtype=None):
    """Integer and bool inputs give Int64, except with a tuple of axes (ReduceProd keeps the dtype)."""
    if isinstance(axis, (tuple, list, Tensor)):
        return M.ReduceProd(keep_dims)(input if dtype is None else cast(input, dtype), axis)
    return _prod_ext(input, axis, keep_dims, dtype)


def all(input, axis=None, keep_dims=False):  # noqa: A001
    return M.ReduceAll(keep_dims)(input, _axis_or_all(axis))


def any(input, axis=None, keep_dims=False):  # noqa: A001
    return M.ReduceAny(keep_dims)(input, _axis_or_all(axis))


def _init_and_select(input, initial, where, combine):
    """``initial`` and ``where`` of ops.max/min/amax/amin: elements outside ``where`` become ``initial``."""
    if initial is not None:
        input = combine(input, initial)
    if where is not None and not (isinstance(where, bool) and where):
        if initial is None:
            raise ValueError("initial value must be provided for 'where' in ops.max/ops.min.")
        input = _select(where, input, initial)
    return input


def amax(input, axis=None, keepdims=False, *, initial=None, where=None):
    input = _init_and_select(input, initial, where, maximum)
    return M.ReduceMax(keepdims)(input, _axis_or_all(axis))


def amin(input, axis=None, keepdims=False, *, initial=None, where=None):
    input = _init_and_select(input, initial, where, minimum)
    return M.ReduceMin(keepdims)(input, _axis_or_all(axis))


def _extreme(name, reduce_class, with_value_class, combine):
    def function(input, axis=None, keepdims=False, *, initial=None, where=None):
        # MindSpore 2.10: a tuple (values, Int64 indices) also without an axis, where the index is always 0 and
        # `initial`/`where` are ignored.
        if not input.shape:
            return input, Tensor(0, mstype.int64)
        if axis is None:
            return reduce_class()(input, ()), Tensor(0, mstype.int64)
        if not isinstance(axis, builtins.int) or isinstance(axis, builtins.bool):
            raise TypeError(f"For '{name}', 'axis' must be int, but got {type(axis)}.")
        input = _init_and_select(input, initial, where, combine)
        indices, values = with_value_class(axis, keepdims)(input)
        return values, indices

    function.__name__ = function.__qualname__ = name
    return function


max = _extreme("max", M.ReduceMax, A.ArgMaxWithValue, maximum)  # noqa: A001
min = _extreme("min", M.ReduceMin, A.ArgMinWithValue, minimum)  # noqa: A001


def argmax(input, dim=None, keepdim=False):
    """Int64 indices; ``dim=None`` means over the flattened input."""
    if not input.shape:
        return Tensor(0)
    if input.dtype == mstype.bool_:
        input = cast(input, mstype.int32)
    if dim is None:
        return A.Argmax(0, mstype.int64)(reshape(input, (-1,)))
    out = A.Argmax(dim, mstype.int64)(input)
    return expand_dims(out, dim) if keepdim else out


def argmin(input, axis=None, keepdims=False):
    """Int32 indices (unlike argmax); ``axis=None`` means over the flattened input."""
    if not input.shape:
        return Tensor(0)
    if axis is None:
        return A.Argmin(0)(reshape(input, (-1,)))
    out = A.Argmin(axis)(input)
    return expand_dims(out, axis) if keepdims else out


# --- shapes --------------------------------------------------------------------------------------------------

_reshape, _transpose, _expand_dims = A.Reshape(), A.Transpose(), A.ExpandDims()


def reshape(input, shape):
    return _reshape(input, shape)


def transpose(input, dims):
    return _transpose(input, dims)


def permute(input, axis):
    return _transpose(input, axis)


def expand_dims(input_x, axis):
    return _expand_dims(input_x, axis)


def unsqueeze(input, dim):
    return _expand_dims(input, dim)


def squeeze(input, axis=None):
    return A.Squeeze(() if axis is None else axis)(input)


_flatten_ext = A.FlattenExt()


def flatten(input, order="C", *, start_dim=1, end_dim=-1):
    if order not in ("C", "F"):
        raise ValueError(f"For 'flatten', 'order' must be 'C' or 'F', but got {order!r}.")
    if order == "F" and isinstance(input, Tensor) and input.ndim > 1:
        input = transpose(input, tuple(builtins.range(input.ndim))[::-1])
    return _flatten_ext(input, start_dim=start_dim, end_dim=end_dim)


def _sequence(tensors):
    """A list becomes a tuple; anything else is passed on for the op's argument check to refuse."""
    return tuple(tensors) if isinstance(tensors, list) else tensors


def concat(tensors, axis=0):
    return A.Concat(axis)(_sequence(tensors))


cat = concat


def stack(tensors, axis=0):
    return A.Stack(axis)(_sequence(tensors))


_split_with_size = A.SplitWithSize()


def split(tensor, split_size_or_sections, axis=0):
    return _split_with_size(tensor, split_size_or_sections, axis)


def chunk(input, chunks, axis=0):
    """At most ``chunks`` parts of equal size ceil(n / chunks), the last one smaller (may give fewer parts)."""
    if not isinstance(chunks, builtins.int) or isinstance(chunks, builtins.bool):
        raise TypeError(f"For ops.chunk type of argument `chunks` should be integer, but got {type(chunks)}")
    if chunks <= 0:
        raise ValueError(f"For ops.chunk parameter 'chunks' must be greater than 0, but got {chunks}")
    length = input.shape[normalize_axis("chunk", axis, input.ndim)]
    return split(input, builtins.max(-(-length // chunks), 1), axis)


_tile = A.Tile()


def tile(input, dims):
    return _tile(input, dims)


def broadcast_to(input, shape):
    return A.BroadcastTo(shape)(input)


def gather(input_params, input_indices, axis, batch_dims=0):
    return A.Gather(batch_dims)(input_params, input_indices, axis)


_select = A.Select()


def where(condition, input, other):
    return _select(condition, input, other)


def select(condition, input, other):
    return _select(condition, input, other)


def one_hot(indices, depth, on_value=1, off_value=0, axis=-1):
    """Python numbers for on/off become Tensors first (so ``one_hot(idx, 3)`` is Int64)."""
    on_value = on_value if isinstance(on_value, Tensor) else Tensor(on_value)
    off_value = off_value if isinstance(off_value, Tensor) else Tensor(off_value)
    return A.OneHot(axis)(indices, depth, on_value, off_value)


_cast = M.Cast()


def cast(input, dtype):
    return _cast(input, dtype)


# --- activations ---------------------------------------------------------------------------------------------

def softmax(input, axis=-1, *, dtype=None):
    if dtype is not None:
        input = cast(input, dtype)
    return N.Softmax(axis)(input)


def log_softmax(logits, axis=-1):
    return N.LogSoftmax(axis)(logits)


# --- creation ------------------------------------------------------------------------------------------------

_ones_like, _zeros_like = A.OnesLike(), A.ZerosLike()


def ones_like(input, *, dtype=None):
    out = _ones_like(input)
    return out if dtype is None else cast(out, dtype)


def zeros_like(input, *, dtype=None):
    out = _zeros_like(input)
    return out if dtype is None else cast(out, dtype)


_fill = A.Fill()


def _size(size):
    if isinstance(size, Tensor):
        return tuple(builtins.int(d) for d in size.asnumpy().reshape(-1))
    return tuple(size) if isinstance(size, list) else size


def _creation_dtype(op, dtype):
    if dtype is None:
        return mstype.float32
    if not isinstance(dtype, mstype.Type):
        raise TypeError(f"For '{op}', the input 'dtype' should be mindspore dtype, but got {dtype}.")
    return dtype


def ones(shape, dtype=None):
    return _fill(_creation_dtype("Ones", dtype), _size(shape), 1)


def zeros(size, dtype=None):
    return _fill(_creation_dtype("Zeros", dtype), _size(size), 0)


def full(size, fill_value, *, dtype=None):
    """Int64 unless ``dtype`` is given (MindSpore 2.10: ``ops.full((2,), 2.5)`` is ``[2, 2]``)."""
    if not isinstance(size, (list, tuple)):
        raise TypeError(f"For 'ops.full', 'size' must be a tuple or list of ints, but got {type(size)}.")
    if dtype is None:
        dtype = mstype.int64
    if dtype not in mstype.all_types:
        raise TypeError(f"For 'ops.full', 'dtype' must be mindspore.type, but got {dtype}.")
    return _fill(dtype, tuple(size), fill_value)


def fill(type, shape, value):  # noqa: A002
    return _fill(type, shape, value)


def arange(start=0, end=None, step=1, *, dtype=None):
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if dtype is None:
        is_float = builtins.any(isinstance(v, float) for v in values)
        dtype = mstype.float32 if is_float else mstype.int64
    return Tensor._from_raw(jnp.arange(*values, dtype=dtype.np_dtype))


# --- shape queries, state and misc ---------------------------------------------------------------------------

def shape(input_x):
    return A.Shape()(input_x)


def rank(input_x):
    return A.Rank()(input_x)


def size(input_x):
    return A.Size()(input_x)


_assign = A.Assign()


def assign(variable, value):
    return _assign(variable, value)


depend = A.Depend()


def identity(input):
    return A.Identity()(input)


def print_(*input_x):
    """``ops.print_``: in PyNative, Python's ``print`` of each argument on its own line; in compiled code, printed
    on every call in MindSpore's GRAPH format (``graph_syntax.graph_print``)."""
    from . import context, jit
    if not context.is_pynative() or jit.graph_depth:
        from .graph_syntax import graph_print
        graph_print(*input_x)
        return
    for item in input_x:
        print(item)


def addn(x):
    return M.AddN()(tuple(x))


_stop_gradient = A.StopGradient()


def stop_gradient(value):
    """Blocks gradients through ``value`` (a Tensor, or a tuple/list/dict of them)."""
    if isinstance(value, Tensor):
        return _stop_gradient(value)
    if isinstance(value, (tuple, list)):
        return type(value)(stop_gradient(v) for v in value)
    if isinstance(value, dict):
        return {k: stop_gradient(v) for k, v in value.items()}
    return value


# `from msjax._src.functional import *` re-exports the ops, not this module's imports (Tensor is in ops too).
__all__ = [name for name in dir() if not name.startswith("_")
           and name not in ("annotations", "builtins", "jnp", "A", "M", "N", "mstype", "normalize_axis")]

# --- losses (loss_ops.py) ------------------------------------------------------------------------------------
from .loss_ops import binary_cross_entropy_with_logits, cross_entropy, l1_loss, mse_loss, nll_loss  # noqa: E402
from .loss_ops import (  # noqa: E402
    binary_cross_entropy, cosine_embedding_loss, huber_loss, kl_div, margin_ranking_loss, smooth_l1_loss,
)

__all__ += ["binary_cross_entropy_with_logits", "cross_entropy", "l1_loss", "mse_loss", "nll_loss"]
__all__ += ["binary_cross_entropy", "cosine_embedding_loss", "huber_loss", "kl_div", "margin_ranking_loss",
            "smooth_l1_loss"]


# --- neural-network ops: convolution, pooling, normalization, dropout --------------------------------------------

def bias_add(input_x, bias):
    return N.BiasAdd()(input_x, bias)


def conv2d(input, weight, bias=None, stride=1, pad_mode="valid", padding=0, dilation=1, groups=1):
    """``ops.conv2d``: a 2-tuple ``padding`` pads both sides of each axis (``Conv2D`` itself takes 4 pads)."""
    for name, value in (("stride", stride), ("dilation", dilation)):
        if isinstance(value, (tuple, list)) and len(value) != 2:
            raise ValueError(f"For 'conv2d', the {name} must be a int or a tuple/list with length 2, but got {value}.")
    if isinstance(padding, (tuple, list)):
        if len(padding) != 2:
            raise ValueError(f"For 'conv2d', 'padding' must be a tuple or list of 2 integers, but got {padding}.")
        padding = (padding[0], padding[0], padding[1], padding[1])
    out_channel = _conv_out_channel(input, weight, groups)
    output = N.Conv2D(out_channel, weight.shape[2:4], 1, pad_mode, padding, stride, dilation, groups)(input, weight)
    return _add_conv_bias("conv2d", "Given", output, weight, bias)


def _conv_out_channel(input, weight, groups):
    out_channel, in_channel = weight.shape[0], input.shape[1]
    if in_channel % groups or out_channel % groups:
        raise ValueError(f"The argument 'groups' should be divisible by 'in_channel' and 'out_channel', but got "
                         f"group:{groups}, in_channel:{in_channel}, out_channel:{out_channel}.")
    return out_channel


def _add_conv_bias(op, given, output, weight, bias):
    """``output`` plus ``bias`` per output channel, with the functional convolutions' checks of ``bias``."""
    if bias is None:
        return output
    if not isinstance(bias, Tensor):
        raise TypeError(f"For '{op}', the 'bias' must be a Tensor, but got {type(bias)}.")
    if bias.shape[0] != weight.shape[0]:
        raise ValueError(f"For '{op}', {given} weight of size {weight.shape}, expected bias to be 1-dimensional with "
                         f"{weight.shape[0]} elements, but got bias of size {bias.shape[0]} instead.")
    return bias_add(output, bias)


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
    """``ops.max_pool2d``: stride defaults to ``kernel_size``; ``return_indices`` adds the flat H*W argmax."""
    strides = kernel_size if stride is None else stride
    output, indices = N.MaxPoolWithArgmaxV2(kernel_size, strides, padding, dilation, ceil_mode)(x)
    return (output, indices) if return_indices else output


def _avg_pool2d_arg(name, value, length, leading):
    if isinstance(value, int) and not isinstance(value, builtins.bool):
        if value < (0 if name == "padding" else 1):
            relation = ">= 0" if name == "padding" else ">= 1"
            raise ValueError(f"For 'avg_pool2d', the '{name}' must be int and must {relation}, but got '{value}' with "
                             f"type 'int'.")
        return leading + (value,) * (2 if name != "padding" else 4)
    if isinstance(value, tuple):
        if len(value) != length:
            raise ValueError(f"For avg_pool2d, {name} should be int or tuple of length {length}.")
        for item in value:
            _avg_pool2d_arg(name, item, length, ())
        return leading + value
    raise TypeError(f"For avg_pool2d, {name} should be int or tuple of length {length}.")


def avg_pool2d(input_x, kernel_size=1, stride=1, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=0):
    """``ops.avg_pool2d``: ``padding`` is an int or (top, bottom, left, right); AvgPool3D over a depth-1 input."""
    if not isinstance(input_x, Tensor):
        raise TypeError("For avg_pool2d, the input input_x must be tensor")
    kernel = _avg_pool2d_arg("kernel_size", kernel_size, 2, (1,))
    strides = _avg_pool2d_arg("stride", stride, 2, (1,))
    pads = _avg_pool2d_arg("padding", padding, 4, (0, 0))
    pool = N.AvgPool3D(kernel, strides, "pad", pads, ceil_mode, count_include_pad, divisor_override)
    return squeeze(pool(expand_dims(input_x, 2)), 2)


def batch_norm(input_x, running_mean, running_var, weight, bias, training=False, momentum=0.1, eps=1e-05):
    """``ops.batch_norm``: in training, ``running_mean``/``running_var`` become ``(1 - momentum) * old +
    momentum * batch`` (in place)."""
    return N.BatchNorm(training, eps, momentum)(input_x, weight, bias, running_mean, running_var)[0]


def dropout(input, p=0.5, training=True, seed=None):
    """``ops.dropout``: zeroes each element with probability ``p`` and scales the rest by ``1/(1-p)`` (identity
    unless ``training``; ``seed`` is accepted, the draw comes from the global key)."""
    if not isinstance(training, builtins.bool):
        raise TypeError(f"For 'dropout', the type of 'training' should be 'bool', but got type "
                        f"'{type(training).__name__}'.")
    if not training:
        return input
    return N.Dropout(1 - p)(input)[0]


__all__ += ["bias_add", "conv2d", "max_pool2d", "avg_pool2d", "batch_norm", "dropout"]  # noqa: PLE0605


def _conv1d_arg(value, name):
    """An int or 1-element stride/dilation as the (1, value) pair of the height-1 Conv2D."""
    if isinstance(value, int):
        if value <= 0:
            raise ValueError(f"For 'conv1d', {name} must be a positive int, but got {value}.")
        return 1, value
    if isinstance(value, (tuple, list)):
        if len(value) != 1:
            raise ValueError(f"For 'conv1d', {name} must be a tuple/list with 1 element or int, but got {value}.")
        if value[0] <= 0:
            raise ValueError(f"For 'conv1d', elements in {name} must be positive int, but got {value}.")
        return 1, value[0]
    raise ValueError(f"For 'conv1d', {name} must be an int or a tuple/list with 1 element, but got {value}.")


def conv1d(input, weight, bias=None, stride=1, pad_mode="valid", padding=0, dilation=1, groups=1):
    """``ops.conv1d``: input (N, C, L), weight (out, C/groups, k); Conv2D on a height-1 input."""
    if input.ndim != 3:
        raise ValueError(f"For 'conv1d', the input must be a 3D Tensor, but got input of {input.ndim}D.")
    if weight.ndim != 3:
        raise ValueError(f"For 'conv1d', the weight must be a 3D Tensor, but got input of {weight.ndim}D.")
    if isinstance(padding, (tuple, list)):
        if len(padding) != 1:
            raise ValueError(f"For 'conv1d', padding must be a tuple or list with 1 element or int, but got "
                             f"{padding}.")
        padding = padding[0]
    elif not isinstance(padding, int):
        raise TypeError(f"For 'conv1d', padding must be a tuple, list or int, but got {type(padding)}.")
    out_channel = _conv_out_channel(input, weight, groups)
    conv = N.Conv2D(out_channel, (1, weight.shape[2]), 1, pad_mode, (0, 0, padding, padding),
                    _conv1d_arg(stride, "stride"), _conv1d_arg(dilation, "dilation"), groups)
    output = squeeze(conv(expand_dims(input, 2), expand_dims(weight, 2)), 2)
    return _add_conv_bias("conv1d", "given", output, weight, bias)


def adaptive_avg_pool2d(input, output_size):
    """``ops.adaptive_avg_pool2d``: see ``AdaptiveAvgPool2D``."""
    return N.AdaptiveAvgPool2D(output_size)(input)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """``ops.layer_norm``: normalizes over the trailing ``normalized_shape`` axes (weight ones and bias zeros by
    default). MindSpore 2.10 has no CPU kernel for it (it raises at the call); msjax computes it as nn.LayerNorm."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if weight is None:
        weight = ones(shape, input.dtype)
    if bias is None:
        bias = zeros(shape, input.dtype)
    axis = input.ndim - len(shape)
    return N.LayerNorm(axis, axis, float(eps))(input, weight, bias)[0]


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """``ops.group_norm``: input (N, C, *), weight ones and bias zeros (C,) by default."""
    if weight is None:
        weight = ones(input.shape[1], input.dtype)
    if bias is None:
        bias = zeros(input.shape[1], input.dtype)
    return N.GroupNorm()(input, num_groups, weight, bias, eps)[0]


_gelu_tanh = N.GeLU()


def gelu(input, approximate="none"):
    """``ops.gelu``: 'tanh' runs GeLU; 'none' is ``x * (erf(x / sqrt(2)) + 1) * 0.5``, op by op as MindSpore."""
    if approximate not in ("none", "tanh"):
        raise ValueError("For ops.gelu, approximate value should be either 'none' or 'tanh'.")
    if input.dtype not in (mstype.float16, mstype.float32, mstype.float64, mstype.bfloat16):
        raise TypeError(f"For gelu, the input dtype must be bfloat16, float16, float32 or float64, but got "
                        f"{input.dtype}.")
    if approximate == "tanh":
        return _gelu_tanh(input)
    dtype = input.dtype
    return input * (erf(input / sqrt(Tensor(2.0, dtype))) + Tensor(1.0, dtype)) * Tensor(0.5, dtype)


silu = _unary_function(N.SiLU, "silu")


def leaky_relu(input, alpha=0.2):
    """``ops.leaky_relu``: ``max(alpha * x, x)`` (``min`` for alpha > 1), alpha cast to the input's dtype."""
    if not isinstance(input, Tensor):
        raise TypeError(f"For 'leaky_relu', the 'input' must be a Tensor, but got '{type(input).__name__}'")
    if isinstance(alpha, builtins.bool) or not isinstance(alpha, (float, int)):
        raise TypeError(f"For 'leaky_relu', the type of 'alpha' should be one of '['float', 'int']', but got type "
                        f"'{type(alpha).__name__}'.")
    scaled = cast(Tensor(alpha), input.dtype) * input
    return minimum(scaled, input) if alpha > 1 else maximum(scaled, input)


__all__ += ["conv1d", "adaptive_avg_pool2d", "layer_norm", "group_norm", "gelu", "silu",  # noqa: PLE0605
            "leaky_relu"]
