"""Hand-written JAX for lenet_ms.py: the same LeNet-5 (NCHW/OIHW, no conv bias, as MindSpore's Conv2d default),
loss and Momentum update.

    python lenet_jax.py --mode eager|jit [--batch N] [--device CPU|GPU]
"""
import os
import sys

import jax
import jax.numpy as jnp
from jax import lax

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _data  # noqa: E402
from _timing import measure, parse_args  # noqa: E402

jax.config.update("jax_enable_x64", True)  # what msjax sets, so both sides pay the same
jax.config.update("jax_default_matmul_precision", "float32")


def conv(x, w):
    return lax.conv_general_dilated(x, w, (1, 1), "VALID", dimension_numbers=("NCHW", "OIHW", "NCHW"))


def max_pool(x):
    return lax.reduce_window(x, -jnp.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")


def loss_fn(params, x, labels):
    c1, c2, w3, b3, w4, b4, w5, b5 = params
    x = max_pool(jax.nn.relu(conv(x, c1)))
    x = max_pool(jax.nn.relu(conv(x, c2)))
    x = x.reshape(x.shape[0], -1)
    x = jax.nn.relu(x @ w3.T + b3)
    x = jax.nn.relu(x @ w4.T + b4)
    logits = x @ w5.T + b5
    return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), labels[:, None], axis=1))


def train_step(params, velocity, x, labels):
    loss, grads = jax.value_and_grad(loss_fn)(params, x, labels)
    velocity = tuple(_data.MOMENTUM * v + g for v, g in zip(velocity, grads))
    params = tuple(p - _data.LR * v for p, v in zip(params, velocity))
    return params, velocity, loss


args = parse_args(("eager", "jit"))
if args.device:
    jax.config.update("jax_default_device", jax.devices(args.device.lower())[0])
batch = args.batch or _data.LENET_BATCH
update = jax.jit(train_step) if args.mode == "jit" else train_step
params = tuple(jnp.asarray(w) for w in _data.weights(_data.LENET_SHAPES))
state = [params, tuple(jnp.zeros_like(p) for p in params)]
images = jnp.asarray(_data.normal((batch, 1, 32, 32)))
labels = jnp.asarray(_data.labels(batch))


def step():
    state[0], state[1], loss = update(state[0], state[1], images, labels)
    return loss


measure("lenet", "jax", args, step)
