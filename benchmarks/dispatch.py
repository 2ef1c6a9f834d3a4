"""Per-op dispatch in PyNative mode: an msjax op on Tensors against the same raw `jax.numpy` call on the same arrays.

Issue 6's target is within 1.25x of the raw call. Small arrays show the dispatch overhead itself; the 128x512
ones a typical MLP activation. Calls alternate (msjax, jnp, msjax, jnp, ...) and each figure is the median of
the rounds' per-call means, so load from other processes hits both sides alike.

    python benchmarks/dispatch.py [--quick]
"""
import argparse
import statistics
import sys
import time

import numpy as np


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few calls each: checks that every case runs")
    args = parser.parse_args(argv)

    import jax
    import jax.numpy as jnp
    import msjax as ms
    from msjax import Tensor, ops

    rng = np.random.default_rng(0)
    cases = []
    for label, shape in (("3", (3,)), ("128x512", (128, 512))):
        a = rng.standard_normal(shape).astype(np.float32)
        b = rng.standard_normal(shape).astype(np.float32)
        ta, tb, ja, jb = Tensor(a), Tensor(b), jnp.asarray(a), jnp.asarray(b)
        cases += [
            (f"add {label}", lambda ta=ta, tb=tb: ta + tb, lambda ja=ja, jb=jb: ja + jb),
            (f"mul {label}", lambda ta=ta, tb=tb: ops.mul(ta, tb), lambda ja=ja, jb=jb: ja * jb),
            (f"sin {label}", lambda ta=ta: ops.sin(ta), lambda ja=ja: jnp.sin(ja)),
            (f"relu {label}", lambda ta=ta: ops.relu(ta), lambda ja=ja: jnp.maximum(ja, 0)),
            (f"sum {label}", lambda ta=ta: ta.sum(), lambda ja=ja: ja.sum()),
            (f"softmax {label}", lambda ta=ta: ops.softmax(ta, -1), lambda ja=ja: jax.nn.softmax(ja, -1)),
        ]
    w = rng.standard_normal((512, 512)).astype(np.float32)
    x = rng.standard_normal((128, 512)).astype(np.float32)
    tw, tx, jw, jx = Tensor(w), Tensor(x), jnp.asarray(w), jnp.asarray(x)
    cases.append(("matmul 128x512 @ 512x512", lambda: ops.matmul(tx, tw), lambda: jnp.matmul(jx, jw)))

    calls, rounds = (20, 2) if args.quick else (400, 9)
    print(f"jax {jax.__version__}, backend {jax.default_backend()}, msjax {ms.__version__}")
    print(f"{'op':28} {'msjax':>10} {'jnp':>10} {'ratio':>7}")
    worst = 0.0
    for label, msjax_call, jnp_call in cases:
        times = {"msjax": [], "jnp": []}
        for fn in (msjax_call, jnp_call):
            for _ in range(3):
                _block(fn())
        for _ in range(rounds):
            for name, fn in (("msjax", msjax_call), ("jnp", jnp_call)):
                start = time.perf_counter()
                for _ in range(calls):
                    out = fn()
                _block(out)
                times[name].append((time.perf_counter() - start) / calls)
        ours, theirs = statistics.median(times["msjax"]), statistics.median(times["jnp"])
        worst = max(worst, ours / theirs)
        print(f"{label:28} {ours * 1e6:8.1f}us {theirs * 1e6:8.1f}us {ours / theirs:6.2f}x")
    print(f"worst ratio: {worst:.2f}x (target: 1.25x)")
    return 0


def _block(value):
    data = getattr(value, "_data", value)
    data.block_until_ready()


if __name__ == "__main__":
    sys.exit(main())
