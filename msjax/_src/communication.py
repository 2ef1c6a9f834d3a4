"""``mindspore.communication``: the world of devices a data-parallel run spans.

One msjax process may drive several devices (MindSpore runs one process per device): the world group is every
device JAX sees, ``get_group_size()`` their count and ``get_rank()`` the rank of this process's first device, so a
script that shards its dataset by ``get_rank()/get_group_size()`` covers the same data as on that many MindSpore
ranks. Without a launcher ``init()`` takes all local devices (process 0 of 1). Under a multi-process launch (msjax's
``MSJAX_COORDINATOR_ADDRESS``/``MSJAX_NUM_PROCESSES``/``MSJAX_PROCESS_ID``, or msrun's ``MS_SCHED_HOST``/
``MS_SCHED_PORT``/``MS_WORKER_NUM``/``MS_NODE_ID``) the processes join one JAX cluster (``jax.distributed``) when
msjax is imported: JAX allows that only before its backend starts, and importing msjax starts it. Process 0 hosts
the coordinator at that address (msrun's separate scheduler process is not needed).
"""
from __future__ import annotations

import os

import jax

HCCL_WORLD_COMM_GROUP = "hccl_world_group"
NCCL_WORLD_COMM_GROUP = "nccl_world_group"
MCCL_WORLD_COMM_GROUP = "mccl_world_group"
_WORLD_GROUPS = {"hccl": HCCL_WORLD_COMM_GROUP, "nccl": NCCL_WORLD_COMM_GROUP, "mccl": MCCL_WORLD_COMM_GROUP}
_DEVICE_TO_BACKEND = {"Ascend": "hccl", "GPU": "nccl", "CPU": "mccl"}


class GlobalComm:
    """World communication state: ``BACKEND``, ``WORLD_COMM_GROUP``, ``INITED``, ``CHECK_ENVS``."""
    BACKEND = "hccl"
    WORLD_COMM_GROUP = HCCL_WORLD_COMM_GROUP
    INITED = False
    CHECK_ENVS = True


_joined = False  # whether this process joined a jax.distributed cluster


def _launch_environment():
    """(coordinator address, process count, process id) of a multi-process launch, or None."""
    env = os.environ
    if env.get("MSJAX_COORDINATOR_ADDRESS"):
        return (env["MSJAX_COORDINATOR_ADDRESS"], int(env.get("MSJAX_NUM_PROCESSES", "1")),
                int(env.get("MSJAX_PROCESS_ID", "0")))
    if env.get("MS_SCHED_HOST") and env.get("MS_WORKER_NUM") and env.get("MS_ROLE", "MS_WORKER") == "MS_WORKER":
        process_id = env.get("MS_NODE_ID", env.get("RANK_ID", "0"))
        return (f"{env['MS_SCHED_HOST']}:{env.get('MS_SCHED_PORT', '8118')}", int(env["MS_WORKER_NUM"]),
                int(process_id))
    return None


def join_launch():
    """Join the JAX cluster of a multi-process launch (called by ``import msjax``, before any JAX array)."""
    global _joined
    launch = _launch_environment()
    if launch is None or launch[1] < 2 or _joined:
        return
    coordinator, num_processes, process_id = launch
    # Cross-process collectives of CPU devices need an implementation chosen before the backend starts.
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(coordinator_address=coordinator, num_processes=num_processes, process_id=process_id)
    _joined = True


def init(backend_name=None):
    from .context import get_context
    device_target = get_context("device_target")
    if backend_name is None:
        # msjax also runs on TPU (no MindSpore target); its world is named like MindSpore's own library's.
        backend_name = _DEVICE_TO_BACKEND.get(device_target, "mccl")
    if not isinstance(backend_name, str):
        raise TypeError("For 'init', the argument 'backend_name' must be a string, but got the type : "
                        f"{type(backend_name)}")
    if os.environ.get("MS_ROLE") == "MS_SCHED":
        raise RuntimeError("msjax needs no scheduler process: launch only the workers (process 0 hosts the "
                           "coordinator at MS_SCHED_HOST:MS_SCHED_PORT).")
    if backend_name in ("hccl", "nccl") and _DEVICE_TO_BACKEND.get(device_target) != backend_name:
        raise RuntimeError(f"For 'init', the argument 'backend_name' should be "
                           f"'{_DEVICE_TO_BACKEND.get(device_target, 'mccl')}' to init '{device_target}', but got "
                           f"'{backend_name}'.")
    if backend_name not in _WORLD_GROUPS:
        raise RuntimeError("For 'init', the argument 'backend_name' must be one of 'hccl', 'nccl' and 'mccl', but "
                           f"got 'backend_name' : {backend_name}")
    if _launch_environment() is not None and not _joined:
        raise RuntimeError("The multi-process launch environment was set after msjax was imported: set it before "
                           "the process starts (JAX joins the cluster when msjax is imported).")
    GlobalComm.BACKEND = backend_name
    GlobalComm.WORLD_COMM_GROUP = _WORLD_GROUPS[backend_name]
    GlobalComm.INITED = True


def release():
    global _joined
    if _joined:
        jax.distributed.shutdown()
        _joined = False


def _check_group(func_name, group):
    if not isinstance(group, str):
        raise TypeError(f"For '{func_name}', the argument 'group' must be type of string, but got 'group' type : "
                        f"{type(group)}.")
    if GlobalComm.INITED and group not in (GlobalComm.WORLD_COMM_GROUP, HCCL_WORLD_COMM_GROUP):
        raise RuntimeError(f"For '{func_name}', msjax has only the world group '{GlobalComm.WORLD_COMM_GROUP}', but "
                           f"got group '{group}'.")


# Before init() MindSpore answers from the launcher's environment variables.
def get_rank(group=GlobalComm.WORLD_COMM_GROUP):
    _check_group("get_rank", group)
    if not GlobalComm.INITED:
        return int(os.environ.get("RANK_ID", "0"))
    return jax.process_index() * jax.local_device_count()


def get_group_size(group=GlobalComm.WORLD_COMM_GROUP):
    _check_group("get_group_size", group)
    if not GlobalComm.INITED:
        return int(os.environ.get("RANK_SIZE", "1"))
    return jax.device_count()


# msjax treats each process as its own node: its first device is local rank 0 of its local devices.
def get_local_rank(group=GlobalComm.WORLD_COMM_GROUP):
    _check_group("get_local_rank", group)
    if not GlobalComm.INITED:
        return int(os.environ.get("LOCAL_RANK", "0"))
    return 0


def get_local_rank_size(group=GlobalComm.WORLD_COMM_GROUP):
    _check_group("get_local_rank_size", group)
    if not GlobalComm.INITED:
        return int(os.environ.get("LOCAL_RANK_SIZE", "1"))
    return jax.local_device_count()
