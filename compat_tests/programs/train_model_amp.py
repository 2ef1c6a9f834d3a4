"""Model with mixed precision: Model(amp_level=O1/O2/O3, loss_scale_manager=FixedLossScaleManager(64,
drop_overflow_update=False), keep_batchnorm_fp32) trained for 6 steps with LossMonitor, then eval (Accuracy, Loss)
and predict. The optimizer divides the fixed scale out (loss_scale=64), as MindSpore's TrainOneStepCell leaves the
gradients scaled.

MindSpore's CPU backend refuses loss scale managers with an update Cell (DynamicLossScaleManager, the default of O2,
and FixedLossScaleManager(drop_overflow_update=True)); those runs are unit-tested in tests/test_model.py."""
import numpy as np
import mindspore as ms
import mindspore.dataset as ds
from mindspore import Tensor, amp, nn
from mindspore.train import LossMonitor, Model

rng = np.random.default_rng(0)
X = rng.standard_normal((12, 4)).astype(np.float32)
Y = rng.integers(0, 3, (12,)).astype(np.int32)


def dense(n_in, n_out, seed):
    weight = np.random.default_rng(seed).standard_normal((n_out, n_in)).astype(np.float32)
    return nn.Dense(n_in, n_out, weight_init=Tensor(weight), bias_init="zeros")


class Net(nn.Cell):
    def __init__(self, with_bn):
        super().__init__()
        self.fc1 = dense(4, 5, 1)
        self.bn = nn.BatchNorm1d(5) if with_bn else nn.Identity()
        self.relu = nn.ReLU()
        self.fc2 = dense(5, 3, 2)

    def construct(self, x):
        return self.fc2(self.relu(self.bn(self.fc1(x))))


def data():
    return ds.NumpySlicesDataset({"x": X, "y": Y}, shuffle=False).batch(4)


# (level, with BatchNorm, fixed manager); O3 (and keep_batchnorm_fp32=False) runs without BatchNorm: MindSpore's CPU
# BatchNorm computes float16 inputs in float32, msjax in float16 (GPU kernels differ again)
CASES = (("O2", True, True), ("O3", False, True), ("O1", True, False))
for level, with_bn, fixed in CASES:
    label = f"{level} bn={with_bn}"
    net = Net(with_bn)
    manager = amp.FixedLossScaleManager(64.0, drop_overflow_update=False) if fixed else None
    opt = nn.Momentum(net.trainable_params(), 0.05, 0.9, loss_scale=64.0 if fixed else 1.0)
    kwargs = {"loss_scale_manager": manager} if fixed else {}
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"), opt,
                  metrics={"acc": nn.Accuracy(), "loss": nn.Loss()}, amp_level=level, **kwargs)
    print(f"{label} networks:", type(model.train_network).__name__, type(model.eval_network).__name__,
          model.predict_network is net)
    model.train(2, data(), callbacks=[LossMonitor()])
    print(f"{label} eval:", model.eval(data()))
    out = model.eval_network(Tensor(X[:4]), Tensor(Y[:4]))
    print(f"{label} eval network outputs:", [t.dtype for t in out])
    pred = model.predict(Tensor(X[:4]))
    # float16 outputs near zero differ by a float16 ulp; their absolute sum carries the comparison
    print(f"{label} predict:", pred.dtype, pred.shape, float(np.abs(pred.asnumpy().astype(np.float32)).sum()))
    print(f"{label} weight:", net.fc1.weight.dtype, net.fc1.weight.asnumpy()[0], net.fc2.weight.asnumpy()[0])
    # (O1 rewrites the Cells' classes in MindSpore, not in msjax: the class names are shown for O2 only)
    print(f"{label} bn:", type(net.bn).__name__ if level == "O2" else "-",
          [(p.name, p.dtype, p.asnumpy()) for p in net.get_parameters() if "moving" in p.name])
