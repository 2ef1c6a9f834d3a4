"""Backward hooks: ops.HookBackward and Cell.register_backward_hook / register_backward_pre_hook in PyNative (what
each hook receives, replacements, order, removal, None for absent gradients, errors) under GradOperation, grad and
value_and_grad, with forward hooks; then GRAPH mode, where HookBackward is ignored and Cell hooks still apply.
Hooks print `hook-name: <arguments>`; each case prints `label: <result>` or `label: error <Type>`."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter

ms.set_context(pynative_synchronize=True)

from _probe import case, fmt  # noqa: E402

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
c = Tensor(np.array([5.0, 6.0], np.float32))
s1, s2 = Tensor(1, ms.float32), Tensor(2, ms.float32)
ga = ops.GradOperation(get_all=True)


# --- ops.HookBackward ------------------------------------------------------------------------------------------

def show(grad):
    print("show:", fmt(grad))


def times_ten(grad):
    print("times_ten:", fmt(grad))
    return (grad[0] * 10,)


def bare_times_ten(grad):
    return grad[0] * 10


show_hook, ten_hook, bare_hook = ops.HookBackward(show), ops.HookBackward(times_ten), ops.HookBackward(bare_times_ten)


def doc_example(a, b):
    return show_hook(a * b) * b


def replaced(a, b):
    return ten_hook(a * b) * b


def replaced_bare(a, b):
    return bare_hook(a * b) * b


def two_inputs(a, b):
    u, v = show_hook(a * 2, b * 3)
    return u * v


def one_of_two_used(a, b):
    u, v = show_hook(a * 2, b * 3)
    return u * 5


def constant_input(a):
    u, v = show_hook(a, c)
    return u * v


def used_twice(a, b):
    z = show_hook(a * b)
    return z * z + z


def int_input(a, k):
    return show_hook(k) * a


def inner(a):
    return show_hook(a * a) * a


def second_order(a):
    return ms.grad(inner)(a)


case("hookbackward repr", lambda: repr(show_hook))
case("hookbackward forward", lambda: doc_example(s1, s2))
case("hookbackward grad", lambda: ga(doc_example)(s1, s2))
case("hookbackward replaced", lambda: ga(replaced)(s1, s2))
case("hookbackward replaced bare", lambda: ga(replaced_bare)(s1, s2))
case("hookbackward two inputs", lambda: ga(two_inputs)(s1, s2))
case("hookbackward unused output", lambda: ga(one_of_two_used)(s1, s2))
case("hookbackward constant input", lambda: ga(constant_input)(x))
case("hookbackward used twice", lambda: ga(used_twice)(s1, s2))
case("hookbackward int input", lambda: ga(int_input)(s1, Tensor(3, ms.int32)))
case("hookbackward ms.grad", lambda: ms.grad(doc_example, grad_position=(0, 1))(s1, s2))
case("hookbackward value_and_grad", lambda: ms.value_and_grad(doc_example)(s1, s2))
case("hookbackward sens", lambda: ops.GradOperation(sens_param=True)(inner)(s2, Tensor(7, ms.float32)))
case("hookbackward second order", lambda: ms.grad(second_order)(s1))
case("hookbackward non-tensor", lambda: show_hook(1.0))
case("hookbackward not callable", lambda: ops.HookBackward(1))


def wrong_shape(grad):
    return (ops.ones((2,), ms.float32),)


def wrong_dtype(grad):
    return (Tensor(5, ms.float64),)


def two_for_one(grad):
    return (grad[0], grad[0])


def a_number(grad):
    return 3.0


for bad in (wrong_shape, wrong_dtype, two_for_one, a_number):
    bad_hook = ops.HookBackward(bad)

    def bad_net(a, b, hook=bad_hook):
        return hook(a * b) * b
    case(f"hookbackward returns {bad.__name__}", lambda: ga(bad_net)(s1, s2))


def first_only(grad):
    return grad[0]


first_only_hook = ops.HookBackward(first_only)


def bare_for_two(a, b):
    u, v = first_only_hook(a * 2, b * 3)
    return u * v


case("hookbackward bare for two inputs", lambda: ga(bare_for_two)(s1, s2))


# --- Cell backward hooks ---------------------------------------------------------------------------------------

def backward_hook(cell, grad_input, grad_output):
    print(f"backward_hook {type(cell).__name__}: grad_input", fmt(grad_input), "grad_output", fmt(grad_output))


def backward_pre_hook(cell, grad_output):
    print(f"backward_pre_hook {type(cell).__name__}:", fmt(grad_output))


class Mul(nn.Cell):
    def construct(self, a, b):
        return a * b


class Square(nn.Cell):
    def construct(self, a):
        return a * a


class Split(nn.Cell):
    def construct(self, a, b):
        return a * 2.0, a * b


class Outer(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = Square()

    def construct(self, a):
        return self.inner(a) * 5


class Affine(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[1.0, 1.0]], np.float32)), name="w")
        self.b = Parameter(Tensor(np.array([0.5], np.float32)), name="b")

    def construct(self, a):
        return ops.matmul(a, self.w.T) + self.b


class WithBprop(nn.Cell):
    def construct(self, a):
        return a * a

    def bprop(self, a, out, dout):
        print("bprop dout:", fmt(dout))
        return (dout * 100,)


class PairInput(nn.Cell):
    def construct(self, pair):
        return pair[0] * pair[1]


mul = Mul()
handles = [mul.register_backward_hook(backward_hook), mul.register_backward_pre_hook(backward_pre_hook)]


def scaled_mul(a, b):
    return mul(a * 2, b) * 3


case("handle type", lambda: type(handles[0]).__name__)
case("cell hooks grad", lambda: ga(scaled_mul)(x, y))
case("cell hooks forward only", lambda: mul(x, y))
handles[1].remove()
case("pre hook removed", lambda: ga(scaled_mul)(x, y))
handles[0].remove()
case("both removed", lambda: ga(scaled_mul)(x, y))
handles[0].remove()


def scale_grad_input(name, k):
    def hook(cell, grad_input, grad_output):
        print(f"{name}: grad_input", fmt(grad_input), "grad_output", fmt(grad_output))
        return (grad_input[0] * k,)
    return hook


def scale_grad_output(name, k):
    def hook(cell, grad_output):
        print(f"{name}:", fmt(grad_output))
        return (grad_output[0] * k,)
    return hook


square = Square()
handles = [square.register_backward_hook(scale_grad_input("A", 2.0)),
           square.register_backward_hook(scale_grad_input("B", 3.0)),
           square.register_backward_pre_hook(scale_grad_output("PA", 5.0)),
           square.register_backward_pre_hook(scale_grad_output("PB", 7.0))]
case("several hooks chain in order", lambda: ga(square)(x))
for handle in handles:
    handle.remove()


def bare_grad_input(cell, grad_input, grad_output):
    return grad_input[0] * 10


def forward_pre_hook(cell, args):
    print("forward_pre_hook:", fmt(args))
    return (args[0] * 2,)


def forward_hook(cell, args, output):
    print("forward_hook:", fmt(args), fmt(output))
    return output + 1


handles = [square.register_backward_hook(bare_grad_input)]
case("bare replacement", lambda: ga(square)(x))
handles += [square.register_forward_pre_hook(forward_pre_hook), square.register_forward_hook(forward_hook),
            square.register_backward_pre_hook(backward_pre_hook)]
case("with forward hooks", lambda: ga(square)(x))
for handle in handles:
    handle.remove()

split = Split()
split.register_backward_hook(backward_hook)
split.register_backward_pre_hook(backward_pre_hook)


def both_outputs(a, b):
    u, v = split(a, b)
    return u * 3 + v


def first_output(a, b):
    u, v = split(a, b)
    return u * 3


case("two outputs", lambda: ga(both_outputs)(x, y))
case("unused output gives None", lambda: ga(first_output)(x, y))

mul2 = Mul()
mul2.register_backward_hook(backward_hook)


def constant_second(a):
    return mul2(a, c)


def constants_only(a):
    return mul2(c, c) * a


case("constant argument gives None", lambda: ga(constant_second)(x))
case("constant arguments: no hook", lambda: ga(constants_only)(x))
case("int argument", lambda: ga(mul2)(x, Tensor(np.array([2, 3], np.int32))))

outer = Outer()
for cell in (outer, outer.inner):
    cell.register_backward_hook(backward_hook)
    cell.register_backward_pre_hook(backward_pre_hook)
case("nested cells", lambda: ga(outer)(x))

affine = Affine()
affine.register_backward_hook(backward_hook)
affine.register_backward_pre_hook(backward_pre_hook)


def affine_loss(a):
    return affine(a).sum() * 2


row = Tensor(np.array([[1.0, 2.0]], np.float32))
case("weights only: grad_input None", lambda: ms.grad(affine_loss, grad_position=None,
                                                      weights=affine.trainable_params())(row))
case("value_and_grad", lambda: ms.value_and_grad(affine_loss, grad_position=0)(row))

with_bprop = WithBprop()
with_bprop.register_backward_hook(backward_hook)
with_bprop.register_backward_pre_hook(backward_pre_hook)
case("cell with bprop", lambda: ga(with_bprop)(x))

pair = PairInput()
pair.register_backward_hook(backward_hook)


def pair_loss(a, b):
    return pair((a, b))


case("tuple argument", lambda: ga(pair_loss)(x, y))

square_twice = Square()
square_twice.register_backward_hook(backward_hook)


def called_twice(a):
    return square_twice(a) + square_twice(a * 3)


def square_times(a):
    return square_twice(a) * a


def square_second(a):
    return ms.grad(square_times)(a)


case("called twice", lambda: ga(called_twice)(x))
case("second order", lambda: ms.grad(square_second)(x))


def two_grads(cell, grad_input, grad_output):
    return (grad_input[0], grad_input[0])


def bad_shape(cell, grad_input, grad_output):
    return (ops.ones((3,), ms.float32),)


def pre_two_grads(cell, grad_output):
    return (grad_output[0], grad_output[0])


def pre_number(cell, grad_output):
    return 2.0


for register, bad in ((Square.register_backward_hook, two_grads), (Square.register_backward_hook, bad_shape),
                      (Square.register_backward_pre_hook, pre_two_grads),
                      (Square.register_backward_pre_hook, pre_number)):
    bad_cell = Square()
    register(bad_cell, bad)
    case(f"hook returns {bad.__name__}", lambda: ga(bad_cell)(x))
case("register non-callable", lambda: Square().register_backward_hook(3))
case("register_pre non-callable", lambda: Square().register_backward_pre_hook("hook"))


# --- GRAPH mode: HookBackward does nothing, Cell hooks still replace gradients ---------------------------------

ms.set_context(mode=ms.GRAPH_MODE)


class HookedNet(nn.Cell):
    def construct(self, a, b):
        return ten_hook(a * b) * b


def graph_scale_input(cell, grad_input, grad_output):
    return (grad_input[0] * 10,)


class GraphOuter(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = Square()

    def construct(self, a):
        return self.inner(a) * 2


graph_outer = GraphOuter()
graph_outer.inner.register_backward_hook(graph_scale_input)
case("graph hookbackward ignored", lambda: ga(HookedNet())(x, y))
case("graph cell hook applies", lambda: ga(graph_outer)(x))
