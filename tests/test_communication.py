"""Auto-parallel context, ``mindspore.communication`` and ``nn.DistributedGradReducer`` (MindSpore 2.10 probed:
values and messages below are real MindSpore's). Multi-device runs happen in subprocesses: JAX's virtual CPU device
count and a multi-process cluster must be set before JAX starts."""
import os
import socket
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import msjax as ms
from msjax import communication, context, nn
from msjax._src import parallel
from msjax.context import ParallelMode


@pytest.fixture(autouse=True)
def _reset():
    ms.reset_auto_parallel_context()
    yield
    ms.reset_auto_parallel_context()


def test_defaults_and_set_get():
    assert ms.get_auto_parallel_context("parallel_mode") == "stand_alone"
    assert ms.get_auto_parallel_context("device_num") == 1
    assert ms.get_auto_parallel_context("global_rank") == 0
    assert ms.get_auto_parallel_context("gradients_mean") is False
    assert ms.get_auto_parallel_context("search_mode") == "recursive_programming"
    assert ms.get_auto_parallel_context("dataset_strategy") == "data_parallel"
    assert ms.get_auto_parallel_context("optimizer_weight_shard_size") == -1
    assert ms.get_auto_parallel_context("strategy_ckpt_config") == {"load_file": "", "save_file": "",
                                                                    "only_trainable_params": True}
    assert context.set_auto_parallel_context is ms.set_auto_parallel_context
    ms.set_auto_parallel_context(parallel_mode=ParallelMode.DATA_PARALLEL, gradients_mean=True, device_num=8)
    assert context.get_auto_parallel_context("parallel_mode") == "data_parallel"
    assert ms.get_auto_parallel_context("gradients_mean") is True
    assert ms.get_auto_parallel_context("device_num") == 8
    ms.set_auto_parallel_context(full_batch=True)
    assert ms.get_auto_parallel_context("dataset_strategy") == "full_batch"
    assert ms.get_auto_parallel_context("full_batch_is_set") is True
    ms.set_auto_parallel_context(dataset_strategy=((1, 2), (2,)))
    assert ms.get_auto_parallel_context("dataset_strategy") == [[1, 2], [2]]
    ms.set_auto_parallel_context(dataset_strategy="data_parallel")
    assert ms.get_auto_parallel_context("full_batch") is False
    context.reset_auto_parallel_context()
    assert ms.get_auto_parallel_context("parallel_mode") == "stand_alone"
    assert ms.get_auto_parallel_context("device_num") == 1
    assert ParallelMode.MODE_LIST == ["stand_alone", "data_parallel", "hybrid_parallel", "semi_auto_parallel",
                                      "auto_parallel"]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"nope": 1}, ValueError, "Set context keyword nope is not recognized!"),
    ({"device_num": 0}, ValueError, "The context configuration parameter 'device_num' must be a positive integer, "
                                    "but got the value of device_num : 0."),
    ({"device_num": 1.0}, TypeError, "The parameter 'device_num' must be <class 'int'>, but got <class 'float'>"),
    ({"global_rank": 4096}, ValueError, "The context configuration parameter 'global_rank' must be in [0, 4095], "
                                        "but got the value of global_rank : 4096."),
    ({"gradients_mean": 1}, TypeError, "The parameter 'gradients_mean' must be <class 'bool'>, but got <class "
                                       "'int'>"),
    ({"parallel_mode": "DATA_PARALLEL"}, ValueError,
     "The context configuration parameter 'parallel_mode' only support 'stand_alone', 'data_parallel', "
     "'hybrid_parallel', 'semi_auto_parallel' and 'auto_parallel', but got the value : DATA_PARALLEL."),
    ({"search_mode": "x"}, ValueError, "The context configuration parameter 'auto_parallel_search_mode' only "
     "support 'recursive_programming', 'dynamic_programming' and 'sharding_propagation', but got the value: x."),
    ({"dataset_strategy": "x"}, ValueError, "For 'set_auto_parallel_context', the argument 'dataset_strategy' must "
                                            "be 'full_batch' or 'data_parallel', but got the value : x."),
    ({"dataset_strategy": ((1.0,),)}, TypeError, "For 'set_auto_parallel_context', the element of argument "
     "'dataset_strategy' must be int type, but got the type : <class 'float'> ."),
    ({"all_reduce_fusion_config": (1,)}, TypeError, "The parameter 'all_reduce_fusion_config' must be <class "
                                                    "'list'>, but got <class 'tuple'>"),
    ({"pipeline_stages": 0}, ValueError, "For 'set_auto_parallel_context', the argument 'pipeline_stages' should "
                                         "be greater or equal 1, but got the value of stages : 0."),
    ({"grad_accumulation_step": 2}, ValueError, "The interface is deprecated. To use gradient accumulation, please "
                                                "use GradAccumulationCell in mindspore.nn.wrap.cell_wrapper."),
])
def test_set_errors(kwargs, error, message):
    with pytest.raises(error) as info:
        ms.set_auto_parallel_context(**kwargs)
    assert str(info.value) == message


def test_keys_apply_in_order_and_get_error():
    with pytest.raises(ValueError, match="Set context keyword nope"):
        ms.set_auto_parallel_context(device_num=8, nope=3)
    assert ms.get_auto_parallel_context("device_num") == 8  # set before the bad key, as in MindSpore
    with pytest.raises(ValueError, match="^Get context keyword nope is not recognized!$"):
        ms.get_auto_parallel_context("nope")


def test_communication_before_init_and_errors(monkeypatch):
    assert communication.GlobalComm.WORLD_COMM_GROUP == "hccl_world_group"
    assert communication.GlobalComm.BACKEND == "hccl" and communication.GlobalComm.INITED is False
    assert (communication.HCCL_WORLD_COMM_GROUP, communication.NCCL_WORLD_COMM_GROUP,
            communication.MCCL_WORLD_COMM_GROUP) == ("hccl_world_group", "nccl_world_group", "mccl_world_group")
    assert (communication.get_rank(), communication.get_group_size(), communication.get_local_rank(),
            communication.get_local_rank_size()) == (0, 1, 0, 1)
    monkeypatch.setenv("RANK_ID", "3")
    monkeypatch.setenv("RANK_SIZE", "4")
    assert (communication.get_rank(), communication.get_group_size()) == (3, 4)  # the launcher's variables
    with pytest.raises(TypeError, match=r"^For 'get_rank', the argument 'group' must be type of string, but got "
                                        r"'group' type : <class 'int'>\.$"):
        communication.get_rank(group=1)
    with pytest.raises(TypeError, match="^For 'init', the argument 'backend_name' must be a string"):
        communication.init(backend_name=1)
    with pytest.raises(RuntimeError, match="^For 'init', the argument 'backend_name' should be 'mccl' to init 'CPU', "
                                           "but got 'nccl'.$"):
        communication.init("nccl")
    with pytest.raises(RuntimeError, match="must be one of 'hccl', 'nccl' and 'mccl', but got 'backend_name' : xyz"):
        communication.init("xyz")
    assert communication.GlobalComm.INITED is False


def test_launch_environment(monkeypatch):
    from msjax._src.communication import _launch_environment
    for name in ("MSJAX_COORDINATOR_ADDRESS", "MS_SCHED_HOST", "MS_ROLE", "MS_NODE_ID", "RANK_ID"):
        monkeypatch.delenv(name, raising=False)
    assert _launch_environment() is None
    # msrun's worker variables (its scheduler process is not needed: process 0 hosts the coordinator)
    monkeypatch.setenv("MS_SCHED_HOST", "10.0.0.1")
    monkeypatch.setenv("MS_SCHED_PORT", "8119")
    monkeypatch.setenv("MS_WORKER_NUM", "4")
    monkeypatch.setenv("MS_ROLE", "MS_WORKER")
    monkeypatch.setenv("MS_NODE_ID", "2")
    assert _launch_environment() == ("10.0.0.1:8119", 4, 2)
    monkeypatch.setenv("MS_ROLE", "MS_SCHED")
    assert _launch_environment() is None
    with pytest.raises(RuntimeError, match="msjax needs no scheduler process"):
        communication.init()
    monkeypatch.setenv("MSJAX_COORDINATOR_ADDRESS", "localhost:1234")
    monkeypatch.setenv("MSJAX_NUM_PROCESSES", "2")
    monkeypatch.setenv("MSJAX_PROCESS_ID", "1")
    assert _launch_environment() == ("localhost:1234", 2, 1)


def _train_cell():
    net = nn.Dense(2, 1)
    return nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), nn.SGD(net.trainable_params(), 0.1)), net


def test_train_cell_reducer_and_reducer_outside_a_replica():
    cell, _ = _train_cell()
    assert type(cell.grad_reducer).__name__ == "Identity" and cell.reducer_flag is False
    ms.set_auto_parallel_context(parallel_mode="data_parallel", gradients_mean=True)
    cell, net = _train_cell()
    assert isinstance(cell.grad_reducer, nn.DistributedGradReducer) and cell.reducer_flag is True
    assert cell.grad_reducer.mean is True
    assert nn.DistributedGradReducer(net.trainable_params()).mean is True  # mean=None: gradients_mean
    assert nn.DistributedGradReducer(net.trainable_params(), mean=False).mean is False
    with pytest.raises(ValueError, match=r"^For 'DistributedGradReducer', parameter 'degree' in "
                                         r"DistributedGradReducer should large than 0 and be int, degree: 0\.$"):
        nn.DistributedGradReducer(net.trainable_params(), degree=0)
    grads = (ms.Tensor(np.ones((1, 2), np.float32)), ms.Tensor(np.ones((1,), np.float16)))
    out = cell.grad_reducer(grads)  # no data-parallel step runs: one device, the identity
    assert [g.dtype for g in out] == [ms.float32, ms.float16]
    np.testing.assert_array_equal(out[0].asnumpy(), grads[0].asnumpy())
    assert not parallel.in_replica() and parallel.data_parallel_mesh() is None  # a single device here


_ENV = {"JAX_PLATFORMS": "cpu"}

# A linear model trained 2 steps on 16 rows: stand-alone, then data parallel over every device (mean and sum).
_TRAIN = textwrap.dedent("""
    import numpy as np
    import mindspore as ms
    from mindspore import nn
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 3)).astype(np.float32)
    y = rng.standard_normal((16, 1)).astype(np.float32)
    w0 = rng.standard_normal((1, 3)).astype(np.float32)

    def train(mode, mean, lr):
        ms.reset_auto_parallel_context()
        ms.set_auto_parallel_context(parallel_mode=mode, gradients_mean=mean)
        net = nn.Dense(3, 1, weight_init=ms.Tensor(w0), bias_init="zeros")
        step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), nn.SGD(net.trainable_params(), lr))
        losses = [float(step(ms.Tensor(x), ms.Tensor(y)).asnumpy()) for _ in range(2)]
        return type(step.grad_reducer).__name__, losses, net.weight.asnumpy().ravel().tolist()
""")


def _start(tmp_path, name, code, env):
    script = tmp_path / name
    script.write_text(code)
    return subprocess.Popen([sys.executable, "-m", "msjax", str(script)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, **_ENV, **env})


def _outputs(processes, timeout=50):
    """The ``label: value`` lines of each process; all of them are killed by the deadline if still running."""
    deadline = time.monotonic() + timeout
    outs = []
    try:
        for process in processes:
            out, _ = process.communicate(timeout=max(deadline - time.monotonic(), 0.1))
            assert process.returncode == 0, out[-3000:]
            outs.append(dict(line.split(": ", 1) for line in out.splitlines() if ": " in line and line[0].isalpha()))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    return outs


def test_eight_devices_in_one_process(tmp_path):
    code = _TRAIN + textwrap.dedent("""
        from mindspore.communication import init, get_rank, get_group_size, get_local_rank_size, GlobalComm
        print("before:", get_rank(), get_group_size(), GlobalComm.INITED)
        init()
        print("after:", get_rank(), get_group_size(), get_local_rank_size(), GlobalComm.INITED, GlobalComm.BACKEND,
              GlobalComm.WORLD_COMM_GROUP)
        print("alone:", train("stand_alone", False, 0.1))
        print("alone8:", train("stand_alone", False, 0.8))
        print("mean:", train("data_parallel", True, 0.1))
        print("sum:", train("data_parallel", False, 0.1))
    """)
    out, = _outputs([_start(tmp_path, "dp8.py", code, {"XLA_FLAGS": "--xla_force_host_platform_device_count=8"})])
    assert out["before"] == "0 1 False"
    assert out["after"] == "0 8 8 True mccl mccl_world_group"
    alone, alone8, mean, summed = (eval(out[key]) for key in ("alone", "alone8", "mean", "sum"))
    assert alone[0] == "Identity" and mean[0] == summed[0] == "DistributedGradReducer"
    # gradients_mean: the 8 devices' mean gradient is the full batch's; the sum is 8 times it (lr * 8 alone)
    np.testing.assert_allclose(mean[1] + mean[2], alone[1] + alone[2], rtol=1e-5)
    np.testing.assert_allclose(summed[1] + summed[2], alone8[1] + alone8[2], rtol=1e-5)


def test_two_processes_with_jax_distributed(tmp_path):
    """Two processes with 2 CPU devices each join one cluster on localhost: a world of 4 devices."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = _TRAIN + textwrap.dedent("""
        import jax
        from mindspore.communication import init, get_rank, get_group_size, release
        from msjax._src import parallel
        from msjax._src.tensor import Tensor, wrap
        init()
        print("world:", get_rank(), get_group_size(), jax.process_count())
        # the reducer across processes: device d holds d // 2 + 1 (its process's id + 1)
        ms.set_auto_parallel_context(parallel_mode="data_parallel")
        mesh = parallel.data_parallel_mesh()
        sharding = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec(parallel.AXIS))
        local = np.full((2, 1), jax.process_index() + 1.0, np.float32)
        values = jax.make_array_from_process_local_data(sharding, local)
        def reduce(mean, block):
            with parallel.replica_scope():
                return nn.DistributedGradReducer([], mean=mean)((wrap(block),))[0]._data
        for mean in (False, True):
            fn = jax.shard_map(lambda block: reduce(mean, block), mesh=mesh, in_specs=sharding.spec,
                               out_specs=sharding.spec)
            out = jax.jit(fn)(values)
            print("mean:" if mean else "sum:", [float(s.data[0, 0]) for s in out.addressable_shards], flush=True)
        # every process feeds the same 16 rows: the data-parallel step equals the stand-alone one
        print("alone:", train("stand_alone", False, 0.1))
        print("dp:", train("data_parallel", True, 0.1))
        release()
    """)
    env = {"XLA_FLAGS": "--xla_force_host_platform_device_count=2", "MSJAX_COORDINATOR_ADDRESS": f"127.0.0.1:{port}",
           "MSJAX_NUM_PROCESSES": "2"}
    outs = _outputs([_start(tmp_path, f"worker{i}.py", code, {**env, "MSJAX_PROCESS_ID": str(i)}) for i in range(2)])
    for process_id, out in enumerate(outs):
        assert out["world"] == f"{2 * process_id} 4 2"
        assert eval(out["sum"]) == [6.0, 6.0] and eval(out["mean"]) == [1.5, 1.5]
        alone, dp = eval(out["alone"]), eval(out["dp"])
        np.testing.assert_allclose(dp[1] + dp[2], alone[1] + alone[2], rtol=1e-5)
