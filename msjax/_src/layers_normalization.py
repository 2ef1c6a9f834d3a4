"""``nn.BatchNorm1d`` / ``nn.BatchNorm2d``: batch statistics while training (moving statistics updated in place,
``moving = momentum * moving + (1 - momentum) * batch`` with the unbiased batch variance), moving statistics
otherwise. Parameters: gamma, beta, moving_mean (named 'mean'), moving_variance (named 'variance')."""
from __future__ import annotations

from . import dtype as mstype
from . import nn_ops as N
from .cell import Cell
from .initializer import initializer
from .layers_checks import check_cpu_format, check_string, check_value_type
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
