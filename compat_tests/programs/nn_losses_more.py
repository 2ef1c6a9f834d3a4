"""Probe of the second set of losses: SmoothL1Loss, BCELoss, NLLLoss, KLDivLoss, HuberLoss, CosineEmbeddingLoss,
MarginRankingLoss and their functional forms: values per reduction, dtypes, gradients w.r.t. the inputs, argument
and input errors. Each case prints `label: result`."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops

ms.set_context(pynative_synchronize=True)

from _probe import case  # noqa: E402

rng = np.random.default_rng(11)
x_np = rng.normal(size=(3, 4)).astype(np.float32)
y_np = (x_np + rng.normal(size=(3, 4)) * 1.5).astype(np.float32)
x, y = Tensor(x_np), Tensor(y_np)
x16, y16 = Tensor(x_np.astype(np.float16)), Tensor(y_np.astype(np.float16))
x64, y64 = Tensor(x_np.astype(np.float64)), Tensor(y_np.astype(np.float64))
xi = Tensor(np.array([[1, 2, 3, 4], [0, -1, 5, 2], [3, 3, 3, 3]], np.int32))
y4 = Tensor(np.ones((4,), np.float32))
p_np = (1 / (1 + np.exp(-x_np))).astype(np.float32)
p = Tensor(p_np)
t01 = Tensor(rng.integers(0, 2, size=(3, 4)).astype(np.float32))
tsoft = Tensor(rng.uniform(size=(3, 4)).astype(np.float32))
w4 = Tensor(np.array([1.0, 2.0, 0.5, 0.0], np.float32))
# (MindSpore's CPU BinaryCrossEntropy reads a broadcast weight out of bounds: weights here have the input's shape)
w34 = Tensor(np.tile(w4.asnumpy(), (3, 1)))
# log-probabilities from numpy: MindSpore's float32 log_softmax is a few ulps off
logp_np = x_np - np.log(np.exp(x_np.astype(np.float64)).sum(1, keepdims=True))
logp = Tensor(logp_np.astype(np.float32))
q_np = rng.uniform(size=(3, 4)).astype(np.float32)
q_np[0, 1] = 0.0
q = Tensor(q_np)
sign = Tensor(np.array([1.0, -1.0, 1.0], np.float32))
sign4 = Tensor(np.array([[1.0, -1.0, 1.0, -1.0]] * 3, np.float32))
x1 = Tensor(rng.normal(size=(3, 5)).astype(np.float32))
x2 = Tensor(rng.normal(size=(3, 5)).astype(np.float32))
REDUCTIONS = ("mean", "sum", "none")

# --- SmoothL1Loss / ops.smooth_l1_loss ---
case("SmoothL1 default", lambda: nn.SmoothL1Loss()(x, y))
case("SmoothL1 attrs", lambda: (nn.SmoothL1Loss().beta, nn.SmoothL1Loss().reduction))
for r in REDUCTIONS:
    case(f"SmoothL1 beta 0.5 {r}", lambda: nn.SmoothL1Loss(0.5, r)(x, y))
case("SmoothL1 beta 2 int", lambda: nn.SmoothL1Loss(2, "sum")(x, y))
case("SmoothL1 f16", lambda: nn.SmoothL1Loss(reduction="mean")(x16, y16))
case("SmoothL1 f64", lambda: nn.SmoothL1Loss()(x64, y64))
case("SmoothL1 f32 f16", lambda: nn.SmoothL1Loss()(x, y16))
case("SmoothL1 int", lambda: nn.SmoothL1Loss()(xi, xi))
case("SmoothL1 shape", lambda: nn.SmoothL1Loss()(x, y4))
case("SmoothL1 beta 0", lambda: nn.SmoothL1Loss(0.0)(x, y))
case("SmoothL1 beta -1", lambda: nn.SmoothL1Loss(-1.0)(x, y))
case("SmoothL1 beta str", lambda: nn.SmoothL1Loss("a")(x, y))
case("SmoothL1 bad reduction", lambda: nn.SmoothL1Loss(1.0, "avg")(x, y))
case("SmoothL1 numpy", lambda: nn.SmoothL1Loss()(x_np, y))
case("ops.smooth_l1_loss", lambda: ops.smooth_l1_loss(x, y))
case("ops.smooth_l1_loss beta 0.3 mean", lambda: ops.smooth_l1_loss(x, y, 0.3, "mean"))
case("ops.smooth_l1_loss beta 0 sum", lambda: ops.smooth_l1_loss(x, y, 0.0, "sum"))

# --- BCELoss / ops.binary_cross_entropy ---
case("BCE default", lambda: nn.BCELoss()(p, t01))
case("BCE attrs", lambda: (nn.BCELoss().reduction, nn.BCELoss().weight))
for r in REDUCTIONS:
    case(f"BCE {r}", lambda: nn.BCELoss(reduction=r)(p, tsoft))
    case(f"BCE weight {r}", lambda: nn.BCELoss(w34, r)(p, t01))
case("BCE weight full", lambda: nn.BCELoss(Tensor(np.full((3, 4), 0.5, np.float32)))(p, t01))
case("BCE extremes", lambda: nn.BCELoss(reduction="none")(Tensor(np.array([0.0, 1.0, 0.0, 1.0], np.float32)), Tensor(np.array([0.0, 1.0, 1.0, 0.0], np.float32))))
case("BCE f16", lambda: nn.BCELoss()(Tensor(p_np.astype(np.float16)), Tensor(t01.asnumpy().astype(np.float16))))
case("BCE f64", lambda: nn.BCELoss()(Tensor(p_np.astype(np.float64)), Tensor(t01.asnumpy().astype(np.float64))))
case("BCE f32 f16", lambda: nn.BCELoss()(p, Tensor(t01.asnumpy().astype(np.float16))))
case("BCE int target", lambda: nn.BCELoss()(p, Tensor(t01.asnumpy().astype(np.int32))))
case("BCE shape", lambda: nn.BCELoss()(p, y4))
case("BCE weight shape", lambda: nn.BCELoss(Tensor(np.ones((3,), np.float32)))(p, t01))
case("BCE bad reduction", lambda: nn.BCELoss(reduction="avg")(p, t01))
case("ops.binary_cross_entropy", lambda: ops.binary_cross_entropy(p, t01))
case("ops.binary_cross_entropy weight sum", lambda: ops.binary_cross_entropy(p, t01, w34, "sum"))

# --- NLLLoss / ops.nll_loss ---
for r in REDUCTIONS:
    case(f"NLL {r}", lambda: nn.NLLLoss(reduction=r)(logp, Tensor(np.array([0, 3, 1], np.int32))))
    case(f"NLL ignore weight {r}", lambda: nn.NLLLoss(w4, 1, r)(logp, Tensor(np.array([0, 1, 2], np.int32))))
case("NLL attrs", lambda: (nn.NLLLoss().ignore_index, nn.NLLLoss().reduction, nn.NLLLoss().weight))
case("NLL 1-d", lambda: nn.NLLLoss()(logp[0], Tensor(np.array(2, np.int32))))
case("NLL f16", lambda: nn.NLLLoss()(Tensor(logp_np.astype(np.float16)), Tensor(np.array([0, 3, 1], np.int32))))
case("NLL float labels", lambda: nn.NLLLoss()(logp, Tensor(np.array([0.0, 3.0, 1.0], np.float32))))
case("NLL bad ignore", lambda: nn.NLLLoss(ignore_index=1.5))
case("NLL bad weight", lambda: nn.NLLLoss(weight=Tensor(np.ones(4, np.int32))))
case("NLL bad reduction", lambda: nn.NLLLoss(reduction="avg"))
case("NLL label shape", lambda: nn.NLLLoss()(logp, Tensor(np.array([0, 3], np.int32))))

# --- KLDivLoss / ops.kl_div ---
for r in ("mean", "sum", "none", "batchmean"):
    case(f"KLDiv {r}", lambda: nn.KLDivLoss(r)(logp, q))
    case(f"ops.kl_div {r}", lambda: ops.kl_div(logp, q, r))
case("KLDiv default", lambda: nn.KLDivLoss()(logp, q))
case("KLDiv attrs", lambda: nn.KLDivLoss().reduction)
case("KLDiv f16", lambda: nn.KLDivLoss("sum")(Tensor(logp_np.astype(np.float16)), Tensor(q_np.astype(np.float16))))
case("KLDiv f64", lambda: nn.KLDivLoss("sum")(Tensor(logp_np), Tensor(q_np.astype(np.float64))))
case("KLDiv f32 f16", lambda: nn.KLDivLoss("sum")(logp, Tensor(q_np.astype(np.float16))))
case("KLDiv int", lambda: nn.KLDivLoss("sum")(xi, xi))
case("KLDiv shape", lambda: nn.KLDivLoss("sum")(logp, y4))
case("KLDiv bad reduction", lambda: nn.KLDivLoss("avg")(logp, q))
case("KLDiv numpy", lambda: nn.KLDivLoss("sum")(logp, q_np))
case("ops.kl_div bad reduction type", lambda: ops.kl_div(logp, q, 1))

# --- HuberLoss / ops.huber_loss ---
case("Huber default", lambda: nn.HuberLoss()(x, y))
case("Huber attrs", lambda: (nn.HuberLoss().reduction, nn.HuberLoss().delta))
for r in REDUCTIONS:
    case(f"Huber delta 0.7 {r}", lambda: nn.HuberLoss(r, 0.7)(x, y))
case("Huber delta 2 int", lambda: nn.HuberLoss("sum", 2)(x, y))
case("Huber broadcast", lambda: nn.HuberLoss("none")(x, y4))
case("Huber f16", lambda: nn.HuberLoss()(x16, y16))
case("Huber f64", lambda: nn.HuberLoss()(x64, y64))
case("Huber int", lambda: nn.HuberLoss()(xi, xi + 2))
case("Huber int none", lambda: nn.HuberLoss("none")(xi, xi * 2))
case("Huber f32 f16", lambda: nn.HuberLoss()(x, y16))
case("Huber delta 0", lambda: nn.HuberLoss(delta=0.0)(x, y))
case("Huber delta str", lambda: nn.HuberLoss(delta="a")(x, y))
case("Huber bad reduction", lambda: nn.HuberLoss("avg")(x, y))
case("Huber shape", lambda: nn.HuberLoss()(x, Tensor(np.ones((5,), np.float32))))
case("Huber numpy", lambda: nn.HuberLoss()(x_np, y))
case("ops.huber_loss", lambda: ops.huber_loss(x, y))
case("ops.huber_loss sum 0.5", lambda: ops.huber_loss(x, y, "sum", 0.5))

# --- CosineEmbeddingLoss / ops.cosine_embedding_loss ---
case("CosEmb default", lambda: nn.CosineEmbeddingLoss()(x1, x2, sign))
case("CosEmb attrs", lambda: (nn.CosineEmbeddingLoss().margin, nn.CosineEmbeddingLoss().reduction))
for r in REDUCTIONS:
    case(f"CosEmb margin {r}", lambda: nn.CosineEmbeddingLoss(0.2, r)(x1, x2, sign))
case("CosEmb target 0", lambda: nn.CosineEmbeddingLoss(reduction="none")(x1, x2, Tensor(np.array([1.0, 0.0, -1.0], np.float32))))
case("CosEmb int target", lambda: nn.CosineEmbeddingLoss(reduction="none")(x1, x2, Tensor(np.array([1, -1, -1], np.int32))))
case("CosEmb 3-d", lambda: nn.CosineEmbeddingLoss(reduction="none")(Tensor(rng.normal(size=(2, 3, 2)).astype(np.float32)), Tensor(rng.normal(size=(2, 3, 2)).astype(np.float32)), Tensor(np.array([[1.0, -1.0], [-1.0, 1.0]], np.float32))))
case("CosEmb f16", lambda: nn.CosineEmbeddingLoss()(Tensor(x1.asnumpy().astype(np.float16)), Tensor(x2.asnumpy().astype(np.float16)), sign))
case("CosEmb dtype mismatch", lambda: nn.CosineEmbeddingLoss()(x1, Tensor(x2.asnumpy().astype(np.float16)), sign))
case("CosEmb shape mismatch", lambda: nn.CosineEmbeddingLoss()(x1, Tensor(np.ones((3, 4), np.float32)), sign))
case("CosEmb target shape", lambda: nn.CosineEmbeddingLoss()(x1, x2, Tensor(np.ones((2,), np.float32))))
case("CosEmb margin int", lambda: nn.CosineEmbeddingLoss(1))
case("CosEmb margin range", lambda: nn.CosineEmbeddingLoss(1.5))
case("CosEmb bad reduction", lambda: nn.CosineEmbeddingLoss(0.0, "avg"))
case("CosEmb numpy", lambda: nn.CosineEmbeddingLoss()(x1.asnumpy(), x2, sign))
case("ops.cosine_embedding_loss", lambda: ops.cosine_embedding_loss(x1, x2, sign))
case("ops.cosine_embedding_loss margin int sum", lambda: ops.cosine_embedding_loss(x1, x2, sign, 0, "sum"))
case("ops.cosine_embedding_loss int inputs", lambda: ops.cosine_embedding_loss(Tensor(np.array([[1, 2], [3, 1]], np.int32)), Tensor(np.array([[2, 1], [1, 1]], np.int32)), Tensor(np.array([1, -1], np.int32))))
case("ops.cosine_embedding_loss margin range", lambda: ops.cosine_embedding_loss(x1, x2, sign, 2.0))

# --- MarginRankingLoss / ops.margin_ranking_loss ---
case("MarginRank default", lambda: nn.MarginRankingLoss()(x, y, sign4))
case("MarginRank attrs", lambda: (nn.MarginRankingLoss().margin, nn.MarginRankingLoss().reduction))
for r in REDUCTIONS:
    case(f"MarginRank margin {r}", lambda: nn.MarginRankingLoss(0.3, r)(x, y, sign4))
case("MarginRank f16", lambda: nn.MarginRankingLoss()(x16, y16, Tensor(sign4.asnumpy().astype(np.float16))))
case("MarginRank dtype mismatch", lambda: nn.MarginRankingLoss()(x, y16, sign4))
case("MarginRank target dtype", lambda: nn.MarginRankingLoss()(x, y, Tensor(sign4.asnumpy().astype(np.int32))))
case("MarginRank broadcast", lambda: nn.MarginRankingLoss(reduction="none")(x, y4, sign4))
case("MarginRank margin int", lambda: nn.MarginRankingLoss(1)(x, y, sign4))
case("MarginRank bad reduction", lambda: nn.MarginRankingLoss(0.0, "avg")(x, y, sign4))
case("MarginRank numpy", lambda: nn.MarginRankingLoss()(x_np, y, sign4))
case("ops.margin_ranking_loss", lambda: ops.margin_ranking_loss(x, y, sign4, 0.5, "sum"))


# --- gradients ---
def smooth_l1_fn(a, b):
    return nn.SmoothL1Loss(0.5, "mean")(a, b)


def smooth_l1_none_fn(a, b):
    return nn.SmoothL1Loss()(a, b)


def bce_fn(a, b):
    return nn.BCELoss(w34, "mean")(a, b)


def bce_sum_fn(a, b):
    return ops.binary_cross_entropy(a, b, None, "sum")


def nll_fn(a, b):
    return nn.NLLLoss(w4, 1, "mean")(a, b)


def kl_fn(a, b):
    return nn.KLDivLoss("batchmean")(a, b)


def kl_none_fn(a, b):
    return ops.kl_div(a, b, "none")


def huber_fn(a, b):
    return nn.HuberLoss("mean", 0.7)(a, b)


def huber_int_delta_fn(a, b):
    return ops.huber_loss(a, b, "sum", 2)


def cos_fn(a, b, t):
    return nn.CosineEmbeddingLoss(0.2)(a, b, t)


def margin_fn(a, b, t):
    return nn.MarginRankingLoss(0.3, "sum")(a, b, t)


case("grad SmoothL1", lambda: ms.grad(smooth_l1_fn, grad_position=(0, 1))(x, y))
case("grad SmoothL1 none", lambda: ms.grad(smooth_l1_none_fn, grad_position=(0, 1))(x, y))
case("grad BCE", lambda: ms.grad(bce_fn, grad_position=(0, 1))(p, tsoft))
case("grad BCE sum", lambda: ms.grad(bce_sum_fn, grad_position=(0, 1))(p, t01))
case("grad NLL", lambda: ms.grad(nll_fn)(logp, Tensor(np.array([0, 1, 2], np.int32))))
case("grad KLDiv batchmean", lambda: ms.grad(kl_fn, grad_position=(0, 1))(logp, q))
case("grad kl_div none", lambda: ms.grad(kl_none_fn, grad_position=(0, 1))(logp, q))
case("grad Huber", lambda: ms.grad(huber_fn, grad_position=(0, 1))(x, y))
case("grad Huber int delta", lambda: ms.grad(huber_int_delta_fn, grad_position=(0, 1))(x, y))
case("grad CosEmb", lambda: ms.grad(cos_fn, grad_position=(0, 1, 2))(x1, x2, sign))
case("grad MarginRank", lambda: ms.grad(margin_fn, grad_position=(0, 1, 2))(x, y, sign4))
