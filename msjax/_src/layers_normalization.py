"""``nn.BatchNorm1d`` / ``nn.BatchNorm2d``: batch statistics while training (moving statistics updated in place,
``moving = momentum * moving + (1 - momentum) * batch`` with the unbiased batch variance), moving statistics
otherwise. Parameters: gamma, beta, moving_mean (named 'mean'), moving_variance (named 'variance').
``nn.LayerNorm`` and ``nn.GroupNorm``: per-sample statistics, parameters gamma and beta."""
from __future__ import annotations

from . import dtype as mstype
from . import nn_ops as N
from .cell import Cell
from .initializer import initializer
from .layers_checks import check_bool, check_cpu_format, check_positive_int, check_string, check_value_type
from .parameter import Parameter


class _BatchNorm(Cell):
    def __init__(self, num_features, eps=1e-5, momentum=0.9, affine=True, gamma_init="ones", beta_init="zeros",
                 moving_mean_init="zeros", moving_var_init="ones", use_batch_statistics=None, data_format="NCHW",
                 dtype=mstype.float32):
        super().__init__()
        check_value_type(self.cls_name, "num_features", num_features, (int,))
        if num_features < 1:
            raise ValueError(f"For '{self.cls_name}', the 'num_features' must be at least 1, but got {num_features}.")
        if momentum < 0 or momentum > 1:
            raise ValueError(f"For '{self.cls_name}', the 'momentum' must be a number in range [0, 1], but got "
                             f"{momentum}.")
        self.format = check_string(data_format, ["NCHW", "NHWC"], "format", self.cls_name)
        check_cpu_format(self.cls_name, self.format,
                         "For '{cls}', the 'NHWC' format only support in GPU target, but got device target {target}.")
        if use_batch_statistics is not None and not isinstance(use_batch_statistics, bool):
            raise ValueError(f"For '{self.cls_name}', the 'use_batch_statistics' must be a boolean value or None, but "
                             f"got {use_batch_statistics}.")
        self.use_batch_statistics = use_batch_statistics
        self.num_features, self.eps = num_features, eps
        self.gamma_init, self.beta_init = gamma_init, beta_init
        self.moving_mean_init, self.moving_var_init = moving_mean_init, moving_var_init
        self.moving_mean = Parameter(initializer(moving_mean_init, num_features, dtype=dtype), name="mean",
                                     requires_grad=False)
        self.moving_variance = Parameter(initializer(moving_var_init, num_features, dtype=dtype), name="variance",
                                         requires_grad=False)
        self.gamma = Parameter(initializer(gamma_init, num_features, dtype=dtype), name="gamma", requires_grad=affine)
        self.beta = Parameter(initializer(beta_init, num_features, dtype=dtype), name="beta", requires_grad=affine)
        self.momentum = 1.0 - momentum  # the op's convention: the weight of the batch statistic
        self.bn_train = N.BatchNorm(is_training=True, epsilon=eps, momentum=self.momentum, data_format=self.format)
        self.bn_infer = N.BatchNorm(is_training=False, epsilon=eps, data_format=self.format)

    def _check_input_dim(self, ndim):
        raise NotImplementedError

    def construct(self, x):
        self._check_input_dim(x.ndim)
        use_batch = self.training if self.use_batch_statistics is None else self.use_batch_statistics
        bn = self.bn_train if use_batch else self.bn_infer
        return bn(x, self.gamma, self.beta, self.moving_mean, self.moving_variance)[0]

    def extend_repr(self):
        return (f"num_features={self.num_features}, eps={self.eps}, momentum={1.0 - self.momentum}, gamma="
                f"{self.gamma}, beta={self.beta}, moving_mean={self.moving_mean}, moving_variance="
                f"{self.moving_variance}")


class BatchNorm1d(_BatchNorm):
    """Input (N, C) or (N, C, L)."""

    def _check_input_dim(self, ndim):
        if ndim not in (2, 3):
            raise ValueError(f"For '{self.cls_name}', the must have 2 dims or 3 dims, but got {ndim}.")


class BatchNorm2d(_BatchNorm):
    """Input (N, C, H, W)."""

    def _check_input_dim(self, ndim):
        if ndim != 4:
            raise ValueError(f"For '{self.cls_name}', the in_shape must have 4 dims, but got {ndim}.")


class LayerNorm(Cell):
    """``LayerNorm(normalized_shape, begin_norm_axis=-1, begin_params_axis=-1, gamma_init='ones', beta_init='zeros',
    epsilon=1e-7, dtype=float32)``: normalizes over the axes from ``begin_norm_axis`` on; gamma and beta (shape
    ``normalized_shape``) apply from ``begin_params_axis`` on, cast to the input's dtype."""

    def __init__(self, normalized_shape, begin_norm_axis=-1, begin_params_axis=-1, gamma_init="ones",
                 beta_init="zeros", epsilon=1e-7, dtype=mstype.float32):
        super().__init__()
        if not isinstance(normalized_shape, (tuple, list)):
            raise TypeError(f"For '{self.cls_name}', the type of 'normalized_shape' must be tuple[int] or list[int], "
                            f"but got {normalized_shape} and the type is {type(normalized_shape)}.")
        if not normalized_shape:
            raise ValueError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                             f"element, but got normalized_shape = {normalized_shape}")
        self.normalized_shape = normalized_shape
        self.begin_norm_axis, self.begin_params_axis, self.epsilon = begin_norm_axis, begin_params_axis, epsilon
        self.gamma = Parameter(initializer(gamma_init, normalized_shape, dtype=dtype), name="gamma")
        self.beta = Parameter(initializer(beta_init, normalized_shape, dtype=dtype), name="beta")
        self.layer_norm = N.LayerNorm(begin_norm_axis=begin_norm_axis, begin_params_axis=begin_params_axis,
                                      epsilon=epsilon)

    def construct(self, input_x):
        y, _, _ = self.layer_norm(input_x, self.gamma.astype(input_x.dtype), self.beta.astype(input_x.dtype))
        return y

    def extend_repr(self):
        # MindSpore's repr has no '=' after gamma
        return (f"normalized_shape={self.normalized_shape}, begin_norm_axis={self.begin_norm_axis}, "
                f"begin_params_axis={self.begin_params_axis}, gamma{self.gamma}, beta={self.beta}")


class GroupNorm(Cell):
    """``GroupNorm(num_groups, num_channels, eps=1e-5, affine=True, gamma_init='ones', beta_init='zeros',
    dtype=float32)``: input (N, C, *) with 2 to 8 axes, normalized per sample over groups of channels; gamma and beta
    (C,) are trainable only with ``affine``."""

    def __init__(self, num_groups, num_channels, eps=1e-05, affine=True, gamma_init="ones", beta_init="zeros",
                 dtype=mstype.float32):
        super().__init__()
        self.num_groups = check_positive_int(num_groups, "num_groups", self.cls_name)
        self.num_channels = check_positive_int(num_channels, "num_channels", self.cls_name)
        if num_channels % num_groups:
            raise ValueError(f"For '{self.cls_name}', the 'num_channels' must be divided by 'num_groups', but got "
                             f"'num_channels': {num_channels}, 'num_groups': {num_groups}.")
        self.eps = check_value_type(self.cls_name, "eps", eps, (float,))
        self.affine = check_bool(affine, "affine", self.cls_name)
        self.gamma = Parameter(initializer(gamma_init, num_channels, dtype=dtype), name="gamma", requires_grad=affine)
        self.beta = Parameter(initializer(beta_init, num_channels, dtype=dtype), name="beta", requires_grad=affine)
        self.group_norm = N.GroupNorm()

    def construct(self, x):
        return self.group_norm(x, self.num_groups, self.gamma.astype(x.dtype), self.beta.astype(x.dtype), self.eps)[0]

    def extend_repr(self):
        return f"num_groups={self.num_groups}, num_channels={self.num_channels}"
