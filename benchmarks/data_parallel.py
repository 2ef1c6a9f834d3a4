"""Data-parallel step time on 1 and on N devices: mlp_dp_ms.py (a MindSpore data-parallel TrainOneStepCell step
under `python -m msjax`) against the same step hand-written in JAX (mlp_dp_jax.py: shard_map + pmean), each run
in its own process with the device count set through XLA_FLAGS (virtual CPU devices unless --gpu).

    python benchmarks/data_parallel.py [--devices 8] [--batch 128] [--gpu]

On a CPU the virtual devices share the host's cores, so N devices are not expected to be faster: the figure shows
what the per-device split and the all-reduces cost, and that msjax costs what hand-written JAX costs.
MindSpore itself runs data parallel only under mpirun/msrun, so it has no column here.
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

WORKLOADS = Path(__file__).resolve().parent / "workloads"


def run(impl, devices, args):
    env = dict(os.environ)
    if not args.gpu:
        env.update(JAX_PLATFORMS="cpu", XLA_FLAGS=f"--xla_force_host_platform_device_count={devices}")
    elif devices == 1:
        env["CUDA_VISIBLE_DEVICES"] = "0"
    program = str(WORKLOADS / f"mlp_dp_{impl}.py")
    command = [sys.executable, "-m", "msjax", program, "--mode", "graph"] if impl == "ms" else \
        [sys.executable, program, "--mode", "jit"]
    done = subprocess.run(command + ["--batch", str(args.batch)], capture_output=True, text=True, env=env,
                          timeout=600)
    if done.returncode:
        raise SystemExit(f"{program} on {devices} device(s) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=8)
    parser.add_argument("--batch", type=int, default=128, help="global batch")
    parser.add_argument("--gpu", action="store_true", help="the host's GPUs instead of virtual CPU devices")
    args = parser.parse_args()
    rows = {(impl, n): run(impl, n, args) for n in (1, args.devices) for impl in ("ms", "jax")}
    print(f"MLP 784-512-512-10 train step, global batch {args.batch}: median step time")
    print(f"{'devices':>8} {'msjax':>10} {'JAX':>10} {'msjax/JAX':>10}")
    for n in (1, args.devices):
        ms_s, jax_s = rows["ms", n]["step_s_median"], rows["jax", n]["step_s_median"]
        print(f"{n:>8} {ms_s * 1e3:>8.3f}ms {jax_s * 1e3:>8.3f}ms {ms_s / jax_s:>10.2f}")
    for impl, name in (("ms", "msjax"), ("jax", "JAX")):
        ratio = rows[impl, args.devices]["step_s_median"] / rows[impl, 1]["step_s_median"]
        print(f"{name}: {args.devices} devices / 1 device = {ratio:.2f}x the step time")
    checks = {key: round(row["check"], 4) for key, row in rows.items()}
    if len(set(checks.values())) != 1:
        print("warning: the first steps' losses differ:", checks)


if __name__ == "__main__":
    main()
