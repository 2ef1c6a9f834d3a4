"""Timing shared by every benchmark program, MindSpore and JAX sides alike (it imports neither framework).

A program builds its workload, then hands `measure` a zero-argument `step`. `measure` times the first call alone
(trace and compile in GRAPH_MODE / jit), makes `--warmup` more calls, then times `--repeats` batches of `--steps`
calls (by default as many as fill about `--batch-s` seconds). Every timed stretch ends by copying the last call's
outputs to the host (`.asnumpy()` on MindSpore Tensors, `np.asarray` on JAX arrays): that is where both frameworks
wait for queued work, so both sides synchronise the same way. It prints one JSON line.
"""
import argparse
import json
import math
import resource
import statistics
import sys
import time

import numpy as np


def parse_args(modes):
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=modes, default=modes[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed batches")
    parser.add_argument("--steps", type=int, default=0, help="calls per timed batch; 0: enough to fill --batch-s")
    parser.add_argument("--batch-s", type=float, default=0.2, help="target seconds per timed batch")
    parser.add_argument("--warmup", type=int, default=3, help="untimed calls after the first")
    return parser.parse_args()


def framework():
    """Which MindSpore a MindSpore-side program runs on: `python -m msjax` has imported msjax."""
    return "msjax" if "msjax" in sys.modules else "mindspore"


def to_host(out):
    if isinstance(out, (tuple, list)):
        return [to_host(o) for o in out]
    return out.asnumpy() if hasattr(out, "asnumpy") else np.asarray(out)


def _leaves(tree):
    if isinstance(tree, list):
        return [leaf for item in tree for leaf in _leaves(item)]
    return [tree]


def _timed(step, calls):
    start = time.perf_counter()
    for _ in range(calls):
        out = step()
    to_host(out)
    return time.perf_counter() - start


def _calibrate(step, batch_s):
    """Calls per batch: double a trial batch until it takes a tenth of `batch_s`, then scale."""
    calls = 1
    while True:
        elapsed = _timed(step, calls)
        if elapsed >= batch_s / 10:
            return max(1, math.ceil(calls * batch_s / elapsed))
        calls *= 2


def measure(workload, impl, args, step):
    start = time.perf_counter()
    first = to_host(step())
    first_call_s = time.perf_counter() - start
    if args.warmup:
        _timed(step, args.warmup)
    steps = args.steps or _calibrate(step, args.batch_s)
    step_s = [_timed(step, steps) / steps for _ in range(args.repeats)]
    print(json.dumps({
        "workload": workload, "impl": impl, "mode": args.mode,
        "first_call_s": first_call_s, "step_s_median": statistics.median(step_s), "step_s_all": step_s,
        "steps": steps, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # the first call's outputs summed: the harness checks that every implementation computed the same thing
        "check": float(sum(np.sum(leaf, dtype=np.float64) for leaf in _leaves(first))),
    }), flush=True)
