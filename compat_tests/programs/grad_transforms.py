"""Probe of mindspore.vjp / jvp / jacfwd / jacrev / vmap and ops.derivative: result structures, values, has_aux,
weights, nesting, and errors. Each case prints `label: <result>` or `label: error <Type>`."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter

ms.set_context(pynative_synchronize=True)

from _probe import case  # noqa: E402

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
v = Tensor(np.array([1.0, 10.0], np.float32))
m = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))


def f(a):
    return a * a * a


def f2(a, c):
    return a * a * c


def f_two(a, c):
    return a * c, a + c


def f_aux(a):
    return a * a, a + 1


def f_aux2(a):
    return a * a, a + 1, a - 1


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0, 3.0], np.float32)), name="w")

    def construct(self, a):
        return a * self.w * self.w


net = Net()


# MindSpore compiles these transforms: functions must be defined on their own lines, not as inline lambdas.
def square_matrix(a):
    return ops.matmul(a, a)


def sum_of_squares(a):
    return (a * a).sum()


def squared(a):
    return a * a


def sum_of_cubes(a):
    return (a * a * a).sum()


def jvp_sum(a):
    return ms.jvp(f, a, v)[1].sum()


def doubled(a):
    return a * 2


def doubled_and_sum(a):
    return a * 2, a.sum()

# --- vjp ---
out, fn = ms.vjp(f, x)
case("vjp out", lambda: out)
case("vjp fn(v)", lambda: fn(v))
out, fn = ms.vjp(f2, x, y)
case("vjp two inputs", lambda: fn(v))
out, fn = ms.vjp(f_two, x, y)
case("vjp two outputs out", lambda: out)
case("vjp two outputs", lambda: fn((v, v)))
out, fn, aux = ms.vjp(f_aux, x, has_aux=True)
case("vjp has_aux out", lambda: out)
case("vjp has_aux aux", lambda: aux)
case("vjp has_aux fn", lambda: fn(v))
out, fn, aux = ms.vjp(f_aux2, x, has_aux=True)
case("vjp has_aux two aux", lambda: aux)
out, fn = ms.vjp(net, x, weights=net.trainable_params())
case("vjp weights out", lambda: out)
case("vjp weights fn", lambda: fn(v))
out, fn = ms.vjp(net, x, weights=net.w)
case("vjp single weight fn", lambda: fn(v))
case("vjp fn twice", lambda: (fn(v), fn(v * 2)))
case("vjp has_aux single output", lambda: ms.vjp(f, x, has_aux=True))
case("vjp wrong v shape", lambda: ms.vjp(f, x)[1](Tensor(np.ones(3, np.float32))))

# --- jvp ---
case("jvp", lambda: ms.jvp(f, x, v))
case("jvp tuple inputs", lambda: ms.jvp(f2, (x, y), (v, v)))
case("jvp two outputs", lambda: ms.jvp(f_two, (x, y), (v, v)))
case("jvp has_aux", lambda: ms.jvp(f_aux, x, v, has_aux=True))
case("jvp has_aux two aux", lambda: ms.jvp(f_aux2, x, v, has_aux=True))
case("jvp cell", lambda: ms.jvp(net, x, v))
case("jvp v shape mismatch", lambda: ms.jvp(f, x, Tensor(np.ones(3, np.float32))))
case("jvp inputs not tensor", lambda: ms.jvp(f, 1.0, v))

# --- jacobians ---
case("jacrev", lambda: ms.jacrev(f)(x))
case("jacfwd", lambda: ms.jacfwd(f)(x))
case("jacrev matrix", lambda: ms.jacrev(square_matrix)(m))
case("jacfwd matrix", lambda: ms.jacfwd(square_matrix)(m))
case("jacrev pos 1", lambda: ms.jacrev(f2, 1)(x, y))
case("jacrev pos (0,1)", lambda: ms.jacrev(f2, (0, 1))(x, y))
case("jacfwd pos (0,1)", lambda: ms.jacfwd(f2, (0, 1))(x, y))
case("jacrev two outputs", lambda: ms.jacrev(f_two, (0, 1))(x, y))
case("jacfwd two outputs", lambda: ms.jacfwd(f_two, (0, 1))(x, y))
case("jacrev two outputs pos 0", lambda: ms.jacrev(f_two)(x, y))
case("jacrev has_aux", lambda: ms.jacrev(f_aux, has_aux=True)(x))
case("jacfwd has_aux", lambda: ms.jacfwd(f_aux, has_aux=True)(x))
case("jacfwd has_aux two aux", lambda: ms.jacfwd(f_aux2, has_aux=True)(x))
case("jacrev scalar output", lambda: ms.jacrev(sum_of_squares)(x))
case("jacrev scalar input", lambda: ms.jacrev(squared)(Tensor(3.0, ms.float32)))
case("hessian jacfwd(jacrev)", lambda: ms.jacfwd(ms.jacrev(sum_of_cubes))(x))
case("hessian jacrev(jacrev)", lambda: ms.jacrev(ms.jacrev(sum_of_cubes))(x))
case("jacrev cell", lambda: ms.jacrev(net)(x))
case("jacrev bad position", lambda: ms.jacrev(f2, 2)(x, y))

# --- grad through jvp, forward over reverse ---
case("jvp of grad", lambda: ms.jvp(ms.grad(sum_of_cubes), x, v))
case("grad of jvp", lambda: ms.grad(jvp_sum)(x))

# --- vmap ---
batch = Tensor(np.arange(6, dtype=np.float32).reshape(3, 2))


def dot(a, b):
    return (a * b).sum()


case("vmap", lambda: ms.vmap(dot)(batch, batch))
case("vmap in_axes (0, None)", lambda: ms.vmap(dot, in_axes=(0, None))(batch, x))
case("vmap in_axes 1", lambda: ms.vmap(dot, in_axes=1)(batch, batch))
case("vmap out_axes 1", lambda: ms.vmap(doubled, in_axes=0, out_axes=1)(batch))
case("vmap tuple out", lambda: ms.vmap(doubled_and_sum)(batch))
case("vmap of grad", lambda: ms.vmap(ms.grad(sum_of_squares))(batch))
case("vmap cell", lambda: ms.vmap(net)(batch))
case("vmap size mismatch", lambda: ms.vmap(dot)(batch, Tensor(np.ones((4, 2), np.float32))))
case("vmap bad in_axes", lambda: ms.vmap(dot, in_axes=(0, 0, 0))(batch, batch))
case("vmap axis out of range", lambda: ms.vmap(dot, in_axes=3)(batch, batch))

# --- derivative ---
case("derivative order 1", lambda: ops.derivative(ops.sin, x, 1))
case("derivative order 2", lambda: ops.derivative(ops.sin, x, 2))
case("derivative order 3", lambda: ops.derivative(ops.sin, x, 3))
case("derivative poly", lambda: ops.derivative(f, x, 2))
