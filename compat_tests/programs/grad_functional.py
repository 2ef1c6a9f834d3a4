"""Probe of MindSpore 2.x functional differentiation: mindspore.grad / value_and_grad / get_grad with every
grad_position / weights / has_aux / return_ids / sens_param form, and their errors. Each case prints
`label: <result>` (Tensors as repr, tuples element by element) or `label: error <Type>`."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple

ms.set_context(pynative_synchronize=True)

from _probe import case  # noqa: E402

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
z = Tensor(np.array([-1.0, 0.5], np.float32))


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0], np.float32)), name="w")
        self.b = Parameter(Tensor(np.array([3.0], np.float32)), name="b")

    def construct(self, a, c):
        return a * c * self.w + self.b


net = Net()
params = ParameterTuple(net.trainable_params())


def f(a, c):
    return a * a * c


def two_out(a, c):
    return a * c, a + c


def three_out(a, c):
    return a * c, a + c, a - c


def dict_out(a, c):
    return {"p": a * c, "q": a * 2}


def single(a):
    return ops.sin(a).sum()


# --- grad: positions ---
case("grad default", lambda: ms.grad(f)(x, y))
case("grad pos 1", lambda: ms.grad(f, 1)(x, y))
case("grad pos (0,)", lambda: ms.grad(f, (0,))(x, y))
case("grad pos (0,1)", lambda: ms.grad(f, (0, 1))(x, y))
case("grad pos (1,0)", lambda: ms.grad(f, (1, 0))(x, y))
case("grad pos (0,0)", lambda: ms.grad(f, (0, 0))(x, y))
case("grad scalar arg skipped", lambda: ms.grad(lambda a, k, c: a * k * c, (0, 1, 2))(x, 3, y))
case("grad only scalar position", lambda: ms.grad(lambda a, k: a * k, 1)(x, 3.0))
case("grad tuple output summed", lambda: ms.grad(two_out, (0, 1))(x, y))
case("grad dict output summed", lambda: ms.grad(dict_out, 0)(x, y))
case("grad list output", lambda: ms.grad(lambda a, c: [a * c, a], 0)(x, y))
case("grad 0-d output", lambda: ms.grad(single)(x))
case("grad int input", lambda: ms.grad(lambda a: (a * a).astype(ms.float32))(Tensor(np.array([3, 4], np.int32))))
case("grad float64 input", lambda: ms.grad(f)(x.astype(ms.float64), y.astype(ms.float64)))

# --- grad: weights ---
case("grad net pos 0", lambda: ms.grad(net)(x, y))
case("grad net weights only", lambda: ms.grad(net, None, params)(x, y))
case("grad net weights list", lambda: ms.grad(net, None, [net.w, net.b])(x, y))
case("grad net weights tuple", lambda: ms.grad(net, None, (net.w, net.b))(x, y))
case("grad net single weight", lambda: ms.grad(net, None, net.w)(x, y))
case("grad net 1-param tuple", lambda: ms.grad(net, None, ParameterTuple([net.w]))(x, y))
case("grad net pos 0 + weights", lambda: ms.grad(net, 0, params)(x, y))
case("grad net pos (0,1) + weights", lambda: ms.grad(net, (0, 1), params)(x, y))
case("grad net pos (0,) + weights", lambda: ms.grad(net, (0,), params)(x, y))
case("grad net pos 0 + single weight", lambda: ms.grad(net, 0, net.w)(x, y))
case("grad net empty weights", lambda: ms.grad(net, 0, ParameterTuple([]))(x, y))


def forward_fn(a, c):
    """The quick-start pattern: a plain function using a global Cell."""
    logits = net(a, c)
    loss = (logits * logits).mean()
    return loss, logits


case("quick-start value_and_grad has_aux", lambda: ms.value_and_grad(forward_fn, None, params, has_aux=True)(x, y))
case("quick-start grad has_aux", lambda: ms.grad(forward_fn, None, params, has_aux=True)(x, y))

# --- has_aux ---
case("grad has_aux two", lambda: ms.grad(two_out, 0, has_aux=True)(x, y))
case("grad has_aux three", lambda: ms.grad(three_out, (0, 1), has_aux=True)(x, y))
case("value_and_grad has_aux", lambda: ms.value_and_grad(three_out, 0, has_aux=True)(x, y))
case("grad has_aux list out", lambda: ms.grad(lambda a, c: [a * c, a], 0, has_aux=True)(x, y))
case("has_aux single output", lambda: ms.grad(single, has_aux=True)(x))
case("has_aux 1-tuple output", lambda: ms.grad(lambda a: (a * 2,), has_aux=True)(x))
case("stop_gradient like has_aux", lambda: ms.grad(lambda a, c: (a * c, ops.stop_gradient(a + c)), 0)(x, y))

# --- value_and_grad ---
case("value_and_grad default", lambda: ms.value_and_grad(f)(x, y))
case("value_and_grad (0,1)", lambda: ms.value_and_grad(f, (0, 1))(x, y))
case("value_and_grad weights", lambda: ms.value_and_grad(net, None, params)(x, y))
case("value_and_grad pos + weights", lambda: ms.value_and_grad(net, 0, params)(x, y))
case("value_and_grad tuple out", lambda: ms.value_and_grad(two_out, 0)(x, y))

# --- return_ids / get_grad ---
case("return_ids pos 0", lambda: ms.grad(f, 0, return_ids=True)(x, y))
case("return_ids (0,1)", lambda: ms.grad(f, (0, 1), return_ids=True)(x, y))
case("return_ids weights", lambda: ms.grad(net, (0, 1), params, return_ids=True)(x, y))
case("return_ids weights only", lambda: ms.grad(net, None, params, return_ids=True)(x, y))
case("return_ids single weight", lambda: ms.grad(net, 0, net.w, return_ids=True)(x, y))
ids = ms.grad(net, (0, 1), params, return_ids=True)(x, y)
case("get_grad position 1", lambda: ms.get_grad(ids, 1))
case("get_grad position 0", lambda: ms.get_grad(ids, 0))
case("get_grad parameter", lambda: ms.get_grad(ids, net.w))
case("get_grad parameter b", lambda: ms.get_grad(ids, net.b))
case("get_grad missing position", lambda: ms.get_grad(ids, 5))
case("get_grad missing param", lambda: ms.get_grad(ids, Parameter(Tensor(np.ones(1, np.float32)), name="zz")))
case("get_grad bad identifier", lambda: ms.get_grad(ids, "w"))
case("get_grad from plain grads", lambda: ms.get_grad(ms.grad(f, (0, 1))(x, y), 0))

# --- sens_param ---
sens = Tensor(np.array([1.0, 10.0], np.float32))
case("sens_param", lambda: ms.grad(f, 0, sens_param=True)(x, y, sens))
case("sens_param (0,1)", lambda: ms.grad(f, (0, 1), sens_param=True)(x, y, sens))
case("sens_param weights", lambda: ms.grad(net, None, params, sens_param=True)(x, y, sens))
case("sens_param tuple out", lambda: ms.grad(two_out, 0, sens_param=True)(x, y, (sens, sens)))
case("sens_param has_aux", lambda: ms.grad(two_out, 0, has_aux=True, sens_param=True)(x, y, sens))
case("value_and_grad sens", lambda: ms.value_and_grad(f, 0, sens_param=True)(x, y, sens))

# --- kwargs ---
case("grad kwarg tensor", lambda: ms.grad(f, 0)(x, c=y))
case("grad kwarg position 1", lambda: ms.grad(f, (0, 1))(x, c=y))

# --- errors ---
case("grad_position list", lambda: ms.grad(f, [0, 1])(x, y))
case("grad_position negative", lambda: ms.grad(f, -1)(x, y))
case("grad_position out of range", lambda: ms.grad(f, 2)(x, y))
case("grad_position tuple out of range", lambda: ms.grad(f, (0, 3))(x, y))
case("grad_position None no weights", lambda: ms.grad(f, None)(x, y))
case("grad_position float", lambda: ms.grad(f, 1.0)(x, y))
case("grad not callable", lambda: ms.grad(3)(x))
case("grad weights int", lambda: ms.grad(net, 0, 3)(x, y))
case("grad has_aux not bool", lambda: ms.grad(f, 0, has_aux=1)(x, y))
case("sens_param missing sens", lambda: ms.grad(single, 0, sens_param=True)(x))
case("sens wrong shape", lambda: ms.grad(f, 0, sens_param=True)(x, y, Tensor(np.ones(3, np.float32))))

# --- requires_grad=False and unused parameters ---


class Partial(nn.Cell):
    def __init__(self):
        super().__init__()
        self.used = Parameter(Tensor(np.array([2.0], np.float32)), name="used")
        self.frozen = Parameter(Tensor(np.array([5.0], np.float32)), name="frozen", requires_grad=False)
        self.unused = Parameter(Tensor(np.array([1.0, 1.0], np.float32)), name="unused")

    def construct(self, a):
        return a * self.used * self.frozen


partial = Partial()
case("trainable names", lambda: [p.name for p in partial.trainable_params()])
case("grad trainable", lambda: ms.grad(partial, None, partial.trainable_params())(x))
case("grad all params", lambda: ms.grad(partial, None, partial.get_parameters())(x))

# --- higher order ---
case("grad of grad", lambda: ms.grad(ms.grad(ops.sin))(x))
case("grad^3", lambda: ms.grad(ms.grad(ms.grad(ops.sin)))(x))
case("grad^4", lambda: ms.grad(ms.grad(ms.grad(ms.grad(ops.sin))))(x))
case("grad of grad (0,1)", lambda: ms.grad(ms.grad(f, (0, 1)), (0, 1))(x, y))
case("grad of value_and_grad", lambda: ms.grad(lambda a: ms.value_and_grad(single)(a)[1].sum())(x))
