"""BatchNorm1d/2d and Dropout (MindSpore 2.10): train vs eval, moving statistics after several training steps (also
under value_and_grad and jit), the momentum convention, Parameter names and reprs, and Dropout's deterministic facts
(identity in eval, kept values scaled by 1/(1-p), a fresh mask on every compiled call)."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter
from _probe import case

rng = np.random.default_rng(7)


def batch(*shape, shift=0.0):
    return Tensor((rng.standard_normal(shape) * 2 + shift).astype(np.float32))


def stats(bn):
    return f"{bn.moving_mean.asnumpy().round(5).tolist()} {bn.moving_variance.asnumpy().round(5).tolist()}"


# --- BatchNorm2d -------------------------------------------------------------------------------------------------
bn = nn.BatchNorm2d(3)
print("bn2d repr", repr(bn))
print("bn2d params", [(p.name, p.shape, p.requires_grad) for p in bn.get_parameters()])
print("bn2d init", bn.gamma.asnumpy().tolist(), bn.beta.asnumpy().tolist(), stats(bn))
bn.gamma.set_data(Tensor(np.array([1.0, 2.0, 0.5], np.float32)))
bn.beta.set_data(Tensor(np.array([0.0, 1.0, -1.0], np.float32)))
x = batch(4, 3, 2, 2, shift=1.0)
# An explicit set_train(False) first: MindSpore's GRAPH mode keys compiled Cells by `phase`, which is 'train' by
# default even while `training` is False, so an eval call before set_train() would be reused in training.
bn.set_train(False)
case("bn2d eval before training", lambda: bn(x))
bn.set_train()
for step in range(3):
    case(f"bn2d train step {step}", lambda: bn(batch(4, 3, 2, 2, shift=step)))
    print(f"bn2d stats step {step}", stats(bn))
bn.set_train(False)
case("bn2d eval after training", lambda: bn(x))
print("bn2d stats unchanged by eval", stats(bn))
bn_m = nn.BatchNorm2d(2, eps=1e-3, momentum=0.5, affine=False)
print("bn2d momentum repr", repr(bn_m))
print("bn2d affine False", [(p.name, p.requires_grad) for p in bn_m.get_parameters()])
bn_m.set_train()
case("bn2d momentum 0.5", lambda: bn_m(batch(3, 2, 3, 3)))
print("bn2d momentum stats", stats(bn_m))
bn_u = nn.BatchNorm2d(3, use_batch_statistics=True)
case("bn2d use_batch_statistics eval", lambda: bn_u(x))
print("bn2d use_batch_statistics stats", stats(bn_u))
bn_f = nn.BatchNorm2d(3, use_batch_statistics=False, moving_mean_init="ones", moving_var_init=Tensor(
    np.array([1.0, 4.0, 0.25], np.float32)), gamma_init=2.0, beta_init="zeros")
bn_f.set_train()
case("bn2d no batch statistics in train", lambda: bn_f(x))
print("bn2d no batch statistics stats", stats(bn_f))
case("bn2d 2d input", lambda: bn(batch(4, 3)))
case("bn2d wrong channels", lambda: nn.BatchNorm2d(4)(x))
case("bn2d float64", lambda: nn.BatchNorm2d(3)(Tensor(np.ones((2, 3, 2, 2)))))
case("bn2d float16", lambda: nn.BatchNorm2d(3)(Tensor(np.linspace(-1, 1, 24).reshape(2, 3, 2, 2).astype(np.float16))))
case("bn num_features 0", lambda: nn.BatchNorm2d(0))
case("bn num_features float", lambda: nn.BatchNorm2d(2.0))
case("bn momentum 1.5", lambda: nn.BatchNorm2d(2, momentum=1.5))
case("bn use_batch_statistics int", lambda: nn.BatchNorm2d(2, use_batch_statistics=1))
case("bn NHWC on CPU", lambda: nn.BatchNorm2d(2, data_format="NHWC"))

# --- BatchNorm1d -------------------------------------------------------------------------------------------------
bn1 = nn.BatchNorm1d(3, momentum=0.8)
print("bn1d repr", repr(bn1))
x2 = batch(5, 3)
bn1.set_train(False)
case("bn1d eval 2d", lambda: bn1(x2))
bn1.set_train()
case("bn1d train 2d", lambda: bn1(x2))
print("bn1d stats 2d", stats(bn1))
x3 = batch(4, 3, 2, shift=-1.0)
case("bn1d train 3d", lambda: bn1(x3))
print("bn1d stats 3d", stats(bn1))
bn1.set_train(False)
case("bn1d eval 3d", lambda: bn1(x3))
case("bn1d 4d input", lambda: bn1(x))


# --- BatchNorm inside a trained network ------------------------------------------------------------------------
class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, pad_mode="valid", weight_init="ones")
        self.bn = nn.BatchNorm2d(2)
        self.flatten = nn.Flatten()
        self.fc = nn.Dense(8, 1, weight_init="ones", bias_init="zeros")

    def construct(self, x):
        return self.fc(self.flatten(ops.relu(self.bn(self.conv(x)))))


net = Net()
print("net params", [p.name for p in net.get_parameters()])
weights = net.trainable_params()


def loss_fn(x):
    return net(x).sum()


grad_fn = ms.value_and_grad(loss_fn, None, weights)
net.set_train()
for step in range(2):
    loss, grads = grad_fn(batch(2, 1, 4, 4, shift=step))
    print(f"net grad step {step}", round(float(loss.asnumpy()), 4), [g.shape for g in grads])
    print(f"net grad stats {step}", stats(net.bn))


@ms.jit
def jit_step(x):
    return grad_fn(x)


for step in range(2):
    loss, grads = jit_step(batch(2, 1, 4, 4, shift=-step))
    print(f"net jit step {step}", round(float(loss.asnumpy()), 4), [round(float(g.asnumpy().sum()), 3) for g in grads])
    print(f"net jit stats {step}", stats(net.bn))
net.set_train(False)
case("net eval", lambda: net(batch(1, 1, 4, 4)))

# --- Dropout -----------------------------------------------------------------------------------------------------
print("dropout reprs", repr(nn.Dropout()), repr(nn.Dropout(keep_prob=0.8)), repr(nn.Dropout(p=0.2)),
      repr(nn.Dropout(p=0)))
ones = Tensor(np.ones((200, 100), np.float32))
drop = nn.Dropout(p=0.25).set_train(False)
case("dropout eval is identity", lambda: bool((drop(ones).asnumpy() == 1).all()))
drop.set_train()


def dropout_facts(out):
    values = out.asnumpy()
    kept = values != 0
    return (out.shape, str(out.dtype), sorted(set(np.round(values.astype(np.float64), 4).ravel().tolist())),
            bool(0.2 < 1 - kept.mean() < 0.3))


case("dropout train", lambda: dropout_facts(drop(ones)))
case("dropout keep_prob train", lambda: dropout_facts(nn.Dropout(keep_prob=0.75).set_train()(ones)))
case("dropout p=0 train", lambda: bool((nn.Dropout(p=0.0).set_train()(ones).asnumpy() == 1).all()))
case("dropout masks differ", lambda: bool((drop(ones).asnumpy() != drop(ones).asnumpy()).any()))
jit_drop = ms.jit(drop)
case("dropout jit masks differ", lambda: bool((jit_drop(ones).asnumpy() != jit_drop(ones).asnumpy()).any()))
case("dropout float16", lambda: dropout_facts(drop(Tensor(np.ones((200, 100), np.float16)))))
case("ops.dropout", lambda: dropout_facts(ops.dropout(ones, p=0.25)))
case("ops.dropout eval", lambda: bool((ops.dropout(ones, p=0.25, training=False).asnumpy() == 1).all()))
case("ops.dropout p=0", lambda: bool((ops.dropout(ones, p=0.0).asnumpy() == 1).all()))
case("ops.Dropout", lambda: [dropout_facts(t) for t in ops.Dropout(keep_prob=0.75)(ones)])
case("ops.Dropout int", lambda: ops.Dropout()(Tensor(np.ones((2, 3), np.int32))))
case("dropout p=1", lambda: nn.Dropout(p=1))
case("dropout p<0", lambda: nn.Dropout(p=-0.1))
case("dropout keep_prob 0", lambda: nn.Dropout(keep_prob=0.0))
case("dropout keep_prob int", lambda: nn.Dropout(keep_prob=1))
case("dropout p str", lambda: nn.Dropout(p="a"))


def dropout_grad(x):
    return drop(x).sum()


grad = ms.grad(dropout_grad)(ones).asnumpy()
case("dropout grad", lambda: sorted(set(np.round(grad.astype(np.float64), 4).ravel().tolist())))
