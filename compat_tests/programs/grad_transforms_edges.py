"""Probe of the edges of mindspore.vjp / jvp / jacfwd / jacrev / vmap / ops.derivative / get_grad / stop_gradient:
argument checks, output structures they accept, integer inputs and outputs, Parameter writes, nesting. Each case
prints `label: <result>` or `label: error <Type>`. (Functions handed to jvp/jac/vmap are defined on their own
lines: MindSpore compiles them.)"""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple

ms.set_context(pynative_synchronize=True)

from _probe import case  # noqa: E402

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
v = Tensor(np.array([1.0, 10.0], np.float32))
xi = Tensor(np.array([1, 2], np.int32))
b = Tensor(np.arange(6, dtype=np.float32).reshape(3, 2))


def cube(a):
    return a * a * a


def f2(a, c):
    return a * a * c


def two_out(a, c):
    return a * c, a + c


def twice(a):
    return a * 2


def square_f32(a):
    return (a * a).astype(ms.float32)


def half(a):
    return a.astype(ms.float32) * 0.5


def dict_out(a):
    return {"p": a * 2}


def list_out(a):
    return [a * 2, a * a]


def number_out(a):
    return a * 2, 3


def nested_out(a):
    return a * 2, (a * a, a + 1)


def index_out(a):
    return a.argmax()


def with_index(a):
    return a * 2, a.argmax()


def nested_aux(a):
    return (a * 2, a * a), a + 1


def scale_first(a, t):
    return a * t[0]


def ignore_second(a, n):
    return a * 2


def vjp_of_cube(a):
    return ms.vjp(cube, a)[1](v)[0]


def jvp_of_cube(a):
    return ms.jvp(cube, a, v)[1]


def grad_of_cube(a):
    return ms.grad(cube)(a)


def sum_of_vmap(a):
    return ms.vmap(cube)(a).sum()


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0], np.float32)), name="w")
        self.b = Parameter(Tensor(np.array([3.0], np.float32)), name="b")

    def construct(self, a, c):
        return a * c * self.w + self.b


net = Net()
params = ParameterTuple(net.trainable_params())

# --- vjp ---
case("vjp not callable", lambda: ms.vjp(3, x))
case("vjp number input", lambda: ms.vjp(cube, 3.0))
case("vjp has_aux not bool", lambda: ms.vjp(two_out, x, y, has_aux=1))
case("vjp fn tuple v for tensor out", lambda: ms.vjp(cube, x)[1]((v, v)))
case("vjp fn tensor v for tuple out", lambda: ms.vjp(two_out, x, y)[1](v))
case("vjp fn v dtype", lambda: ms.vjp(cube, x)[1](v.astype(ms.float64)))
case("vjp fn two args", lambda: ms.vjp(two_out, x, y)[1](v, v))
case("vjp fn list v", lambda: ms.vjp(list_out, x)[1]([v, v]))
case("vjp fn nested v", lambda: ms.vjp(nested_out, x)[1]((v, (v, v))))
case("vjp fn number in v", lambda: ms.vjp(number_out, x)[1]((v, 1)))
case("vjp fn dict v", lambda: ms.vjp(dict_out, x)[1]({"p": v}))
case("vjp fn number v", lambda: ms.vjp(ops.sum, x)[1](2.0))
case("vjp int input", lambda: ms.vjp(square_f32, xi)[1](v))
case("vjp int output", lambda: ms.vjp(index_out, x)[1](Tensor(1, ms.int64)))
case("vjp weights int", lambda: ms.vjp(net, x, y, weights=3)[0])
case("vjp weights int fn", lambda: ms.vjp(net, x, y, weights=3)[1](v))
case("vjp weights generator", lambda: ms.vjp(net, x, y, weights=net.get_parameters())[1](v))

# --- jvp ---
case("jvp not callable", lambda: ms.jvp(3, x, v))
case("jvp has_aux not bool", lambda: ms.jvp(cube, x, v, has_aux=1))
case("jvp v number", lambda: ms.jvp(cube, x, 1.0))
case("jvp v count", lambda: ms.jvp(f2, (x, y), (v,)))
case("jvp v tensor for two inputs", lambda: ms.jvp(f2, (x, y), v))
case("jvp v tuple for tensor", lambda: ms.jvp(cube, x, (v,)))
case("jvp 1-tuple input", lambda: ms.jvp(cube, (x,), v))
case("jvp v dtype", lambda: ms.jvp(cube, x, v.astype(ms.float64)))
case("jvp int input float v", lambda: ms.jvp(twice, xi, v))
case("jvp list inputs", lambda: ms.jvp(f2, [x, y], [v, v]))
case("jvp dict out", lambda: ms.jvp(dict_out, x, v))
case("jvp list out", lambda: ms.jvp(list_out, x, v))
case("jvp number out", lambda: ms.jvp(number_out, x, v))
case("jvp nested out", lambda: ms.jvp(nested_out, x, v))
case("jvp int out", lambda: ms.jvp(index_out, x, v))
case("jvp mixed out", lambda: ms.jvp(with_index, x, v))
case("jvp nested main with aux", lambda: ms.jvp(nested_aux, x, v, has_aux=True))

# --- jacobians ---
case("jacrev not callable", lambda: ms.jacrev(3)(x))
case("jacfwd has_aux not bool", lambda: ms.jacfwd(cube, has_aux=1)(x))
case("jacrev empty position", lambda: ms.jacrev(f2, ())(x, y))
case("jacfwd empty position", lambda: ms.jacfwd(f2, ())(x, y))
case("jacrev pos (1,0)", lambda: ms.jacrev(f2, (1, 0))(x, y))
case("jacrev number arg", lambda: ms.jacrev(f2, 0)(x, 2.0))
case("jacfwd number arg", lambda: ms.jacfwd(f2, 0)(x, 2.0))
case("jacrev int arg", lambda: ms.jacrev(f2, 1)(x, 2))
case("jacrev None arg", lambda: ms.jacrev(ignore_second, 0)(x, None))
case("jacfwd None arg", lambda: ms.jacfwd(ignore_second, 0)(x, None))
case("jacrev tuple arg", lambda: ms.jacrev(scale_first, 0)(x, (y, y)))
case("jacrev tuple differentiated", lambda: ms.jacrev(f2, 0)((x, y), 2.0))
case("jacrev int input", lambda: ms.jacrev(square_f32)(xi))
case("jacrev int input truncated", lambda: ms.jacrev(half)(xi))
case("jacfwd int input", lambda: ms.jacfwd(square_f32)(xi))
case("jacrev int output", lambda: ms.jacrev(index_out)(x))
case("jacfwd int output", lambda: ms.jacfwd(index_out)(x))
case("jacfwd mixed output", lambda: ms.jacfwd(with_index)(x))
case("jacrev mixed output", lambda: ms.jacrev(with_index)(x))
case("jacrev dict out", lambda: ms.jacrev(dict_out)(x))
case("jacrev list out", lambda: ms.jacrev(list_out)(x))
case("jacfwd list out", lambda: ms.jacfwd(list_out)(x))
case("jacrev nested out", lambda: ms.jacrev(nested_out)(x))
case("jacrev number out", lambda: ms.jacrev(number_out)(x))
case("jacrev nested main with aux", lambda: ms.jacrev(nested_aux, has_aux=True)(x))
case("jacrev aux int", lambda: ms.jacrev(with_index, has_aux=True)(x))

# --- derivative ---
case("derivative order 0", lambda: ops.derivative(cube, x, 0))
case("derivative order float", lambda: ops.derivative(cube, x, 1.0))
case("derivative order True", lambda: ops.derivative(cube, x, True))
case("derivative not callable", lambda: ops.derivative(3, x, 1))
case("derivative number primal", lambda: ops.derivative(cube, 2.0, 1))
case("derivative list primals", lambda: ops.derivative(f2, [x, y], 1))
case("derivative 1-tuple", lambda: ops.derivative(cube, (x,), 1))
case("derivative tuple primals", lambda: ops.derivative(f2, (x, y), 1))
case("derivative tuple out", lambda: ops.derivative(two_out, (x, y), 1))
case("derivative int primal", lambda: ops.derivative(twice, xi, 1))
case("derivative order 4", lambda: ops.derivative(ops.sin, x, 4))

# --- nesting ---
case("jacrev of vjp", lambda: ms.jacrev(vjp_of_cube)(x))
case("jacfwd of vjp", lambda: ms.jacfwd(vjp_of_cube)(x))
case("jacrev of jvp", lambda: ms.jacrev(jvp_of_cube)(x))
case("vjp of grad", lambda: ms.vjp(grad_of_cube, x)[1](v))
case("vmap of jvp", lambda: ms.vmap(jvp_of_cube)(b))
case("grad of vmap", lambda: ms.grad(sum_of_vmap)(b))

# --- vmap ---
p = Parameter(Tensor(np.array([1.0], np.float32)), name="p")


def write_once(a):
    ops.assign(p, p + 1)
    return a * p


def write_batched(a):
    ops.assign(p, a.sum().reshape(1))
    return a * 2


def pair_product(t):
    return t[0] * t[1]


def times(a, k):
    return a * k


case("vmap write", lambda: ms.vmap(write_once)(b))
case("p after vmap write", lambda: p)
case("vmap batched write", lambda: ms.vmap(write_batched)(b))
case("p after batched write", lambda: p)
case("vmap kwargs", lambda: ms.vmap(times)(b, k=b))
case("vmap tuple arg", lambda: ms.vmap(pair_product)((b, b)))
case("vmap nested in_axes", lambda: ms.vmap(pair_product, in_axes=((0, None),))((b, x)))
case("vmap number arg", lambda: ms.vmap(times, in_axes=(0, None))(b, 3.0))
case("vmap number arg mapped", lambda: ms.vmap(times, in_axes=(0, 0))(b, 3.0))
case("vmap negative axis", lambda: ms.vmap(twice, in_axes=-1)(b))
case("vmap int tensor", lambda: ms.vmap(twice)(Tensor(np.arange(6).reshape(3, 2))))
case("vmap index out", lambda: ms.vmap(index_out)(b))

# --- grad / get_grad / stop_gradient ---
ids = ms.grad(net, (0, 1), params, return_ids=True)(x, y)
case("grad empty position", lambda: ms.grad(f2, ())(x, y))
case("grad return_ids not bool", lambda: ms.grad(f2, 0, return_ids=1)(x, y))
case("grad sens_param not bool", lambda: ms.grad(f2, 0, sens_param=1)(x, y))
case("value_and_grad return_ids weights", lambda: ms.value_and_grad(net, 0, params, return_ids=True)(x, y))
case("grad return_ids has_aux", lambda: ms.grad(two_out, (0, 1), has_aux=True, return_ids=True)(x, y))
case("get_grad True", lambda: ms.get_grad(ids, True))
case("get_grad float", lambda: ms.get_grad(ids, 1.0))
case("get_grad tensor", lambda: ms.get_grad(x, 0))
case("get_grad None", lambda: ms.get_grad(None, 0))
case("get_grad list", lambda: ms.get_grad(list(ids), 1))
case("stop_gradient tuple", lambda: ops.stop_gradient((x, y)))
case("stop_gradient list", lambda: ops.stop_gradient([x, y]))
case("stop_gradient nested", lambda: ops.stop_gradient((x, (y, 2))))
case("stop_gradient int", lambda: ops.stop_gradient(3))
