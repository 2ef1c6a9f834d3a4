"""Semi-auto parallel: sharding strategies (``Primitive.shard``, ``Cell.shard``, ``mindspore.parallel.shard``) as
sharding constraints in a step compiled as one program over 8 virtual CPU devices (shard_strategy.py, jit.py
`_whole_program`).

The multi-device cases run in one subprocess (XLA's device-count flag only acts before JAX starts) that prints a
JSON report; every semi-auto run is compared with the stand-alone run of the same program. The checks MindSpore makes
when ``shard`` is called are tested in-process (one device)."""

import json

import numpy as np
import pytest
from _device_report import session_report

import msjax as ms
from msjax import nn, ops
from msjax._src import shard_strategy

DEVICES = 8
STEPS = 5


# --- the subprocess ------------------------------------------------------------------------------------------

def _cases():
    import jax
    import mindspore as ms
    from mindspore import Parameter, Tensor, nn, ops
    from mindspore.communication import init
    from msjax._src import parallel, shard_strategy

    init()
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((STEPS, 16, 8)).astype(np.float32)
    ys = rng.standard_normal((STEPS, 16, 4)).astype(np.float32)
    w1 = rng.standard_normal((8, 16)).astype(np.float32) * 0.3
    w2 = rng.standard_normal((16, 4)).astype(np.float32) * 0.3
    report = {}

    # Each constrained input reports the shape of its shard as XLA placed it (compile time).
    seen = []
    constrain = shard_strategy.constrain

    def inspecting(name, strategy, args):
        args = constrain(name, strategy, args)
        for index, arg in enumerate(a for a in args if isinstance(a, jax.Array)):
            def record(sharding, name=name, index=index, shape=arg.shape):
                seen.append((name, index, tuple(sharding.shard_shape(shape))))
            jax.debug.inspect_array_sharding(arg, callback=record)
        return args

    shard_strategy.constrain = inspecting

    class MatMulNet(nn.Cell):
        def __init__(self, strategies):
            super().__init__()
            self.w1 = Parameter(Tensor(w1), name="w1")
            self.w2 = Parameter(Tensor(w2), name="w2")
            self.mm1 = ops.MatMul().shard(strategies[0])
            self.relu = ops.ReLU().shard(strategies[1])
            self.mm2 = ops.MatMul().shard(strategies[2], *strategies[3:])

        def construct(self, x):
            return self.mm2(self.relu(self.mm1(x, self.w1)), self.w2)

    def scaled_add(x, y):
        return x * 0.5 + y

    class Block(nn.Cell):
        def __init__(self):
            super().__init__()
            self.d1 = nn.Dense(8, 16)
            self.d2 = nn.Dense(16, 4)
            self.add = ms.shard(scaled_add, in_strategy=((4, 2), (4, 2)))

        def construct(self, x):
            h = ops.relu(self.d1(x))
            print("sum", h.sum() * 0)
            return self.add(self.d2(h), x[:, :4])

    good = (((2, 1), (1, 4)), ((2, 4),), ((2, 4), (4, 1)))

    def snapshot(net):
        return {p.name: p.asnumpy().tolist() for p in net.trainable_params()}

    def train(mode, make, graph=True, full_batch=False, steps=STEPS, **settings):
        ms.reset_auto_parallel_context()
        ms.set_auto_parallel_context(parallel_mode=mode, full_batch=full_batch, **settings)
        ms.set_context(mode=ms.GRAPH_MODE if graph else ms.PYNATIVE_MODE)
        net = make()
        step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), nn.SGD(net.trainable_params(), 0.1))
        del seen[:]
        losses = [float(step(Tensor(xs[i]), Tensor(ys[i])).asnumpy()) for i in range(steps)]
        result = {"losses": losses, "weights": snapshot(net), "seen": sorted(map(list, set(map(tuple, seen))))}
        if graph and mode != "stand_alone" and mode != "data_parallel":
            entries = [e for es in step.__dict__["_msjax_compiled"]._entries.values() for e in es]
            shardings = entries[0].compiled.executable.input_shardings[0]
            result["inputs"] = [list(s.shard_shape(a.shape)) for s, a in zip(shardings[-2:], (xs[0], ys[0]))]
            result["params"] = [s.is_fully_replicated for s in shardings[:-2] if s is not None]
            result["after"] = [p._value.sharding.is_fully_replicated for p in net.trainable_params()]
        return result

    def block():
        net = Block()
        init_rng = np.random.default_rng(1)
        for param in net.trainable_params():
            param.set_data(Tensor(init_rng.standard_normal(param.shape).astype(np.float32) * 0.3))
        return net

    def sharded_block():
        net = block()
        net.d2.shard(((2, 4),))
        return net

    report["single"] = train("stand_alone", lambda: MatMulNet(good))
    report["prim"] = train("semi_auto_parallel", lambda: MatMulNet(good))
    report["auto"] = train("auto_parallel", lambda: MatMulNet(good))
    report["full_batch"] = train("semi_auto_parallel", lambda: MatMulNet(good), full_batch=True, steps=1)
    report["dataset_strategy"] = train("semi_auto_parallel", lambda: MatMulNet(good),
                                       dataset_strategy=((4, 1), (2, 2)))
    report["pynative"] = train("semi_auto_parallel", lambda: MatMulNet(good), graph=False)
    # strategies are ignored outside semi-auto modes, even invalid ones (as in MindSpore)
    bad = (((3, 1, 1),), ((5,),), ((1,),))
    report["ignored"] = train("data_parallel", lambda: MatMulNet(bad), steps=1)
    report["cell_single"] = train("stand_alone", block)
    print("PRINTS-BEGIN")
    report["cell"] = train("semi_auto_parallel", sharded_block)
    print("PRINTS-END", flush=True)
    ms.set_auto_parallel_context(parallel_mode="data_parallel")
    report["mesh_cached"] = parallel.data_parallel_mesh() is parallel.data_parallel_mesh() is not None

    errors = {
        "rank": (((2, 1, 1), (1, 4)), ((2, 4),), ((2, 4), (4, 1))),
        "indivisible_dim": (((3, 1), (1, 4)), ((2, 4),), ((2, 4), (4, 1))),
        "devices": (((2, 1), (1, 16)), ((2, 4),), ((2, 4), (4, 1))),
        "count": (((2, 1),), ((2, 4),), ((2, 4), (4, 1))),
        "zero": (((0, 1), (1, 4)), ((2, 4),), ((2, 4), (4, 1))),
        "out_strategy": (((2, 1), (1, 4)), ((2, 4),), ((2, 4), (4, 1)), ((8, 1),)),
    }
    for name, strategies in errors.items():
        try:
            train("semi_auto_parallel", lambda: MatMulNet(strategies), steps=1)
            report["error_" + name] = None
        except Exception as error:  # noqa: BLE001 (the test asserts the type)
            report["error_" + name] = [type(error).__name__, str(error)]

    def planned():
        net = block()
        net.d2.shard(((2, 4),), parameter_plan={"d2.weight": (4, 1)})
        return net

    try:
        train("semi_auto_parallel", lambda: MatMulNet(good), steps=1, dataset_strategy=((4, 1),))
        report["error_dataset_strategy"] = None
    except RuntimeError as error:
        report["error_dataset_strategy"] = str(error)
    try:
        train("semi_auto_parallel", planned, steps=1)
        report["error_parameter_plan"] = None
    except NotImplementedError as error:
        report["error_parameter_plan"] = str(error)
    ms.reset_auto_parallel_context()
    ms.set_auto_parallel_context(parallel_mode="semi_auto_parallel")
    net = MatMulNet(good)
    try:
        ms.set_context(mode=ms.GRAPH_MODE)
        net(Tensor(xs[0][:12]))
        report["error_batch"] = None
    except ValueError as error:
        report["error_batch"] = str(error)
    print("REPORT " + json.dumps(report))


# --- the tests -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return session_report(tmp_path_factory, __file__, "semi_auto_report", DEVICES)


def _assert_same(run, reference, rtol=1e-5):
    np.testing.assert_allclose(run["losses"], reference["losses"][:len(run["losses"])], rtol=rtol, atol=1e-6)
    if len(run["losses"]) == len(reference["losses"]):
        assert run["weights"].keys() == reference["weights"].keys()
        for name, value in reference["weights"].items():
            np.testing.assert_allclose(run["weights"][name], value, rtol=rtol, atol=1e-6, err_msg=name)


@pytest.mark.parametrize("name", ["prim", "auto", "full_batch", "dataset_strategy", "pynative", "ignored"])
def test_primitive_strategies_train_as_stand_alone(report, name):
    _assert_same(report[name], report["single"])


def test_cell_and_function_strategies_train_as_stand_alone(report):
    _assert_same(report["cell"], report["cell_single"])


def test_compiled_step_uses_the_strategies_layouts(report):
    # x (16, 8) split (2, 1), w1 (8, 16) split (1, 4), ...: each input's shard shape as XLA placed it
    expected = [["MatMul", 0, [8, 8]], ["MatMul", 1, [8, 4]], ["ReLU", 0, [8, 4]], ["MatMul", 0, [8, 4]],
                ["MatMul", 1, [4, 4]]]
    for name in ("prim", "auto"):
        assert sorted(report[name]["seen"]) == sorted(expected), name
        assert report[name]["inputs"] == [[2, 8], [2, 4]]  # the batch split over the 8 devices
        assert all(report[name]["params"]) and all(report[name]["after"])  # Parameters replicated
    assert report["full_batch"]["inputs"] == [[16, 8], [16, 4]]
    assert report["dataset_strategy"]["inputs"] == [[4, 8], [8, 2]]  # dataset_strategy=((4, 1), (2, 2))
    # Cell.shard on the Dense (its input (16, 16) split (2, 4)) and ms.shard on a function
    assert sorted(report["cell"]["seen"]) == [["Dense", 0, [8, 4]], ["scaled_add", 0, [4, 2]],
                                              ["scaled_add", 1, [4, 2]]]
    # stand-alone, data-parallel and PyNative (uncompiled) runs apply no strategy
    for name in ("single", "ignored", "pynative", "cell_single"):
        assert report[name]["seen"] == []


def test_print_runs_once_per_step(report):
    assert report["prints"] == ["sum", "0"] * STEPS


def test_data_parallel_mesh_is_cached(report):
    assert report["mesh_cached"]


@pytest.mark.parametrize("name, pieces", [
    ("rank", ["'MatMul'", "((2, 1, 1), (1, 4))", "input 0 (2, 1, 1) has 3 dimensions", "[16, 8] has 2"]),
    ("indivisible_dim", ["dimension 0 of input 0 (shape [16, 8]) cannot be divisible by the strategy value 3"]),
    ("devices", ["input 1 (1, 16) uses 16 devices, which does not divide the device number 8"]),
    ("count", ["((2, 1),) has 1 strategies, but the number of its Tensor inputs is 2"]),
    ("zero", ["must be a positive integer, but got 0"]),
])
def test_invalid_strategies_raise_when_compiled(report, name, pieces):
    kind, message = report["error_" + name]
    assert kind == "RuntimeError"
    for piece in pieces:
        assert piece in message


def test_what_does_not_map_raises_not_implemented(report):
    kind, message = report["error_out_strategy"]
    assert kind == "NotImplementedError" and "out_strategy ((8, 1),) of 'MatMul'" in message
    assert "parameter_plan {'d2.weight': (4, 1)} of 'Dense'" in report["error_parameter_plan"]
    with pytest.raises(NotImplementedError, match=r"mindspore.parallel.Layout \(device_matrix=\(2, 4\)"):
        ms.parallel.Layout((2, 4), ("dp", "mp"))


def test_dataset_strategy_needs_one_strategy_per_input(report):
    assert report["error_dataset_strategy"] == ("The dataset_strategy ((4, 1),) has 1 strategies, but the step has 2 "
                                                "Tensor inputs (inputs[0], inputs[1]).")


def test_batch_must_divide_by_the_device_number(report):
    assert report["error_batch"] == ("For semi auto parallel with full_batch=False, the first dimension of every "
                                     "input Tensor must be divisible by the device number 8, but got input 'x' "
                                     "with shape [12, 8].")


# --- in-process: the checks made when shard is called (one device) --------------------------------------------

@pytest.mark.parametrize("args, kind, message", [
    (([[2, 1], [1, 4]],), TypeError, "in_strategy must be tuple type, but got:<class 'list'>"),
    (((2, 1),), TypeError, "The element of strategy must be tuple/Layout type, but got:<class 'int'>"),
    ((([2, 1], (1, 4)),), TypeError, "The element of strategy must be tuple/Layout type, but got:<class 'list'>"),
    ((((2.0, 1), (1, 4)),), TypeError, "The in_strategy: ((2.0, 1), (1, 4)) of MatMul is not valid, the value of "
                                       "strategy must be int type, but got:<class 'float'>"),
    ((None, ((2, 1),)), ValueError, "The out_strategy of MatMul is ((2, 1),), need to set in_strategy, but got none"),
    ((((2, 1), (1, 4)), [2]), TypeError, "out_strategy must be tuple type, but got:<class 'list'>"),
])
def test_primitive_shard_checks(args, kind, message):
    with pytest.raises(kind) as info:
        ops.MatMul().shard(*args)
    assert str(info.value) == message


def test_primitive_shard_records_strategies():
    assert repr(ops.MatMul().shard(((2, 1), (1, 4)))) == \
        "Prim[MatMul]<transpose_a=False, transpose_b=False, in_strategy=((2, 1), (1, 4))>"
    assert repr(ops.MatMul().shard(((2, 1), (1, 4)), ((2, 4),))) == \
        "Prim[MatMul]<transpose_a=False, transpose_b=False, in_strategy=((2, 1), (1, 4)), out_strategy=((2, 4),)>"
    assert ops.MatMul().shard(()).attrs == {"transpose_a": False, "transpose_b": False, "in_strategy": ()}
    assert ops.MatMul().shard().attrs == {"transpose_a": False, "transpose_b": False}
    with pytest.raises(TypeError, match="unexpected keyword argument 'parameter_plan'"):
        ops.MatMul().shard(((2, 1), (1, 4)), parameter_plan=None)


def test_strategies_are_ignored_on_one_device():
    # MindSpore: Cell.shard and shard(fn) do nothing (no checks) when the group size is 1; a strategy that could
    # not apply (wrong rank) is ignored by a stand-alone run
    cell = nn.Dense(2, 2)
    assert cell.shard([1]) is None and "_shard_hook" not in cell.__dict__
    assert ms.shard(print, [2]) is print and ms.parallel.shard is ms.shard
    mm = ops.MatMul().shard(((3, 1, 1), (5,)))
    x = ms.Tensor(np.ones((2, 3), np.float32))
    w = ms.Tensor(np.ones((3, 4), np.float32))
    np.testing.assert_allclose(mm(x, w).asnumpy(), np.full((2, 4), 3.0))
    mm_jit = ms.jit(mm)
    np.testing.assert_allclose(mm_jit(x, w).asnumpy(), np.full((2, 4), 3.0))


@pytest.mark.parametrize("args, message", [
    (([1],), "For 'Shard', the 'in_strategy' should be a tuple, but got list."),
    ((((2, 1), None),), "The 'in_strategy' should be a tuple(tuple(int)) or tuple(mindspore.parallel.Layout), but "
                        "got NoneType"),
    ((((2.5, 1),),), "The tuple strategy for each dimension should be tuple(int)."),
    (((),), "For 'Shard', the strategy can only pass in consistent type for all dimensions."),
    ((((2, 1),), [1]), "For 'Shard', the 'out_strategy' should be None or tuple, but got list."),
    ((((2, 1),), None, [1]), "For 'Shard', the 'parameter_plan' should be a dict or None, but got list"),
    ((((2, 1),), None, {"w": [1]}), "For 'Shard', the type of each key and value in 'parameter_plan' must be str and "
                                    "tuple/Layout, but got str and list"),
])
def test_cell_and_function_shard_checks(args, message):
    # the checks mindspore.parallel.shard and Cell.shard make with several devices (MindSpore's own messages)
    with pytest.raises(TypeError) as info:
        shard_strategy.check_shard_arguments(*(args + (None,) * (3 - len(args))))
    assert str(info.value) == message


if __name__ == "__main__":
    _cases()
