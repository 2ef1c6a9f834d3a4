"""Probe of the losses of the quick start and LeNet: LossBase (reductions, get_loss with weights), MSELoss, L1Loss,
SoftmaxCrossEntropyWithLogits, CrossEntropyLoss, BCEWithLogitsLoss, NLLLoss and their functional forms: values,
dtypes, broadcasting, gradients and the errors MindSpore raises. Each case prints `label: result`."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops

ms.set_context(pynative_synchronize=True)

from _probe import case  # noqa: E402

rng = np.random.default_rng(7)
logits_np = rng.normal(size=(4, 5)).astype(np.float32)
logits = Tensor(logits_np)
labels_i32 = Tensor(np.array([1, 0, 4, 2], np.int32))
labels_i64 = Tensor(np.array([1, 0, 4, 2], np.int64))
labels_f = Tensor(np.array([1.0, 0.0, 4.0, 2.0], np.float32))
probs = Tensor(np.abs(rng.normal(size=(4, 5))).astype(np.float32) / 3)
onehot = Tensor(np.eye(5, dtype=np.float32)[[1, 0, 4, 2]])
a = Tensor(rng.normal(size=(2, 3)).astype(np.float32))
b = Tensor(rng.normal(size=(2, 3)).astype(np.float32))
b3 = Tensor(rng.normal(size=(3,)).astype(np.float32))
b21 = Tensor(rng.normal(size=(2, 1)).astype(np.float32))
a16 = Tensor(rng.normal(size=(2, 3)).astype(np.float16))
b16 = Tensor(rng.normal(size=(2, 3)).astype(np.float16))
a64 = Tensor(rng.normal(size=(2, 3)).astype(np.float64))
b64 = Tensor(rng.normal(size=(2, 3)).astype(np.float64))
ai = Tensor(np.array([[1, 2, 3], [4, 5, 6]], np.int32))
bi = Tensor(np.array([[0, 2, 5], [1, 1, 1]], np.int32))
targets01 = Tensor(rng.integers(0, 2, size=(2, 3)).astype(np.float32))

# --- LossBase ---
for reduction in ("mean", "sum", "none"):
    case(f"LossBase {reduction} average/reduce", lambda: (nn.LossBase(reduction).average, nn.LossBase(reduction).reduce))
case("LossBase bad reduction", lambda: nn.LossBase("avg"))
case("LossBase has reduction attr", lambda: hasattr(nn.LossBase(), "reduction"))


class WeightedLoss(nn.LossBase):
    def __init__(self, reduction="mean"):
        super().__init__(reduction)
        self.abs = ops.Abs()

    def construct(self, x, y, w):
        return self.get_loss(self.abs(x - y), w)


class PlainGetLoss(nn.LossBase):
    def construct(self, x, y):
        return self.get_loss(x - y)


for reduction in ("mean", "sum", "none"):
    case(f"get_loss weights {reduction}", lambda: WeightedLoss(reduction)(a, b, Tensor(np.array([1.0, 2.0, 0.5], np.float32))))
case("get_loss weights f16", lambda: WeightedLoss()(a16, b16, Tensor(np.array([1.0, 2.0, 0.5], np.float32))))
case("get_loss weights f64", lambda: WeightedLoss("none")(a64, b64, Tensor(np.array([1.0, 2.0, 0.5], np.float32))))
case("get_loss default", lambda: PlainGetLoss()(a, b))
case("get_loss int", lambda: PlainGetLoss()(ai, bi))
case("get_loss int none", lambda: PlainGetLoss("none")(ai, bi))

# --- MSELoss / L1Loss ---
for cls in (nn.MSELoss, nn.L1Loss):
    name = cls.__name__
    case(f"{name} default", lambda: cls()(a, b))
    for reduction in ("mean", "sum", "none"):
        case(f"{name} {reduction}", lambda: cls(reduction)(a, b))
    case(f"{name} broadcast (2,3)(3,)", lambda: cls()(a, b3))
    case(f"{name} broadcast none (2,1)(3,)", lambda: cls("none")(b21, b3))
    case(f"{name} broadcast none (3,)(2,3)", lambda: cls("none")(b3, a))
    case(f"{name} f16", lambda: cls()(a16, b16))
    case(f"{name} f16 none", lambda: cls("none")(a16, b16))
    case(f"{name} f64", lambda: cls()(a64, b64))
    case(f"{name} int32", lambda: cls()(ai, bi))
    case(f"{name} int32 none", lambda: cls("none")(ai, bi))
    case(f"{name} f32 f16", lambda: cls()(a, b16))
    case(f"{name} f32 int", lambda: cls("sum")(a, bi))
    case(f"{name} 0-d", lambda: cls()(Tensor(2.0), Tensor(0.5)))
    case(f"{name} mismatch", lambda: cls()(a, Tensor(np.ones((4,), np.float32))))
    case(f"{name} bad reduction", lambda: cls("avg"))
    case(f"{name} numpy", lambda: cls()(a, np.ones((2, 3), np.float32)))
    case(f"{name} repr", lambda: repr(cls()))

# --- SoftmaxCrossEntropyWithLogits ---
SCE = nn.SoftmaxCrossEntropyWithLogits
case("SCE repr", lambda: repr(SCE()))
case("SCE attrs", lambda: (SCE().sparse, SCE().reduction))
case("SCE dense default", lambda: SCE()(logits, onehot))
case("SCE dense probs", lambda: SCE()(logits, probs))
for reduction in ("mean", "sum", "none"):
    case(f"SCE dense {reduction}", lambda: SCE(reduction=reduction)(logits, onehot))
    case(f"SCE sparse i32 {reduction}", lambda: SCE(sparse=True, reduction=reduction)(logits, labels_i32))
    case(f"SCE sparse i64 {reduction}", lambda: SCE(sparse=True, reduction=reduction)(logits, labels_i64))
case("SCE dense int labels", lambda: SCE()(logits, labels_i32))
case("SCE dense int 2-d labels", lambda: SCE()(logits, Tensor(np.eye(5, dtype=np.int32)[[1, 0, 4, 2]])))
case("SCE sparse float labels", lambda: SCE(sparse=True)(logits, labels_f))
case("SCE sparse float labels mean", lambda: SCE(sparse=True, reduction="mean")(logits, labels_f))
case("SCE sparse out of range", lambda: SCE(sparse=True)(logits, Tensor(np.array([1, 0, 7, 2], np.int32))))
case("SCE sparse negative", lambda: SCE(sparse=True)(logits, Tensor(np.array([1, 0, -1, 2], np.int32))))
case("SCE dense shape mismatch", lambda: SCE()(logits, Tensor(np.ones((4, 3), np.float32))))
case("SCE dense f16", lambda: SCE()(Tensor(logits_np.astype(np.float16)), Tensor(np.eye(5, dtype=np.float16)[[1, 0, 4, 2]])))
case("SCE dense f16 mean", lambda: SCE(reduction="mean")(Tensor(logits_np.astype(np.float16)), Tensor(np.eye(5, dtype=np.float16)[[1, 0, 4, 2]])))
case("SCE sparse f16", lambda: SCE(sparse=True)(Tensor(logits_np.astype(np.float16)), labels_i32))
case("SCE sparse f16 mean", lambda: SCE(sparse=True, reduction="mean")(Tensor(logits_np.astype(np.float16)), labels_i32))
case("SCE sparse 3-d none", lambda: SCE(sparse=True)(Tensor(logits_np.reshape(2, 2, 5)), Tensor(np.array([[1, 0], [4, 2]], np.int32))))
case("SCE sparse 2-d labels mean", lambda: SCE(sparse=True, reduction="mean")(logits, Tensor(np.array([[1], [0], [4], [2]], np.int32))))
case("SCE dense f64", lambda: SCE()(Tensor(logits_np.astype(np.float64)), Tensor(np.eye(5)[[1, 0, 4, 2]])))
case("SCE dense mixed f32 f16", lambda: SCE()(logits, Tensor(np.eye(5, dtype=np.float16)[[1, 0, 4, 2]])))
case("SCE 1-d logits", lambda: SCE()(Tensor(logits_np[0]), Tensor(np.eye(5, dtype=np.float32)[1])))
case("SCE sparse 1-d logits", lambda: SCE(sparse=True)(Tensor(logits_np[0]), Tensor(np.array(1, np.int32))))
case("SCE 3-d logits", lambda: SCE()(Tensor(logits_np.reshape(2, 2, 5)), Tensor(np.eye(5, dtype=np.float32)[[1, 0, 4, 2]].reshape(2, 2, 5))))
case("SCE sparse 3-d logits", lambda: SCE(sparse=True, reduction="mean")(Tensor(logits_np.reshape(2, 2, 5)), Tensor(np.array([[1, 0], [4, 2]], np.int32))))
case("SCE bad sparse", lambda: SCE(sparse=1))
case("SCE big logits", lambda: SCE(sparse=True)(Tensor(np.array([[1000.0, 0.0, -1000.0]], np.float32)), Tensor(np.array([2], np.int32))))

# --- CrossEntropyLoss ---
CE = nn.CrossEntropyLoss
weight5 = Tensor(np.array([0.5, 1.0, 2.0, 1.5, 0.25], np.float32))
case("CE default", lambda: CE()(logits, labels_i32))
for reduction in ("mean", "sum", "none"):
    case(f"CE {reduction}", lambda: CE(reduction=reduction)(logits, labels_i32))
    case(f"CE weight {reduction}", lambda: CE(weight=weight5, reduction=reduction)(logits, labels_i32))
    case(f"CE probs {reduction}", lambda: CE(reduction=reduction)(logits, probs))
    case(f"CE probs weight {reduction}", lambda: CE(weight=weight5, reduction=reduction)(logits, probs))
    case(f"CE smoothing {reduction}", lambda: CE(reduction=reduction, label_smoothing=0.1)(logits, labels_i32))
    case(f"CE smoothing weight {reduction}", lambda: CE(weight=weight5, reduction=reduction, label_smoothing=0.2)(logits, labels_i32))
    case(f"CE probs smoothing {reduction}", lambda: CE(reduction=reduction, label_smoothing=0.3)(logits, probs))
    case(f"CE ignore {reduction}", lambda: CE(reduction=reduction, ignore_index=4)(logits, labels_i32))
    case(f"CE ignore -100 {reduction}", lambda: CE(reduction=reduction)(logits, Tensor(np.array([1, -100, 4, 2], np.int32))))
    case(f"CE ignore weight smoothing {reduction}", lambda: CE(weight=weight5, reduction=reduction, ignore_index=0, label_smoothing=0.1)(logits, labels_i32))
case("CE all ignored", lambda: CE(ignore_index=1)(Tensor(logits_np[:1]), Tensor(np.array([1], np.int32))))
case("CE int64 labels", lambda: CE()(logits, labels_i64))
case("CE f64 logits", lambda: CE()(Tensor(logits_np.astype(np.float64)), labels_i32))
case("CE f16 logits", lambda: CE()(Tensor(logits_np.astype(np.float16)), labels_i32))
case("CE f16 probs", lambda: CE()(Tensor(logits_np.astype(np.float16)), Tensor(probs.asnumpy().astype(np.float16))))
case("CE f32 logits f16 probs", lambda: CE()(logits, Tensor(probs.asnumpy().astype(np.float16))))
case("CE int logits", lambda: CE()(Tensor(np.ones((4, 5), np.int32)), labels_i32))
case("CE f64 probs", lambda: CE()(logits, Tensor(probs.asnumpy().astype(np.float64))))
case("CE float labels 1-d", lambda: CE()(logits, labels_f))
case("CE label shape", lambda: CE()(logits, Tensor(np.array([1, 0, 4], np.int32))))
case("CE probs shape", lambda: CE()(logits, Tensor(np.ones((4, 4), np.float32))))
case("CE rank", lambda: CE()(logits, Tensor(np.ones((4, 5, 1), np.int32))))
case("CE 1-d logits", lambda: CE()(Tensor(logits_np[0]), Tensor(np.array(3, np.int32))))
case("CE 1-d logits none", lambda: CE(reduction="none")(Tensor(logits_np[0]), Tensor(np.array(3, np.int32))))
case("CE 1-d probs", lambda: CE()(Tensor(logits_np[0]), Tensor(probs.asnumpy()[0])))
case("CE 1-d probs none", lambda: CE(reduction="none")(Tensor(logits_np[0]), Tensor(probs.asnumpy()[0])))
logits3 = Tensor(rng.normal(size=(2, 3, 4)).astype(np.float32))
labels3 = Tensor(np.array([[0, 2, 1, 1], [2, 2, 0, 1]], np.int32))
case("CE 3-d mean", lambda: CE()(logits3, labels3))
case("CE 3-d none", lambda: CE(reduction="none")(logits3, labels3))
case("CE 3-d weight smoothing", lambda: CE(weight=Tensor(np.array([1.0, 2.0, 3.0], np.float32)), label_smoothing=0.1)(logits3, labels3))
case("CE 3-d probs none", lambda: CE(reduction="none")(logits3, Tensor(np.abs(rng.normal(size=(2, 3, 4))).astype(np.float32))))
logits4 = Tensor(rng.normal(size=(2, 3, 2, 2)).astype(np.float32))
labels4 = Tensor(np.array([[[0, 2], [1, 1]], [[2, 2], [0, 1]]], np.int32))
case("CE 4-d none", lambda: CE(reduction="none")(logits4, labels4))
case("CE 4-d weight mean", lambda: CE(weight=Tensor(np.array([1.0, 2.0, 3.0], np.float32)))(logits4, labels4))
case("CE bad smoothing type", lambda: CE(label_smoothing=1))
case("CE bad smoothing range", lambda: CE(label_smoothing=1.5))
case("CE bad ignore type", lambda: CE(ignore_index=1.0))
case("CE bad weight dtype", lambda: CE(weight=Tensor(np.ones(5, np.float64))))
case("CE bad weight type", lambda: CE(weight=[1.0, 2.0]))
case("CE bad reduction", lambda: CE(reduction="avg"))
case("CE attrs", lambda: (CE().ignore_index, CE().reduction, CE().label_smoothing, CE().weight))

# --- BCEWithLogitsLoss ---
BCE = nn.BCEWithLogitsLoss
w3 = Tensor(np.array([1.0, 2.0, 0.5], np.float32))
pw3 = Tensor(np.array([3.0, 1.0, 0.5], np.float32))
case("BCE default", lambda: BCE()(a, targets01))
for reduction in ("mean", "sum", "none"):
    case(f"BCE {reduction}", lambda: BCE(reduction)(a, targets01))
    case(f"BCE weight {reduction}", lambda: BCE(reduction, weight=w3)(a, targets01))
    case(f"BCE pos_weight {reduction}", lambda: BCE(reduction, pos_weight=pw3)(a, targets01))
    case(f"BCE both {reduction}", lambda: BCE(reduction, weight=w3, pos_weight=pw3)(a, targets01))
case("BCE soft targets", lambda: BCE("none")(a, Tensor(np.array([[0.2, 0.5, 0.9], [1.0, 0.0, 0.3]], np.float32))))
case("BCE weight (2,1)", lambda: BCE("none", weight=Tensor(np.array([[2.0], [0.5]], np.float32)))(a, targets01))
case("BCE big logits", lambda: BCE("none")(Tensor(np.array([100.0, -100.0, 0.0], np.float32)), Tensor(np.array([0.0, 1.0, 1.0], np.float32))))
case("BCE f16", lambda: BCE()(a16, Tensor(targets01.asnumpy().astype(np.float16))))
case("BCE f64", lambda: BCE()(a64, Tensor(targets01.asnumpy().astype(np.float64))))
case("BCE f32 f16", lambda: BCE()(a, Tensor(targets01.asnumpy().astype(np.float16))))
case("BCE f16 f32", lambda: BCE()(a16, targets01))
case("BCE f16 f32 none", lambda: BCE("none")(a16, targets01))
case("BCE f32 f16 weight f32", lambda: BCE(weight=w3)(a, Tensor(targets01.asnumpy().astype(np.float16))))
case("BCE f16 f16 weight f32", lambda: BCE(weight=w3, pos_weight=pw3)(a16, Tensor(targets01.asnumpy().astype(np.float16))))
case("BCE 0-d", lambda: BCE()(Tensor(0.3), Tensor(1.0)))
case("BCE int target", lambda: BCE()(a, Tensor(targets01.asnumpy().astype(np.int32))))
case("BCE shape mismatch", lambda: BCE()(a, Tensor(np.ones((3,), np.float32))))
case("BCE weight mismatch", lambda: BCE(weight=Tensor(np.ones((4,), np.float32)))(a, targets01))
case("BCE weight Parameter", lambda: BCE(weight=ms.Parameter(w3, name="w")))
case("BCE bad reduction", lambda: BCE("avg")(a, targets01))
case("BCE attrs", lambda: (BCE().reduction, BCE().weight, BCE().pos_weight))

# --- NLLLoss ---
logp = ops.log_softmax(logits, 1)
case("NLL default", lambda: nn.NLLLoss()(logp, labels_i32))
for reduction in ("mean", "sum", "none"):
    case(f"NLL weight ignore {reduction}", lambda: nn.NLLLoss(weight=weight5, ignore_index=2, reduction=reduction)(logp, labels_i32))
case("NLL int64", lambda: nn.NLLLoss()(logp, labels_i64))

# --- functional forms ---
case("ops.cross_entropy", lambda: ops.cross_entropy(logits, labels_i32))
case("ops.cross_entropy int64", lambda: ops.cross_entropy(logits, labels_i64))
case("ops.cross_entropy f64 logits", lambda: ops.cross_entropy(Tensor(logits_np.astype(np.float64)), labels_i32))
case("ops.cross_entropy int logits", lambda: ops.cross_entropy(Tensor(np.ones((4, 5), np.int32)), labels_i32))
case("ops.cross_entropy probs sum", lambda: ops.cross_entropy(logits, probs, reduction="sum"))
case("ops.cross_entropy weight smoothing none", lambda: ops.cross_entropy(logits, labels_i32, weight5, 2, "none", 0.1))
case("ops.cross_entropy bad reduction", lambda: ops.cross_entropy(logits, labels_i32, reduction="avg"))
case("ops.cross_entropy numpy", lambda: ops.cross_entropy(logits_np, labels_i32))
case("ops.bce_with_logits", lambda: ops.binary_cross_entropy_with_logits(a, targets01))
case("ops.bce_with_logits weight pos none", lambda: ops.binary_cross_entropy_with_logits(a, targets01, w3, pw3, "none"))
case("ops.bce_with_logits sum", lambda: ops.binary_cross_entropy_with_logits(a, targets01, reduction="sum"))
case("ops.mse_loss", lambda: ops.mse_loss(a, b))
case("ops.mse_loss none bcast", lambda: ops.mse_loss(b21, b3, "none"))
case("ops.mse_loss int", lambda: ops.mse_loss(ai, bi))
case("ops.mse_loss int none", lambda: ops.mse_loss(ai, bi, "none"))
case("ops.mse_loss f16 sum", lambda: ops.mse_loss(a16, b16, "sum"))
case("ops.mse_loss bad reduction", lambda: ops.mse_loss(a, b, "avg"))
case("ops.mse_loss numpy", lambda: ops.mse_loss(a, np.ones((2, 3), np.float32)))
case("ops.l1_loss", lambda: ops.l1_loss(a, b))
case("ops.l1_loss sum", lambda: ops.l1_loss(a, b, "sum"))
case("ops.l1_loss int none", lambda: ops.l1_loss(ai, bi, "none"))
case("ops.l1_loss bad reduction", lambda: ops.l1_loss(a, b, "avg"))
case("ops.nll_loss", lambda: ops.nll_loss(logp, labels_i32))
case("ops.nll_loss smoothing weight none", lambda: ops.nll_loss(logp, labels_i32, weight5, 1, "none", 0.2))
case("ops.nll_loss 3-d", lambda: ops.nll_loss(ops.log_softmax(logits3, 1), labels3))


# --- gradients ---
def ce_fn(x, y):
    return CE()(x, y)


def ce_smooth_fn(x, y):
    return CE(weight=weight5, label_smoothing=0.1, ignore_index=0)(x, y)


def sce_sparse_mean_fn(x, y):
    return SCE(sparse=True, reduction="mean")(x, y)


def sce_sparse_none_fn(x, y):
    return SCE(sparse=True)(x, y)


def sce_dense_sum_fn(x, y):
    return SCE(reduction="sum")(x, y)


def bce_fn(x, y):
    return BCE(weight=w3, pos_weight=pw3)(x, y)


def mse_fn(x, y):
    return nn.MSELoss()(x, y)


def l1_fn(x, y):
    return nn.L1Loss("sum")(x, y)


case("grad CE", lambda: ms.grad(ce_fn)(logits, labels_i32))
case("grad CE probs", lambda: ms.grad(ce_fn, grad_position=(0, 1))(logits, probs))
case("grad CE weight smoothing ignore", lambda: ms.grad(ce_smooth_fn)(logits, labels_i32))
case("grad SCE sparse mean", lambda: ms.grad(sce_sparse_mean_fn)(logits, labels_i32))
case("grad SCE sparse none", lambda: ms.grad(sce_sparse_none_fn)(logits, labels_i32))
case("grad SCE dense sum", lambda: ms.grad(sce_dense_sum_fn, grad_position=(0, 1))(logits, probs))
case("grad BCE", lambda: ms.grad(bce_fn, grad_position=(0, 1))(a, targets01))
case("grad MSE", lambda: ms.grad(mse_fn, grad_position=(0, 1))(a, b3))
case("grad L1", lambda: ms.grad(l1_fn, grad_position=(0, 1))(a, b))
