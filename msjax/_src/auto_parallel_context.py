"""``mindspore.set_auto_parallel_context`` / ``get_auto_parallel_context`` / ``reset_auto_parallel_context``.

msjax acts on ``parallel_mode`` (data/hybrid parallel shard compiled steps over all devices, see `parallel.py`),
``gradients_mean`` and ``device_num`` (the gradient reducer's mean and degree); the other keys MindSpore 2.10 accepts
are validated and stored (they tune MindSpore's own model-parallel compiler).
"""
from __future__ import annotations

import copy

from . import parallel
from .context import ParallelMode

_SEARCH_MODES = ("recursive_programming", "dynamic_programming", "sharding_propagation")


def _defaults():
    return {
        "device_num": 1, "global_rank": 0, "gradients_mean": False, "gradient_fp32_sync": True,
        "loss_repeated_mean": True, "pipeline_stages": 1, "auto_pipeline": False, "pipeline_result_broadcast": False,
        "pipeline_interleave": False, "pipeline_scheduler": "1f1b", "parallel_mode": ParallelMode.STAND_ALONE,
        "search_mode": "recursive_programming", "parameter_broadcast": False, "strategy_ckpt_load_file": "",
        "strategy_ckpt_save_file": "", "full_batch": False, "dataset_strategy": "data_parallel",
        "enable_parallel_optimizer": False, "force_fp32_communication": False, "grad_accumulation_step": 1,
        "all_reduce_fusion_config": [], "communi_parallel_mode": "all_group_parallel",
        "optimizer_weight_shard_size": -1, "optimizer_weight_shard_aggregated_save": False,
        "sharding_propagation": False, "enable_alltoall": False,
        "comm_fusion": {"openstate": True, "allreduce": {"mode": "auto", "config": None},
                        "allgather": {"mode": "auto", "config": None},
                        "reducescatter": {"mode": "auto", "config": None}},
        "strategy_ckpt_config": {"load_file": "", "save_file": "", "only_trainable_params": True},
        "full_batch_is_set": False, "dump_local_norm": False, "dump_local_norm_path": "",
        "dump_device_local_norm": False, "auto_parallel_new_interface": False, "init_param_in_compile": True,
        # set-only keys (MindSpore has no getter for them)
        "pipeline_segments": 1, "group_ckpt_save_file": "", "parallel_optimizer_config": {},
    }


_context = _defaults()
_device_num_is_set = False

# Checked for every argument before any is set (a None value skips the check, as in MindSpore).
_TYPES = {
    "device_num": int, "global_rank": int, "gradients_mean": bool, "gradient_fp32_sync": bool,
    "loss_repeated_mean": bool, "parallel_mode": str, "search_mode": str, "auto_parallel_search_mode": str,
    "parameter_broadcast": bool, "strategy_ckpt_load_file": str, "strategy_ckpt_save_file": str, "full_batch": bool,
    "enable_parallel_optimizer": bool, "grad_accumulation_step": int, "all_reduce_fusion_config": list,
    "group_ckpt_save_file": str, "communi_parallel_mode": str, "optimizer_weight_shard_size": int,
    "sharding_propagation": bool, "optimizer_weight_shard_aggregated_save": bool, "enable_alltoall": bool,
    "comm_fusion": dict, "strategy_ckpt_config": dict, "force_fp32_communication": bool, "pipeline_stages": int,
    "pipeline_segments": int, "pipeline_result_broadcast": bool, "parallel_optimizer_config": dict,
    "pipeline_config": dict,
}
_GET_ONLY = ("pipeline_interleave", "pipeline_scheduler", "full_batch_is_set")


def _set_device_num(value):
    global _device_num_is_set
    if value < 1:
        raise ValueError("The context configuration parameter 'device_num' must be a positive integer, but got the "
                         f"value of device_num : {value}.")
    _context["device_num"] = value
    _device_num_is_set = True


def _set_global_rank(value):
    if value < 0 or value > 4095:
        raise ValueError("The context configuration parameter 'global_rank' must be in [0, 4095], but got the value "
                         f"of global_rank : {value}.")
    _context["global_rank"] = value


def _set_parallel_mode(value):
    if value not in ParallelMode.MODE_LIST:
        raise ValueError("The context configuration parameter 'parallel_mode' only support 'stand_alone', "
                         "'data_parallel', 'hybrid_parallel', 'semi_auto_parallel' and 'auto_parallel', but got the "
                         f"value : {value}.")
    _context["parallel_mode"] = value


def _search_mode_setter(reported_key):
    # MindSpore names the other key in each message ('search_mode' errors say 'auto_parallel_search_mode').
    def setter(value):
        if value not in _SEARCH_MODES:
            raise ValueError(f"The context configuration parameter '{reported_key}' only support "
                             "'recursive_programming', 'dynamic_programming' and 'sharding_propagation', but got the "
                             f"value: {value}.")
        _context["search_mode"] = value
    return setter


def _set_full_batch(value):
    _context["full_batch"] = value
    _context["full_batch_is_set"] = True
    if isinstance(_context["dataset_strategy"], str):
        _context["dataset_strategy"] = "full_batch" if value else "data_parallel"


def _set_dataset_strategy(value):
    if isinstance(value, str):
        if value not in ("full_batch", "data_parallel"):
            raise ValueError("For 'set_auto_parallel_context', the argument 'dataset_strategy' must be 'full_batch' "
                             f"or 'data_parallel', but got the value : {value}.")
        _context["full_batch"] = value == "full_batch"
        _context["dataset_strategy"] = value
        return
    if not isinstance(value, tuple):
        raise TypeError("For 'set_auto_parallel_context', the argument 'dataset_strategy' must be str or tuple type, "
                        f"but got the type : {type(value)}.")
    for element in value:
        if not isinstance(element, tuple):
            raise TypeError("For 'set_auto_parallel_context', the element of argument 'dataset_strategy' must be "
                            f"tuple, but got the type : {type(element)} .")
        for dim in element:
            if not isinstance(dim, int):
                raise TypeError("For 'set_auto_parallel_context', the element of argument 'dataset_strategy' must "
                                f"be int type, but got the type : {type(dim)} .")
    _context["dataset_strategy"] = [list(element) for element in value]  # MindSpore returns lists


def _set_pipeline_stages(value):
    if value < 1:
        raise ValueError("For 'set_auto_parallel_context', the argument 'pipeline_stages' should be greater or equal "
                         f"1, but got the value of stages : {value}.")
    _context["pipeline_stages"] = value


def _set_grad_accumulation_step(value):
    raise ValueError("The interface is deprecated. To use gradient accumulation, please use GradAccumulationCell in "
                     "mindspore.nn.wrap.cell_wrapper.")


def _set_comm_fusion(value):
    config = copy.deepcopy(_context["comm_fusion"])
    for key, setting in value.items():
        if key not in ("openstate", "allreduce", "allgather", "reducescatter"):
            raise KeyError(f"comm fusion type must be openstate,allreduce, allgather or reducescatter, but got {key}")
        config[key] = setting
    _context["comm_fusion"] = config


def _set_strategy_ckpt_config(value):
    _context["strategy_ckpt_config"] = {**_context["strategy_ckpt_config"], **value}


def _set_pipeline_config(value):
    for key in ("pipeline_interleave", "pipeline_scheduler"):
        if key in value:
            _context[key] = value[key]


_SETTERS = {
    "device_num": _set_device_num, "global_rank": _set_global_rank, "parallel_mode": _set_parallel_mode,
    "search_mode": _search_mode_setter("auto_parallel_search_mode"),
    "auto_parallel_search_mode": _search_mode_setter("search_mode"),
    "full_batch": _set_full_batch, "dataset_strategy": _set_dataset_strategy, "pipeline_stages": _set_pipeline_stages,
    "grad_accumulation_step": _set_grad_accumulation_step, "comm_fusion": _set_comm_fusion,
    "strategy_ckpt_config": _set_strategy_ckpt_config, "pipeline_config": _set_pipeline_config,
}


def set_auto_parallel_context(**kwargs):
    for key, value in kwargs.items():
        expected = _TYPES.get(key)
        if expected is not None and value is not None and not isinstance(value, expected):
            raise TypeError(f"The parameter '{key}' must be {expected}, but got {type(value)}")
    # Applied in order: a bad key or value stops there, the ones before it stay set (as in MindSpore).
    try:
        for key, value in kwargs.items():
            if key not in _SETTERS and (key not in _context or key in _GET_ONLY):
                raise ValueError(f"Set context keyword {key} is not recognized!")
            setter = _SETTERS.get(key)
            if setter is None:
                _context[key] = value
            else:
                setter(value)
    finally:
        parallel.placement_changed()


def get_auto_parallel_context(attr_key):
    if attr_key == "auto_parallel_search_mode":
        return _context["search_mode"]
    if attr_key not in _context or attr_key in ("pipeline_segments", "group_ckpt_save_file",
                                                "parallel_optimizer_config"):
        raise ValueError(f"Get context keyword {attr_key} is not recognized!")
    return copy.deepcopy(_context[attr_key])


def reset_auto_parallel_context():
    global _device_num_is_set
    _context.clear()
    _context.update(_defaults())
    _device_num_is_set = False
    parallel.placement_changed()


def device_num_is_set() -> bool:
    """Whether ``device_num`` was set (MindSpore's reducer degree is the group size otherwise)."""
    return _device_num_is_set
