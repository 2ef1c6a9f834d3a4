"""Backward hooks (``ops.HookBackward``, ``Cell.register_backward_hook`` / ``register_backward_pre_hook``): identity
ops whose backward rule calls Python, on `bprop.call_with_rule`. Values as recorded from MindSpore 2.10 (see
compat_tests/programs/grad_hooks.py)."""
import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, Tensor, nn, ops
from msjax._src import hooks


def f32(*values):
    return Tensor(np.array(values, np.float32))


def arr(t):
    return np.asarray(t.asnumpy())


X, Y, C = f32(1.0, 2.0), f32(3.0, 4.0), f32(5.0, 6.0)
S1, S2 = Tensor(1, ms.float32), Tensor(2, ms.float32)
GA = ops.GradOperation(get_all=True)


class Recorder:
    """A hook that records what it receives and returns ``result(args)``."""

    def __init__(self, result=lambda *args: None):
        self.calls, self.result = [], result

    def __call__(self, *args):
        self.calls.append(args)
        return self.result(*args)


def values(grads):
    return [None if g is None else arr(g).tolist() for g in grads]


# --- ops.HookBackward --------------------------------------------------------------------------------------------

def test_hookbackward_is_identity_and_sees_the_gradient_tuple():
    hook = Recorder()
    hb = ops.HookBackward(hook)
    assert repr(hb) == "Prim[HookBackward]<cell_id=>"

    def f(a, b):
        return hb(a * b) * b

    assert arr(f(S1, S2)) == 4.0 and hook.calls == []  # forward alone fires nothing
    grads = GA(f)(S1, S2)
    assert [arr(g) for g in grads] == [4.0, 4.0]
    (received,), = hook.calls
    assert isinstance(received, tuple) and len(received) == 1 and received[0].dtype == ms.float32
    assert values(received) == [2.0]


def test_hookbackward_replacement_bare_or_tuple():
    for result in (lambda g: (g[0] * 10,), lambda g: g[0] * 10):
        hb = ops.HookBackward(result)
        grads = GA(lambda a, b: hb(a * b) * b)(S1, S2)
        assert [arr(g) for g in grads] == [40.0, 22.0]


def test_hookbackward_several_inputs_zeros_where_no_gradient_flows():
    hook = Recorder()
    hb = ops.HookBackward(hook)

    def one_used(a, b):
        u, _ = hb(a * 2, b * 3)
        return u * 5

    assert [arr(g) for g in GA(one_used)(S1, S2)] == [10.0, 0.0]
    assert values(hook.calls[-1][0]) == [5.0, 0.0]

    def constant(a):
        u, v = hb(a, C)
        return u * v

    GA(constant)(X)
    assert values(hook.calls[-1][0]) == [[5.0, 6.0], [0.0, 0.0]]  # the constant's cotangent is not reported


def test_hookbackward_fires_once_per_call_site_with_the_summed_gradient():
    hook = Recorder()
    hb = ops.HookBackward(hook)
    GA(lambda a, b: (lambda z: z * z + z)(hb(a * b)))(S1, S2)
    assert [values(c[0]) for c in hook.calls] == [[5.0]]
    hook.calls.clear()
    GA(lambda a, b: hb(a) * hb(b))(S1, S2)
    assert [values(c[0]) for c in hook.calls] == [[1.0], [2.0]]


def test_hookbackward_under_grad_value_and_grad_and_second_order():
    hook = Recorder()
    hb = ops.HookBackward(hook)

    def inner(a):
        return hb(a * a) * a

    assert arr(ms.grad(inner)(S1)) == 3.0
    value, grad = ms.value_and_grad(inner)(S2)
    assert (arr(value), arr(grad)) == (8.0, 12.0)

    def first(a):
        return ms.grad(inner)(a)

    hook.calls.clear()
    assert arr(ms.grad(first)(S1)) == 6.0
    assert [values(c[0]) for c in hook.calls] == [[1.0], [1.0]]  # as MindSpore: once per backward pass


def test_hookbackward_integer_input_gets_an_integer_gradient():
    hook = Recorder()
    hb = ops.HookBackward(hook)
    grads = GA(lambda a, k: hb(k) * a)(S1, Tensor(3, ms.int32))
    assert hook.calls[0][0][0].dtype == ms.int32 and grads[1].dtype == ms.int32 and arr(grads[1]) == 1


def test_hookbackward_errors():
    with pytest.raises(TypeError, match="Expected a callable hook function, but got int"):
        ops.HookBackward(1)
    hb = ops.HookBackward(lambda g: None)
    with pytest.raises(TypeError, match="must be Tensor, but got Float32"):
        hb(1.0)
    with pytest.raises(TypeError, match="but got type 'tuple'"):
        hb((X, Y))

    def grad_with(result, n_inputs=1):
        hook = ops.HookBackward(result)
        if n_inputs == 1:
            return GA(lambda a, b: hook(a * b) * b)(S1, S2)
        return GA(lambda a, b: (lambda u, v: u * v)(*hook(a * 2, b * 3)))(S1, S2)

    with pytest.raises(ValueError, match=r"should be Tensor shape:\[\[const vector\]\{\}\]Float32, but got Tensor "
                                         r"shape:\[\[const vector\]\{2\}\]Float32"):
        grad_with(lambda g: (ops.ones((2,), ms.float32),))
    with pytest.raises(ValueError, match="Float64"):
        grad_with(lambda g: (Tensor(5, ms.float64),))
    with pytest.raises(TypeError, match="should be a tensor but got tuple"):
        grad_with(lambda g: (g[0], g[0]))
    with pytest.raises(TypeError, match="should be a tensor but got float"):
        grad_with(lambda g: 3.0)
    with pytest.raises(TypeError, match="The output gradient should be a tuple!"):
        grad_with(lambda g: g[0], n_inputs=2)


def test_hookbackward_is_ignored_in_graph_mode():
    hook = Recorder(lambda g: (g[0] * 10,))
    hb = ops.HookBackward(hook)
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        grads = GA(lambda a, b: hb(a * b) * b)(X, Y)
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
    assert values(grads) == [[9.0, 16.0], [6.0, 16.0]] and hook.calls == []


def test_hooks_suspended_neither_fire_nor_replace():
    hook = Recorder(lambda g: (g[0] * 10,))
    hb = ops.HookBackward(hook)
    with hooks.suspended():
        grads = GA(lambda a, b: hb(a * b) * b)(S1, S2)
    assert [arr(g) for g in grads] == [4.0, 4.0] and hook.calls == []


# --- Cell backward hooks -----------------------------------------------------------------------------------------

class Mul(nn.Cell):
    def construct(self, a, b):
        return a * b


class Square(nn.Cell):
    def construct(self, a):
        return a * a


class Split(nn.Cell):
    def construct(self, a, b):
        return a * 2.0, a * b


def test_cell_hooks_receive_grad_input_and_grad_output():
    mul = Mul()
    backward, pre = Recorder(), Recorder()
    handles = [mul.register_backward_hook(backward), mul.register_backward_pre_hook(pre)]
    assert type(handles[0]).__name__ == "HookHandle"

    def f(a, b):
        return mul(a * 2, b) * 3

    grads = GA(f)(X, Y)
    assert values(grads) == [[18.0, 24.0], [6.0, 12.0]]
    (cell, grad_output), = pre.calls
    assert cell is mul and values(grad_output) == [[3.0, 3.0]]
    (cell, grad_input, grad_output), = backward.calls
    assert values(grad_input) == [[9.0, 12.0], [6.0, 12.0]] and values(grad_output) == [[3.0, 3.0]]

    handles[1].remove()
    GA(f)(X, Y)
    assert len(pre.calls) == 1 and len(backward.calls) == 2
    handles[0].remove()
    handles[0].remove()  # removing twice is harmless
    assert values(GA(f)(X, Y)) == [[18.0, 24.0], [6.0, 12.0]] and len(backward.calls) == 2
    mul(X, Y)  # no gradient: nothing fires
    assert len(backward.calls) == 2


def test_cell_hooks_chain_in_registration_order_and_replace():
    square = Square()
    order = []

    def scale_input(name, k):
        def hook(cell, grad_input, grad_output):
            order.append((name, values(grad_input), values(grad_output)))
            return (grad_input[0] * k,)
        return hook

    def scale_output(name, k):
        def hook(cell, grad_output):
            order.append((name, values(grad_output)))
            return grad_output[0] * k  # a bare Tensor stands for a 1-tuple
        return hook

    square.register_backward_hook(scale_input("A", 2.0))
    square.register_backward_hook(scale_input("B", 3.0))
    square.register_backward_pre_hook(scale_output("PA", 5.0))
    square.register_backward_pre_hook(scale_output("PB", 7.0))
    assert values(GA(square)(X)) == [[420.0, 840.0]]
    assert order == [("PA", [[1.0, 1.0]]), ("PB", [[5.0, 5.0]]),
                     ("A", [[70.0, 140.0]], [[35.0, 35.0]]), ("B", [[140.0, 280.0]], [[35.0, 35.0]])]


def test_cell_hooks_compose_with_forward_hooks():
    square, backward = Square(), Recorder()
    square.register_forward_pre_hook(lambda cell, args: (args[0] * 2,))
    square.register_forward_hook(lambda cell, args, output: output + 1)
    square.register_backward_hook(backward)
    assert values(GA(square)(X)) == [[8.0, 16.0]]
    assert values(backward.calls[0][1]) == [[4.0, 8.0]]  # the arguments after the forward pre-hook


def test_cell_hooks_none_for_absent_gradients():
    split, backward, pre = Split(), Recorder(), Recorder()
    split.register_backward_hook(backward)
    split.register_backward_pre_hook(pre)

    def first_output(a, b):
        return split(a, b)[0] * 3

    assert values(GA(first_output)(X, Y)) == [[6.0, 6.0], [0.0, 0.0]]
    assert values(pre.calls[0][1]) == [[3.0, 3.0], None]
    assert values(backward.calls[0][1]) == [[6.0, 6.0], None]

    mul, backward = Mul(), Recorder()
    mul.register_backward_hook(backward)
    GA(lambda a: mul(a, C))(X)
    assert values(backward.calls[0][1]) == [[5.0, 6.0], None]  # a constant argument
    GA(lambda a: mul(C, C) * a)(X)
    assert len(backward.calls) == 1  # nothing differentiated reaches the Cell: no hook


def test_cell_hooks_weights_only_and_tuple_argument():
    class Affine(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(Tensor(np.array([[1.0, 1.0]], np.float32)), name="w")

        def construct(self, a):
            return ops.matmul(a, self.w.T)

    affine, backward = Affine(), Recorder()
    affine.register_backward_hook(backward)
    row = Tensor(np.array([[1.0, 2.0]], np.float32))
    grads = ms.grad(lambda a: affine(a).sum() * 2, grad_position=None, weights=affine.trainable_params())(row)
    assert values(grads) == [[[2.0, 4.0]]]
    assert backward.calls[0][1] == (None,)

    class Pair(nn.Cell):
        def construct(self, pair):
            return pair[0] * pair[1]

    pair, backward = Pair(), Recorder()
    pair.register_backward_hook(backward)
    GA(lambda a, b: pair((a, b)))(X, Y)
    assert backward.calls[0][1] == (None,) and values(backward.calls[0][2]) == [[1.0, 1.0]]


def test_cell_hooks_with_bprop_nested_cells_and_second_order():
    class WithBprop(nn.Cell):
        def construct(self, a):
            return a * a

        def bprop(self, a, out, dout):
            return (dout * 100,)

    cell, backward = WithBprop(), Recorder()
    cell.register_backward_hook(backward)
    assert values(GA(cell)(X)) == [[100.0, 100.0]] and values(backward.calls[0][1]) == [[100.0, 100.0]]

    square, backward = Square(), Recorder()
    square.register_backward_hook(backward)

    def times(a):
        return square(a) * a

    def first(a):
        return ms.grad(times)(a)

    assert values([ms.grad(first)(X)]) == [[6.0, 12.0]]
    assert [values(c[1]) for c in backward.calls] == [[[2.0, 8.0]], [[4.0, 8.0]]]


def test_cell_hooks_errors():
    def grad_of(register, hook):
        square = Square()
        register(square, hook)
        return GA(square)(X)

    with pytest.raises(TypeError, match="The backward hook return value size is 2 not equal to expect grad input "
                                        "size 1"):
        grad_of(Square.register_backward_hook, lambda cell, gi, go: (gi[0], gi[0]))
    with pytest.raises(ValueError, match="function: hook_backward_grad is not consistent"):
        grad_of(Square.register_backward_hook, lambda cell, gi, go: (ops.ones((3,), ms.float32),))
    with pytest.raises(TypeError, match="The backward pre hook return value size is 2 not equal to expect output "
                                        "size 1"):
        grad_of(Square.register_backward_pre_hook, lambda cell, go: (go[0], go[0]))
    with pytest.raises(TypeError, match="hook_backward_pre_grad should be a tensor but got float"):
        grad_of(Square.register_backward_pre_hook, lambda cell, go: 2.0)
    with pytest.raises(TypeError, match="Expected a callable hook function, but got int"):
        Square().register_backward_hook(3)
    with pytest.raises(TypeError, match="Expected a callable hook function, but got str"):
        Square().register_backward_pre_hook("hook")


def test_cell_hooks_apply_in_graph_mode():
    class Outer(nn.Cell):
        def __init__(self):
            super().__init__()
            self.inner = Square()

        def construct(self, a):
            return self.inner(a) * 2

    outer = Outer()
    outer.inner.register_backward_hook(lambda cell, gi, go: (gi[0] * 10,))
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        assert values(GA(outer)(X)) == [[40.0, 80.0]]
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)


def test_forward_mode_transforms_fire_no_hooks_as_in_mindspore():
    hook = Recorder(lambda g: (g[0] * 100,))
    hb = ops.HookBackward(hook)

    def f(a):
        return hb(a * a)

    out, tangent = ms.jvp(f, X, f32(1.0, 1.0))
    assert values([tangent]) == [[2.0, 4.0]]
    assert arr(ms.jacfwd(f)(X)).tolist() == [[2.0, 0.0], [0.0, 4.0]]
    assert arr(ms.jacrev(f)(X)).tolist() == [[2.0, 0.0], [0.0, 4.0]]
    assert hook.calls == []
    assert values([ms.grad(f)(X)]) == [[200.0, 400.0]]  # reverse mode does run the hook
    assert len(hook.calls) == 1
