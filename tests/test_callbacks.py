"""mindspore.train callbacks: the hook protocol, LossMonitor's lines, TimeMonitor, ModelCheckpoint's files and
CheckpointConfig, History, LambdaCallback, EarlyStopping, LearningRateScheduler, and msjax's progress line
(formats and messages from MindSpore 2.10)."""
import os
import re

import numpy as np
import pytest

import msjax as ms
from msjax.train import (Callback, CheckpointConfig, EarlyStopping, History, LambdaCallback, LearningRateScheduler,
                         LossMonitor, Model, ModelCheckpoint, RunContext, TimeMonitor)

from msjax._src.callbacks import InternalCallbackParam

from training_standins import Linear, ListDataset, classification_data, cross_entropy, sgd


@pytest.fixture(autouse=True)
def pynative(monkeypatch):
    monkeypatch.delenv("MSJAX_PROGRESS", raising=False)
    ms.set_context(mode=ms.PYNATIVE_MODE)


def make(batch_size=4, metrics=None):
    x, y = classification_data()
    net = Linear()
    return Model(net, cross_entropy(), sgd(net.trainable_params()), metrics=metrics), ListDataset([x, y], batch_size)


def losses_of(model, dataset, epochs):
    out = []
    model.train(epochs, dataset, callbacks=LambdaCallback(
        on_train_step_end=lambda rc: out.append(rc.original_args().net_outputs.asnumpy())))
    return out


def test_hook_order_and_old_names():
    events = []

    class Old(Callback):  # MindSpore's older hook names are what the on_train_* hooks call by default
        def __enter__(self):
            events.append("enter")
            return self

        def __exit__(self, *err):
            events.append("exit")

        def begin(self, rc):
            events.append("begin")

        def epoch_begin(self, rc):
            events.append("epoch_begin")

        def step_begin(self, rc):
            events.append("step_begin")

        def step_end(self, rc):
            events.append("step_end")

        def epoch_end(self, rc):
            events.append("epoch_end")

        def end(self, rc):
            events.append("end")

    model, dataset = make(batch_size=5)
    model.train(2, dataset, callbacks=[Old()])
    epoch = ["epoch_begin", "step_begin", "step_end", "step_begin", "step_end", "epoch_end"]
    assert events == ["enter", "begin", *epoch, *epoch, "end", "exit"]

    events.clear()
    model, dataset = make(batch_size=10, metrics={"acc"})
    model.eval(dataset, callbacks=Old())  # the on_eval_* hooks call the same old names
    assert events == ["enter", "begin", "epoch_begin", "step_begin", "step_end", "epoch_end", "end", "exit"]


def test_loss_monitor_lines(capsys):
    model, dataset = make()
    expected = [float(np.mean(v)) for v in losses_of(*make(), 2)]
    model.train(2, dataset, callbacks=LossMonitor())
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"epoch: {e} step: {s}, loss is {expected[3 * (e - 1) + s - 1]!r}"
                     for e in (1, 2) for s in (1, 2, 3)]
    assert re.fullmatch(r"epoch: 1 step: 1, loss is \d\.\d{10,}", lines[0])  # the float32 value's full float repr


def test_loss_monitor_prints_every_n_global_steps(capsys):
    model, dataset = make()
    model.train(2, dataset, callbacks=LossMonitor(2))  # 3 steps per epoch: global steps 2, 4, 6
    steps = [line.split(",")[0] for line in capsys.readouterr().out.splitlines()]
    assert steps == ["epoch: 1 step: 2", "epoch: 2 step: 1", "epoch: 2 step: 3"]
    model.train(1, make()[1], callbacks=LossMonitor(0))
    assert capsys.readouterr().out == ""


def test_loss_monitor_checks():
    with pytest.raises(ValueError, match="The input value must be int and must >= 0, but got '-1' with type 'int'."):
        LossMonitor(-1)
    with pytest.raises(TypeError, match="The input value must be int, but got 'str'"):
        LossMonitor("a")
    run_context = RunContext(InternalCallbackParam(cur_epoch_num=1, cur_step_num=2, batch_num=3,
                                                   dataset_sink_mode=False, net_outputs=ms.Tensor(np.float32("nan"))))
    with pytest.raises(ValueError, match="In epoch: 1 step: 2, loss is NAN or INF, training process cannot continue"):
        LossMonitor().step_end(run_context)
    with pytest.raises(TypeError, match="The argument 'original_args' of RunContext should be dict type, but got "
                                        "<class 'list'>."):
        RunContext([])


def test_time_monitor_line(capsys):
    model, dataset = make()
    model.train(2, dataset, callbacks=TimeMonitor(data_time=True))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert re.fullmatch(r"Train epoch time: \d+\.\d{3} ms, per step time: \d+\.\d{3} ms "
                            r"\(data time: \d+\.\d{3} ms\)", line)
    with pytest.raises(TypeError, match="The 'data_time' must be a bool, but got int."):
        TimeMonitor(data_time=1)


def test_model_checkpoint_files(tmp_path):
    model, dataset = make()
    config = CheckpointConfig(save_checkpoint_steps=2, keep_checkpoint_max=2)
    checkpoint = ModelCheckpoint(prefix="mdl", directory=str(tmp_path / "ckpt"), config=config)
    model.train(2, dataset, callbacks=[checkpoint])  # saves at steps 2, 4, 6; keeps the newest two
    assert sorted(os.listdir(tmp_path / "ckpt")) == ["mdl-2_1.ckpt", "mdl-2_3.ckpt"]
    assert checkpoint.latest_ckpt_file_name == str(tmp_path / "ckpt" / "mdl-2_3.ckpt")
    loaded = ms.load_checkpoint(checkpoint.latest_ckpt_file_name)
    # the train network's Parameters, optimizer state included (names as MindSpore 2.10 saves them with nn.SGD)
    assert list(loaded) == ["w", "b", "global_step", "learning_rate", "momentum", "accum.w", "accum.b", "stat.w",
                            "stat.b"]
    np.testing.assert_array_equal(loaded["w"].asnumpy(), model.train_network.network.backbone_network.w.asnumpy())

    # a second run with the same prefix in the same directory gets its own prefix and leaves the files alone
    model, dataset = make()
    second = ModelCheckpoint(prefix="mdl", directory=str(tmp_path / "ckpt"), config=config)
    model.train(1, dataset, callbacks=second)
    assert sorted(os.listdir(tmp_path / "ckpt")) == ["mdl-2_1.ckpt", "mdl-2_3.ckpt", "mdl_1-1_2.ckpt",
                                                     "mdl_1-1_3.ckpt"]


def test_model_checkpoint_end_of_training_and_append_info(tmp_path):
    model, dataset = make()
    config = CheckpointConfig(save_checkpoint_steps=4, append_info=["epoch_num", "step_num", {"lr": 0.5}])
    model.train(2, dataset, callbacks=ModelCheckpoint(directory=str(tmp_path), config=config))
    assert sorted(os.listdir(tmp_path)) == ["CKP-2_1.ckpt", "CKP-2_3.ckpt"]  # step 4, then the end (step 6)
    loaded = ms.load_checkpoint(str(tmp_path / "CKP-2_3.ckpt"))
    assert int(loaded["epoch_num"].asnumpy()) == 2 and int(loaded["step_num"].asnumpy()) == 6
    assert float(loaded["lr"].asnumpy()) == 0.5


def test_model_checkpoint_errors():
    with pytest.raises(ValueError, match="it must be callable or string that does not contain '/', but got a/b."):
        ModelCheckpoint(prefix="a/b")
    with pytest.raises(TypeError, match="the type of argument 'config' should be 'CheckpointConfig', but got "
                                        "<class 'int'>."):
        ModelCheckpoint(config=1)
    with pytest.raises(TypeError, match="The path is invalid, the type should be string."):
        ModelCheckpoint(directory=1)


def test_checkpoint_config():
    assert CheckpointConfig().get_checkpoint_policy() == {
        "save_checkpoint_steps": 1, "save_checkpoint_seconds": None, "keep_checkpoint_max": 5,
        "keep_checkpoint_per_n_minutes": None, "saved_network": None}
    assert CheckpointConfig(save_checkpoint_steps=0, save_checkpoint_seconds=10, keep_checkpoint_max=0)\
        .get_checkpoint_policy() == {"save_checkpoint_steps": 0, "save_checkpoint_seconds": 10,
                                     "keep_checkpoint_max": 1, "keep_checkpoint_per_n_minutes": 0,
                                     "saved_network": None}
    assert CheckpointConfig(append_info=["epoch_num", {"lr": 0.1}]).append_dict == {"epoch_num": 0, "lr": 0.1}
    cases = [
        (dict(save_checkpoint_steps=-1), ValueError, "The input value must be int and must >= 0"),
        (dict(save_checkpoint_steps="a"), TypeError, "The input value must be int, but got 'str'"),
        (dict(save_checkpoint_steps=0, keep_checkpoint_max=0), ValueError,
         "For 'CheckpointConfig', the input arguments 'save_checkpoint_steps', 'save_checkpoint_seconds', "
         "'keep_checkpoint_max' and 'keep_checkpoint_per_n_minutes' can't be all None or 0."),
        (dict(append_info=["foo"]), ValueError, "For 'CheckpointConfig', the value of element in the argument "
                                                "'append_info' must be in ['epoch_num', 'step_num'], but got foo."),
        (dict(append_info=("a",)), TypeError, "For 'CheckpointConfig', the type of 'append_info' must be list,but "
                                              "got <class 'tuple'>."),
        (dict(saved_network=1), TypeError, "For 'CheckpointConfig', the type of 'saved_network' must be None or "
                                           "Cell, but got <class 'int'>."),
        (dict(enc_mode=1), ValueError, "The parameter 'enc_mode' must be isinstance of <class 'str'>, but got 1."),
        (dict(integrated_save=1), TypeError, "The input value must be a bool, but got int."),
        (dict(async_save=1), TypeError, "For 'save_checkpoint', the parameter 'async_save' must be bool or str"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error) as info:
            CheckpointConfig(**kwargs)
        assert str(info.value).startswith(message), (message, str(info.value))


def test_history_and_lambda_callback():
    model, dataset = make()
    history = History()
    ends = []
    model.train(2, dataset, callbacks=[history, LambdaCallback(on_train_end=lambda rc: ends.append(1))])
    assert history.epoch == {"epoch": [1, 2]} and len(history.history["net_output"]) == 2
    assert isinstance(history.history["net_output"][0], np.float32) and ends == [1]


def test_progress_line(monkeypatch, capsys):
    monkeypatch.setenv("MSJAX_PROGRESS", "1")
    model, dataset = make()
    model.train(2, dataset, callbacks=LossMonitor())
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 6  # LossMonitor's lines only: progress goes to stderr
    lines = captured.err.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"msjax: epoch 2/2 done, 3 steps in \d+\.\d s \(\d+\.\d ms/step\), loss \d\.\d{4}", lines[1])

    monkeypatch.setenv("MSJAX_PROGRESS", "0")
    model.train(1, make()[1])
    assert capsys.readouterr().err == ""
    monkeypatch.delenv("MSJAX_PROGRESS")
    model.train(1, make()[1])  # stdout is not a terminal here
    assert capsys.readouterr().err == ""


# --- EarlyStopping, LearningRateScheduler (behaviour and messages from MindSpore 2.10) -----------------------------



def _raises(exc, message, fn):
    with pytest.raises(exc) as info:
        fn()
    assert str(info.value).startswith(message), str(info.value)


def test_early_stopping_arguments():
    stopper = EarlyStopping()
    assert (stopper.monitor, stopper.min_delta, stopper.patience, stopper.verbose, stopper.mode, stopper.baseline,
            stopper.best) == ("eval_loss", 0, 0, False, "auto", None, np.inf)
    assert EarlyStopping(monitor="acc").best == -np.inf and EarlyStopping(min_delta=-0.5).min_delta == 0.5
    assert EarlyStopping(min_delta=0.1, baseline=0.9).baseline == 0.1  # MindSpore stores min_delta there
    _raises(ValueError, "mode should be 'auto', 'min' or 'max', but got up.", lambda: EarlyStopping(mode="up"))
    _raises(ValueError, "The input value must be int and must >= 0, but got '-1' with type 'int'.",
            lambda: EarlyStopping(patience=-1))
    _raises(TypeError, "The type of 'monitor' should be 'str', but got type 'int'.", lambda: EarlyStopping(monitor=1))
    _raises(TypeError, "The type of 'min_delta' should be one of '['float', 'int']', but got type 'str'.",
            lambda: EarlyStopping(min_delta="0"))
    _raises(TypeError, "The input value must be a bool, but got int.", lambda: EarlyStopping(verbose=1))


def test_early_stopping_in_fit_restores_best_weights(capsys):
    model, dataset = make(metrics={"acc"})
    x, y = classification_data()
    stopper = EarlyStopping(min_delta=10, patience=1, verbose=True, restore_best_weights=True)
    snapshots = []
    params = model.train_network.trainable_params()
    model.fit(5, dataset, ListDataset([x, y], 5), callbacks=[
        LambdaCallback(on_train_epoch_end=lambda rc: snapshots.append([p.asnumpy().copy() for p in params])),
        stopper])
    assert stopper.stopped_epoch == 2 and len(snapshots) == 2
    assert all(np.array_equal(p.asnumpy(), s) for p, s in zip(params, snapshots[0]))  # epoch 1's weights
    assert capsys.readouterr().out.splitlines() == ["Restoring model weights from the end of the best epoch.",
                                                    "Epoch 00002: early stopping"]


def test_early_stopping_on_train_loss_and_missing_monitor(capsys):
    model, dataset = make()
    stopper = EarlyStopping(monitor="loss", patience=0)
    model.train(3, dataset, callbacks=stopper)
    assert stopper.stopped_epoch == 1 and stopper.best.dtype == np.float64 and capsys.readouterr().out == ""
    stopper = EarlyStopping(monitor="acc", patience=0)
    model.train(2, make()[1], callbacks=stopper)  # no evaluation in train: never stops
    assert stopper.stopped_epoch == 0 and "Early stopping is conditioned on acc" in capsys.readouterr().err


def test_learning_rate_scheduler():
    model, dataset = make()
    seen = []

    def halve(lr, step):
        seen.append((lr, step))
        return lr * 0.5 if step % 2 == 0 else lr

    model.train(1, dataset, callbacks=LearningRateScheduler(halve))
    learning_rate = model.train_network.optimizer.learning_rate
    assert seen == [(0.1, 1), (0.1, 2), (0.05, 3)]  # the float32 rate read as numpy prints it
    assert learning_rate.dtype == ms.float32 and np.isclose(learning_rate.asnumpy(), 0.05)
