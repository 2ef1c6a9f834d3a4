"""msjax: MindSpore's Python API, served by JAX.

``import msjax as ms`` works like ``import mindspore as ms``; ``python -m msjax script.py`` (or `install()`) makes
``import mindspore`` itself resolve to this package. The public modules mirror MindSpore's import paths and only
re-export; the implementation lives in ``msjax._src``.
"""
from msjax._src import config as _config  # noqa: F401  (JAX settings before any array exists)
from msjax._src import communication as _communication  # noqa: E402

_communication.join_launch()  # a multi-process launch joins its JAX cluster before any array exists

__msjax__ = True
__version__ = "2.10.0"  # the MindSpore version whose behaviour msjax follows (scripts read mindspore.__version__)
msjax_version = "0.1.0"

from msjax._src.aliasing import install, uninstall  # noqa: E402
from msjax._src import tensor_methods as _tensor_methods  # noqa: E402,F401  (attaches Tensor operators)
from msjax.common import dtype  # noqa: E402
from msjax.common.dtype import *  # noqa: E402,F401,F403
from msjax.common.dtype import bool_, float_  # noqa: E402,F401
from msjax.common import Tensor, Parameter, ParameterTuple, tensor, from_numpy, is_tensor  # noqa: E402
from msjax.common import set_seed, get_seed, initializer  # noqa: E402,F401
from msjax import context  # noqa: E402
from msjax.context import (GRAPH_MODE, PYNATIVE_MODE, STRICT, COMPATIBLE, LAX, ParallelMode,  # noqa: E402
                           get_context, set_context, set_device)
from msjax.context import (get_auto_parallel_context, reset_auto_parallel_context,  # noqa: E402
                           set_auto_parallel_context)
from msjax import communication  # noqa: E402,F401
from msjax import parallel  # noqa: E402,F401
from msjax.parallel import shard  # noqa: E402
from msjax import common, dataset, nn, ops, train  # noqa: E402,F401
from msjax._src.grad import grad, value_and_grad, get_grad  # noqa: E402
from msjax._src.autodiff import vjp, jvp, jacfwd, jacrev  # noqa: E402
from msjax._src.vmap import vmap  # noqa: E402
from msjax._src.jit import jit, jit_class, mutable, JitConfig, trace_count, CompileFallbackWarning  # noqa: E402

__all__ = ["Tensor", "Parameter", "ParameterTuple", "tensor", "from_numpy", "is_tensor", "set_context",
           "get_context", "set_device", "GRAPH_MODE", "PYNATIVE_MODE", "context", "dtype", "nn", "ops", "common",
           "set_seed", "get_seed", "install", "grad", "value_and_grad", "get_grad", "vjp", "jvp", "jacfwd",
           "jacrev", "vmap", "jit", "jit_class", "mutable", "JitConfig", "trace_count"]

from msjax._src.bprop_check import check_bprops, BpropCheckWarning  # noqa: E402  (msjax-only)

__all__ += ["check_bprops", "BpropCheckWarning"]
__all__ += ["set_auto_parallel_context", "get_auto_parallel_context", "reset_auto_parallel_context",
            "communication"]
__all__ += ["parallel", "shard"]

from msjax._src.interop import to_jax, from_jax, load_jax_params  # noqa: E402  (msjax-only: JAX ecosystem interop)

__all__ += ["to_jax", "from_jax", "load_jax_params"]

from msjax._src import random as _random  # noqa: E402
_random.key_state()  # created outside any transform, so compiled functions lift it like any Parameter

from msjax._src.checkpoint import save_checkpoint, load_checkpoint, load_param_into_net  # noqa: E402

__all__ += ["save_checkpoint", "load_checkpoint", "load_param_into_net"]

from msjax._src.safetensors import ckpt_to_safetensors, safetensors_to_ckpt  # noqa: E402

__all__ += ["ckpt_to_safetensors", "safetensors_to_ckpt"]

from msjax import amp  # noqa: E402,F401

from msjax.train.model import Model  # noqa: E402
from msjax.train.callback import *  # noqa: E402,F401,F403  (MindSpore exports train's callbacks and metrics at top level)
from msjax.train.metrics import *  # noqa: E402,F401,F403
from msjax.train import callback as _callback, metrics as _metrics  # noqa: E402

__all__ += ["Model", *_callback.__all__, *_metrics.__all__]
