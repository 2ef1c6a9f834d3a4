"""Hand-written JAX for mlp_dp_ms.py: mlp_jax.py's step run per device with shard_map over every device (batch
split, parameters replicated), gradients and loss averaged with pmean.

    python mlp_dp_jax.py --mode jit [--batch N]
"""
import os
import sys

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _data  # noqa: E402
from _timing import measure, parse_args  # noqa: E402
from mlp_jax import loss_fn  # noqa: E402


def local_step(params, velocity, x, labels):
    loss, grads = jax.value_and_grad(loss_fn)(params, x, labels)
    grads = jax.lax.pmean(grads, "data")
    velocity = tuple(_data.MOMENTUM * v + g for v, g in zip(velocity, grads))
    params = tuple(p - _data.LR * v for p, v in zip(params, velocity))
    return params, velocity, jax.lax.pmean(loss, "data")


if __name__ == "__main__":
    args = parse_args(("jit",))
    mesh = Mesh(np.array(jax.devices()), ("data",))
    update = jax.jit(jax.shard_map(local_step, mesh=mesh, in_specs=(P(), P(), P("data"), P("data")),
                                   out_specs=(P(), P(), P())))
    batch = args.batch or _data.MLP_BATCH
    replicated, split = NamedSharding(mesh, P()), NamedSharding(mesh, P("data"))
    params = tuple(jax.device_put(w, replicated) for w in _data.weights(_data.MLP_SHAPES))
    state = [params, tuple(jax.numpy.zeros_like(p) for p in params)]
    x = jax.device_put(_data.normal((batch, 784)), split)
    labels = jax.device_put(_data.labels(batch), split)

    def step():
        state[0], state[1], loss = update(state[0], state[1], x, labels)
        return loss

    measure("mlp_dp", "jax", args, step)
