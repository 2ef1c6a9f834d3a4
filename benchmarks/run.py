"""msjax against hand-written JAX (and real MindSpore) on the same workloads, side by side.

    python benchmarks/run.py [--quick] [--only WORKLOAD] [--rounds N] [--jsonl FILE]

Each workload is a plain MindSpore program (`workloads/*_ms.py`, run under `python -m msjax` and, when
MSJAX_REFERENCE_PYTHON names an interpreter with real MindSpore, under that too, capped at 8 GiB of address space)
and the same computation hand-written in JAX (`workloads/*_jax.py`), each in both execution modes. Every round runs
one process per implementation, interleaved (msjax PyNative, JAX eager, msjax GRAPH, JAX jit, MindSpore PyNative,
MindSpore GRAPH); the table shows medians over rounds of each process's median step time, its first-call time and
its peak RSS, with the ratios msjax GRAPH / JAX jit, msjax PyNative / JAX eager and msjax / MindSpore (same mode).
`--quick` runs one round of a few steps and only checks that every program runs, reports sane JSON and computes
what the others compute (exit status 1 otherwise); it is CI's smoke run, not a measurement.
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
WORKLOADS = {
    "tutorial_grad": "tutorial grad of cos(sin(x)), 3 elements",
    "grad_matmul": "GradOperation(get_all, get_by_list, sens) on x*z@y, 256x256",
    "mlp": "MLP 784-512-512-10 train step, batch 128, Momentum",
    "lenet": "LeNet-5 train step, batch 32, Momentum",
}
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
METRICS = ("step_s_median", "first_call_s", "peak_rss_mib")
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


def table(title, metric, fmt, medians, columns):
    names = [name for name, _, _ in columns]
    ratios = [r for r in RATIOS if r[1] in names and r[2] in names]
    lines = [f"**{title}**", "", "| workload | " + " | ".join(names + [r[0] for r in ratios]) + " |",
             "|---" * (1 + len(names) + len(ratios)) + "|"]
    for workload, results in medians.items():
        value = {name: results[name][metric] if name in results else None for name in names}
        cells = [fmt(value[name]) if value[name] is not None else "failed" for name in names]
        cells += [f"{value[a] / value[b]:.2f}×" if value[a] and value[b] else "—" for _, a, b in ratios]
        lines.append(f"| {WORKLOADS[workload]} | " + " | ".join(cells) + " |")
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round of a few steps: check, don't measure")
    parser.add_argument("--only", choices=list(WORKLOADS), action="append", help="run this workload (repeatable)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jsonl", help="also write every process's JSON line to this file")
    args = parser.parse_args()
    reference = os.environ.get("MSJAX_REFERENCE_PYTHON")
    if reference and not shutil.which(reference):
        parser.error(f"MSJAX_REFERENCE_PYTHON={reference} is not an interpreter")
    columns = [c for c in COLUMNS if c[1] != "mindspore" or reference]
    workloads = args.only or list(WORKLOADS)
    rounds, extra_args, timeout = (1, QUICK_ARGS, 120) if args.quick else (args.rounds, [], 600)
    print(machine(reference), flush=True)

    results = {w: {name: [] for name, _, _ in columns} for w in workloads}
    failures = []
    for round_index in range(rounds):
        for workload in workloads:
            for name, impl, mode in columns:
                result = run_one(workload, impl, mode, reference, extra_args, timeout)
                if isinstance(result, str):
                    failures.append(f"{workload} / {name}: {result}")
                    print(f"FAILED {failures[-1]}", file=sys.stderr, flush=True)
                    continue
                results[workload][name].append(result)
        print(f"round {round_index + 1}/{rounds} done", file=sys.stderr, flush=True)
    if args.jsonl:
        Path(args.jsonl).write_text("".join(json.dumps(r) + "\n" for by_column in results.values()
                                            for runs in by_column.values() for r in runs))

    for workload, by_column in results.items():  # every implementation must compute the same thing
        checks = {name: runs[0]["check"] for name, runs in by_column.items() if runs}
        base = checks.get("JAX jit", next(iter(checks.values()), None))
        for name, value in checks.items():
            if abs(value - base) > CHECK_RTOL * max(abs(base), 1e-6):
                failures.append(f"{workload} / {name}: computed {value!r}, JAX jit {base!r}")
    medians = {w: {name: {m: statistics.median(r[m] for r in runs) for m in METRICS}
                   for name, runs in by_column.items() if runs}
               for w, by_column in results.items()}
    print("\n--quick: a smoke run; these figures are not measurements.\n" if args.quick
          else f"\nRounds: {rounds}; medians over rounds.\n")
    print(table("Per-step time (median)", "step_s_median", fmt_time, medians, columns), end="\n\n")
    print(table("First call (trace + compile in GRAPH / jit)", "first_call_s", fmt_time, medians, columns), end="\n\n")
    print(table("Peak RSS", "peak_rss_mib", lambda v: f"{v:.0f} MiB", medians, columns))
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
