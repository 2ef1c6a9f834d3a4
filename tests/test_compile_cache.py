"""`set_context(enable_compile_cache=True, compile_cache_path=...)` and MindSpore's MS_COMPILER_CACHE_* variables turn
on JAX's persistent compilation cache: a second process loads the compiled step instead of compiling it."""
import json
import os
import subprocess
import sys

PROGRAM = r"""
import json, sys, time
import numpy as np
import msjax as ms
from msjax import nn, Tensor
if sys.argv[1] == "context":
    ms.set_context(enable_compile_cache=True, compile_cache_path=sys.argv[2])
ms.set_context(mode=ms.GRAPH_MODE)
ms.set_seed(1)
net = nn.SequentialCell(nn.Dense(8, 16), nn.ReLU(), nn.Dense(16, 4))
step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), nn.Momentum(net.trainable_params(), 0.1, 0.9))
x, y = Tensor(np.ones((4, 8), np.float32)), Tensor(np.zeros((4, 4), np.float32))
print(json.dumps({"loss": float(step(x, y).asnumpy()), "cache": ms.get_context("enable_compile_cache")}))
"""


def run(tmp_path, *args, env=None):
    completed = subprocess.run([sys.executable, "-c", PROGRAM, *args], capture_output=True, text=True, check=True,
                               env={**os.environ, **(env or {})}, cwd=tmp_path)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def cache_files(root):
    folder = root / "rank_0" / "graph_cache" / "msjax_xla"
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_set_context_fills_and_reuses_the_cache(tmp_path):
    first = run(tmp_path, "context", str(tmp_path / "cc"))
    files = cache_files(tmp_path / "cc")
    assert first["cache"] is True and files
    second = run(tmp_path, "context", str(tmp_path / "cc"))
    assert second["loss"] == first["loss"] and cache_files(tmp_path / "cc") == files  # loaded, nothing new


def test_environment_variables(tmp_path):
    result = run(tmp_path, "env", env={"MS_COMPILER_CACHE_ENABLE": "1", "MS_COMPILER_CACHE_PATH": str(tmp_path / "e")})
    assert result["cache"] is True and cache_files(tmp_path / "e")


def test_off_by_default(tmp_path):
    env = {key: "" for key in ("MS_COMPILER_CACHE_ENABLE", "MS_COMPILER_CACHE_PATH")}
    assert run(tmp_path, "env", env=env)["cache"] is False
    assert not (tmp_path / "rank_0").exists()
