"""Datasets in data-parallel mode on one process driving 8 (virtual CPU) devices.

A dataset sharded by ``num_shards=get_group_size(), shard_id=get_rank()`` yields per step the 8 local ranks' batches
as one global Array sharded over the mesh: rows [i*B, (i+1)*B) are exactly shard i's batch (checked against the 8
single-shard pipelines iterated in stand-alone mode), each device holds its rank's rows, every sample is seen once
per epoch. The device-count flag only takes effect before JAX starts, hence one subprocess for all cases.
"""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent("""
    import numpy as np
    import jax
    from jax.sharding import NamedSharding, PartitionSpec

    import mindspore as ms
    import mindspore.dataset as ds
    from mindspore.communication import init, get_rank, get_group_size
    from msjax._src import parallel

    assert jax.device_count() == 8
    init()
    ds.config.set_seed(7)
    RANK, GROUP = get_rank(), get_group_size()
    assert (RANK, GROUP) == (0, 8), (RANK, GROUP)


    def double(x):
        return x * 2


    def pipeline(n, shard_id, batch=3, num_shards=GROUP, python_map=True):
        data = {"x": np.arange(n * 2, dtype=np.float32).reshape(n, 2), "y": np.arange(n, dtype=np.int32)}
        dataset = ds.NumpySlicesDataset(data, shuffle=True, num_shards=num_shards, shard_id=shard_id)
        if python_map:  # else msjax's own stages only: batches are assembled in the prefetch thread
            dataset = dataset.map(double, input_columns="x")
        return dataset.shuffle(4).batch(batch)


    def stand_alone(fn):
        ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.STAND_ALONE)
        try:
            return fn()
        finally:
            ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL)


    def shard_epochs(n, shard_id, epochs, **kwargs):  # the shard's batches, numpy, per epoch
        iterator = pipeline(n, shard_id, **kwargs).create_tuple_iterator(num_epochs=epochs, output_numpy=True)
        return [[step for step in iterator] for _ in range(epochs)]


    ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL, gradients_mean=True)
    mesh = parallel.data_parallel_mesh()
    expected_sharding = NamedSharding(mesh, PartitionSpec(parallel.AXIS))

    # 50 rows over 8 shards: 7 per shard (the last stride wraps around to pad), batches of 3, 3, 1; two epochs
    # (each reshuffles, identically on every shard).
    references = stand_alone(lambda: [shard_epochs(50, i, 2) for i in range(GROUP)])
    dataset = pipeline(50, RANK)
    assert dataset.get_dataset_size() == 3, dataset.get_dataset_size()
    assert dataset.output_shapes() == [[3, 2], [3]], dataset.output_shapes()
    iterator = dataset.create_tuple_iterator(num_epochs=2)
    for epoch in range(2):
        steps = list(iterator)
        assert len(steps) == 3
        for step, (x, y) in enumerate(steps):
            for c, column in enumerate((x, y)):
                array = column._data
                want = np.concatenate([references[i][epoch][step][c] for i in range(GROUP)])
                assert array.shape == want.shape and array.dtype == want.dtype, (array.shape, want.shape)
                np.testing.assert_array_equal(np.asarray(array), want)
                assert array.sharding.is_equivalent_to(expected_sharding, array.ndim), array.sharding
                rows = want.shape[0] // GROUP
                for shard in array.addressable_shards:
                    rank = list(mesh.devices.flat).index(shard.device)
                    np.testing.assert_array_equal(np.asarray(shard.data), references[rank][epoch][step][c])
                    assert shard.index[0] == slice(rank * rows, (rank + 1) * rows), shard.index
    print("case merged tuple iterator: ok")

    # 48 rows: every sample exactly once per epoch across the global batches; dict iterator and output_numpy.
    seen = [row for batch in pipeline(48, RANK).create_dict_iterator(num_epochs=1, output_numpy=True)
            for row in batch["y"]]
    assert sorted(seen) == list(range(48)), seen
    print("case each sample once: ok")

    # Direct iteration, as a training loop does, of a pipeline assembled in the prefetch thread.
    references = stand_alone(lambda: [shard_epochs(48, i, 1, batch=2, python_map=False) for i in range(GROUP)])
    for step, (x, y) in enumerate(pipeline(48, RANK, batch=2, python_map=False)):
        assert x.shape == (16, 2) and x._data.sharding.is_equivalent_to(expected_sharding, 2)
        for c, column in enumerate((x, y)):
            want = np.concatenate([references[i][0][step][c] for i in range(GROUP)])
            np.testing.assert_array_equal(column.asnumpy(), want)
    assert step == 2
    print("case direct iteration: ok")

    # Sharded otherwise than by the group: one shard, as in MindSpore.
    x, y = next(pipeline(48, 1, batch=2).create_tuple_iterator())
    assert x.shape == (2, 2) and not isinstance(x._data.sharding, NamedSharding)
    x, y = next(pipeline(48, RANK, batch=2, num_shards=4).create_tuple_iterator())
    assert x.shape == (2, 2)
    print("case other shards: ok")

    # Unbatched scalars cannot be split over the devices.
    scalars = ds.NumpySlicesDataset(np.arange(16), shuffle=False, num_shards=GROUP, shard_id=RANK)
    try:
        next(scalars.create_tuple_iterator())
        raise AssertionError("no error")
    except RuntimeError as error:
        assert "0-d values" in str(error), error
    print("case scalars: ok")

    # Stand-alone: the shard of shard_id only, unchanged.
    def first_stand_alone():
        return [column.asnumpy() for column in next(pipeline(50, RANK).create_tuple_iterator())]
    x, y = stand_alone(first_stand_alone)
    assert x.shape == (3, 2)
    np.testing.assert_array_equal(y, stand_alone(lambda: shard_epochs(50, RANK, 1))[0][0][1])
    print("case stand-alone: ok")
""")

CASES = ["merged tuple iterator", "each sample once", "direct iteration", "other shards", "scalars", "stand-alone"]


def test_sharded_datasets_on_8_devices(tmp_path):
    script = tmp_path / "sharded_datasets.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=8", JAX_PLATFORMS="cpu")
    result = subprocess.run([sys.executable, "-m", "msjax", str(script)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    for case in CASES:
        assert f"case {case}: ok" in result.stdout, result.stdout
