"""mindspore.train.Model with callbacks and metrics: the callback protocol's state (epochs, global steps, batch
counts), LossMonitor's lines, ModelCheckpoint's files and contents, eval results, predict, request_stop, History,
LambdaCallback, and Model's argument errors. Fixed weights and data, no shuffling: losses match step for step."""
import os
import tempfile

import numpy as np
import mindspore as ms
import mindspore.dataset as ds
from mindspore import Parameter, Tensor, nn, ops
from mindspore.train import (Accuracy, Callback, CheckpointConfig, History, LambdaCallback, Loss, LossMonitor, Model,
                             ModelCheckpoint)
from _probe import case

rng = np.random.RandomState(0)
X = rng.randn(12, 4).astype(np.float32)
Y = (np.arange(12) % 3).astype(np.int32)
W0 = (rng.randn(4, 3) * 0.5).astype(np.float32)


class Linear(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(W0), name="w")
        self.b = Parameter(Tensor(np.zeros(3, np.float32)), name="b")

    def construct(self, x):
        return ops.matmul(x, self.w) + self.b


def dataset(batch_size=5):
    return ds.NumpySlicesDataset({"x": X, "y": Y}, shuffle=False).batch(batch_size)


def make(metrics=None):
    net = Linear()
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    return net, Model(net, loss, nn.Momentum(net.trainable_params(), 0.1, 0.9), metrics=metrics)


class Inspect(Callback):
    def on_train_begin(self, run_context):
        print("train begin:", sorted(run_context.original_args().keys()))

    def on_train_epoch_begin(self, run_context):
        print("epoch begin:", run_context.original_args().cur_epoch_num)

    def on_train_step_end(self, run_context):
        args = run_context.original_args()
        print("step end:", args.cur_epoch_num, args.cur_step_num, args.batch_num, args.epoch_num,
              type(args.net_outputs).__name__, args.net_outputs.shape, type(args.train_network).__name__,
              [t.shape for t in args.train_dataset_element])

    def on_train_epoch_end(self, run_context):
        print("epoch end:", run_context.original_args().cur_epoch_num)

    def on_train_end(self, run_context):
        print("train end:", run_context.original_args().cur_step_num)


net, model = make(metrics={"acc": Accuracy(), "loss": Loss()})
print("networks:", type(model.train_network).__name__, type(model.eval_network).__name__,
      type(model.predict_network).__name__, "training:", net.training)
work = tempfile.mkdtemp()
config = CheckpointConfig(save_checkpoint_steps=2, keep_checkpoint_max=2)
checkpoint = ModelCheckpoint(prefix="lin", directory=work, config=config)
model.train(2, dataset(), callbacks=[Inspect(), LossMonitor(), checkpoint])
# (GRAPH_MODE MindSpore also writes lin-graph.meta, its compiled graph in its own IR format; msjax does not.)
print("checkpoints:", sorted(f for f in os.listdir(work) if f.endswith(".ckpt")))
print("latest:", os.path.basename(checkpoint.latest_ckpt_file_name))
saved = ms.load_checkpoint(checkpoint.latest_ckpt_file_name)
print("saved names:", list(saved))
print("saved w equals net w:", np.array_equal(saved["w"].asnumpy(), net.w.asnumpy()))
print("w:", net.w.asnumpy())
print("b:", net.b.asnumpy())

result = model.eval(dataset(4))
print("eval:", result, "training:", net.training)
print("predict:", model.predict(Tensor(X[:3])))

net, model = make()
print("LossMonitor(2):")
model.train(2, dataset(), callbacks=LossMonitor(2))  # 3 steps per epoch: global steps 2, 4 and 6 print
case("eval without metrics", lambda: model.eval(dataset()))


class StopAtFour(Callback):
    def on_train_step_end(self, run_context):
        if run_context.original_args().cur_step_num == 4:
            run_context.request_stop()


net, model = make()
history = History()
ends = []


def on_end(run_context):
    ends.append(run_context.original_args().cur_step_num)


model.train(5, dataset(), callbacks=[StopAtFour(), LossMonitor(), history, LambdaCallback(on_train_end=on_end)])
print("history:", history.epoch, [round(float(v), 6) for v in history.history["net_output"]], "ended at:", ends)

net, model = make()
model.train(3, dataset(6), callbacks=LossMonitor(), initial_epoch=1)
case("epoch 0", lambda: model.train(0, dataset()))
case("initial_epoch >= epoch", lambda: model.train(2, dataset(), initial_epoch=2))
used = dataset()
model.train(1, used)
case("dataset of another model", lambda: make()[1].train(1, used))
case("metrics without loss", lambda: Model(Linear(), None, nn.Momentum(Linear().trainable_params(), 0.1, 0.9),
                                           metrics={"acc"}))
