"""``mindspore.set_context`` / ``get_context``: execution mode and the JAX backend ops run on."""
from __future__ import annotations

import os

import jax

GRAPH_MODE = 0
PYNATIVE_MODE = 1
STRICT, COMPATIBLE, LAX = 0, 1, 2

_DEVICE_TARGETS = ("CPU", "GPU", "Ascend", "Davinci")
# msjax also accepts 'TPU' (JAX runs there; MindSpore has no such target).
_JAX_PLATFORM = {"CPU": "cpu", "GPU": "gpu", "TPU": "tpu"}

# Keys MindSpore 2.10 accepts that msjax stores without acting on (they tune MindSpore's own runtime).
_PASSIVE_KEYS = {
    "device_id": 0, "jit_syntax_level": LAX, "max_call_depth": 1000, "save_graphs": False, "save_graphs_path": ".",
    "pynative_synchronize": False, "enable_graph_kernel": False, "graph_kernel_flags": "", "max_device_memory": "",
    "mempool_block_size": "1GB", "print_file_path": "", "deterministic": "OFF", "runtime_num_threads": 30,
    "inter_op_parallel_num": 0, "memory_optimize_level": "O0", "jit_config": None, "ascend_config": None,
    "gpu_config": None, "variable_memory_max_size": "",
    "check_bprop": False, "enable_reduce_precision": True, "enable_dump": False, "save_dump_path": ".",
    "disable_format_transform": False, "memory_offload": "OFF", "op_timeout": 1800, "aoe_tune_mode": "",
    "aoe_config": None, "env_config_path": "", "auto_tune_mode": "", "grad_for_scalar": False,
    "reserve_class_name_in_scope": True, "debug_level": 0, "exec_order": "bfs", "enable_auto_mixed_precision": False,
    "infer_precision_mode": "", "support_binary": False, "enable_sparse": False, "device_num": 1,
}


def _default_target() -> str:
    platform = jax.default_backend()
    return {"cpu": "CPU", "gpu": "GPU", "cuda": "GPU", "rocm": "GPU", "tpu": "TPU"}.get(platform, platform.upper())


_context = {"mode": PYNATIVE_MODE, "device_target": None, "enable_compile_cache": False, "compile_cache_path": "",
            **_PASSIVE_KEYS}


def _set_mode(mode):
    if not isinstance(mode, int) or isinstance(mode, bool):
        raise TypeError(f"The parameter 'mode' must be <class 'int'>, but got {type(mode)}")
    if mode not in (GRAPH_MODE, PYNATIVE_MODE):
        raise ValueError("For 'context.set_context', the argument 'mode' should be context.GRAPH_MODE (0) or "
                         f"context.PYNATIVE_MODE (1), but got {mode}.")
    _context["mode"] = mode


def _set_device_target(target):
    if target not in _DEVICE_TARGETS and target != "TPU":
        raise ValueError("For 'context.set_context', the argument 'device_target' must be one of "
                         f"{list(_DEVICE_TARGETS)}, but got {target}.")
    platform = _JAX_PLATFORM.get(target)
    devices = []
    if platform is not None:
        try:
            devices = jax.devices(platform)
        except RuntimeError:
            devices = []
    if not devices:
        available = sorted({_default_target()} | {t for t, p in _JAX_PLATFORM.items() if _has_platform(p)})
        raise RuntimeError(f"Unsupported device target {target}. This process only supports one of the "
                           f"{available}. msjax runs on the backends JAX has: install a JAX build for {target} "
                           f"(e.g. 'pip install jax[cuda12]' for GPU) or use device_target='CPU'.")
    jax.config.update("jax_default_device", devices[0])
    _context["device_target"] = target


def _has_platform(platform) -> bool:
    try:
        return bool(jax.devices(platform))
    except RuntimeError:
        return False


def _set_compile_cache(key, value):
    """MindSpore's compile cache is JAX's persistent compilation cache: executables compiled by an earlier run of
    the same program load from ``<compile_cache_path>/rank_0/graph_cache/msjax_xla`` instead of compiling again."""
    _context[key] = value
    if _context["enable_compile_cache"]:
        root = _context["compile_cache_path"] or "."
        jax.config.update("jax_compilation_cache_dir",
                          os.path.abspath(os.path.join(root, "rank_0", "graph_cache", "msjax_xla")))
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
        jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
        jax.config.update("jax_enable_compilation_cache", True)
    elif key == "enable_compile_cache":
        jax.config.update("jax_enable_compilation_cache", False)


_SETTERS = {"mode": _set_mode, "device_target": _set_device_target,
            "enable_compile_cache": lambda value: _set_compile_cache("enable_compile_cache", value),
            "compile_cache_path": lambda value: _set_compile_cache("compile_cache_path", value)}

# MindSpore's environment switches for the same cache (set_context takes precedence, as in MindSpore).
if os.environ.get("MS_COMPILER_CACHE_PATH"):
    _context["compile_cache_path"] = os.environ["MS_COMPILER_CACHE_PATH"]
if os.environ.get("MS_COMPILER_CACHE_ENABLE", "").strip() == "1":
    _set_compile_cache("enable_compile_cache", True)


def set_context(**kwargs):
    for key in kwargs:
        if key not in _context:
            raise ValueError(f"For 'context.set_context', the keyword argument {key} is not recognized! For detailed "
                             "usage of 'set_context', please refer to the Mindspore official website.")
    for key, value in kwargs.items():
        setter = _SETTERS.get(key)
        if setter is None:
            _context[key] = value
        else:
            setter(value)


def get_context(attr_key):
    if attr_key not in _context:
        raise ValueError(f"For 'context.get_context', the argument {attr_key} is not recognized! For detailed usage "
                         "of 'get_context', please refer to the Mindspore official website.")
    if attr_key == "device_target" and _context[attr_key] is None:
        return _default_target()
    return _context[attr_key]


def set_device(device_target, device_id=None):
    _set_device_target(device_target)
    if device_id is not None:
        _context["device_id"] = device_id


def is_pynative() -> bool:
    return _context["mode"] == PYNATIVE_MODE


class ParallelMode:
    STAND_ALONE = "stand_alone"
    DATA_PARALLEL = "data_parallel"
    HYBRID_PARALLEL = "hybrid_parallel"
    SEMI_AUTO_PARALLEL = "semi_auto_parallel"
    AUTO_PARALLEL = "auto_parallel"
    MODE_LIST = [STAND_ALONE, DATA_PARALLEL, HYBRID_PARALLEL, SEMI_AUTO_PARALLEL, AUTO_PARALLEL]
