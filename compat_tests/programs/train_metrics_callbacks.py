"""Metrics (Precision, Recall, Fbeta/F1, MAE, MSE, TopK/Top1/Top5 categorical accuracy, ConfusionMatrix) on their
own and by name in Model, Model.fit with a validation set, and the callbacks EarlyStopping, LearningRateScheduler,
History and LambdaCallback around it. Scalar metric results print as Python floats (MindSpore returns numpy scalars
whose type name depends on the numpy version); arrays print with their dtype. Fixed weights and data."""
import numpy as np
import mindspore as ms
import mindspore.dataset as ds
from mindspore import Parameter, Tensor, nn, ops
from mindspore.train import (Callback, ConfusionMatrix, EarlyStopping, F1, Fbeta, History, LambdaCallback,
                             LearningRateScheduler, LossMonitor, MAE, MSE, Model, Precision, Recall,
                             Top1CategoricalAccuracy, Top5CategoricalAccuracy, TopKCategoricalAccuracy)
from _probe import case, fmt


def show(value):
    """Scalars as Python floats; arrays and dicts element by element."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, np.ndarray):
        return fmt(value)
    return f"float {float(value)!r}"


def metric_case(label, metric, *batches, **eval_kwargs):
    def run():
        metric.clear()
        for batch in batches:
            metric.update(*batch)
        return show(metric.eval(**eval_kwargs))
    case(label, run)


scores = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3], [0.6, 0.1, 0.3]], np.float32)
labels = np.array([1, 0, 1, 2, 0], np.int32)
onehot = np.eye(3, dtype=np.float32)[labels]
multi_pred = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 0]], np.float32)
multi_true = np.array([[1, 0, 0], [0, 1, 1], [1, 0, 1]], np.float32)

# --- Precision / Recall ---
for cls in (Precision, Recall):
    name = cls.__name__
    metric_case(f"{name} tensors", cls(), (Tensor(scores), Tensor(labels)))
    metric_case(f"{name} average", cls(), (Tensor(scores), Tensor(labels)), average=True)
    metric_case(f"{name} one-hot", cls(), (scores, onehot))
    metric_case(f"{name} lists", cls(), (scores.tolist(), labels.tolist()))
    metric_case(f"{name} two batches", cls(), (scores[:2], labels[:2]), (scores[2:], labels[2:]))
    metric_case(f"{name} multilabel", cls("multilabel"), (multi_pred, multi_true))
    metric_case(f"{name} multilabel average", cls("multilabel"), (multi_pred, multi_true), (multi_pred[:2], multi_true[:2]), average=True)
    metric_case(f"{name} eval before update", cls())
    metric_case(f"{name} average int", cls(), (scores, labels), average=1)
    metric_case(f"{name} label beyond classes", cls(), (scores, np.array([1, 0, 3, 2, 0], np.int32)))
    metric_case(f"{name} shape mismatch", cls(), (scores, labels[:3]))
    metric_case(f"{name} class number change", cls(), (scores, labels), (scores[:, :2], labels % 2))
    metric_case(f"{name} multilabel not binary", cls("multilabel"), (scores[:3], multi_true))
    metric_case(f"{name} one input", cls(), (scores,))
    case(f"{name} bad eval_type", lambda: cls("binary"))
    case(f"{name} call", lambda: show(cls()(scores, labels)))
    metric_case(f"{name} set_indexes", cls().set_indexes([1, 0]), (labels, scores))

# --- Fbeta / F1 ---
metric_case("F1", F1(), (scores, labels))
metric_case("F1 average", F1(), (scores, onehot), average=True)
metric_case("Fbeta 2", Fbeta(2), (scores, labels), (scores[:2], labels[:2]))
metric_case("Fbeta 0.5 average", Fbeta(0.5), (scores, labels), average=True)
metric_case("F1 eval before update", F1())
metric_case("F1 average str", F1(), (scores, labels), average="yes")
case("Fbeta 0", lambda: Fbeta(0))
case("F1 beta", lambda: F1().beta)

# --- MAE / MSE ---
pred = np.array([[0.5, 1.5], [2.0, -1.0], [0.0, 0.25]], np.float32)
true = np.array([[1.0, 1.0], [2.5, -1.0], [0.5, 0.0]], np.float32)
for cls in (MAE, MSE):
    name = cls.__name__
    metric_case(f"{name}", cls(), (Tensor(pred), Tensor(true)))
    metric_case(f"{name} flat labels", cls(), (pred[:, :1], true[:, 0]))
    metric_case(f"{name} two batches", cls(), (pred, true), (pred[:1], true[:1]))
    metric_case(f"{name} float64 int", cls(), (pred.astype(np.float64), np.array([[1, 1], [2, -1], [0, 0]])))
    metric_case(f"{name} eval before update", cls())
    metric_case(f"{name} reshape error", cls(), (pred, true[:2]))
    metric_case(f"{name} three inputs", cls(), (pred, true, true))

# --- TopK ---
metric_case("Top1", Top1CategoricalAccuracy(), (scores, labels))
metric_case("Top5 (3 classes)", Top5CategoricalAccuracy(), (scores, labels))
metric_case("TopK 2", TopKCategoricalAccuracy(2), (Tensor(scores), Tensor(labels)))
metric_case("TopK 2 one-hot", TopKCategoricalAccuracy(2), (scores, onehot), (scores[:2], onehot[:2]))
metric_case("TopK eval before update", TopKCategoricalAccuracy(2))
metric_case("TopK one input", TopKCategoricalAccuracy(2), (scores,))
case("TopK k 0", lambda: TopKCategoricalAccuracy(0))
case("TopK k float", lambda: TopKCategoricalAccuracy(2.0))
case("Top5 k", lambda: Top5CategoricalAccuracy().k)

# --- ConfusionMatrix ---
for normalize in ("no_norm", "target", "prediction", "all"):
    metric_case(f"ConfusionMatrix {normalize}", ConfusionMatrix(3, normalize), (scores, labels), (scores[:2], labels[:2]))
metric_case("ConfusionMatrix empty class", ConfusionMatrix(4, "target"), (scores, labels))
binary_scores = np.array([0.2, 0.8, 0.55, 0.4, 0.9], np.float32)
binary_labels = np.array([0, 1, 0, 1, 1], np.int32)
metric_case("ConfusionMatrix threshold", ConfusionMatrix(2, threshold=0.5), (binary_scores, binary_labels))
metric_case("ConfusionMatrix threshold 0.7", ConfusionMatrix(2, threshold=0.7), (binary_scores, binary_labels))
metric_case("ConfusionMatrix int predictions", ConfusionMatrix(2), (np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])))
metric_case("ConfusionMatrix eval before update", ConfusionMatrix(3))
metric_case("ConfusionMatrix ndim", ConfusionMatrix(3), (scores[None], labels))
case("ConfusionMatrix bad normalize", lambda: ConfusionMatrix(3, "rows"))
case("ConfusionMatrix threshold int", lambda: ConfusionMatrix(3, threshold=1))
case("ConfusionMatrix num_classes float", lambda: ConfusionMatrix(3.0))

# --- names ---
for name in ("precision", "recall", "F1", "mae", "mse", "top_1_accuracy", "top_5_accuracy", "loss", "acc"):
    case(f"get_metric_fn {name}", lambda: type(nn.get_metric_fn(name)).__name__)
case("get_metric_fn topk", lambda: nn.get_metric_fn("topk", 3).k)
case("get_metric_fn confusion_matrix", lambda: nn.get_metric_fn("confusion_matrix", 2).num_classes)
case("get_metric_fn f1", lambda: nn.get_metric_fn("f1"))
case("nn.Precision", lambda: nn.Precision is Precision)

# --- Model with metrics by name, Model.fit, callbacks ---
rng = np.random.RandomState(3)
X = rng.randn(12, 4).astype(np.float32)
Y = (np.arange(12) % 3).astype(np.int32)
W0 = (rng.randn(4, 3) * 0.5).astype(np.float32)
R = (X @ rng.randn(4, 1)).astype(np.float32)


class Linear(nn.Cell):
    def __init__(self, w):
        super().__init__()
        self.w = Parameter(Tensor(w), name="w")
        self.b = Parameter(Tensor(np.zeros(w.shape[1], np.float32)), name="b")

    def construct(self, x):
        return ops.matmul(x, self.w) + self.b


def dataset(labels_=Y, batch_size=5, rows=12):
    return ds.NumpySlicesDataset({"x": X[:rows], "y": labels_[:rows]}, shuffle=False).batch(batch_size)


def classifier(metrics, lr=0.1):
    net = Linear(W0)
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), lr, 0.9)
    return net, opt, Model(net, loss, opt, metrics=metrics)


net, opt, model = classifier({"precision", "recall", "F1", "top_1_accuracy", "acc", "loss"})
print("eval by names:", show(model.eval(dataset(batch_size=4))))
reg = Linear((rng.randn(4, 1) * 0.3).astype(np.float32))
reg_model = Model(reg, nn.MSELoss(), nn.SGD(reg.trainable_params(), 0.05), metrics={"mae", "mse", "loss"})
print("regression eval:", show(reg_model.eval(dataset(R))))
reg_model.train(2, dataset(R), callbacks=LossMonitor())
print("regression eval after train:", show(reg_model.eval(dataset(R))))


class EvalWatcher(Callback):
    """A user callback: Model.fit runs it during evaluations too."""

    def on_eval_begin(self, run_context):
        args = run_context.original_args()
        print("  eval begin: mode", args.mode, "step", args.cur_step_num, "batches", args.batch_num)

    def on_eval_end(self, run_context):
        args = run_context.original_args()
        print("  eval end: steps", args.cur_step_num, "metrics", show(args.metrics))

    def on_train_epoch_end(self, run_context):
        args = run_context.original_args()
        results = args.get("eval_results")
        print("  epoch end:", args.cur_epoch_num, "step", args.cur_step_num, "mode", args.mode,
              "eval_results", None if results is None else show(results))


eval_lambda_calls = []


def on_eval_end(run_context):
    eval_lambda_calls.append(run_context.original_args().cur_epoch_num)


net, opt, model = classifier({"acc", "loss"})
history = History()
print("fit every epoch:")
model.fit(3, dataset(), dataset(batch_size=4), callbacks=[EvalWatcher(), LossMonitor(), history,
                                                          LambdaCallback(on_eval_end=on_eval_end)])
print("history:", history.epoch, {k: [round(float(v), 5) for v in vs] for k, vs in sorted(history.history.items())})
print("lambda eval calls:", eval_lambda_calls)

net, opt, model = classifier({"acc"})
print("fit valid_frequency [2, 3]:")
model.fit(3, dataset(), dataset(batch_size=6), valid_frequency=[2, 3], callbacks=[EvalWatcher()])
net, opt, model = classifier({"acc"})
print("fit valid_frequency 2:")
model.fit(3, dataset(), dataset(batch_size=6), valid_frequency=2, callbacks=[EvalWatcher()])
net, opt, model = classifier({"acc"})
print("fit without valid_dataset:")
model.fit(1, dataset(), callbacks=[EvalWatcher(), LossMonitor()])
case("fit valid without metrics", lambda: classifier(None)[2].fit(1, dataset(), dataset()))
case("fit valid_frequency float", lambda: classifier({"acc"})[2].fit(1, dataset(), dataset(), valid_frequency=1.0))
case("fit initial_epoch", lambda: classifier({"acc"})[2].fit(1, dataset(), initial_epoch=1))

# --- EarlyStopping ---
print("EarlyStopping eval_loss min_delta 10, restore best:")
net, opt, model = classifier({"acc"})
stopper = EarlyStopping(min_delta=10, patience=1, verbose=True, restore_best_weights=True)
weights = []


def keep_weights(run_context):
    weights.append(net.w.asnumpy().copy())


model.fit(5, dataset(), dataset(batch_size=6), callbacks=[stopper, LossMonitor(),
                                                          LambdaCallback(on_train_epoch_end=keep_weights)])
print("stopped:", stopper.stopped_epoch, "wait:", stopper.wait, "best:", show(stopper.best), "epochs run:", len(weights))
print("restored epoch 1 weights:", np.allclose(net.w.asnumpy(), weights[0]), np.allclose(net.w.asnumpy(), weights[-1]))

print("EarlyStopping acc patience 2:")
net, opt, model = classifier({"acc"}, lr=0.01)
stopper = EarlyStopping(monitor="acc", patience=2, verbose=True)
model.fit(6, dataset(), dataset(batch_size=6), callbacks=[stopper, EvalWatcher()])
print("stopped:", stopper.stopped_epoch, "wait:", stopper.wait, "best:", show(stopper.best), "mode:", stopper.mode)

print("EarlyStopping loss in train, patience 0:")
net, opt, model = classifier(None)
stopper = EarlyStopping(monitor="loss", patience=0, verbose=True)
model.train(4, dataset(), callbacks=[stopper, LossMonitor()])
print("stopped:", stopper.stopped_epoch, "best:", show(stopper.best))

print("EarlyStopping baseline (replaced by min_delta), mode max:")
net, opt, model = classifier({"acc"})
stopper = EarlyStopping(monitor="acc", mode="max", baseline=0.99, patience=2)
model.fit(3, dataset(), dataset(batch_size=6), callbacks=stopper)
print("baseline:", stopper.baseline, "stopped:", stopper.stopped_epoch, "wait:", stopper.wait)

print("EarlyStopping unavailable monitor:")
net, opt, model = classifier(None)
stopper = EarlyStopping(monitor="acc", patience=0)
model.train(2, dataset(), callbacks=stopper)
print("stopped:", stopper.stopped_epoch, "best:", show(stopper.best))
case("EarlyStopping attrs", lambda: (EarlyStopping().monitor, EarlyStopping().patience, EarlyStopping().min_delta,
                                     EarlyStopping().verbose, EarlyStopping().mode, EarlyStopping().baseline,
                                     EarlyStopping(min_delta=-0.5).min_delta, show(EarlyStopping().best),
                                     show(EarlyStopping(monitor="acc").best)))
case("EarlyStopping bad mode", lambda: EarlyStopping(mode="up"))
case("EarlyStopping negative patience", lambda: EarlyStopping(patience=-1))
case("EarlyStopping monitor int", lambda: EarlyStopping(monitor=1))
case("EarlyStopping min_delta str", lambda: EarlyStopping(min_delta="0"))
case("EarlyStopping verbose int", lambda: EarlyStopping(verbose=1))

# --- LearningRateScheduler ---
seen = []


def halve_every_two(lr, cur_step_num):
    seen.append((round(lr, 6), cur_step_num))
    if cur_step_num % 2 == 0:
        return lr * 0.5
    return lr


def record_lr(run_context):
    print("  lr after step", run_context.original_args().cur_step_num, ":", opt.learning_rate.asnumpy())


print("LearningRateScheduler:")
net, opt, model = classifier(None)
model.train(2, dataset(), callbacks=[LearningRateScheduler(halve_every_two), LossMonitor(),
                                     LambdaCallback(on_train_step_end=record_lr)])
print("lr seen:", seen)
print("final lr:", opt.learning_rate.asnumpy(), opt.learning_rate.dtype, "w:", net.w.asnumpy())
