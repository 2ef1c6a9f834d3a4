"""msjax against hand-written JAX (and real MindSpore) on the same workloads, side by side.

    python benchmarks/run.py [--quick] [--gpu] [--only WORKLOAD] [--rounds N] [--max-seconds S] [--jsonl FILE]

Each workload is a plain MindSpore program (`workloads/*_ms.py`, run under `python -m msjax` and, when
MSJAX_REFERENCE_PYTHON names an interpreter with real MindSpore, under that too, capped at 8 GiB of address space)
and the same computation hand-written in JAX (`workloads/*_jax.py`), each in both execution modes. Every round runs
one process per implementation, interleaved (msjax PyNative, JAX eager, msjax GRAPH, JAX jit, MindSpore PyNative,
MindSpore GRAPH); the table shows medians over rounds of each process's median step time, its first-call time and
its peak RSS, with the ratios msjax GRAPH / JAX jit, msjax PyNative / JAX eager and msjax / MindSpore (same mode).
`--quick` runs one round of a few steps and only checks that every program runs, reports sane JSON and computes
what the others compute (exit status 1 otherwise); it is CI's smoke run, not a measurement.

`--gpu` is the GPU preset: the MLP at batch 4096 and LeNet-5 at batch 1024, msjax (`set_context(device_target=
'GPU')`) against hand-written JAX with the GPU as its default device, both at float32 matmul/convolution precision
(msjax sets `jax_default_matmul_precision` to float32, and so do the JAX programs: no TF32); every process must
report that its output lives on a GPU. MSJAX_GPU_DRY_RUN=1 turns it into a dry run of the same path on the CPU at
small batches (for checking the harness on a machine without a GPU; its figures mean nothing). `--max-seconds`
starts no round that would end past that budget (judged by the longest round so far).
"""
import argparse
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import _data  # noqa: E402

WORKLOADS = {
    "tutorial_grad": "tutorial grad of cos(sin(x)), 3 elements",
    "grad_matmul": "GradOperation(get_all, get_by_list, sens) on x*z@y, 256x256",
    "mlp": "MLP 784-512-512-10 train step, batch {batch}, Momentum",
    "lenet": "LeNet-5 train step, batch {batch}, Momentum",
}
BATCHES = {"mlp": _data.MLP_BATCH, "lenet": _data.LENET_BATCH}
GPU_BATCHES = {"mlp": 4096, "lenet": 1024}
GPU_DRY_RUN_BATCHES = {"mlp": 256, "lenet": 64}
GPU_PLATFORMS = ("gpu", "cuda", "rocm")  # JAX's names for a GPU device's platform
GPU_PRECISION_NOTE = ("Both sides at float32 matmul/convolution precision (jax_default_matmul_precision='float32', "
                      "which msjax sets and the JAX programs set too): no TF32.")
# (column, implementation, mode), in the order each round runs them
COLUMNS = [
    ("msjax PyNative", "msjax", "pynative"),
    ("JAX eager", "jax", "eager"),
    ("msjax GRAPH", "msjax", "graph"),
    ("JAX jit", "jax", "jit"),
    ("MindSpore PyNative", "mindspore", "pynative"),
    ("MindSpore GRAPH", "mindspore", "graph"),
]
RATIOS = [
    ("msjax GRAPH / JAX jit", "msjax GRAPH", "JAX jit"),
    ("msjax PyNative / JAX eager", "msjax PyNative", "JAX eager"),
    ("msjax / MindSpore PyNative", "msjax PyNative", "MindSpore PyNative"),
    ("msjax / MindSpore GRAPH", "msjax GRAPH", "MindSpore GRAPH"),
]
QUICK_ARGS = ["--repeats", "1", "--steps", "2", "--warmup", "1"]
REFERENCE_MEMORY_BYTES = 8 * 2 ** 30  # MindSpore's graph compiler can take unbounded memory
CHECK_RTOL = 1e-3
METRICS = ("step_s_median", "first_call_s", "peak_rss_mib", "device_peak_mib")
KEYS = ("workload", "impl", "mode", "first_call_s", "step_s_median", "step_s_all", "peak_rss_mib", "check")


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (REFERENCE_MEMORY_BYTES, REFERENCE_MEMORY_BYTES))


def command(workload, impl, mode, reference):
    side = "jax" if impl == "jax" else "ms"
    program = str(ROOT / "benchmarks" / "workloads" / f"{workload}_{side}.py")
    python = {"msjax": [sys.executable, "-m", "msjax"], "jax": [sys.executable], "mindspore": [reference]}[impl]
    return [*python, program, "--mode", mode]


def run_one(workload, impl, mode, reference, extra_args, timeout):
    """The program's JSON result, or an error string."""
    env = dict(os.environ, GLOG_v="3")  # MindSpore's log level: errors only
    if impl == "msjax":
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    try:
        done = subprocess.run(command(workload, impl, mode, reference) + extra_args, capture_output=True, text=True,
                              env=env, timeout=timeout, preexec_fn=_limit_memory if impl == "mindspore" else None)
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout} s"
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        return f"exit status {done.returncode}: {(done.stderr or done.stdout).strip()[-2000:]}"
    result = json.loads(lines[-1])
    return problem(result, workload, impl, mode) or result


def problem(result, workload, impl, mode):
    missing = [key for key in KEYS if key not in result]
    if missing:
        return f"missing {missing}"
    if (result["workload"], result["impl"], result["mode"]) != (workload, impl, mode):
        return f"reported {result['workload']}/{result['impl']}/{result['mode']}"
    times = [result["first_call_s"], result["step_s_median"], result["peak_rss_mib"], *result["step_s_all"]]
    if not result["step_s_all"] or not all(math.isfinite(t) and t > 0 for t in times):
        return f"bad figures {times}"
    if not math.isfinite(result["check"]):
        return f"check value {result['check']}"
    return None


def fmt_time(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(title, metric, fmt, medians, columns, labels):
    names = [name for name, _, _ in columns]
    ratios = [r for r in RATIOS if r[1] in names and r[2] in names]
    lines = [f"**{title}**", "", "| workload | " + " | ".join(names + [r[0] for r in ratios]) + " |",
             "|---" * (1 + len(names) + len(ratios)) + "|"]
    for workload, results in medians.items():
        value = {name: results[name].get(metric) if name in results else None for name in names}
        cells = [fmt(value[name]) if value[name] is not None else "failed" if name not in results else "—"
                 for name in names]
        cells += [f"{value[a] / value[b]:.2f}×" if value[a] and value[b] else "—" for _, a, b in ratios]
        lines.append(f"| {labels[workload]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine(reference):
    """Date, CPU, RAM and versions (read without importing JAX: forking a process that has JAX's threads is unsafe)."""
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    ram = next((int(line.split()[1]) / 2 ** 20 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    text = (f"{time.strftime('%Y-%m-%d')}; {cpu}, {os.cpu_count()} cores, {ram:.0f} GiB RAM; "
            f"Python {platform.python_version()}, jax {metadata.version('jax')}, "
            f"jaxlib {metadata.version('jaxlib')}")
    if reference:
        version = subprocess.run([reference, "-c", "import mindspore; print(mindspore.__version__)"],
                                 capture_output=True, text=True, env=dict(os.environ, GLOG_v="3"),
                                 preexec_fn=_limit_memory).stdout.strip()
        text += f"; MindSpore {version or '?'} ({reference})"
    return text


def preset(args):
    """(workloads, batch size per workload, device, per-process timeout, headline) for these arguments."""
    workloads = args.only or (list(GPU_BATCHES) if args.gpu else list(WORKLOADS))
    device, batches, timeout, headline = args.device, dict(BATCHES), 600, ""
    if args.gpu:
        if os.environ.get("MSJAX_GPU_DRY_RUN") == "1":
            device, batches = "CPU", {**batches, **GPU_DRY_RUN_BATCHES}
            headline = "MSJAX_GPU_DRY_RUN=1: the --gpu preset on the CPU at small batches; not a GPU measurement."
        else:
            device, batches = "GPU", {**batches, **GPU_BATCHES}
            headline = GPU_PRECISION_NOTE
        timeout = 300
    return workloads, batches, device, 120 if args.quick else timeout, headline


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round of a few steps: check, don't measure")
    parser.add_argument("--gpu", action="store_true", help="the GPU preset: MLP batch 4096, LeNet batch 1024 on GPU")
    parser.add_argument("--device", choices=("CPU", "GPU"), help="where every program runs (default: its default)")
    parser.add_argument("--only", choices=list(WORKLOADS), action="append", help="run this workload (repeatable)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--max-seconds", type=float, help="start no round that would end after this many seconds")
    parser.add_argument("--jsonl", help="also write every process's JSON line to this file (as each one ends)")
    args = parser.parse_args()
    reference = os.environ.get("MSJAX_REFERENCE_PYTHON")
    if reference and not shutil.which(reference):
        parser.error(f"MSJAX_REFERENCE_PYTHON={reference} is not an interpreter")
    columns = [c for c in COLUMNS if c[1] != "mindspore" or reference]
    workloads, batches, device, timeout, headline = preset(args)
    rounds, extra_args = (1, QUICK_ARGS) if args.quick else (args.rounds, [])
    labels = {w: WORKLOADS[w].format(batch=batches.get(w)) for w in workloads}
    print(machine(reference), flush=True)
    if headline:
        print(headline, flush=True)

    jsonl = open(args.jsonl, "w") if args.jsonl else None
    results = {w: {name: [] for name, _, _ in columns} for w in workloads}
    failures = []
    started, longest_round = time.monotonic(), 0.0
    for round_index in range(rounds):
        if round_index and args.max_seconds and time.monotonic() - started + longest_round > args.max_seconds:
            print(f"stopping after {round_index} rounds: another would pass --max-seconds {args.max_seconds:g}",
                  file=sys.stderr, flush=True)
            break
        round_start = time.monotonic()
        for workload in workloads:
            workload_args = extra_args + (["--batch", str(batches[workload])] if workload in batches else [])
            workload_args += ["--device", device] if device else []
            for name, impl, mode in columns:
                result = run_one(workload, impl, mode, reference, workload_args, timeout)
                if isinstance(result, str):
                    failures.append(f"{workload} / {name}: {result}")
                    print(f"FAILED {failures[-1]}", file=sys.stderr, flush=True)
                    continue
                platform = str(result.get("device")).split(":")[0]
                if device == "GPU" and impl != "mindspore" and platform not in GPU_PLATFORMS:
                    failures.append(f"{workload} / {name}: ran on {result.get('device')}, not on a GPU")
                results[workload][name].append(result)
                if jsonl:
                    jsonl.write(json.dumps(result) + "\n")
                    jsonl.flush()
        longest_round = max(longest_round, time.monotonic() - round_start)
        print(f"round {round_index + 1}/{rounds} done", file=sys.stderr, flush=True)
    if jsonl:
        jsonl.close()

    for workload, by_column in results.items():  # every implementation must compute the same thing
        checks = {name: runs[0]["check"] for name, runs in by_column.items() if runs}
        base = checks.get("JAX jit", next(iter(checks.values()), None))
        for name, value in checks.items():
            if abs(value - base) > CHECK_RTOL * max(abs(base), 1e-6):
                failures.append(f"{workload} / {name}: computed {value!r}, JAX jit {base!r}")
    medians = {w: {name: {m: _median(r.get(m) for r in runs) for m in METRICS}
                   for name, runs in by_column.items() if runs}
               for w, by_column in results.items()}
    rounds_done = max((len(runs) for by_column in results.values() for runs in by_column.values()), default=0)
    devices = sorted({r["device"] for by_column in results.values() for runs in by_column.values() for r in runs
                      if r.get("device")})
    print("\n--quick: a smoke run; these figures are not measurements.\n" if args.quick
          else f"\nRounds: {rounds_done}; medians over rounds. Devices: {', '.join(devices) or '?'}.\n")
    print(table("Per-step time (median)", "step_s_median", fmt_time, medians, columns, labels), end="\n\n")
    print(table("First call (trace + compile in GRAPH / jit)", "first_call_s", fmt_time, medians, columns, labels),
          end="\n\n")
    print(table("Peak RSS", "peak_rss_mib", lambda v: f"{v:.0f} MiB", medians, columns, labels))
    if any(m.get("device_peak_mib") for by_column in medians.values() for m in by_column.values()):
        print()
        print(table("Peak device memory (JAX's allocator)", "device_peak_mib", lambda v: f"{v:.0f} MiB", medians,
                    columns, labels))
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
