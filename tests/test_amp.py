"""Mixed precision (to_float, auto_mixed_precision) and loss scaling (built-in overflow check, GRAPH_MODE)."""
import numpy as np
import pytest

import msjax as ms
from msjax import Tensor, amp, nn

X = Tensor(np.array([[1.0, -2.0, 0.5]], np.float32))


def dense():
    d = nn.Dense(3, 2)
    d.weight.set_data(Tensor(np.array([[0.1, 0.2, 0.3], [-0.4, 0.5, 0.6]], np.float32)))
    d.bias.set_data(Tensor(np.array([0.1, -0.1], np.float32)))
    return d


@pytest.mark.parametrize("dtype", [ms.float16, ms.bfloat16])
def test_to_float_runs_in_low_precision(dtype):
    d = dense().to_float(dtype)
    out = d(X)
    assert out.dtype == dtype and d.weight.dtype == ms.float32
    assert d.get_flags()["fp16"] == (dtype == ms.float16)
    expected = (X.asnumpy() @ d.weight.asnumpy().T + d.bias.asnumpy())
    np.testing.assert_allclose(out.astype(ms.float32).asnumpy(), expected, rtol=1e-2)
    grads = ms.grad(d, grad_position=None, weights=d.trainable_params())(X)
    assert all(g.dtype == ms.float32 for g in grads)


def test_to_float_errors_and_levels():
    with pytest.raises(ValueError, match="'dst_type' must be mstype.float32"):
        dense().to_float(ms.int32)
    with pytest.raises(ValueError, match="The amp level O5 is not supported"):
        amp.auto_mixed_precision(dense(), "O5")
    with pytest.raises(TypeError, match="should be Cell"):
        amp.auto_mixed_precision(print, "O2")
    with pytest.raises(ValueError, match="The dtype should be one of"):
        amp.auto_mixed_precision(dense(), "O2", ms.float32)
    assert amp.auto_mixed_precision(dense(), "O3")(X).dtype == ms.float32
    assert nn.BatchNorm1d in amp.get_black_list() and nn.Dense in amp.get_white_list()


@pytest.mark.parametrize("mode", [ms.PYNATIVE_MODE, ms.GRAPH_MODE])
def test_loss_scale_step_skips_overflow(mode):
    ms.set_context(mode=mode)
    try:
        net = dense()
        opt = nn.Momentum(net.trainable_params(), 0.1, 0.9)
        step = nn.TrainOneStepWithLossScaleCell(nn.WithLossCell(net, nn.MSELoss()), opt,
                                                nn.DynamicLossScaleUpdateCell(1024.0, 2, 2))
        y = Tensor(np.zeros((1, 2), np.float32))
        loss, overflow, scale = step(X, y)
        assert overflow.dtype == ms.bool_ and not overflow.asnumpy() and loss.dtype == ms.float32
        before = net.weight.asnumpy().copy(), opt.moments[0].asnumpy().copy(), opt.global_step.asnumpy().copy()
        loss, overflow, scale = step(Tensor(np.full((1, 3), np.nan, np.float32)), y)
        assert overflow.asnumpy() and step.scale_sense.asnumpy() == 512.0
        after = net.weight.asnumpy(), opt.moments[0].asnumpy(), opt.global_step.asnumpy()
        for b, a in zip(before, after):
            np.testing.assert_array_equal(b, a)
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)


def test_scale_sense_errors():
    net = dense()
    opt = nn.SGD(net.trainable_params())
    with pytest.raises(ValueError, match="must be \\(1,\\) or \\(\\)"):
        nn.TrainOneStepWithLossScaleCell(net, opt, Tensor(np.ones(2, np.float32)))
    with pytest.raises(TypeError, match="must be Cell or Tensor"):
        nn.TrainOneStepWithLossScaleCell(net, opt, 2.0)
    assert amp.FixedLossScaleManager().get_loss_scale() == 128.0
    assert amp.FixedLossScaleManager(drop_overflow_update=False).get_update_cell() is None
    with pytest.raises(ValueError, match="'scale_value' must be > 1"):
        amp.StaticLossScaler(0.5)


def test_build_train_network():
    net = dense()
    opt = nn.SGD(net.trainable_params())
    train = amp.build_train_network(net, opt, nn.MSELoss(), "O2")
    assert type(train).__name__ == "TrainOneStepWithLossScaleCell" and type(train.network).__name__ == "WithLossCell"
    assert train.scale_sense.asnumpy() == 2.0 ** 24 and net.get_flags()["fp16"]
    loss, overflow, _ = train(X, Tensor(np.zeros((1, 2), np.float32)))
    assert loss.dtype == ms.float32 and overflow.dtype == ms.bool_
    with pytest.raises(ValueError, match="Unsupported arg 'foo'"):
        amp.build_train_network(dense(), opt, level="O1", foo=1)
    with pytest.raises(TypeError, match="must be a string"):
        amp.build_train_network(dense(), opt, level=2)
