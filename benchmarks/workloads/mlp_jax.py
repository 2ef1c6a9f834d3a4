"""Hand-written JAX for mlp_ms.py: the same MLP, loss and Momentum update (v = momentum * v + g; w -= lr * v).

    python mlp_jax.py --mode eager|jit [--batch N] [--device CPU|GPU]
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


def loss_fn(params, x, labels):
    w1, b1, w2, b2, w3, b3 = params
    h = jax.nn.relu(x @ w1.T + b1)
    h = jax.nn.relu(h @ w2.T + b2)
    logits = h @ w3.T + b3
    return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), labels[:, None], axis=1))


def train_step(params, velocity, x, labels):
    loss, grads = jax.value_and_grad(loss_fn)(params, x, labels)
    velocity = tuple(_data.MOMENTUM * v + g for v, g in zip(velocity, grads))
    params = tuple(p - _data.LR * v for p, v in zip(params, velocity))
    return params, velocity, loss


if __name__ == "__main__":  # mlp_dp_jax.py imports loss_fn
    args = parse_args(("eager", "jit"))
    if args.device:
        jax.config.update("jax_default_device", jax.devices(args.device.lower())[0])
    batch = args.batch or _data.MLP_BATCH
    update = jax.jit(train_step) if args.mode == "jit" else train_step
    params = tuple(jnp.asarray(w) for w in _data.weights(_data.MLP_SHAPES))
    state = [params, tuple(jnp.zeros_like(p) for p in params)]
    x = jnp.asarray(_data.normal((batch, 784)))
    labels = jnp.asarray(_data.labels(batch))

    def step():
        state[0], state[1], loss = update(state[0], state[1], x, labels)
        return loss

    measure("mlp", "jax", args, step)
