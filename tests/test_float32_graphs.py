"""A float32 network stays float32: no float64/int64 value appears in the jaxpr of its forward or backward pass.

msjax runs JAX in x64 mode (MindSpore needs Int64/Float64), where jnp would promote `float32 * 2.5` or
`int32 / 2` to 64 bits; every result dtype must come from MindSpore's rules instead.
"""
import jax
import jax.numpy as jnp
import numpy as np

import msjax as ms
from msjax import Parameter, ParameterTuple, Tensor, nn, ops

WIDE = {np.dtype(np.float64), np.dtype(np.int64), np.dtype(np.complex128), np.dtype(np.uint64)}


def _wide_values(jaxpr):
    found = []
    for eqn in jaxpr.eqns:
        for var in list(eqn.invars) + list(eqn.outvars):
            aval = getattr(var, "aval", None)
            if aval is not None and getattr(aval, "dtype", None) in WIDE:
                found.append(f"{eqn.primitive.name}: {aval}")
        for param in eqn.params.values():
            for sub in (param if isinstance(param, (tuple, list)) else (param,)):
                inner = getattr(sub, "jaxpr", sub)
                if hasattr(inner, "eqns"):
                    found.extend(_wide_values(inner))
    return found


class TinyNet(nn.Cell):
    def __init__(self):
        super().__init__()
        rng = np.random.default_rng(0)
        self.w = Parameter(Tensor(rng.normal(size=(4, 3)).astype(np.float32)), name="w")
        self.b = Parameter(Tensor(np.zeros(3, np.float32)), name="b")
        self.matmul = ops.MatMul()

    def construct(self, x, labels):
        hidden = ops.relu(self.matmul(x, self.w) + self.b) * 2.5 + np.float64(0.5)
        probs = ops.softmax(hidden / 3)
        picked = (probs * ops.one_hot(labels, 3, Tensor(1.0, ms.float32), Tensor(0.0, ms.float32))).sum(1)
        return -ops.log(picked + 1e-6).mean() + ops.sqrt(ops.square(self.w)).sum() / 10


def test_forward_and_backward_have_no_64_bit_values():
    net = TinyNet()
    grad_fn = ops.GradOperation(get_all=True, get_by_list=True)(net, ParameterTuple(net.trainable_params()))

    def step(x, labels):
        loss = net(Tensor._from_raw(x), Tensor._from_raw(labels))
        grads = grad_fn(Tensor._from_raw(x), Tensor._from_raw(labels))
        return loss._data, [g._data for g in jax.tree_util.tree_leaves(grads, is_leaf=lambda t: isinstance(t, Tensor))]

    x = jnp.ones((2, 4), jnp.float32)
    labels = jnp.array([0, 2], jnp.int32)
    closed = jax.make_jaxpr(step)(x, labels)
    assert _wide_values(closed.jaxpr) == []
    loss, grads = step(x, labels)
    assert loss.dtype == jnp.float32 and all(g.dtype == jnp.float32 for g in grads[:1] + grads[2:])
    assert grads[1].dtype == jnp.int32  # the gradient of an integer input keeps its dtype, as in MindSpore
