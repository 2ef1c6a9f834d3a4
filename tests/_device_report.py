"""Running a test module as a script on N virtual CPU devices, once per test session.

The device-count flag only takes effect before JAX starts, so the cases run in a subprocess
(`python -m msjax <module>`), which prints ``REPORT <json>`` and, between ``PRINTS-BEGIN``/``PRINTS-END``, what its
compiled steps printed. xdist workers (which may split a module) share the first worker's report through a file.
"""
import fcntl
import json
import os
import subprocess
import sys


def session_report(tmp_path_factory, script, name, devices):
    base = tmp_path_factory.getbasetemp()
    path = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / f"{name}.json"
    with open(f"{path}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            path.write_text(json.dumps(_run(script, devices)))
    return json.loads(path.read_text())


def _run(script, devices):
    env = dict(os.environ, XLA_FLAGS=f"--xla_force_host_platform_device_count={devices}", JAX_PLATFORMS="cpu")
    done = subprocess.run([sys.executable, "-m", "msjax", script], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    result = json.loads(next(line for line in lines if line.startswith("REPORT "))[len("REPORT "):])
    result["prints"] = lines[lines.index("PRINTS-BEGIN") + 1:lines.index("PRINTS-END")]
    return result
