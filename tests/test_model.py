"""mindspore.train.Model: the networks it builds, train/fit/eval/predict loops, one compile per input shape in
GRAPH_MODE, the callback protocol's state, and MindSpore's argument errors (messages from MindSpore 2.10)."""
import numpy as np
import pytest

import msjax as ms
from msjax import Tensor, amp, nn
from msjax.train import Accuracy, Callback, History, Loss, Model

from training_standins import Linear, ListDataset, classification_data, cross_entropy, sgd


@pytest.fixture(autouse=True)
def pynative():
    ms.set_context(mode=ms.PYNATIVE_MODE)
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


def make(batch_size=4, samples=10, metrics=None):
    x, y = classification_data(samples)
    net = Linear()
    model = Model(net, cross_entropy(), sgd(net.trainable_params()), metrics=metrics)
    return model, net, ListDataset([x, y], batch_size)


class Recorder(Callback):
    def __init__(self):
        self.losses = []
        self.events = []

    def on_train_step_end(self, run_context):
        self.losses.append(float(run_context.original_args().net_outputs.asnumpy()))


def test_networks_built_as_in_mindspore():
    model, net, _ = make(metrics={"acc"})
    assert type(model.train_network) is nn.TrainOneStepCell and type(model.eval_network) is nn.WithEvalCell
    assert model.predict_network is net and net.training  # the train network is set to training on construction
    net2 = Linear()
    assert type(Model(net2, cross_entropy()).train_network) is nn.WithLossCell
    assert Model(net2).train_network is net2
    assert type(Model(nn.WithLossCell(net2, cross_entropy()), optimizer=sgd(net2.trainable_params()))
                .train_network) is nn.TrainOneStepCell
    assert ms.Model is Model is ms.train.model.Model


@pytest.mark.parametrize("mode", [ms.PYNATIVE_MODE, ms.GRAPH_MODE])
def test_train_matches_a_manual_loop(mode):
    ms.set_context(mode=mode)
    model, _, dataset = make()
    recorder = Recorder()
    model.train(2, dataset, callbacks=recorder)

    x, y = classification_data()
    net = Linear()
    step = nn.TrainOneStepCell(nn.WithLossCell(net, cross_entropy()), sgd(net.trainable_params()))
    step.set_train()
    expected = [float(step(Tensor(x[i:i + 4]), Tensor(y[i:i + 4])).asnumpy()) for _ in range(2) for i in (0, 4, 8)]
    np.testing.assert_allclose(recorder.losses, expected, rtol=1e-6)
    assert expected[-1] < expected[0]
    assert dataset.iterators[0].num_epochs == 2 and dataset.iterators[0].epochs == 2  # one iterator, one pass/epoch


def test_graph_mode_compiles_each_step_once_per_input_shape():
    ms.set_context(mode=ms.GRAPH_MODE)
    model, _, dataset = make(metrics={"acc"})
    before = ms.trace_count()
    model.train(3, dataset)  # batches of 4, 4 and 2 rows: two signatures
    assert ms.trace_count() - before == 2
    model.train(1, dataset)
    assert ms.trace_count() - before == 2


def test_graph_mode_trains_a_real_pipeline_with_one_trace():
    """A MindSpore dataset pipeline feeding a BatchNorm network: every batch reaches the one compiled step, the
    moving statistics and the optimizer state are written back each step, the loss falls."""
    ms.set_context(mode=ms.GRAPH_MODE)
    x, y = classification_data(samples=64)
    dataset = ms.dataset.NumpySlicesDataset({"x": x, "y": y}, shuffle=False).batch(16, drop_remainder=True)
    net = nn.SequentialCell(nn.Dense(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dense(8, 3))
    optimizer = nn.Momentum(net.trainable_params(), 0.1, 0.9)
    model = Model(net, cross_entropy(), optimizer)
    recorder = Recorder()
    before = ms.trace_count()
    model.train(3, dataset, callbacks=[recorder])
    assert ms.trace_count() - before == 1
    assert len(recorder.losses) == 12 and recorder.losses[-1] < recorder.losses[0]
    assert int(optimizer.global_step.asnumpy()[0]) == 12
    assert not np.allclose(net[1].moving_mean.asnumpy(), 0)


def test_graph_mode_eval_compiles_once_per_input_shape():
    ms.set_context(mode=ms.GRAPH_MODE)
    model, _, dataset = make(metrics={"acc"})
    before = ms.trace_count()
    for _ in range(2):
        model.eval(dataset)
    assert ms.trace_count() - before == 2


def test_pynative_train_runs_construct_every_step():
    calls = []

    class Counting(Linear):
        def construct(self, x):
            calls.append(x.shape)
            return super().construct(x)

    net = Counting()
    model = Model(net, cross_entropy(), sgd(net.trainable_params()))
    before = ms.trace_count()
    model.train(2, ListDataset(list(classification_data()), 4))
    # the network runs op by op every step; only the optimizer's update is compiled, once (MindSpore's is @jit too)
    assert ms.trace_count() - before == 1 and len(calls) == 6


def test_run_context_state():
    seen = []

    class Inspect(Callback):
        def on_train_begin(self, run_context):
            args = run_context.original_args()
            seen.append(("begin", sorted(args)))

        def on_train_step_end(self, run_context):
            args = run_context.original_args()
            assert isinstance(args.net_outputs, Tensor) and args.train_network is model.train_network
            assert isinstance(args.train_dataset_element, list) and len(args.train_dataset_element) == 2
            seen.append((args.cur_epoch_num, args.cur_step_num, args.batch_num, args.epoch_num, args.mode))

    model, _, dataset = make()
    model.train(2, dataset, callbacks=[Inspect()])
    assert seen[0] == ("begin", ['batch_num', 'cur_step_num', 'dataset_sink_mode', 'device_number', 'epoch_num',
                                 'initial_step', 'last_save_ckpt_step', 'latest_ckpt_file', 'list_callback',
                                 'loss_fn', 'loss_scale_mananger', 'mode', 'network', 'optimizer', 'parallel_mode',
                                 'train_dataset', 'train_dataset_element', 'train_network'])
    assert seen[1:] == [(1, 1, 3, 2, "train"), (1, 2, 3, 2, "train"), (1, 3, 3, 2, "train"),
                        (2, 4, 3, 2, "train"), (2, 5, 3, 2, "train"), (2, 6, 3, 2, "train")]


def test_request_stop_and_initial_epoch():
    steps = []

    class StopAtSecond(Callback):
        def on_train_step_end(self, run_context):
            args = run_context.original_args()
            steps.append((args.cur_epoch_num, args.cur_step_num))
            if args.cur_step_num == 2:
                run_context.request_stop()

    model, _, dataset = make()
    model.train(3, dataset, callbacks=StopAtSecond())
    assert steps == [(1, 1), (1, 2)]
    steps.clear()
    model, _, dataset = make()
    model.train(3, dataset, callbacks=(Recorder(), StopAtSecond()), initial_epoch=2)  # any iterable of callbacks
    assert steps == [(3, 1), (3, 2)]


def test_sink_mode_runs_like_non_sink():
    model, _, dataset = make()
    recorder = Recorder()
    model.train(1, dataset, callbacks=recorder, dataset_sink_mode=True)
    assert len(recorder.losses) == 3


def test_eval_metrics_are_python_floats():
    model, net, dataset = make(metrics={"accuracy": Accuracy(), "loss": Loss()})
    model.train(3, dataset)
    x, y = classification_data()
    result = model.eval(ListDataset([x, y], 4))
    assert set(result) == {"accuracy", "loss"} and all(type(v) is float for v in result.values())
    logits = net(Tensor(x)).asnumpy()
    assert result["accuracy"] == np.mean(logits.argmax(1) == y)
    losses = [float(cross_entropy()(net(Tensor(x[i:i + 4])), Tensor(y[i:i + 4])).asnumpy()) for i in (0, 4, 8)]
    assert result["loss"] == pytest.approx(np.mean(losses), rel=1e-6)
    assert not net.training  # eval leaves the network in inference mode


def test_eval_with_own_eval_network_and_indexes():
    x, y = classification_data()
    net = Linear()
    eval_net = nn.WithEvalCell(net, cross_entropy())
    model = Model(net, cross_entropy(), sgd(net.trainable_params()), metrics={"acc"}, eval_network=eval_net,
                  eval_indexes=[0, 1, 2])
    assert model.eval_network is eval_net
    assert model.eval(ListDataset([x, y], 5))["acc"] == np.mean(net(Tensor(x)).asnumpy().argmax(1) == y)


def test_predict():
    model, net, _ = make()
    x, _ = classification_data()
    out = model.predict(Tensor(x[:2]))
    assert out.shape == (2, 3) and not net.training
    np.testing.assert_array_equal(out.asnumpy(), net(Tensor(x[:2])).asnumpy())
    with pytest.raises(ValueError, match="The input data can not be empty."):
        model.predict(Tensor(np.zeros((0, 4), np.float32)))
    with pytest.raises(TypeError, match=r"The types of input data must be in the Union\(Tensor, None, int, float, "
                                        r"str, tuple\[Tensor, None, int, float, str\].* but got type ndarray."):
        model.predict(x)
    with pytest.raises(ValueError, match="`backend` should be 'lite' or None, but got foo"):
        model.predict(Tensor(x), backend="foo")


def test_errors():
    model, net, dataset = make()
    cases = [
        (lambda: model.train(0, dataset), ValueError, "The input value must be int and must > 0, but got '0' with "
                                                      "type 'int'."),
        (lambda: model.train(1.5, dataset), TypeError, "The input value must be int, but got 'float'"),
        (lambda: model.train(True, dataset), TypeError, "The input value must be int and must > 0, but got 'True' "
                                                        "with type 'bool'."),
        (lambda: model.train(2, dataset, initial_epoch=2), ValueError,
         "For 'Model.train', the parameter 'epoch' must bigger than parameter 'initial_epoch', but got the "
         "parameter 'epoch' is 2, 'initial_epoch' is 2."),
        (lambda: model.train(2, dataset, initial_epoch=-1), ValueError, "The input value must be int and must >= 0, "
                                                                        "but got '-1' with type 'int'."),
        (lambda: model.train(1, dataset, dataset_sink_mode=1), TypeError, "The input value must be a bool, but got "
                                                                          "int."),
        (lambda: model.train(1, dataset, sink_size=0), ValueError, "For 'Model.train', The argument 'sink_size' "
                                                                   "must be -1 or positive, but got 0."),
        (lambda: model.train(1, dataset, callbacks=[1]), TypeError, "When the 'callbacks' is a list, the elements "
                                                                    "in 'callbacks' must be Callback functions."),
        (lambda: model.train(1, dataset, callbacks=1), TypeError, "When the 'callbacks' is a list"),
        (lambda: model.train(1, ListDataset([np.zeros((0, 4))], 4)), ValueError,
         "There is no valid data in dataset, please check dataset file firstly."),
        (lambda: model.train(1, ListDataset([*classification_data(), np.zeros(10)], 4)), ValueError,
         "When 'loss_fn' is not None, 'train_dataset' should return two elements, but got 3"),
        (lambda: model.eval(dataset), ValueError, "For Model.eval, the model argument 'metrics' can not be None or "
                                                  "empty, you should set the argument 'metrics' for model."),
        (lambda: Model(net, cross_entropy(), foo=1), ValueError, "The argument in 'kwargs' should be "
                                                                "'loss_scale_manager' or 'keep_batchnorm_fp32' or "
                                                                "'boost_config_dict' or 'acc_level', but got 'foo'."),
        (lambda: Model(net, cross_entropy(), amp_level="O2"), ValueError,
         "Auto mixed precision will not work because 'optimizer' is None."),
        (lambda: Model(net, None, sgd(net.trainable_params()), metrics={"acc"}), ValueError,
         "If `metrics` is set, `eval_network` must not be None."),
        (lambda: Model(net, cross_entropy(), metrics=["acc"]), TypeError,
         "For 'get_metrics', the argument 'metrics' must be None, dict or set, but got ['acc']"),
        (lambda: Model(lambda x: x), TypeError, "The type of 'network' should be 'Cell', but got type 'function'."),
        (lambda: Model(net, cross_entropy(), metrics={"acc"}, eval_network=net, eval_indexes=[0, 1]), ValueError,
         "The argument 'eval_indexes' must be a list or None. If 'eval_indexes' is a list, length of it must be "
         "three. But got 'eval_indexes' [0, 1]"),
    ]
    for fn, error, message in cases:
        with pytest.raises(error) as info:
            fn()
        assert str(info.value).startswith(message), (message, str(info.value))


def test_a_dataset_belongs_to_one_model():
    model, net, dataset = make()
    model.train(1, dataset)
    other = Model(net, cross_entropy(), sgd(net.trainable_params()))
    with pytest.raises(RuntimeError, match="The dataset object had been used in other model by model.train"):
        other.train(1, dataset)


# --- Model.fit ----------------------------------------------------------------------------------------------------

class FitWatcher(Callback):
    """What a user callback sees during fit: its eval hooks run, and eval results are there at epoch ends."""

    def __init__(self):
        self.events = []

    def on_eval_begin(self, run_context):
        args = run_context.original_args()
        self.events.append(("eval", args.mode, args.cur_step_num, args.batch_num))

    def on_train_epoch_end(self, run_context):
        args = run_context.original_args()
        self.events.append(("epoch", args.cur_epoch_num, args.cur_step_num, args.mode,
                            sorted(args.get("eval_results") or {})))


def test_fit_evaluates_on_schedule():
    x, y = classification_data()
    model, net, dataset = make(metrics={"acc", "loss"})
    watcher, history = FitWatcher(), History()
    model.fit(2, dataset, ListDataset([x, y], 5), callbacks=[watcher, history])
    assert watcher.events == [("eval", "eval", 0, 2), ("epoch", 1, 3, "train", ["acc", "eval_loss", "loss"]),
                              ("eval", "eval", 0, 2), ("epoch", 2, 6, "train", ["acc", "eval_loss", "loss"])]
    assert sorted(history.history) == ["acc", "loss", "net_output"] and len(history.history["acc"]) == 2
    watcher = FitWatcher()
    model, _, dataset = make(metrics={"acc"})
    model.fit(3, dataset, ListDataset([x, y], 5), valid_frequency=[2], callbacks=watcher)
    assert [e[0] for e in watcher.events] == ["epoch", "eval", "epoch", "epoch"]
    assert watcher.events[0][4] == [] and watcher.events[2][4] == ["acc", "eval_loss"]


def test_fit_eval_loss_is_the_last_batch_loss():
    x, y = classification_data()
    model, net, dataset = make(metrics={"loss"})
    seen = []

    class Keep(Callback):
        def on_train_epoch_end(self, run_context):
            seen.append(dict(run_context.original_args().eval_results))

    model.fit(1, dataset, ListDataset([x, y], 4), callbacks=Keep())
    last = float(cross_entropy()(net(Tensor(x[8:])), Tensor(y[8:])).asnumpy())
    assert seen[0]["eval_loss"] == pytest.approx(last, rel=1e-6) and seen[0]["loss"] != seen[0]["eval_loss"]


def test_fit_errors():
    x, y = classification_data()
    model, _, dataset = make()
    _raises_start(ValueError, "For 'Model.fit', if valid_dataset is not None, the model argument 'metrics' can not "
                  "beNone or empty", lambda: model.fit(1, dataset, ListDataset([x, y], 5)))
    model, _, dataset = make(metrics={"acc"})
    _raises_start(TypeError, "For 'Model.fit', the type of 'valid_frequency' must be a list or an integer, but got "
                  "type <class 'float'>.", lambda: model.fit(1, dataset, valid_frequency=1.0))
    _raises_start(ValueError, "For 'Model.fit', the parameter 'epoch' must bigger than parameter 'initial_epoch'",
                  lambda: model.fit(1, dataset, initial_epoch=1))
    _raises_start(TypeError, "The input value must be a bool, but got int.",
                  lambda: model.fit(1, dataset, valid_dataset_sink_mode=1))


def _raises_start(exc, message, fn):
    with pytest.raises(exc) as info:
        fn()
    assert str(info.value).startswith(message), str(info.value)


# --- mixed precision and loss scaling (amp.build_train_network, as MindSpore's Model) -----------------------------

class BnNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(4, 3, weight_init="ones", bias_init="zeros")
        self.bn = nn.BatchNorm1d(3)

    def construct(self, x):
        return self.bn(self.fc(x))


@pytest.mark.parametrize("level", ["O1", "O2", "O3"])
def test_amp_levels_convert_the_network_in_place(level):
    x, y = classification_data(8)
    net = BnNet()
    manager = amp.FixedLossScaleManager(64.0, drop_overflow_update=False)
    model = Model(net, cross_entropy(), nn.Momentum(net.trainable_params(), 0.05, 0.9, loss_scale=64.0),
                  metrics={"acc": Accuracy(), "loss": Loss()}, amp_level=level, loss_scale_manager=manager)
    assert type(model.train_network) is nn.TrainOneStepCell and model.train_network.sens == 64.0
    assert model.predict_network is net and model.eval_network.add_cast_fp32 is (level != "O1")
    # O2 keeps BatchNorm float32 behind a wrapper that casts its output back to float16; O3 runs it in float16
    assert type(net.bn).__name__ == {"O1": "BatchNorm1d", "O2": "_OutputTo16", "O3": "BatchNorm1d"}[level]
    model.train(1, ListDataset([x, y], 4))
    assert net.fc.weight.dtype == ms.float32  # Parameters keep their dtype
    # eval and predict run the converted network: O2/O3 predict in float16, eval casts outputs (not labels) to float32
    loss, logits, label = model.eval_network(Tensor(x[:4]), Tensor(y[:4]))
    assert (loss.dtype, logits.dtype, label.dtype) == (ms.float32, ms.float32, ms.int32)
    assert model.predict(Tensor(x[:4])).dtype == (ms.float32 if level == "O1" else ms.float16)
    assert set(model.eval(ListDataset([x, y], 4))) == {"acc", "loss"}


def test_amp_keep_batchnorm_fp32_and_default_dynamic_manager():
    net = BnNet()
    model = Model(net, cross_entropy(), sgd(net.trainable_params()), amp_level="O2", keep_batchnorm_fp32=False)
    # no manager given: O2's default DynamicLossScaleManager inside the step (MindSpore's GPU path; its CPU backend
    # raises ValueError "Only `loss_scale_manager=None` or ... are supported on device `CPU`")
    assert type(model.train_network) is nn.TrainOneStepWithLossScaleCell
    assert model.train_network.scale_sense.asnumpy() == 2.0 ** 24
    assert type(net.bn) is nn.BatchNorm1d and net.bn.get_flags()["fp16"]


class StepRecorder(Callback):
    def __init__(self, net):
        self.net, self.outputs, self.weights = net, [], []

    def on_train_step_end(self, run_context):
        loss, overflow, scale = run_context.original_args().net_outputs
        self.outputs.append((bool(overflow.asnumpy()), float(scale.asnumpy())))
        self.weights.append(self.net.w.asnumpy().copy())


@pytest.mark.parametrize("mode", [ms.PYNATIVE_MODE, ms.GRAPH_MODE])
def test_dynamic_loss_scale_skips_the_overflowing_step(mode):
    ms.set_context(mode=mode)
    x, y = classification_data(16)
    x[4:8] = np.inf  # the second batch overflows
    net = Linear()
    manager = amp.DynamicLossScaleManager(init_loss_scale=2 ** 10, scale_factor=2, scale_window=2)
    model = Model(net, cross_entropy(), sgd(net.trainable_params()), loss_scale_manager=manager)
    assert type(model.train_network) is nn.TrainOneStepWithLossScaleCell
    recorder = StepRecorder(net)
    model.train(1, ListDataset([x, y], 4), callbacks=recorder)
    # the step's scale: halved by the overflow, doubled after 2 clean steps; the host manager follows the same rule
    assert recorder.outputs == [(False, 1024.0), (True, 512.0), (False, 512.0), (False, 1024.0)]
    assert manager.get_loss_scale() == 1024
    np.testing.assert_array_equal(recorder.weights[1], recorder.weights[0])  # the update was skipped
    assert not np.array_equal(recorder.weights[2], recorder.weights[1])
    # power-of-two scales unscale exactly: the run equals plain training on the three clean batches
    plain = Linear()
    step = nn.TrainOneStepCell(nn.WithLossCell(plain, cross_entropy()), sgd(plain.trainable_params())).set_train()
    for i in (0, 8, 12):
        step(Tensor(x[i:i + 4]), Tensor(y[i:i + 4]))
    np.testing.assert_allclose(net.w.asnumpy(), plain.w.asnumpy(), rtol=1e-6)


def test_fixed_manager_dropping_overflow_keeps_its_scale():
    x, y = classification_data(8)
    x[:4] = np.nan
    net = Linear()
    manager = amp.FixedLossScaleManager(32.0)  # drop_overflow_update=True: a FixedLossScaleUpdateCell in the step
    model = Model(net, cross_entropy(), sgd(net.trainable_params()), loss_scale_manager=manager)
    recorder = StepRecorder(net)
    before = net.w.asnumpy().copy()
    model.train(1, ListDataset([x, y], 4), callbacks=recorder)
    assert recorder.outputs == [(True, 32.0), (False, 32.0)] and manager.get_loss_scale() == 32.0
    np.testing.assert_array_equal(recorder.weights[0], before)
