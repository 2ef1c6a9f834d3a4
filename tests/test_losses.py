"""Loss Cells (MSELoss, L1Loss, SoftmaxCrossEntropyWithLogits, CrossEntropyLoss, BCEWithLogitsLoss): values against
numpy formulas written here, gradients with respect to the logits against analytic formulas, result dtypes and shapes
per reduction, and the errors MindSpore 2.10 raises (types and op names observed by running MindSpore)."""
import numpy as np
import pytest

import msjax as ms
from msjax import Tensor, nn

RNG = np.random.default_rng(11)
X = RNG.normal(size=(4, 5)).astype(np.float32)          # logits: 4 samples, 5 classes
LABELS = np.array([1, 0, 4, 2], np.int32)
ONEHOT = np.eye(5, dtype=np.float32)[LABELS]
PROBS = (np.abs(RNG.normal(size=(4, 5))) / 3).astype(np.float32)   # rows do not sum to 1
WEIGHT = np.array([0.5, 1.0, 2.0, 1.5, 0.25], np.float32)
A = RNG.normal(size=(2, 3)).astype(np.float32)
B = RNG.normal(size=(2, 3)).astype(np.float32)
TARGETS01 = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]], np.float32)
REDUCTIONS = ("none", "mean", "sum")


@pytest.fixture(autouse=True)
def pynative():
    ms.set_context(mode=ms.PYNATIVE_MODE)
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


def val(t):
    return t.asnumpy()


def reduce(x, reduction):
    return {"none": x, "mean": np.mean(x), "sum": np.sum(x)}[reduction]


def log_softmax(x, axis):
    x = x.astype(np.float64)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(x, axis=-1):
    return np.exp(log_softmax(x, axis))


def grad_wrt_logits(loss_fn, logits, labels):
    def forward(x, y):
        return loss_fn(x, y)
    return val(ms.grad(forward, grad_position=0)(Tensor(logits), Tensor(labels)))


# --- MSELoss / L1Loss -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_and_l1_values_and_shapes(reduction):
    mse = nn.MSELoss(reduction)(Tensor(A), Tensor(B))
    l1 = nn.L1Loss(reduction)(Tensor(A), Tensor(B))
    np.testing.assert_allclose(val(mse), reduce((A - B) ** 2, reduction), rtol=1e-6)
    np.testing.assert_allclose(val(l1), reduce(np.abs(A - B), reduction), rtol=1e-6)
    expected_shape = (2, 3) if reduction == "none" else ()
    assert mse.shape == l1.shape == expected_shape
    assert mse.dtype == l1.dtype == ms.float32


def test_mse_and_l1_default_to_mean_and_broadcast():
    np.testing.assert_allclose(val(nn.MSELoss()(Tensor(A), Tensor(B))), np.mean((A - B) ** 2), rtol=1e-6)
    row = B[0]
    out = nn.L1Loss("none")(Tensor(A), Tensor(row))
    assert out.shape == (2, 3)
    np.testing.assert_allclose(val(out), np.abs(A - row), rtol=1e-6)
    col = A[:, :1]
    np.testing.assert_allclose(val(nn.MSELoss("sum")(Tensor(col), Tensor(row))), np.sum((col - row) ** 2), rtol=1e-6)


def test_mse_and_l1_gradients():
    n = A.size
    np.testing.assert_allclose(grad_wrt_logits(nn.MSELoss(), A, B), 2 * (A - B) / n, rtol=1e-5)
    np.testing.assert_allclose(grad_wrt_logits(nn.MSELoss("sum"), A, B), 2 * (A - B), rtol=1e-5)
    np.testing.assert_allclose(grad_wrt_logits(nn.L1Loss(), A, B), np.sign(A - B) / n, rtol=1e-6)


def test_mse_and_l1_dtypes():
    a16, b16 = Tensor(A.astype(np.float16)), Tensor(B.astype(np.float16))
    for cls in (nn.MSELoss, nn.L1Loss):
        out = cls()(a16, b16)
        assert out.dtype == ms.float16
        assert cls("none")(a16, b16).dtype == ms.float16
        assert cls()(Tensor(A.astype(np.float64)), Tensor(B.astype(np.float64))).dtype == ms.float64
        assert cls()(Tensor(A), b16).dtype == ms.float32
    # integer inputs: computed in float32, cast back (truncating) to the input dtype
    ai = Tensor(np.array([[1, 2, 3], [4, 5, 6]], np.int32))
    bi = Tensor(np.array([[0, 2, 5], [1, 1, 1]], np.int32))
    out = nn.MSELoss()(ai, bi)
    assert out.dtype == ms.int32 and int(out) == 9  # mean of [1, 0, 4, 9, 16, 25] = 9.17
    np.testing.assert_allclose(val(nn.MSELoss()(a16, b16)), np.mean((A.astype(np.float16) - B.astype(np.float16))
                                                                     .astype(np.float32) ** 2), rtol=2e-3)


def test_mse_and_l1_errors():
    for cls, name in ((nn.MSELoss, "MSELoss"), (nn.L1Loss, "L1Loss")):
        with pytest.raises(ValueError, match=f"For '{name}', the 'reduction' must be in"):
            cls("avg")
        with pytest.raises(ValueError, match="need to broadcast"):
            cls()(Tensor(A), Tensor(np.ones(4, np.float32)))
    with pytest.raises(TypeError, match="For 'MSELoss', the 'labels' must be"):
        nn.MSELoss()(Tensor(A), B)


# --- SoftmaxCrossEntropyWithLogits ------------------------------------------------------------------------------

def sce_reference(logits, labels, reduction):
    return reduce(-(labels * log_softmax(logits, -1)).sum(-1), reduction)


def test_sce_defaults():
    loss = nn.SoftmaxCrossEntropyWithLogits()
    assert loss.sparse is False and loss.reduction == "none"
    out = loss(Tensor(X), Tensor(ONEHOT))
    assert out.shape == (4,) and out.dtype == ms.float32
    np.testing.assert_allclose(val(out), sce_reference(X, ONEHOT, "none"), rtol=1e-5)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_sce_dense_and_sparse_values(reduction):
    dense = nn.SoftmaxCrossEntropyWithLogits(reduction=reduction)(Tensor(X), Tensor(PROBS))
    np.testing.assert_allclose(val(dense), sce_reference(X, PROBS, reduction), rtol=1e-5)
    for label_dtype in (np.int32, np.int64):
        sparse = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction=reduction)(
            Tensor(X), Tensor(LABELS.astype(label_dtype)))
        np.testing.assert_allclose(val(sparse), sce_reference(X, ONEHOT, reduction), rtol=1e-5)
        assert sparse.shape == ((4,) if reduction == "none" else ()) and sparse.dtype == ms.float32


def test_sce_gradient_is_softmax_minus_labels():
    # MindSpore's backward is softmax - labels, even for labels that do not sum to one (not the true derivative
    # softmax * sum(labels) - labels); the labels get no gradient.
    def forward(x, y):
        return nn.SoftmaxCrossEntropyWithLogits(reduction="sum")(x, y)
    gx, gy = ms.grad(forward, grad_position=(0, 1))(Tensor(X), Tensor(PROBS))
    np.testing.assert_allclose(val(gx), softmax(X) - PROBS, rtol=1e-5, atol=1e-7)
    assert not val(gy).any()
    sparse_mean = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    np.testing.assert_allclose(grad_wrt_logits(sparse_mean, X, LABELS), (softmax(X) - ONEHOT) / 4, rtol=1e-5,
                               atol=1e-7)
    sparse_none = nn.SoftmaxCrossEntropyWithLogits(sparse=True)
    np.testing.assert_allclose(grad_wrt_logits(sparse_none, X, LABELS), softmax(X) - ONEHOT, rtol=1e-5, atol=1e-7)


def test_sce_float16():
    x16, onehot16 = Tensor(X.astype(np.float16)), Tensor(ONEHOT.astype(np.float16))
    dense = nn.SoftmaxCrossEntropyWithLogits()(x16, onehot16)
    assert dense.dtype == ms.float16
    np.testing.assert_allclose(val(dense), sce_reference(X.astype(np.float16), ONEHOT, "none"), rtol=2e-3)
    sparse_mean = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")(x16, Tensor(LABELS))
    assert sparse_mean.dtype == ms.float16
    # sparse with reduction 'none' one-hots the labels as float32, which the float16 logits refuse
    with pytest.raises(TypeError, match=r"For primitive\[SoftmaxCrossEntropyWithLogits\], the input type must be same"):
        nn.SoftmaxCrossEntropyWithLogits(sparse=True)(x16, Tensor(LABELS))


def test_sce_errors():
    sce = nn.SoftmaxCrossEntropyWithLogits
    with pytest.raises(ValueError, match="For 'SoftmaxCrossEntropyWithLogits', the 'reduction' must be in"):
        sce(reduction="avg")
    with pytest.raises(TypeError, match="For 'SoftmaxCrossEntropyWithLogits', the 'sparse' must be a bool"):
        sce(sparse=1)
    with pytest.raises(TypeError, match=r"primitive\[SoftmaxCrossEntropyWithLogits\], the input type must be same"):
        sce()(Tensor(X), Tensor(ONEHOT.astype(np.int32)))
    with pytest.raises(TypeError, match=r"primitive\[SoftmaxCrossEntropyWithLogits\].*Float16.*Float32"):
        sce()(Tensor(X.astype(np.float64)), Tensor(ONEHOT.astype(np.float64)))
    with pytest.raises(ValueError, match="For 'SoftmaxCrossEntropyWithLogits', evaluator arg 'label' shape"):
        sce()(Tensor(X), Tensor(np.ones((4, 3), np.float32)))
    with pytest.raises(TypeError, match=r"primitive\[OneHot\]"):
        sce(sparse=True)(Tensor(X), Tensor(LABELS.astype(np.float32)))
    with pytest.raises(TypeError, match=r"primitive\[SparseSoftmaxCrossEntropyWithLogits\]"):
        sce(sparse=True, reduction="mean")(Tensor(X), Tensor(LABELS.astype(np.float32)))
    with pytest.raises(ValueError, match="SparseSoftmaxCrossEntropyWithLogits"):
        sce(sparse=True, reduction="mean")(Tensor(X), Tensor(LABELS[:3]))
    with pytest.raises(ValueError, match="dimension of 'logits' must be equal to 2"):
        sce()(Tensor(X[0]), Tensor(ONEHOT[0]))


# --- CrossEntropyLoss ---------------------------------------------------------------------------------------------

def ce_index_reference(logits, labels, weight, ignore_index, reduction, smoothing):
    """Class-index cross entropy (class axis 1): (1 - s) * nll + s / C * sum_c w_c * -log p_c per sample; ignored
    samples give 0; 'mean' divides by the summed weights of the labels that are not ignored."""
    classes = logits.shape[1]
    logp = np.moveaxis(log_softmax(logits, 1), 1, -1)
    w = np.ones(classes) if weight is None else weight.astype(np.float64)
    keep = labels != ignore_index
    safe = np.where(keep, labels, 0)
    picked = np.take_along_axis(logp, safe[..., None], -1)[..., 0]
    nll = np.where(keep, -w[safe] * picked, 0.0)
    smooth = np.where(keep, -(logp * w).sum(-1), 0.0)
    if reduction == "none":
        return (1 - smoothing) * nll + smoothing / classes * smooth
    total = 1.0 if reduction == "sum" else np.where(keep, w[safe], 0.0).sum()
    return (1 - smoothing) * nll.sum() / total + smoothing / classes * smooth.sum() / total


def ce_prob_reference(logits, probs, weight, reduction, smoothing):
    classes = logits.shape[1]
    target = probs * (1 - smoothing) + smoothing / classes
    w = np.ones(classes) if weight is None else weight.astype(np.float64)
    per_sample = -(log_softmax(logits, 1) * target * w.reshape([1, classes] + [1] * (logits.ndim - 2))).sum(1)
    if reduction == "none":
        return per_sample
    return per_sample.sum() / (per_sample.size if reduction == "mean" else 1)


CE_OPTIONS = [dict(), dict(weight=WEIGHT), dict(label_smoothing=0.1), dict(ignore_index=4),
              dict(weight=WEIGHT, ignore_index=0, label_smoothing=0.2)]


def test_ce_defaults():
    loss = nn.CrossEntropyLoss()
    assert (loss.weight, loss.ignore_index, loss.reduction, loss.label_smoothing) == (None, -100, "mean", 0.0)
    out = loss(Tensor(X), Tensor(LABELS))
    assert out.shape == () and out.dtype == ms.float32
    np.testing.assert_allclose(val(out), ce_index_reference(X, LABELS, None, -100, "mean", 0.0), rtol=1e-5)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", CE_OPTIONS, ids=lambda o: ",".join(o) or "plain")
def test_ce_class_indices(reduction, options):
    kwargs = {k: Tensor(v) if k == "weight" else v for k, v in options.items()}
    out = nn.CrossEntropyLoss(reduction=reduction, **kwargs)(Tensor(X), Tensor(LABELS))
    expected = ce_index_reference(X, LABELS, options.get("weight"), options.get("ignore_index", -100), reduction,
                                  options.get("label_smoothing", 0.0))
    np.testing.assert_allclose(val(out), expected, rtol=1e-5, atol=1e-7)
    assert out.shape == ((4,) if reduction == "none" else ()) and out.dtype == ms.float32


def test_ce_ignore_index_default_and_all_ignored():
    labels = np.array([1, -100, 4, 2], np.int32)
    out = nn.CrossEntropyLoss(reduction="none")(Tensor(X), Tensor(labels))
    assert val(out)[1] == 0.0
    np.testing.assert_allclose(val(nn.CrossEntropyLoss()(Tensor(X), Tensor(labels))),
                               ce_index_reference(X, labels, None, -100, "mean", 0.0), rtol=1e-5)
    # every sample ignored: 0 / 0
    assert np.isnan(val(nn.CrossEntropyLoss(ignore_index=1)(Tensor(X[:1]), Tensor(LABELS[:1]))))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", [dict(), dict(weight=WEIGHT), dict(label_smoothing=0.3),
                                     dict(weight=WEIGHT, label_smoothing=0.1)], ids=lambda o: ",".join(o) or "plain")
def test_ce_probabilities(reduction, options):
    kwargs = {k: Tensor(v) if k == "weight" else v for k, v in options.items()}
    out = nn.CrossEntropyLoss(reduction=reduction, **kwargs)(Tensor(X), Tensor(PROBS))
    expected = ce_prob_reference(X, PROBS, options.get("weight"), reduction, options.get("label_smoothing", 0.0))
    np.testing.assert_allclose(val(out), expected, rtol=1e-5)
    assert out.shape == ((4,) if reduction == "none" else ())


def test_ce_higher_rank_and_1d_logits():
    logits = RNG.normal(size=(2, 3, 4)).astype(np.float32)      # (N, C, d)
    labels = np.array([[0, 2, 1, 1], [2, 2, 0, 1]], np.int32)
    out = nn.CrossEntropyLoss(reduction="none")(Tensor(logits), Tensor(labels))
    assert out.shape == (2, 4)
    np.testing.assert_allclose(val(out), ce_index_reference(logits, labels, None, -100, "none", 0.0), rtol=1e-5)
    w3 = np.array([1.0, 2.0, 3.0], np.float32)
    out = nn.CrossEntropyLoss(weight=Tensor(w3), label_smoothing=0.1)(Tensor(logits), Tensor(labels))
    np.testing.assert_allclose(val(out), ce_index_reference(logits, labels, w3, -100, "mean", 0.1), rtol=1e-5)
    # 1-d logits are one sample of C classes; the label is 0-d
    single = nn.CrossEntropyLoss(reduction="none")(Tensor(X[0]), Tensor(np.array(3, np.int32)))
    assert single.shape == ()
    np.testing.assert_allclose(val(single), -log_softmax(X[0], 0)[3], rtol=1e-5)


def test_ce_gradients():
    n = X.shape[0]
    p = softmax(X)
    np.testing.assert_allclose(grad_wrt_logits(nn.CrossEntropyLoss(), X, LABELS), (p - ONEHOT) / n, rtol=1e-5,
                               atol=1e-7)
    # weight, ignore_index and label smoothing: per sample (1 - s) w_y (p - e_y) + s / C (sum(w) p - w), over the
    # summed weights of the kept labels
    s, ignore = 0.2, 0
    keep = (LABELS != ignore)[:, None]
    total = WEIGHT[LABELS][LABELS != ignore].sum()
    expected = ((1 - s) * WEIGHT[LABELS][:, None] * (p - ONEHOT) + s / 5 * (WEIGHT.sum() * p - WEIGHT)) * keep / total
    loss = nn.CrossEntropyLoss(weight=Tensor(WEIGHT), ignore_index=ignore, label_smoothing=s)
    np.testing.assert_allclose(grad_wrt_logits(loss, X, LABELS), expected, rtol=1e-5, atol=1e-7)
    # probabilities, sum: p * sum(t) - t per sample
    np.testing.assert_allclose(grad_wrt_logits(nn.CrossEntropyLoss(reduction="sum"), X, PROBS),
                               p * PROBS.sum(1, keepdims=True) - PROBS, rtol=1e-5, atol=1e-7)


def test_ce_float16():
    x16 = Tensor(X.astype(np.float16))
    out = nn.CrossEntropyLoss()(x16, Tensor(LABELS))
    assert out.dtype == ms.float16
    np.testing.assert_allclose(val(out), ce_index_reference(X.astype(np.float16), LABELS, None, -100, "mean", 0.0),
                               rtol=2e-3)
    assert nn.CrossEntropyLoss()(x16, Tensor(PROBS.astype(np.float16))).dtype == ms.float16
    assert nn.CrossEntropyLoss()(Tensor(X), Tensor(PROBS.astype(np.float16))).dtype == ms.float32


@pytest.mark.parametrize("dtype", [np.int64, np.int16, np.uint8, np.float32])
def test_ce_class_indices_must_be_int32(dtype):
    # CrossEntropyLoss takes class indices only as Int32 (the functional ops.cross_entropy takes Int64 too)
    with pytest.raises(TypeError, match=f"For 'CrossEntropyLoss', the 'labels' should be Int32, but got "
                                        f"'mindspore.{np.dtype(dtype).name}'"):
        nn.CrossEntropyLoss()(Tensor(X), Tensor(LABELS.astype(dtype)))
    if dtype is np.int64:
        np.testing.assert_allclose(val(ms.ops.cross_entropy(Tensor(X), Tensor(LABELS.astype(dtype)))),
                                   ce_index_reference(X, LABELS, None, -100, "mean", 0.0), rtol=1e-5)


def test_ce_errors():
    ce = nn.CrossEntropyLoss
    with pytest.raises(ValueError, match="For 'CrossEntropyLoss', the 'reduction' must be in"):
        ce(reduction="avg")
    with pytest.raises(ValueError, match="For 'CrossEntropyLoss', the 'label_smoothing' must be in range of"):
        ce(label_smoothing=1.5)
    with pytest.raises(TypeError, match="For 'CrossEntropyLoss', the type of 'label_smoothing' should be 'float'"):
        ce(label_smoothing=1)
    with pytest.raises(TypeError, match="For 'CrossEntropyLoss', the type of 'ignore_index' should be 'int'"):
        ce(ignore_index=1.0)
    with pytest.raises(TypeError, match="For 'CrossEntropyLoss', the 'weight' should be one of"):
        ce(weight=Tensor(np.ones(5)))
    with pytest.raises(TypeError, match="For 'CrossEntropyLoss', the type of 'weight' should be 'Tensor'"):
        ce(weight=[1.0] * 5)
    with pytest.raises(TypeError, match="For 'CrossEntropyLoss', the 'logits' should be one of"):
        ce()(Tensor(X.astype(np.float64)), Tensor(LABELS))
    with pytest.raises(TypeError, match="For 'CrossEntropyLoss', the 'labels' should be one of"):
        ce()(Tensor(X), Tensor(PROBS.astype(np.float64)))
    with pytest.raises(ValueError, match=r"For 'CrossEntropyLoss', the shape of 'logits' .* \(N, d_0"):
        ce()(Tensor(X), Tensor(LABELS[:3]))
    with pytest.raises(ValueError, match=r"For 'CrossEntropyLoss', the shape of 'logits' .* \(N, C, d_0"):
        ce()(Tensor(X), Tensor(np.ones((4, 4), np.float32)))
    with pytest.raises(ValueError, match="For 'CrossEntropyLoss', the rank of 'logits' and 'labels'"):
        ce()(Tensor(X), Tensor(np.ones((4, 5, 1), np.int32)))
    with pytest.raises(TypeError, match="For 'CrossEntropyLoss', the 'labels' must be"):
        ce()(Tensor(X), LABELS)
    # a weight of the wrong length: Gather of the weight by the labels first, then its Mul with the logits
    with pytest.raises(RuntimeError, match="For 'Gather', the 'input_indices' should be in the range"):
        ce(weight=Tensor(WEIGHT[:3]))(Tensor(X), Tensor(LABELS))
    with pytest.raises(ValueError, match="For 'Mul'"):
        ce(weight=Tensor(WEIGHT[:3]))(Tensor(X), Tensor(np.array([1, 0, 2, 2], np.int32)))
    with pytest.raises(ValueError, match="For 'Mul'"):
        ce(weight=Tensor(WEIGHT[:3]))(Tensor(X), Tensor(PROBS))
    with pytest.raises(RuntimeError, match=r"For 'GatherD', the value of 'index' must be in \[-5, 5\), but got: 7"):
        ce()(Tensor(X), Tensor(np.array([1, 0, 7, 2], np.int32)))
    # negative labels inside [-C, C) count from the end, as in MindSpore; an ignored label may be anything
    np.testing.assert_allclose(val(ce(weight=Tensor(WEIGHT))(Tensor(X), Tensor(np.array([1, 0, -1, 2], np.int32)))),
                               ce_index_reference(X, LABELS, WEIGHT, -100, "mean", 0.0), rtol=1e-5)
    assert np.isfinite(val(ce(ignore_index=7)(Tensor(X), Tensor(np.array([1, 0, 7, 2], np.int32)))))


# --- BCEWithLogitsLoss --------------------------------------------------------------------------------------------

def bce_reference(x, y, weight, pos_weight, reduction):
    x, y = x.astype(np.float64), y.astype(np.float64)
    log_sig = -np.logaddexp(0, -x)
    log_one_minus = -np.logaddexp(0, x)
    p = 1.0 if pos_weight is None else pos_weight
    loss = -(p * y * log_sig + (1 - y) * log_one_minus)
    if weight is not None:
        loss = loss * weight
    return reduce(loss, reduction)


W3 = np.array([1.0, 2.0, 0.5], np.float32)
PW3 = np.array([3.0, 1.0, 0.5], np.float32)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight, pos_weight", [(None, None), (W3, None), (None, PW3), (W3, PW3),
                                                (np.array([[2.0], [0.5]], np.float32), None)])
def test_bce_values(reduction, weight, pos_weight):
    loss = nn.BCEWithLogitsLoss(reduction, weight=None if weight is None else Tensor(weight),
                                pos_weight=None if pos_weight is None else Tensor(pos_weight))
    out = loss(Tensor(A), Tensor(TARGETS01))
    np.testing.assert_allclose(val(out), bce_reference(A, TARGETS01, weight, pos_weight, reduction), rtol=1e-5)
    assert out.shape == ((2, 3) if reduction == "none" else ()) and out.dtype == ms.float32


def test_bce_defaults_soft_targets_and_large_logits():
    loss = nn.BCEWithLogitsLoss()
    assert (loss.reduction, loss.weight, loss.pos_weight) == ("mean", None, None)
    soft = np.array([[0.2, 0.5, 0.9], [1.0, 0.0, 0.3]], np.float32)
    np.testing.assert_allclose(val(loss(Tensor(A), Tensor(soft))), bce_reference(A, soft, None, None, "mean"),
                               rtol=1e-5)
    big = nn.BCEWithLogitsLoss("none")(Tensor(np.array([100.0, -100.0, 0.0], np.float32)),
                                       Tensor(np.array([0.0, 1.0, 1.0], np.float32)))
    np.testing.assert_allclose(val(big), [100.0, 100.0, np.log(2)], rtol=1e-6)


def test_bce_gradient():
    # d/dx [w ((1 - y) x + (1 + (p - 1) y) softplus(-x))] = w ((1 - y) - (1 + (p - 1) y) sigmoid(-x))
    loss = nn.BCEWithLogitsLoss("sum", weight=Tensor(W3), pos_weight=Tensor(PW3))
    expected = W3 * ((1 - TARGETS01) - (1 + (PW3 - 1) * TARGETS01) / (1 + np.exp(A)))
    np.testing.assert_allclose(grad_wrt_logits(loss, A, TARGETS01), expected, rtol=1e-5, atol=1e-7)
    expected_mean = ((1 - TARGETS01) - 1 / (1 + np.exp(A))) / A.size
    np.testing.assert_allclose(grad_wrt_logits(nn.BCEWithLogitsLoss(), A, TARGETS01), expected_mean, rtol=1e-5,
                               atol=1e-7)


def test_bce_dtypes_follow_the_target():
    a16, t16 = Tensor(A.astype(np.float16)), Tensor(TARGETS01.astype(np.float16))
    assert nn.BCEWithLogitsLoss()(a16, t16).dtype == ms.float16
    assert nn.BCEWithLogitsLoss()(Tensor(A), t16).dtype == ms.float16
    assert nn.BCEWithLogitsLoss("none")(a16, Tensor(TARGETS01)).dtype == ms.float32
    np.testing.assert_allclose(val(nn.BCEWithLogitsLoss()(a16, t16)),
                               bce_reference(A.astype(np.float16), TARGETS01, None, None, "mean"), rtol=2e-3)


def test_bce_errors():
    bce = nn.BCEWithLogitsLoss
    t = Tensor(TARGETS01)
    with pytest.raises(ValueError, match="For 'BCEWithLogitsLoss', two inputs 'input' and 'target' shape are not"):
        bce()(Tensor(A), Tensor(np.ones(3, np.float32)))
    with pytest.raises(TypeError, match=r"For primitive\[BCEWithLogitsLoss\], the input argument\[target\]"):
        bce()(Tensor(A), Tensor(TARGETS01.astype(np.int32)))
    with pytest.raises(TypeError, match=r"For primitive\[BCEWithLogitsLoss\], the input argument\[input\]"):
        bce()(Tensor(A.astype(np.float64)), Tensor(TARGETS01.astype(np.float64)))
    with pytest.raises(TypeError, match=r"For primitive\[BCEWithLogitsLoss\], the input argument\[weight\]"):
        bce(weight=Tensor(np.ones(3)))(Tensor(A), t)
    for name in ("weight", "pos_weight"):
        for shape in ((4,), (1, 2, 3)):
            with pytest.raises(ValueError, match=f"For 'BCEWithLogitsLoss', the shape of '{name}' can not broadcast"):
                bce(**{name: Tensor(np.ones(shape, np.float32))})(Tensor(A), t)
    with pytest.raises(TypeError, match="For 'BCEWithLogitsLoss', the 'weight' can not be a Parameter"):
        bce(weight=ms.Parameter(Tensor(W3), name="w"))
    # the reduction is checked when the loss runs, not when it is built
    loss = bce("avg")
    with pytest.raises(ValueError, match="BCEWithLogitsLoss"):
        loss(Tensor(A), t)


# --- losses under compilation -------------------------------------------------------------------------------------

@pytest.mark.parametrize("loss", [nn.CrossEntropyLoss(weight=Tensor(WEIGHT), label_smoothing=0.1),
                                  nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")],
                         ids=["CrossEntropyLoss", "SoftmaxCrossEntropyWithLogits"])
def test_losses_compiled_match_pynative(loss):
    eager = val(loss(Tensor(X), Tensor(LABELS)))
    np.testing.assert_allclose(val(ms.jit(loss)(Tensor(X), Tensor(LABELS))), eager, rtol=1e-6)
    ms.set_context(mode=ms.GRAPH_MODE)
    np.testing.assert_allclose(val(loss(Tensor(X), Tensor(LABELS))), eager, rtol=1e-6)


# --- SmoothL1Loss, BCELoss, KLDivLoss, HuberLoss, CosineEmbeddingLoss, MarginRankingLoss -------------------------

from msjax import ops  # noqa: E402

P = (1 / (1 + np.exp(-A))).astype(np.float32)


def _reduce(x, reduction):
    return {"none": x, "mean": x.mean(), "sum": x.sum()}[reduction]


def _raises(exc, message, fn):
    with pytest.raises(exc) as info:
        fn()
    assert str(info.value).startswith(message), str(info.value)


def test_new_loss_defaults():
    assert (nn.SmoothL1Loss().beta, nn.SmoothL1Loss().reduction) == (1.0, "none")
    assert (nn.BCELoss().reduction, nn.BCELoss().weight) == ("mean", None)
    assert nn.KLDivLoss().reduction == "mean" and nn.HuberLoss().delta == 1.0 and nn.HuberLoss().reduction == "mean"
    assert nn.MarginRankingLoss().margin == 0.0 and nn.CosineEmbeddingLoss().margin == 0.0
    with pytest.raises(AttributeError, match="The 'CosineEmbeddingLoss' object has no attribute 'reduction'"):
        nn.CosineEmbeddingLoss().reduction  # noqa: B018
    assert repr(nn.SmoothL1Loss()) == "SmoothL1Loss()" and ops.SmoothL1Loss is not None


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_smooth_l1_and_huber_values(reduction):
    d = np.abs(A - B)
    smooth = np.where(d < 0.5, 0.5 * d * d / 0.5, d - 0.25)
    out = nn.SmoothL1Loss(0.5, reduction)(Tensor(A), Tensor(B))
    assert out.dtype == ms.float32 and np.allclose(val(out), _reduce(smooth, reduction), rtol=1e-6)
    huber = np.where(d < 0.7, 0.5 * d * d, 0.7 * (d - 0.35))
    out = nn.HuberLoss(reduction, 0.7)(Tensor(A), Tensor(B))
    assert out.dtype == ms.float32 and np.allclose(val(out), _reduce(huber, reduction), rtol=1e-6)


def test_smooth_l1_dtypes_and_errors():
    assert nn.SmoothL1Loss(reduction="mean")(Tensor(A, ms.float16), Tensor(B, ms.float16)).dtype == ms.float16
    assert nn.SmoothL1Loss()(Tensor(A), Tensor(B, ms.float16)).dtype == ms.float32
    assert nn.SmoothL1Loss()(Tensor(A.astype(np.float64)), Tensor(B)).dtype == ms.float64
    _raises(TypeError, "Select CPU operator[SmoothL1Loss] fail! Unsupported data type!",
            lambda: nn.SmoothL1Loss()(Tensor(np.ones((2, 3), np.int32)), Tensor(np.ones((2, 3), np.int32))))
    _raises(ValueError, "For primitive[SmoothL1Loss], the prediction_shape: [2,3,] must be equal to [3,]",
            lambda: nn.SmoothL1Loss()(Tensor(A), Tensor(B[0])))
    _raises(RuntimeError, "For 'SmoothL1Loss', the values for beta should greater than 0, but got 0.",
            lambda: nn.SmoothL1Loss(0.0)(Tensor(A), Tensor(B)))
    _raises(TypeError, "For 'SmoothL1Loss', the type of 'beta' should be one of '[bool, int, float]', but got "
            "<class 'str'>.", lambda: nn.SmoothL1Loss("a"))
    _raises(ValueError, "For 'SmoothL1Loss', the 'reduction' must be in ['mean', 'sum', 'none'], but got avg.",
            lambda: nn.SmoothL1Loss(1.0, "avg"))
    _raises(RuntimeError, "The kernel L1LossExt unregistered.", lambda: ops.smooth_l1_loss(Tensor(A), Tensor(B), 0.0))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_values_and_gradient(reduction):
    w = np.full((2, 3), 0.5, np.float32)
    expected = -w * (TARGETS01 * np.log(P) + (1 - TARGETS01) * np.log(1 - P))
    out = nn.BCELoss(Tensor(w), reduction)(Tensor(P), Tensor(TARGETS01))
    assert np.allclose(val(out), _reduce(expected, reduction), rtol=1e-5)
    dp, dy = ms.grad(ops.binary_cross_entropy, grad_position=(0, 1))(Tensor(P), Tensor(TARGETS01))
    n = P.size
    assert np.allclose(val(dp), (P - TARGETS01) / (P * (1 - P)) / n, rtol=1e-4)
    assert np.allclose(val(dy), -(np.log(P) - np.log(1 - P)) / n, rtol=1e-4)


def test_bce_clamps_logs_and_errors():
    out = nn.BCELoss(reduction="none")(Tensor(np.array([0.0, 1.0], np.float32)), Tensor(np.array([1.0, 0.0],
                                                                                                 np.float32)))
    assert np.allclose(val(out), -np.log(1e-12))
    _raises(TypeError, "For Primitive[BinaryCrossEntorpy], the type of the input must be [Float16, Float32, "
            "BFloat16], but got Float64!", lambda: nn.BCELoss()(Tensor(P.astype(np.float64)), Tensor(TARGETS01)))
    _raises(TypeError, "For primitive[BinaryCrossEntorpy], the input and target should have same type, but got: "
            "Float32 and Float16.", lambda: nn.BCELoss()(Tensor(P), Tensor(TARGETS01, ms.float16)))
    _raises(ValueError, "For primitive[BinaryCrossEntropy], the input_shape: [2,3,] must be equal to [3,]",
            lambda: nn.BCELoss()(Tensor(P), Tensor(TARGETS01[0])))
    _raises(ValueError, "For 'BinaryCrossEntropy', the shape of 'weight' can not broadcast to the shape of 'input'.",
            lambda: nn.BCELoss(Tensor(np.ones(2, np.float32)))(Tensor(P), Tensor(TARGETS01)))
    _raises(ValueError, "For 'BCELoss', the 'reduction' must be in ['mean', 'sum', 'none'], but got avg.",
            lambda: nn.BCELoss(reduction="avg"))


def test_kl_div_reductions_gradient_and_errors():
    logp = Tensor(X - np.log(np.exp(X).sum(1, keepdims=True)))
    q = PROBS.copy()
    q[0, 0] = 0.0
    pointwise = np.where(q > 0, q * (np.log(np.where(q > 0, q, 1)) - val(logp)), 0)
    for reduction, expected in (("none", pointwise), ("sum", pointwise.sum()), ("mean", pointwise.mean()),
                                ("batchmean", pointwise.sum() / 4)):
        assert np.allclose(val(nn.KLDivLoss(reduction)(logp, Tensor(q))), expected, rtol=1e-5)
    dx, dq = ms.grad(ops.kl_div, grad_position=(0, 1))(logp, Tensor(q), "batchmean")
    assert np.allclose(val(dx), -q / 4) and not val(dq).any()  # MindSpore passes no gradient to the labels
    assert nn.KLDivLoss("sum")(Tensor(val(logp), ms.float16), Tensor(q, ms.float16)).dtype == ms.float16
    _raises(TypeError, "For primitive[KLDivLoss], the input type must be same.",
            lambda: nn.KLDivLoss()(logp, Tensor(q, ms.float16)))
    _raises(TypeError, "For primitive[KLDivLoss], the input argument[x] must be a type of {Tensor[Float16], "
            "Tensor[Float32], Tensor[Float64]}, but got Tensor[Int32].",
            lambda: nn.KLDivLoss()(Tensor(LABELS), Tensor(LABELS)))
    _raises(ValueError, "For primitive[KLDivLoss], the x shape: [4,5,] must be equal to [5,]",
            lambda: nn.KLDivLoss()(logp, Tensor(q[0])))
    loss = nn.KLDivLoss("avg")  # checked at the call, as in MindSpore
    _raises(ValueError, "For 'KLDivLoss', the 'reduction' must be str and must be in '['none', 'mean', 'batchmean', "
            "'sum']', but got 'avg'.", lambda: loss(logp, Tensor(q)))
    _raises(ValueError, "For 'kl_div', the 'reduction' must be str", lambda: ops.kl_div(logp, Tensor(q), 1))


def test_huber_dtypes_and_errors():
    ai = Tensor(np.array([[1, 2], [3, 4]], np.int32))
    assert nn.HuberLoss()(ai, ai + 2).dtype == ms.float32  # 0.5 * square(int) is Float32
    assert nn.HuberLoss("none")(Tensor(A), Tensor(B[0])).shape == (2, 3)  # broadcasts
    _raises(ValueError, "For 'huber_loss', the argument 'delta' must > 0.0, but got 0.0.",
            lambda: nn.HuberLoss(delta=0.0)(Tensor(A), Tensor(B)))
    _raises(TypeError, "For 'huber_loss', the type of 'delta' should be one of '['int', 'float']', but got type "
            "'bool'.", lambda: ops.huber_loss(Tensor(A), Tensor(B), delta=True))
    _raises(ValueError, "For 'huber_loss', the 'reduction' must be in ['mean', 'sum', 'none'], but got avg.",
            lambda: ops.huber_loss(Tensor(A), Tensor(B), "avg"))
    _raises(ValueError, "For 'HuberLoss', the 'reduction'", lambda: nn.HuberLoss("avg"))
    _raises(TypeError, "For 'huber_loss', the 'input' must be a Tensor", lambda: ops.huber_loss(A, Tensor(B)))


def test_cosine_embedding_loss():
    x1, x2 = X[:3], PROBS[:3]
    target = np.array([1.0, -1.0, 0.0], np.float32)
    cos = (x1 * x2).sum(1) / np.linalg.norm(x1, axis=1) / np.linalg.norm(x2, axis=1)
    expected = np.where(target == 1, 1 - cos, np.where(target == -1, np.maximum(cos - 0.2, 0), 0))
    out = nn.CosineEmbeddingLoss(0.2, "none")(Tensor(x1), Tensor(x2), Tensor(target))
    assert np.allclose(val(out), expected, rtol=1e-5)
    assert np.allclose(val(ops.cosine_embedding_loss(Tensor(x1), Tensor(x2), Tensor(target), 0, "sum")),
                       np.where(target == 1, 1 - cos, np.where(target == -1, np.maximum(cos, 0), 0)).sum())
    _raises(TypeError, "For 'CosineEmbeddingLoss', the type of 'margin' should be 'float', but got type 'int'.",
            lambda: nn.CosineEmbeddingLoss(1))
    _raises(ValueError, "For 'CosineEmbeddingLoss', the 'margin' must be in range of [-1.0, 1.0], but got 1.5 with "
            "type 'float'.", lambda: nn.CosineEmbeddingLoss(1.5))
    _raises(TypeError, "For 'SameTypeShape', the x dtype should be = y dtype: Float16, but got Float32.",
            lambda: nn.CosineEmbeddingLoss()(Tensor(x1), Tensor(x2, ms.float16), Tensor(target)))
    _raises(ValueError, "For 'SameTypeShape', the x shape should be = y shape: (3, 4), but got (3, 5).",
            lambda: nn.CosineEmbeddingLoss()(Tensor(x1), Tensor(x2[:, :4]), Tensor(target)))
    _raises(TypeError, "For ops.cosine_embedding_loss, the input1 dtype should be equal to input2 dtype, but got "
            "input1 dtype:Float32, input2 dtype:Float16.",
            lambda: ops.cosine_embedding_loss(Tensor(x1), Tensor(x2, ms.float16), Tensor(target)))
    _raises(ValueError, "For 'ops.cosine_embedding_loss', the shape of parameter 'input1' reduce on 'axis': (1,) must "
            "be equal to the shape of 'target': (2,), but got (3, 5).",
            lambda: ops.cosine_embedding_loss(Tensor(x1), Tensor(x2), Tensor(target[:2])))
    _raises(ValueError, "For ops.cosine_embedding_loss, the value of 'margin' should be in [-1, 1],but got 2.0.",
            lambda: ops.cosine_embedding_loss(Tensor(x1), Tensor(x2), Tensor(target), 2.0))


def test_margin_ranking_loss():
    target = np.array([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]], np.float32)
    hinge = np.maximum(-target * (A - B) + 0.3, 0)
    for reduction in REDUCTIONS:
        out = nn.MarginRankingLoss(0.3, reduction)(Tensor(A), Tensor(B), Tensor(target))
        assert np.allclose(val(out), _reduce(hinge, reduction), rtol=1e-6)
    da, db, dt = ms.grad(ops.margin_ranking_loss, grad_position=(0, 1, 2))(Tensor(A), Tensor(B), Tensor(target), 0.3,
                                                                           "sum")
    active = hinge > 0
    assert np.allclose(val(da), -target * active) and np.allclose(val(db), target * active)
    assert np.allclose(val(dt), -(A - B) * active)
    ai = Tensor(np.array([1, 2], np.int32))
    assert nn.MarginRankingLoss()(ai, ai, ai).dtype == ms.float32
    loss = nn.MarginRankingLoss(1)  # the margin is checked at the call
    _raises(TypeError, "For 'margin_ranking_loss', the type of 'margin' should be 'float', but got type 'int'.",
            lambda: loss(Tensor(A), Tensor(B), Tensor(target)))
    _raises(TypeError, "For margin_ranking_loss, the input1 dtype should be equal to input2 dtype, but got input1 "
            "dtype:Float32, input2 dtype:Float16.",
            lambda: nn.MarginRankingLoss()(Tensor(A), Tensor(B, ms.float16), Tensor(target)))
    _raises(TypeError, "For margin_ranking_loss, the target dtype should be equal to input1 dtype, but got target "
            "dtype:Int32, input1 dtype:Float32.",
            lambda: nn.MarginRankingLoss()(Tensor(A), Tensor(B), Tensor(target.astype(np.int32))))
    _raises(ValueError, "For 'MarginRankingLoss', the 'reduction'", lambda: nn.MarginRankingLoss(0.0, "avg"))


def test_new_losses_keep_float32_under_jit():
    import jax
    from msjax import to_jax

    target = np.sign(B).astype(np.float32)
    for loss, inputs in ((nn.HuberLoss(), (A, B)), (nn.SmoothL1Loss(), (A, B)), (nn.BCELoss(), (P, TARGETS01)),
                         (nn.KLDivLoss("batchmean"), (A, P)), (nn.MarginRankingLoss(), (A, B, target)),
                         (nn.CosineEmbeddingLoss(), (A, B, target[:, 0]))):
        apply, params = to_jax(loss)
        jaxpr = jax.make_jaxpr(lambda *xs: jax.grad(lambda *ys: apply(params, *ys)[0].sum())(*xs))(*inputs)
        assert "f64" not in str(jaxpr), type(loss).__name__
