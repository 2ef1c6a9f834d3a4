"""``nn.Dense``, ``nn.Flatten``, ``nn.Dropout``, ``nn.Identity`` and ``nn.Unflatten`` with MindSpore 2.10's defaults,
checks and reprs."""
from __future__ import annotations

import math

from . import array_ops as A
from . import dtype as mstype
from . import functional as F
from . import math_ops as M
from . import nn_ops as N
from .cell import Cell
from .initializer import HeUniform, Uniform, initializer
from .layers_activation import get_activation
from .layers_checks import check_bool, check_positive_int, check_value_type
from .parameter import Parameter
from .primitive import Primitive
from .tensor import Tensor


class Dense(Cell):
    """``Dense(in_channels, out_channels, weight_init=None, bias_init=None, has_bias=True, activation=None,
    dtype=float32)``: ``activation(x @ weight.T + bias)`` over the last axis. Weight (out, in) defaults to
    ``HeUniform(sqrt(5))`` and bias to ``Uniform(1/sqrt(in))``: both uniform in ±1/sqrt(in_channels)."""

    def __init__(self, in_channels, out_channels, weight_init=None, bias_init=None, has_bias=True, activation=None,
                 dtype=mstype.float32):
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels", self.cls_name)
        self.out_channels = check_positive_int(out_channels, "out_channels", self.cls_name)
        self.has_bias = check_bool(has_bias, "has_bias", self.cls_name)
        self.reshape = A.Reshape()
        self.shape_op = A.Shape()
        if isinstance(weight_init, Tensor) and (weight_init.ndim != 2 or weight_init.shape[0] != out_channels
                                                or weight_init.shape[1] != in_channels):
            raise ValueError(f"For '{self.cls_name}', weight init shape error. The ndim of 'weight_init' must be equal "
                             "to 2, and the first dim must be equal to 'out_channels', and the second dim must be "
                             f"equal to 'in_channels'. But got 'weight_init': {weight_init}, 'out_channels': "
                             f"{out_channels}, 'in_channels': {in_channels}.")
        if weight_init is None:
            weight_init = HeUniform(math.sqrt(5))
        self.weight = Parameter(initializer(weight_init, [out_channels, in_channels], dtype=dtype), name="weight")
        self.bias = None
        if self.has_bias:
            if isinstance(bias_init, Tensor) and (bias_init.ndim != 1 or bias_init.shape[0] != out_channels):
                raise ValueError(f"For '{self.cls_name}', bias init shape error. The ndim of 'bias_init' must be "
                                 "equal to 1, and the first dim must be equal to 'out_channels'. But got "
                                 f"'bias_init': {bias_init}, 'out_channels': {out_channels}.")
            if bias_init is None:
                bias_init = Uniform(scale=1 / math.sqrt(in_channels))
            self.bias = Parameter(initializer(bias_init, [out_channels], dtype=dtype), name="bias")
            self.bias_add = N.BiasAdd()
        self.matmul = M.MatMul(transpose_b=True)
        self.activation = get_activation(activation) if isinstance(activation, str) else activation
        if activation is not None and not isinstance(self.activation, (Cell, Primitive)):
            raise TypeError(f"For '{self.cls_name}', the 'activation' must be str or Cell or Primitive, but got "
                            f"{type(activation).__name__}.")
        self.activation_flag = self.activation is not None

    def construct(self, x):
        x_shape = self.shape_op(x)
        if len(x_shape) != 2:
            x = self.reshape(x, (-1, x_shape[-1]))
        x = self.matmul(x, self.weight)
        if self.has_bias:
            x = self.bias_add(x, self.bias)
        if self.activation_flag:
            x = self.activation(x)
        if len(x_shape) != 2:
            x = self.reshape(x, x_shape[:-1] + (x.shape[-1],))
        return x

    def extend_repr(self):
        s = f"input_channels={self.in_channels}, output_channels={self.out_channels}"
        if self.has_bias:
            s += f", has_bias={self.has_bias}"
        if self.activation_flag:
            s += f", activation={self.activation}"
        return s


class Flatten(Cell):
    """``Flatten(start_dim=1, end_dim=-1)``: merges the axes from ``start_dim`` to ``end_dim``."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    @staticmethod
    def check_axis_valid(axis, ndim):
        if axis < -ndim or axis >= ndim:
            raise ValueError("'start_dim' or 'end_dim' out of range.")

    def construct(self, x):
        ndim = x.ndim or 1
        self.check_axis_valid(self.start_dim, ndim)
        self.check_axis_valid(self.end_dim, ndim)
        return F.flatten(x, start_dim=self.start_dim, end_dim=self.end_dim)


class Dropout(Cell):
    """``Dropout(keep_prob=0.5, p=None, dtype=float32)``: the identity unless training; in training each element is
    zeroed with probability ``p`` (or ``1 - keep_prob``) and the rest scaled by ``1/(1-p)``, a fresh mask per call
    (also in compiled steps: the mask draws from the global key)."""

    def __init__(self, keep_prob=0.5, p=None, dtype=mstype.float32):
        super().__init__()
        if p is None:
            check_value_type(self.cls_name, "keep_prob", keep_prob, (float,))
            if keep_prob <= 0 or keep_prob > 1:
                raise ValueError(f"For '{self.cls_name}', the 'keep_prob' must be a number in range (0, 1], but got "
                                 f"{keep_prob}.")
            self.dropout = N.Dropout(keep_prob)
        else:
            check_value_type(self.cls_name, "p", p, (float, int))
            if p < 0 or p >= 1:
                raise ValueError(f"For '{self.cls_name}', the 'p' must be a number in range [0, 1), but got {p}.")
            self.dropout = N.Dropout(1.0 - p)
        self.p = p
        self.keep_prob = keep_prob

    def construct(self, x):
        if not self.training or self.keep_prob == 1 or self.p == 0:
            return x
        out, _ = self.dropout(x)
        return out

    def extend_repr(self):
        return f"keep_prob={self.keep_prob}" if self.p is None else f"p={self.p}"


class Identity(Cell):
    """``Identity(*args, **kwargs)``: returns its input (the arguments are ignored)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def construct(self, input):
        return input


class Unflatten(Cell):
    """``Unflatten(axis, unflattened_size)``: axis ``axis`` becomes the axes ``unflattened_size``. The new shape is
    spliced by Python slicing as in MindSpore (so a negative axis other than -1 also keeps the axes after it)."""

    def __init__(self, axis, unflattened_size):
        super().__init__()
        self.reshape = A.Reshape()
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"For 'Unflatten', the type of 'axis' must be 'int', but got '{type(axis).__name__}'.")
        check_value_type("Unflatten", "unflattended_size", unflattened_size, (list, tuple))
        self.axis = axis
        self.unflattened_size = tuple(unflattened_size)

    def construct(self, input_x):
        shape = input_x.shape
        new_shape = shape[:self.axis] + self.unflattened_size
        if self.axis != -1:
            new_shape += shape[self.axis + 1:]
        return self.reshape(input_x, new_shape)


class Embedding(Cell):
    """``Embedding(vocab_size, embedding_size, use_one_hot=False, embedding_table='normal', dtype=float32,
    padding_idx=None)``: rows of ``embedding_table`` (vocab_size, embedding_size) picked by integer ids, through
    Gather (ids out of range raise as Gather does) or, with ``use_one_hot``, a one-hot matmul (such ids give zero
    rows). The table's dtype comes from ``embedding_table`` (float32 for names); ``dtype`` is the one-hot dtype.
    ``padding_idx`` zeroes that row at construction."""

    def __init__(self, vocab_size, embedding_size, use_one_hot=False, embedding_table="normal", dtype=mstype.float32,
                 padding_idx=None):
        super().__init__()
        self.vocab_size = check_value_type(self.cls_name, "vocab_size", vocab_size, (int,))
        self.embedding_size = check_value_type(self.cls_name, "embedding_size", embedding_size, (int,))
        check_value_type(self.cls_name, "use_one_hot", use_one_hot, (bool,))
        if dtype not in mstype.number_type:
            raise TypeError(f"For '{self.cls_name}', the element of 'dtype' must be one of "
                            f"{', '.join(str(t) for t in mstype.number_type)}, but got {dtype}.")
        self.use_one_hot, self.dtype, self.padding_idx = use_one_hot, dtype, padding_idx
        table = initializer(embedding_table, [vocab_size, embedding_size])
        if padding_idx is not None:
            check_value_type(self.cls_name, "padding_idx", padding_idx, (int,))
            if not 0 <= padding_idx < vocab_size:
                raise ValueError(f"For '{self.cls_name}', the 'padding_idx' must be in range of [0, {vocab_size}), "
                                 f"but got {padding_idx} with type 'int'.")
            values = table.asnumpy().copy()
            values[padding_idx] = 0
            table = Tensor(values, table.dtype)
        self.embedding_table = Parameter(table, name="embedding_table")
        self.gather = A.Gather()
        self.one_hot = A.OneHot()
        self.on_value, self.off_value = Tensor(1.0, dtype), Tensor(0.0, dtype)
        self.matmul = M.MatMul()
        self.reshape = A.Reshape()

    def construct(self, ids):
        out_shape = ids.shape + (self.embedding_size,)
        flat_ids = self.reshape(ids, (-1,))
        if self.use_one_hot:
            one_hot_ids = self.one_hot(flat_ids, self.vocab_size, self.on_value, self.off_value)
            output = self.matmul(one_hot_ids, self.embedding_table)
        else:
            output = self.gather(self.embedding_table, flat_ids, 0)
        return self.reshape(output, out_shape)

    def extend_repr(self):
        return (f"vocab_size={self.vocab_size}, embedding_size={self.embedding_size}, use_one_hot={self.use_one_hot}, "
                f"embedding_table={self.embedding_table}, dtype={self.dtype}, padding_idx={self.padding_idx}")
