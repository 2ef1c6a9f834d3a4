"""Cell.bprop: a custom backward for a whole Cell, in PyNative mode."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple

ms.set_context(pynative_synchronize=True)

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
ga = ops.GradOperation(get_all=True)


class Mul(nn.Cell):
    """x*y with a bprop that prints its arguments and returns a deliberately wrong gradient."""
    def construct(self, a, b):
        return a * b

    def bprop(self, a, b, out, dout):
        print("bprop inputs", a, b)
        print("bprop out", out)
        print("bprop dout", dout)
        return dout * 10, dout * b


mul = Mul()
print("forward", mul(x, y))
print("grad", ga(mul)(x, y))
print("first only", ops.GradOperation()(mul)(x, y))
print("scaled dout", ga(lambda a, b: mul(a, b) * 2.0)(x, y))
print("sens", ops.GradOperation(get_all=True, sens_param=True)(mul)(x, y, Tensor(np.array([0.5, 3.0], np.float32))))
print("chained", ga(lambda a, b: ops.sin(mul(a * 3.0, b)))(x, y))


class Split(nn.Cell):
    """Two outputs: dout is a tuple."""
    def construct(self, a):
        return a * 2.0, a * a

    def bprop(self, a, out, dout):
        print("split dout", dout)
        return (dout[0] * 100 + dout[1],)


split = Split()
print("both outputs", ga(lambda a: split(a)[0] + split(a)[1] * 3.0)(x))
print("first output used", ga(lambda a: split(a)[0] * 5.0)(x))
print("all outputs", ga(split)(x))


class Scaled(nn.Cell):
    """A Python-scalar input: its gradient slot holds a placeholder that is dropped."""
    def construct(self, a, k):
        return a * k

    def bprop(self, a, k, out, dout):
        print("scalar k", k)
        return dout * 7, 0


scaled = Scaled()
print("scalar input", ga(lambda a: scaled(a, 3.0))(x))
print("scalar input direct", ga(scaled)(x, 3.0))


class Bare(nn.Cell):
    """Returns a bare Tensor rather than a tuple (PyNative accepts it)."""
    def construct(self, a):
        return a * a

    def bprop(self, a, out, dout):
        return dout * 4


print("bare tensor", ga(Bare())(x))


class WithParam(nn.Cell):
    """Parameters inside a Cell with a bprop get zero gradients; the bprop can read them."""
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([5.0, 6.0], np.float32)), name="w")

    def construct(self, a):
        return a * self.w

    def bprop(self, a, out, dout):
        print("bprop reads w", self.w.value())
        return (dout * self.w * 2,)


class Outer(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = WithParam()
        self.v = Parameter(Tensor(np.array([0.5], np.float32)), name="v")

    def construct(self, a):
        return self.inner(a) * self.v


outer = Outer()
print("params", ops.GradOperation(get_all=True, get_by_list=True)(outer, ParameterTuple(outer.trainable_params()))(x))
print("forward after", outer(x))


class TooFew(nn.Cell):
    def construct(self, a, b):
        return a * b

    def bprop(self, a, b, out, dout):
        return (dout,)


try:
    print(ga(TooFew())(x, y))
except Exception as e:
    print("too few", type(e).__name__)


def attempt(label, thunk):
    try:
        print(label, thunk())
    except Exception as e:  # noqa: BLE001
        print(label, type(e).__name__)


class Rule(nn.Cell):
    """Returns whatever `result(dout)` gives, to check how the rule's gradients are taken."""
    def __init__(self, result):
        super().__init__()
        self.result = result

    def construct(self, a, b):
        return a * b

    def bprop(self, a, b, out, dout):
        return self.result(dout)


attempt("none grad", lambda: ga(Rule(lambda d: (d, None)))(x, y))
attempt("extra grads", lambda: ga(Rule(lambda d: (d * 2, d * 3, d * 4)))(x, y))
attempt("float16 grad", lambda: ga(Rule(lambda d: (Tensor(np.array([1.0, 2.0], np.float16)), d)))(x, y))
attempt("broadcastable shape", lambda: ga(Rule(lambda d: (Tensor(np.array([1.0], np.float32)), d)))(x, y))
attempt("scalar for tensor", lambda: ga(Rule(lambda d: (d, 0)))(x, y))


class Keyword(nn.Cell):
    """Keyword inputs come after the positional ones, in bprop's arguments and in its gradients."""
    def construct(self, a, c=None):
        return a * c

    def bprop(self, a, c, out, dout):
        print("keyword c", c)
        return dout * 5, dout * 6


attempt("keyword input", lambda: ga(lambda a, b: Keyword()(a, c=b))(x, y))


class IntInput(nn.Cell):
    def construct(self, f, i):
        return f * i

    def bprop(self, f, i, out, dout):
        print("int input", i)
        return dout * 2, dout * 2.7


attempt("int input", lambda: ga(IntInput())(x, Tensor(np.array([3, 4], np.int32))))


class IntOutput(nn.Cell):
    def construct(self, b):
        return b * 2, ops.argmax(b)

    def bprop(self, b, out, dout):
        print("int output dout", dout)
        return (dout[0] * 3,)


attempt("int output", lambda: ga(IntOutput())(x))


class Straight(nn.Cell):
    """Nested inside a higher-order grad: the rule is used on each inner call."""
    def construct(self, a):
        return ops.round(a)

    def bprop(self, a, out, dout):
        return (dout * a,)


straight = Straight()
print("straight", ops.GradOperation()(lambda a: straight(a) * straight(a))(Tensor(np.array([1.4, 2.6], np.float32))))
print("no grad call", straight(Tensor(np.array([1.4, 2.6], np.float32))))


# --- GRAPH mode: the rule must return a tuple ---
ms.set_context(mode=ms.GRAPH_MODE)


def square_bare(a):
    return Bare()(a)


class Quad(nn.Cell):
    def construct(self, a, b):
        return a * b

    def bprop(self, a, b, out, dout):
        return dout * 4, dout * a


quad = Quad()


def quadruple(a, b):
    return quad(a, b) * 2.0


attempt("graph bare tensor", lambda: ops.GradOperation()(square_bare)(x))
attempt("graph tuple", lambda: ops.GradOperation(get_all=True)(quadruple)(x, y))
