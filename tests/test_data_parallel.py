"""Data parallelism on 8 virtual CPU devices: compiled steps run per device (jit.py `_per_device`).

The cases run in one subprocess (XLA's device-count flag only acts before JAX starts), which prints a JSON report
the tests assert on. Every data-parallel run is compared with a stand-alone run on the same global batches."""

import json

import numpy as np
import pytest
from _device_report import session_report

DEVICES = 8
BATCH = 16  # 2 rows per device
STEPS = 5


# --- the subprocess ------------------------------------------------------------------------------------------

def _cases():
    import jax
    import mindspore as ms
    from mindspore import nn
    from msjax._src import jit

    rng = np.random.default_rng(0)
    xs = rng.standard_normal((STEPS, BATCH, 4)).astype(np.float32)
    ys = rng.integers(0, 3, (STEPS, BATCH)).astype(np.int32)
    init = [rng.standard_normal(shape).astype(np.float32) * 0.5 for shape in ((8, 4), (8,), (3, 8), (3,))]
    report = {}

    def make_net(batchnorm):
        layers = [nn.Dense(4, 8), nn.BatchNorm1d(8, momentum=0.9), nn.ReLU(), nn.Dense(8, 3)] if batchnorm else \
            [nn.Dense(4, 8), nn.ReLU(), nn.Dense(8, 3)]
        net = nn.SequentialCell(layers)
        dense = [p for p in net.trainable_params() if "beta" not in p.name and "gamma" not in p.name]
        for param, value in zip(dense, init):
            param.set_data(ms.Tensor(value))
        return net

    def loss_fn():
        return nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")

    def snapshot(net):
        return {p.name: p.asnumpy().tolist() for p in net.get_parameters()}

    def train_cell(batchnorm, lr=0.1):
        net = make_net(batchnorm)
        step = nn.TrainOneStepCell(nn.WithLossCell(net, loss_fn()), nn.SGD(net.trainable_params(), lr))
        step.set_train()
        return net, step

    def run_cell(batchnorm, mode, lr=0.1):
        ms.set_context(mode=mode)
        net, step = train_cell(batchnorm, lr)
        before = jit.trace_count()
        losses, traces = [], []
        for i in range(STEPS):
            losses.append(float(step(ms.Tensor(xs[i]), ms.Tensor(ys[i])).asnumpy()))
            traces.append(jit.trace_count() - before)
        return {"losses": losses, "weights": snapshot(net), "traces": traces, "step": step, "net": net}

    def run_model(batchnorm):
        ms.set_context(mode=ms.PYNATIVE_MODE)
        net = make_net(batchnorm)
        model = ms.Model(net, loss_fn(), nn.SGD(net.trainable_params(), 0.1), metrics={"loss", "accuracy"})

        def dataset():
            data = {"x": xs.reshape(-1, 4), "y": ys.reshape(-1)}
            return ms.dataset.NumpySlicesDataset(data, shuffle=False).batch(BATCH)

        losses = []

        class Record(ms.train.Callback):
            def on_train_step_end(self, run_context):
                losses.append(float(run_context.original_args().net_outputs.asnumpy()))

        model.train(1, dataset(), callbacks=[Record()])
        # evaluation runs as one program: its metrics are those of the stand-alone run
        ms.set_context(mode=ms.GRAPH_MODE)
        evals = [model.eval(dataset())]
        ms.set_auto_parallel_context(parallel_mode="stand_alone")
        evals.append(model.eval(dataset()))
        ms.set_auto_parallel_context(parallel_mode="data_parallel")
        return {"losses": losses, "weights": snapshot(net), "evals": evals}

    def run_functional():
        ms.set_context(mode=ms.PYNATIVE_MODE)
        net = make_net(False)
        optimizer = nn.SGD(net.trainable_params(), 0.1)
        criterion = loss_fn()

        def forward(x, y):
            return criterion(net(x), y)

        grad_fn = ms.value_and_grad(forward, None, optimizer.parameters)
        reducer = nn.DistributedGradReducer(optimizer.parameters)
        seen = []

        @ms.jit
        def train_step(x, y):
            seen.append(tuple(x.shape))  # at trace time: the per-device batch
            loss, grads = grad_fn(x, y)
            optimizer(reducer(grads))
            return loss

        losses = [float(train_step(ms.Tensor(xs[i]), ms.Tensor(ys[i])).asnumpy()) for i in range(STEPS)]
        entry = train_step._entries and next(e for es in train_step._entries.values() if es for e in es)
        # the executable's input shardings (None: an input the program does not use, the random key)
        shardings = [(s.is_fully_replicated, len(s.device_set), list(s.shard_shape(shape)))
                     for s, shape in zip(entry.compiled.input_shardings[0], [p.shape for p in entry.params] +
                                         [(BATCH, 4), (BATCH,)]) if s is not None]
        placed = [(p._data.sharding.is_fully_replicated, len(p._data.sharding.device_set))
                  for p in net.trainable_params()]
        # a batch already sharded over the mesh (as the dataset yields it) is taken as it is
        mesh = jax.sharding.Mesh(np.array(jax.devices()), ("data",))
        sharded = jax.device_put(xs[0], jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("data")))
        labels = jax.device_put(ys[0], jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("data")))
        evaluate = ms.jit(forward)
        presharded = [float(evaluate(ms.Tensor._from_raw(sharded), ms.Tensor._from_raw(labels)).asnumpy()),
                      float(evaluate(ms.Tensor(xs[0]), ms.Tensor(ys[0])).asnumpy()), evaluate.trace_count]
        return {"losses": losses, "weights": snapshot(net), "seen": seen, "shardings": shardings,
                "placed": placed, "presharded": presharded, "traces": train_step.trace_count}

    def run_eager_loop():
        """MindSpore's PyNative data-parallel loop, nothing compiled but the optimizer's step, which takes the
        gradients whole: it runs on the global batch, the reducer outside a step being the identity."""
        ms.set_context(mode=ms.PYNATIVE_MODE)
        net = make_net(False)
        optimizer = nn.SGD(net.trainable_params(), 0.1)
        criterion = loss_fn()

        def forward(x, y):
            return criterion(net(x), y)

        grad_fn = ms.value_and_grad(forward, None, optimizer.parameters)
        reducer = nn.DistributedGradReducer(optimizer.parameters)
        losses = []
        for i in range(STEPS):
            loss, grads = grad_fn(ms.Tensor(xs[i]), ms.Tensor(ys[i]))
            optimizer(reducer(grads))
            losses.append(float(loss.asnumpy()))
        return {"losses": losses, "weights": snapshot(net)}

    def bn_reference():
        """The design's semantics for BatchNorm, one device: each device's slice has its own batch statistics, the
        gradients are averaged, the moving statistics are device 0's."""
        ms.set_context(mode=ms.PYNATIVE_MODE)
        net = make_net(True)
        optimizer = nn.SGD(net.trainable_params(), 0.1)
        loss_net = nn.WithLossCell(net, loss_fn())
        loss_net.set_train()
        grad_fn = ms.value_and_grad(loss_net, None, optimizer.parameters)
        moving = [p for p in net.get_parameters() if "moving" in p.name]
        losses = []
        per = BATCH // DEVICES
        for i in range(STEPS):
            start = [p.asnumpy() for p in moving]
            total, grads_sum, first = 0.0, None, None
            for d in range(DEVICES):
                for p, v in zip(moving, start):
                    p.set_data(ms.Tensor(v))
                loss, grads = grad_fn(ms.Tensor(xs[i, d * per:(d + 1) * per]), ms.Tensor(ys[i, d * per:(d + 1) * per]))
                total += float(loss.asnumpy())
                grads_sum = grads if grads_sum is None else tuple(a + b for a, b in zip(grads_sum, grads))
                if d == 0:
                    first = [p.asnumpy() for p in moving]
            optimizer(tuple(g / DEVICES for g in grads_sum))
            for p, v in zip(moving, first):
                p.set_data(ms.Tensor(v))
            losses.append(total / DEVICES)
        return {"losses": losses, "weights": snapshot(net)}

    def strip(run):
        return {k: v for k, v in run.items() if k not in ("step", "net")}

    # stand-alone references on the global batches
    single = run_cell(False, ms.GRAPH_MODE)
    report["single"] = strip(single)
    report["single_bn"] = strip(run_cell(True, ms.GRAPH_MODE))
    report["single_lr8"] = strip(run_cell(False, ms.GRAPH_MODE, lr=0.8))
    report["bn_reference"] = bn_reference()

    ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL, gradients_mean=True)
    for batchnorm in (False, True):
        suffix = "_bn" if batchnorm else ""
        report["graph" + suffix] = strip(run_cell(batchnorm, ms.GRAPH_MODE))
        report["pynative" + suffix] = strip(run_cell(batchnorm, ms.PYNATIVE_MODE))
        report["model" + suffix] = run_model(batchnorm)
    report["functional"] = run_functional()
    report["eager_loop"] = run_eager_loop()

    # print in a step runs once per call, on device 0 (its slice, as rank 0 prints its own batch)
    @ms.jit
    def show(x):
        print(x.sum())
        return x * 2

    print("PRINTS-BEGIN", flush=True)
    for i in range(2):
        show(ms.Tensor(np.full((BATCH,), i + 1, np.float32))).asnumpy()  # waits for the step (and its print)
    print("PRINTS-END", flush=True)

    try:
        show(ms.Tensor(np.ones((12, 2), np.float32)))
    except ValueError as error:
        report["indivisible"] = str(error)

    # the mesh is part of the cache key: stand-alone and data-parallel entries coexist, neither retraces
    switched = run_cell(False, ms.GRAPH_MODE)
    step, counts = switched["step"], []
    for mode in ("stand_alone", "data_parallel", "stand_alone", "data_parallel"):
        ms.set_auto_parallel_context(parallel_mode=mode)
        before = jit.trace_count()
        step(ms.Tensor(xs[0]), ms.Tensor(ys[0]))
        counts.append(jit.trace_count() - before)
    report["switch_traces"] = counts

    ms.set_auto_parallel_context(parallel_mode="data_parallel", gradients_mean=False)
    report["sum"] = strip(run_cell(False, ms.GRAPH_MODE))
    print("REPORT " + json.dumps(report))


# --- the tests -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return session_report(tmp_path_factory, __file__, "data_parallel_report", DEVICES)


def _assert_same(run, reference, rtol=1e-5):
    np.testing.assert_allclose(run["losses"], reference["losses"], rtol=rtol, atol=1e-6)
    assert run["weights"].keys() == reference["weights"].keys()
    for name, value in reference["weights"].items():
        np.testing.assert_allclose(run["weights"][name], value, rtol=rtol, atol=1e-6, err_msg=name)


@pytest.mark.parametrize("name", ["graph", "pynative", "model", "functional", "eager_loop"])
def test_mean_gradients_train_as_one_device(report, name):
    _assert_same(report[name], report["single"])


@pytest.mark.parametrize("name", ["graph_bn", "pynative_bn", "model_bn"])
def test_batchnorm_statistics_are_per_device(report, name):
    # each device normalizes its own 2 rows: not the global-batch run, but the per-device reference
    _assert_same(report[name], report["bn_reference"])
    assert not np.allclose(report[name]["losses"][1:], report["single_bn"]["losses"][1:], rtol=1e-3)


def test_evaluation_is_not_averaged_over_devices(report):
    for name in ("model", "model_bn"):
        parallel, single = report[name]["evals"]
        assert parallel.keys() == {"loss", "accuracy"}
        for key, value in single.items():
            assert parallel[key] == pytest.approx(value, rel=1e-5), (name, key)


def test_summed_gradients_scale_the_update_by_the_device_count(report):
    _assert_same(report["sum"], report["single_lr8"])


def test_each_device_holds_an_eighth_of_the_batch(report):
    functional = report["functional"]
    assert functional["seen"] == [[BATCH // DEVICES, 4]]
    params = functional["shardings"][:-2]
    assert params and all(replicated and devices == DEVICES for replicated, devices, _ in params)
    for replicated, devices, shard in functional["shardings"][-2:]:
        assert not replicated and devices == DEVICES and shard[0] == BATCH // DEVICES
    assert all(replicated and devices == DEVICES for replicated, devices in functional["placed"])
    sharded, plain, traces = functional["presharded"]
    assert sharded == pytest.approx(plain, rel=1e-6) and traces == 1


def test_no_retrace_per_step_and_mode_switch_recompiles_once(report):
    for name in ("graph", "pynative", "sum"):
        traces = report[name]["traces"]
        assert traces[0] >= 1 and traces[-1] == traces[0], (name, traces)
    assert report["functional"]["traces"] == 1
    # the step was compiled data-parallel: stand-alone compiles once more, then both are cached
    assert report["switch_traces"][0] >= 1 and report["switch_traces"][1:] == [0, 0, 0]


def test_print_in_a_step_prints_once_per_call(report):
    assert [line.strip() for line in report["prints"]] == ["2", "4"]  # device 0's 2 rows of ones, of twos


def test_batch_must_divide_by_the_device_count(report):
    assert "device number 8" in report["indivisible"] and "[12, 2]" in report["indivisible"]
    assert "'x'" in report["indivisible"]


if __name__ == "__main__":
    _cases()
