# Python control flow on Tensor values inside a compiled network: data-dependent if/elif/else, a while loop that
# runs to convergence, a for loop over a range, and a Parameter updated in one branch.
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter

ms.set_context(mode=ms.GRAPH_MODE)


class Piecewise(nn.Cell):
    """Different formulas depending on the input's mean."""

    def construct(self, x):
        m = x.mean()
        if m > 1:
            y = x * 2
        elif m > 0:
            y = x + 10
        else:
            y = -x
        return y


class Newton(nn.Cell):
    """Square root by Newton's method: iterate until the update is small."""

    def construct(self, a):
        x = a
        step = a
        while ops.abs(step).max() > 1e-5:
            new_x = 0.5 * (x + a / x)
            step = new_x - x
            x = new_x
        return x


class Counter(nn.Cell):
    """A running maximum, updated only when a batch exceeds it."""

    def __init__(self):
        super().__init__()
        self.best = Parameter(Tensor(np.array(0.0, np.float32)), name="best", requires_grad=False)

    def construct(self, x):
        total = x.sum()
        if total > self.best:
            ops.assign(self.best, total)
        return self.best


class Horner(nn.Cell):
    """A polynomial by Horner's rule: a for loop over a range (unrolled when compiled)."""

    def __init__(self, coefficients):
        super().__init__()
        self.coefficients = coefficients

    def construct(self, x):
        y = ops.zeros_like(x)
        for i in range(len(self.coefficients)):
            y = y * x + self.coefficients[i]
        return y


piecewise = Piecewise()
for values in ([2.0, 3.0], [0.5, 0.25], [-1.0, -2.0]):
    print("piecewise", values, piecewise(Tensor(np.array(values, np.float32))))
print("newton sqrt", Newton()(Tensor(np.array([2.0, 9.0, 0.25], np.float32))))
counter = Counter()
for values in ([1.0, 2.0], [0.5, 0.5], [4.0, 1.0]):
    print("running max", counter(Tensor(np.array(values, np.float32))), counter.best.asnumpy())
print("horner", Horner([1.0, -2.0, 3.0])(Tensor(np.array([0.0, 1.0, 2.0], np.float32))))
