"""Timing shared by every benchmark program, MindSpore and JAX sides alike (it imports neither framework).

A program builds its workload, then hands `measure` a zero-argument `step`. `measure` times the first call alone
(trace and compile in GRAPH_MODE / jit), makes `--warmup` more calls, then times `--repeats` batches of `--steps`
calls (by default as many as fill about `--batch-s` seconds). Every timed stretch ends by copying the last call's
outputs to the host (`.asnumpy()` on MindSpore Tensors, `np.asarray` on JAX arrays): that is where both frameworks
wait for queued work, so both sides synchronise the same way. It prints one JSON line, which also names the device
the first call's output lives on and, where the framework reports it, that device's peak memory.

`--batch` overrides a train step's batch size; `--device CPU|GPU` picks where the program runs (MindSpore programs
pass it to `set_context(device_target=...)`, JAX programs make that platform's first device JAX's default).
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
    parser.add_argument("--batch", type=int, default=0, help="batch size of a train step; 0: the workload's own")
    parser.add_argument("--device", choices=("CPU", "GPU"), help="where to run; default: the framework's default")
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


def _device_info(out):
    """(platform and kind of the device holding the first output, its peak memory in MiB or None), read from a JAX
    array (an msjax Tensor's `_data`); (None, None) for other frameworks' tensors."""
    leaf = _leaves(out)[0]
    devices = getattr(getattr(leaf, "_data", leaf), "devices", None)
    if not callable(devices):
        return None, None
    device = next(iter(devices()))
    stats = device.memory_stats() or {}
    peak = stats.get("peak_bytes_in_use")
    return f"{device.platform}:{device.device_kind}", None if peak is None else peak / 2 ** 20


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
    out = step()
    first = to_host(out)
    first_call_s = time.perf_counter() - start
    device, _ = _device_info(out)
    if args.warmup:
        _timed(step, args.warmup)
    steps = args.steps or _calibrate(step, args.batch_s)
    step_s = [_timed(step, steps) / steps for _ in range(args.repeats)]
    _, device_peak_mib = _device_info(out)
    print(json.dumps({
        "workload": workload, "impl": impl, "mode": args.mode,
        "first_call_s": first_call_s, "step_s_median": statistics.median(step_s), "step_s_all": step_s,
        "steps": steps, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "device": device, "device_peak_mib": device_peak_mib, "batch": args.batch or None,
        # the first call's outputs summed: the harness checks that every implementation computed the same thing
        "check": float(sum(np.sum(leaf, dtype=np.float64) for leaf in _leaves(first))),
    }), flush=True)
