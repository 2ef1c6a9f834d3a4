"""Hand-written JAX for tutorial_grad_ms.py: the vjp of cos(sin(x)) with a ones sensitivity (GradOperation's).

    python tutorial_grad_jax.py --mode eager|jit
"""
import os
import sys

import jax
import jax.numpy as jnp

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _data  # noqa: E402
from _timing import measure, parse_args  # noqa: E402

jax.config.update("jax_enable_x64", True)  # what msjax sets, so both sides pay the same
jax.config.update("jax_default_matmul_precision", "float32")


def f(x):
    return jnp.cos(jnp.sin(x))


def grad_f(x):
    y, pullback = jax.vjp(f, x)
    return pullback(jnp.ones_like(y))[0]


args = parse_args(("eager", "jit"))
if args.device:
    jax.config.update("jax_default_device", jax.devices(args.device.lower())[0])
step_fn = jax.jit(grad_f) if args.mode == "jit" else grad_f
x = jnp.asarray(_data.TUTORIAL_X)
measure("tutorial_grad", "jax", args, lambda: step_fn(x))
