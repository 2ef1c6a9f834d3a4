"""The benchmarks' smoke run (`benchmarks/run.py --quick`): every workload's MindSpore program runs under msjax in
both modes, its hand-written JAX twin runs eagerly and jitted, and all compute the same result. No timings are
asserted; speed is the benchmarks' business (benchmarks/RESULTS.md)."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = {"tutorial_grad", "grad_matmul", "mlp", "lenet"}
RUNS = {("msjax", "pynative"), ("msjax", "graph"), ("jax", "eager"), ("jax", "jit")}


def test_benchmarks_quick(tmp_path):
    jsonl = tmp_path / "quick.jsonl"
    env = {k: v for k, v in os.environ.items() if k != "MSJAX_REFERENCE_PYTHON"}  # without real MindSpore
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--jsonl", str(jsonl)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    reported = {(r["workload"], r["impl"], r["mode"]) for r in map(json.loads, jsonl.read_text().splitlines())}
    assert reported == {(w, impl, mode) for w in WORKLOADS for impl, mode in RUNS}
    for workload in ("tutorial grad", "GradOperation", "MLP", "LeNet-5"):
        assert workload in done.stdout
