"""examples/data_parallel/data_parallel.py, unchanged, trains on 8 devices exactly as on one device.

On 8 devices each rank reads its shard with a batch of 32 / 8 and gradients are averaged, so every step equals the
single-device step over the global batch of 32: the same losses and final weight norms (rtol 1e-5; float32 sums
are reduced in a different order). 8 virtual CPU devices in one process, and in two processes of 4 joined by
jax.distributed on localhost. The device-count flag only takes effect before JAX starts: subprocesses.
"""
import functools
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data_parallel" / "data_parallel.py"
TIMEOUT_S = 300


def _start(devices, **env):
    env = dict(os.environ, XLA_FLAGS=f"--xla_force_host_platform_device_count={devices}", JAX_PLATFORMS="cpu", **env)
    return subprocess.Popen([sys.executable, "-m", "msjax", str(EXAMPLE)], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _outputs(processes):
    """Each process's stdout; every process ends within the timeout (killed otherwise) and must succeed."""
    outputs = []
    try:
        for process in processes:
            stdout, stderr = process.communicate(timeout=TIMEOUT_S)
            assert process.returncode == 0, stdout + stderr
            outputs.append(stdout)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    return outputs


@functools.lru_cache(maxsize=None)
def _single_device():
    return _outputs([_start(1)])[0]


def _assert_trains_as_single_device(output):
    single = _single_device()
    for pattern in (r"loss is (\S+)", r"norm: (\S+)"):
        want = np.array([float(value) for value in re.findall(pattern, single)])
        got = np.array([float(value) for value in re.findall(pattern, output)])
        assert len(got) == len(want) > 0, (single, output)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_single_device_run():
    output = _single_device()
    assert "rank 0 of 1 - steps per epoch: 16" in output
    assert len(re.findall("loss is", output)) == 48


def test_8_devices_in_one_process_equal_1():
    output, = _outputs([_start(8)])
    assert "rank 0 of 8 - steps per epoch: 16" in output
    _assert_trains_as_single_device(output)


def test_2_processes_of_4_devices_equal_1():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    outputs = _outputs([_start(4, MSJAX_COORDINATOR_ADDRESS=f"127.0.0.1:{port}", MSJAX_NUM_PROCESSES="2",
                               MSJAX_PROCESS_ID=str(process_id)) for process_id in range(2)])
    for process_id, output in enumerate(outputs):
        assert f"rank {4 * process_id} of 8 - steps per epoch: 16" in output
        _assert_trains_as_single_device(output)
