"""A jitted msjax training step against the same step hand-written in JAX (median per-step time, interleaved).

    python benchmarks/jit_step.py [--quick]

The MSJAX workload is plain MindSpore code (Parameters, ops, value_and_grad, an ops.assign SGD update inside
``@ms.jit``); the JAX one is what a JAX user would write. Both run float32 on the default JAX device. The ratio is
what the shim costs per compiled step: Parameter gathering, the cache lookup and the write-back.
"""
import argparse
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np

import msjax as ms
from msjax import Parameter, Tensor, nn, ops

SIZES = (784, 512, 512, 10)
BATCH = 128
LR = 0.01


def initial_weights(seed=0):
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        weights.append((rng.uniform(-1, 1, (fan_in, fan_out)) / np.sqrt(fan_in)).astype(np.float32))
        weights.append(np.zeros(fan_out, np.float32))
    return weights


class MLP(nn.Cell):
    def __init__(self, weights):
        super().__init__()
        self.w1, self.b1, self.w2, self.b2, self.w3, self.b3 = (
            Parameter(Tensor(w), name=n) for w, n in zip(weights, ["w1", "b1", "w2", "b2", "w3", "b3"]))

    def construct(self, x):
        h = ops.relu(ops.matmul(x, self.w1) + self.b1)
        h = ops.relu(ops.matmul(h, self.w2) + self.b2)
        return ops.matmul(h, self.w3) + self.b3


def msjax_step_fn(weights):
    net = MLP(weights)
    params = net.trainable_params()

    def loss_fn(x, labels):
        logits = net(x)
        return -(ops.log_softmax(logits) * labels).sum(1).mean()

    grad_fn = ms.value_and_grad(loss_fn, None, params)

    @ms.jit
    def train_step(x, labels):
        loss, grads = grad_fn(x, labels)
        for p, g in zip(params, grads):
            ops.assign(p, p - LR * g)
        return loss

    return lambda x, labels: train_step(x, labels)


def jax_step_fn(weights):
    state = {"params": [jnp.asarray(w) for w in weights]}

    def loss_fn(params, x, labels):
        w1, b1, w2, b2, w3, b3 = params
        h = jax.nn.relu(x @ w1 + b1)
        h = jax.nn.relu(h @ w2 + b2)
        logits = h @ w3 + b3
        return -(jax.nn.log_softmax(logits) * labels).sum(1).mean()

    @jax.jit
    def train_step(params, x, labels):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, labels)
        return loss, [p - LR * g for p, g in zip(params, grads)]

    def step(x, labels):
        loss, state["params"] = train_step(state["params"], x, labels)
        return loss

    return step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a smoke run: check both steps run, not their speed")
    args = parser.parse_args()
    repeats, steps = (2, 3) if args.quick else (15, 50)
    rng = np.random.default_rng(1)
    x_np = rng.normal(size=(BATCH, SIZES[0])).astype(np.float32)
    labels_np = np.eye(SIZES[-1], dtype=np.float32)[rng.integers(0, SIZES[-1], BATCH)]
    runners = {
        "msjax @ms.jit": (msjax_step_fn(initial_weights()), (Tensor(x_np), Tensor(labels_np))),
        "hand-written jax.jit": (jax_step_fn(initial_weights()), (jnp.asarray(x_np), jnp.asarray(labels_np))),
    }
    losses = {}
    for name, (step, inputs) in runners.items():  # warm-up: compile
        losses[name] = float(np.asarray(step(*inputs)))
    np.testing.assert_allclose(losses["msjax @ms.jit"], losses["hand-written jax.jit"], rtol=1e-5)
    times = {name: [] for name in runners}
    for _ in range(repeats):
        for name, (step, inputs) in runners.items():  # interleaved: A B A B ...
            out = step(*inputs)
            jax.block_until_ready(out._data if isinstance(out, Tensor) else out)
            start = time.perf_counter()
            for _ in range(steps):
                out = step(*inputs)
            jax.block_until_ready(out._data if isinstance(out, Tensor) else out)
            times[name].append((time.perf_counter() - start) / steps)
    base = statistics.median(times["hand-written jax.jit"])
    print(f"MLP {'-'.join(map(str, SIZES))} train step, batch {BATCH}, SGD, {jax.devices()[0].platform}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:22s} {median * 1e6:9.1f} us/step   {median / base:5.2f}x hand-written JAX")


if __name__ == "__main__":
    main()
