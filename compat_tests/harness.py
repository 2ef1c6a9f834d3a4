"""Running MindSpore programs under real MindSpore and under msjax, and comparing what they print.

A program is any ``.py`` file under ``examples/`` or ``compat_tests/programs/``: a plain MindSpore script. Its
*recording* (``compat_tests/goldens/*.json``) holds what real MindSpore printed on stdout and the type of the
exception it ended with, if any. Recordings come only from `record.py` run with an interpreter that has real
MindSpore; with ``MSJAX_REFERENCE_PYTHON`` set, tests run that interpreter live instead of reading them.

Outputs are compared as tokens: words and punctuation exactly (the repr's skeleton: shape, dtype, brackets, order),
numbers with rtol 1e-5 / atol 1e-6, whitespace ignored (numpy's ``str`` pads columns by the last digit). Training
programs (`TRAINING_RTOL`) compare at rtol 1e-4: float32 sums in a different order drift by a few ulps per step.
"""
from __future__ import annotations

import atexit
import functools
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDENS = ROOT / "compat_tests" / "goldens"
PROGRAM_DIRS = (ROOT / "examples", ROOT / "compat_tests" / "programs")
RTOL, ATOL = 1e-5, 1e-6

# Programs that train for many steps and print accumulated figures (test losses summed over batches, weights after
# hundreds of updates). XLA and MindSpore's CPU kernels reduce float32 sums in different orders, and the few-ulp
# differences compound over steps; the training issue's bar is rtol 1e-4.
TRAINING_RTOL = {
    "examples/quick_start/quick_start.py": 1e-4,
    "examples/lenet/lenet.py": 1e-4,
    "examples/lstm_sentiment/lstm_sentiment.py": 1e-4,
    "examples/transformer_encoder/transformer_encoder.py": 1e-4,
    # float16 forwards, gradients and a float16 network's training: float16 keeps 11 significant bits (eps 9.8e-4),
    # and where XLA rounds each float16 op's result MindSpore's CPU kernels (GRAPH_MODE fuses MatMul+BiasAdd) may
    # round once, so values differ by about one float16 ulp (7.1e-4 relative at most, seen); two ulps allowed.
    "compat_tests/programs/amp_loss_scale.py": 2e-3,
    # Model(amp_level=O1/O2/O3): the same float16 rounding over 6 Model.train steps (2.6e-4 relative seen on the
    # losses, 1.1e-3 on a GRAPH_MODE float16 prediction sum)
    "compat_tests/programs/train_model_amp.py": 2e-3,
}
TIMEOUT_S = 600

# Programs whose honest 2.10 recording comes from a companion program. A `bprop_getters.register` rule that is not
# the true derivative has no effect in MindSpore 2.10, so the recorder runs the same rule written as a Cell.bprop
# (which 2.10 honours) and records that.
REFERENCE_OVERRIDES = {
    "examples/autodiff_tutorial/10_custom_bprop_straight_through.py":
        "compat_tests/reference_programs/10_custom_bprop_straight_through_cell.py",
}


# Scripts under examples/ that are not compat programs (no golden), each with the reason; tests/ covers them.
NOT_PROGRAMS = {
    "examples/data_parallel/data_parallel.py":
        "MindSpore's CPU build runs communication.init() only under mpirun; tests/test_examples_data_parallel.py "
        "checks its losses on 8 devices against 1",
}


# Programs that probe PyNative-only behaviour: their GRAPH_MODE runs would test MindSpore's graph compiler's parse
# limits (inline lambdas, try/except around compiled calls) rather than msjax. Each says why.
PYNATIVE_ONLY = {
    "compat_tests/programs/cell_behaviour.py":
        "probes PyNative call errors and forward hooks; its own GRAPH section sets the mode itself",
    "compat_tests/programs/cell_bprop.py":
        "probes PyNative Cell.bprop checks; its own GRAPH section sets the mode itself",
    "compat_tests/programs/grad_integer_inputs.py":
        "passes inline lambdas to GradOperation, which MindSpore's graph parser rejects; GRAPH cases are inside",
    "compat_tests/programs/grad_operation.py":
        "passes inline lambdas to GradOperation, which MindSpore's graph parser rejects; GRAPH cases are inside",
    "compat_tests/programs/grad_functional.py":
        "passes inline lambdas to ms.grad, which MindSpore's graph parser rejects",
    "compat_tests/programs/grad_transforms_edges.py":
        "PyNative edge cases of vjp/jvp/jac arguments, many through inline lambdas",
    "compat_tests/programs/grad_hooks.py":
        "ops.HookBackward is PyNative-only in MindSpore; its GRAPH behaviour is probed inside",
    "compat_tests/programs/grad_errors.py":
        "PyNative sens errors; its GRAPH section sets the mode itself (GRAPH's silent acceptance of a wrong-shape "
        "sens is a documented difference)",
    "compat_tests/programs/custom_op.py":
        "MindSpore's graph mode cannot differentiate a pyfunc Custom op (RuntimeError); msjax can",
}


def cases() -> list[tuple[str, str]]:
    """(program, mode) pairs the compat tests run."""
    return [(p, m) for p in programs() for m in MODES if m == "pynative" or p not in PYNATIVE_ONLY]


def programs() -> list[str]:
    found = []
    for directory in PROGRAM_DIRS:
        for path in sorted(directory.rglob("*.py")):
            if path.name.startswith("_") or "rewritten_network" in path.parts:  # MindSpore's amp O1 output
                continue
            if path.relative_to(ROOT).as_posix() not in NOT_PROGRAMS:
                found.append(path.relative_to(ROOT).as_posix())
    return found


MODES = ("pynative", "graph")
GRAPH_RUNNER = ROOT / "compat_tests" / "graph_mode.py"
# Real MindSpore's graph compiler can take unbounded memory on some programs; the reference runs under a cap.
REFERENCE_MEMORY_BYTES = 8 * 2 ** 30


def golden_path(program: str, mode: str = "pynative") -> Path:
    suffix = "" if mode == "pynative" else f"__{mode}"
    return GOLDENS / (program.replace("/", "__").removesuffix(".py") + suffix + ".json")


def _limit_memory():
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (REFERENCE_MEMORY_BYTES, REFERENCE_MEMORY_BYTES))


_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)):?(?: |$)")


def exception_type(stderr: str) -> str | None:
    """The type of the exception a traceback in ``stderr`` ended with (the last one, after its frames)."""
    start = stderr.rfind("Traceback (most recent call last):")
    if start < 0:
        return None
    for line in stderr[start:].splitlines()[1:]:
        match = _EXCEPTION_LINE.match(line)
        if match:
            return match.group(1).rsplit(".", 1)[-1]
    return None


@functools.lru_cache(maxsize=None)
def _compilation_cache() -> str:
    folder = tempfile.mkdtemp(prefix="msjax-compat-xla-cache-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def run_program(program: str, python: str, *, via_msjax: bool, mode: str = "pynative") -> dict:
    """Run ``program`` (a path relative to the repo) in ``mode`` and return what it printed and how it ended."""
    path = ROOT / program
    script = [str(GRAPH_RUNNER), path.name] if mode == "graph" else [path.name]
    command = [python, "-m", "msjax", *script] if via_msjax else [python, *script]
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8", GLOG_v="3")
    if via_msjax:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
        # One JAX compilation cache for all msjax runs of a test session: a program's GRAPH run and later programs
        # load the op kernels earlier runs compiled instead of compiling them again (same executables, less time).
        env.setdefault("JAX_COMPILATION_CACHE_DIR", _compilation_cache())
        env.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0.02")
    completed = subprocess.run(command, cwd=path.parent, capture_output=True, text=True, env=env,
                               timeout=TIMEOUT_S, preexec_fn=None if via_msjax else _limit_memory)
    return {"stdout": completed.stdout, "exception": exception_type(completed.stderr),
            "returncode": completed.returncode, "stderr": completed.stderr}


def record(program: str, reference_python: str, mode: str = "pynative") -> dict:
    if os.sep in reference_python:  # programs run from their own directory
        reference_python = os.path.abspath(reference_python)
    source = REFERENCE_OVERRIDES.get(program, program)
    result = run_program(source, reference_python, via_msjax=False, mode=mode)
    version = subprocess.run([reference_python, "-c", "import mindspore; print(mindspore.__version__)"],
                             capture_output=True, text=True, env=dict(os.environ, GLOG_v="3")).stdout.strip()
    return {"program": program, "mode": mode, "recorded_from": source, "mindspore_version": version,
            "stdout": result["stdout"], "exception": result["exception"], "returncode": result["returncode"]}


def reference_result(program: str, mode: str = "pynative") -> dict:
    """The live reference run when MSJAX_REFERENCE_PYTHON is set, else the committed recording."""
    reference_python = os.environ.get("MSJAX_REFERENCE_PYTHON")
    if reference_python:
        return record(program, reference_python, mode)
    path = golden_path(program, mode)
    if not path.exists():
        raise FileNotFoundError(f"No recording for {program}: run `MSJAX_REFERENCE_PYTHON=.venv-ms/bin/python "
                                f"python compat_tests/record.py {program}` with real MindSpore installed.")
    return json.loads(path.read_text())


# --- comparison ----------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<number>(?<![\w.])[-+]?(?:(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf)(?![\w]))
  | (?P<word>[A-Za-z_][\w]*)
  | (?P<other>\S)
""", re.VERBOSE)


def tokens(text: str) -> list:
    """Numbers as floats, everything else as strings; whitespace dropped."""
    out = []
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "number":
            out.append(float(match.group()))
        else:
            out.append(match.group())
    return out


def _close(a: float, b: float, rtol: float = RTOL) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= ATOL + rtol * abs(b)


def compare_output(actual: str, expected: str, rtol: float = RTOL) -> str | None:
    """None when ``actual`` matches ``expected`` token by token, else a description of the first difference."""
    got, want = tokens(actual), tokens(expected)
    for index, (g, w) in enumerate(zip(got, want)):
        same = _close(g, w, rtol) if isinstance(g, float) and isinstance(w, float) else g == w
        if not same:
            context_got = " ".join(str(t) for t in got[max(0, index - 6):index + 6])
            context_want = " ".join(str(t) for t in want[max(0, index - 6):index + 6])
            return f"token {index}: got {g!r}, expected {w!r}\n  got:      ...{context_got}...\n  expected: ...{context_want}..."
    if len(got) != len(want):
        return f"got {len(got)} tokens, expected {len(want)}; first extra: {(got or want)[min(len(got), len(want)):][:8]}"
    return None


def main_record(argv: list[str]) -> int:
    reference_python = os.environ.get("MSJAX_REFERENCE_PYTHON")
    if not reference_python:
        print("Set MSJAX_REFERENCE_PYTHON to an interpreter that has real MindSpore (e.g. .venv-ms/bin/python).",
              file=sys.stderr)
        return 2
    modes = MODES
    if argv and argv[0].startswith("--mode="):
        modes, argv = (argv[0].split("=", 1)[1],), argv[1:]
    selected = argv or programs()
    GOLDENS.mkdir(parents=True, exist_ok=True)
    for program in selected:
        for mode in modes:
            if mode == "graph" and program in PYNATIVE_ONLY:
                continue
            result = record(program, reference_python, mode)
            golden_path(program, mode).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
            status = f"raised {result['exception']}" if result["exception"] else "ok"
            print(f"recorded {program} [{mode}] ({status}, MindSpore {result['mindspore_version']})")
    return 0
