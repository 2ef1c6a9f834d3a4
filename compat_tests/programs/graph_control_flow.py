"""Python control flow on Tensors in GRAPH_MODE: data-dependent if/elif/else, while to convergence, for over a range
and over a Tensor, break/continue, early return, closures, a helper method, print inside construct, Parameter
updates in a branch, and gradients through the control flow. Every loop terminates for every input used."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter

ms.set_context(mode=ms.GRAPH_MODE)


def f32(*values):
    return Tensor(np.array(values, np.float32))


class Branches(nn.Cell):
    """if/elif/else on a Tensor condition, with an early return from one branch."""

    def construct(self, x):
        if x.sum() > 10:
            return x * 0
        if x.sum() > 0:
            y = x * 2
        elif x.sum() > -3:
            y = x + 100
        else:
            y = -x
        return y + 1


class Sqrt(nn.Cell):
    """Newton's iteration until it converges (a > 0 and y starts at a + 1 > sqrt(a): it decreases to sqrt(a))."""

    def construct(self, a):
        y = a + 1
        steps = ops.zeros((), ms.int32)
        while ops.abs(y * y - a).max() > 1e-4:
            y = (y + a / y) / 2
            steps = steps + 1
        return y, steps


class Loops(nn.Cell):
    """for over a range and over a Tensor's rows; break and continue on data-dependent conditions."""

    def construct(self, x, m):
        s = x * 0
        for i in range(4):
            s = s + x * i
        for row in m:
            if row.sum() < 0:
                continue
            s = s + row
        for i in range(5):
            if s.sum() > 50:
                break
            s = s * 2
        k = 0
        while k < 10:
            k = k + 1
            if (s * k).sum() > 200:
                break
        return s, s * k


class Search(nn.Cell):
    """An early return from inside a while loop."""

    def construct(self, x):
        while x.sum() < 1000:
            x = x * 3
            if x.max() > 50:
                return x - 1
        return x


class Helper(nn.Cell):
    """A helper method and a closure with their own control flow."""

    def __init__(self):
        super().__init__()
        self.scale = 3.0

    def clip(self, v):
        if v.max() > 5:
            return v / v.max() * 5
        return v

    def construct(self, x):
        scale = self.scale

        def step(v):
            if v.min() < 0:
                return v * -1
            return v * scale

        return self.clip(step(x)) + step(x - 1)


class Printer(nn.Cell):
    def construct(self, x):
        print("x:", x)
        if x.sum() > 0:
            print("sum is positive:", x.sum())
        else:
            print("sum is not positive")
        return x


class Counter(nn.Cell):
    """Parameter updates with ops.assign inside a branch: counts positive inputs and keeps the last one."""

    def __init__(self):
        super().__init__()
        self.count = Parameter(Tensor(0.0, ms.float32), name="count", requires_grad=False)
        self.last = Parameter(f32(0.0, 0.0), name="last", requires_grad=False)

    def construct(self, x):
        if x.sum() > 0:
            ops.assign(self.count, self.count + 1)
            ops.assign(self.last, x)
        return self.count * 1


class Smooth(nn.Cell):
    """Differentiable control flow: a data-dependent if inside a for loop, then a while loop."""

    def construct(self, x):
        y = x
        for i in range(3):
            if y.sum() > 0:
                y = ops.sin(y) * 2 + x * i
            else:
                y = y * y - 1
        while y.sum() < 4:
            y = y * 1.5 + 1
        return y.sum()


x, m = f32(1.0, 2.0), Tensor(np.array([[1.0, 2.0], [-5.0, 1.0], [3.0, 0.5]], np.float32))
branches = Branches()
for v in (x, x * 10, -x * 0.5, -x * 5):
    print("branches", v, branches(v))

sqrt = Sqrt()
for a in (f32(2.0, 9.0), f32(0.25, 100.0)):
    y, steps = sqrt(a)
    print("sqrt", y, steps)

loops = Loops()
for v in (x, x * 10, -x):
    print("loops", loops(v, m))

search = Search()
for v in (x, x * 0.01, x * 2000):
    print("search", search(v))

helper = Helper()
for v in (x, -x, x * 3):
    print("helper", helper(v))

printer = Printer()
printer(x)
printer(-x)

counter = Counter()
for v in (x, -x, x * 3):
    print("counter", counter(v), counter.count.value(), counter.last.value())

smooth = Smooth()
grad = ops.GradOperation()(smooth)
for v in (f32(0.5, 0.25), f32(-0.5, -0.25)):
    print("smooth", smooth(v), grad(v))
