"""Hand-written JAX for grad_matmul_ms.py: the vjp of (x * z) @ y with respect to x, y and z, given a sensitivity.

    python grad_matmul_jax.py --mode eager|jit
"""
import os
import sys

import jax
import jax.numpy as jnp
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _data  # noqa: E402
from _timing import measure, parse_args  # noqa: E402

jax.config.update("jax_enable_x64", True)  # what msjax sets, so both sides pay the same
jax.config.update("jax_default_matmul_precision", "float32")
N = _data.MATMUL_N


def f(x, y, z):
    return (x * z) @ y


def grads(x, y, z, sens):
    _, pullback = jax.vjp(f, x, y, z)
    dx, dy, dz = pullback(sens)
    return (dx, dy), (dz,)  # GradOperation's (inputs' gradients, Parameters' gradients)


args = parse_args(("eager", "jit"))
if args.device:
    jax.config.update("jax_default_device", jax.devices(args.device.lower())[0])
step_fn = jax.jit(grads) if args.mode == "jit" else grads
x, y = jnp.asarray(_data.normal((N, N), seed=1)), jnp.asarray(_data.normal((N, N), seed=2))
z, sens = jnp.asarray(np.array([1.0], np.float32)), jnp.asarray(_data.normal((N, N), seed=3))
measure("grad_matmul", "jax", args, lambda: step_fn(x, y, z, sens))
