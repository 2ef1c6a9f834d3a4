"""Probe: forward-mode transforms through custom backward rules. MindSpore's jvp/jacfwd use a Cell.bprop (here one
that is deliberately not the true derivative), while ops.derivative (Taylor mode) uses the forward's own
derivative. The tutorial's registered Sin bprop (the true derivative, so MindSpore 2.10 -- which ignores the
registration -- agrees with msjax, which honours it) is run through jvp, jacfwd and jacrev."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
from mindspore.ops._grad_experimental.grad_base import bprop_getters

ms.set_context(pynative_synchronize=True)

from _probe import case  # noqa: E402


@bprop_getters.register(ops.Sin)
def get_bprop_sin(self):
    cos = ops.Cos()

    def bprop(x, out, dout):
        return (dout * cos(x),)
    return bprop


x = Tensor(np.array([1.0, 2.0], np.float32))
v = Tensor(np.array([1.0, 10.0], np.float32))


class Doubled(nn.Cell):
    """sin forward, but a backward rule that doubles the incoming gradient."""

    def construct(self, a):
        return ops.sin(a)

    def bprop(self, a, out, dout):
        return (dout * 2,)


class Outer(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = Doubled()

    def construct(self, a):
        return self.inner(a) * 3


def sin_cos(a):
    return ops.cos(ops.sin(a))


doubled, outer = Doubled(), Outer()
case("jvp through Cell.bprop", lambda: ms.jvp(doubled, x, v))
case("jvp through nested Cell.bprop", lambda: ms.jvp(outer, x, v))
case("grad through Cell.bprop", lambda: ms.grad(doubled)(x))
case("jacfwd through Cell.bprop", lambda: ms.jacfwd(doubled)(x))
case("jacrev through Cell.bprop", lambda: ms.jacrev(doubled)(x))
case("derivative ignores Cell.bprop", lambda: ops.derivative(doubled, x, 1))
case("second derivative", lambda: ops.derivative(sin_cos, x, 2))
case("grad of grad through Cell.bprop", lambda: ms.grad(ms.grad(doubled))(x))
case("jvp through registered Sin", lambda: ms.jvp(sin_cos, x, v))
case("jacfwd through registered Sin", lambda: ms.jacfwd(sin_cos)(x))
case("jacrev through registered Sin", lambda: ms.jacrev(sin_cos)(x))
case("vjp through registered Sin", lambda: ms.vjp(sin_cos, x)[1](v))
