"""graph_syntax: GRAPH-mode conversion of Python control flow.

For each construct the converted function equals the original eagerly, and under `jax.jit` (Tensors built from raw
arrays) gives the right values for every outcome with one trace. Also: gradients, Parameter writes through frames,
MindSpore's errors, closures/super/defaults/line numbers, and the GRAPH print.
"""
import sys
import traceback

import jax
import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, Tensor, nn, ops
from msjax._src import graph_syntax as gs
from msjax._src import state
from msjax._src.graph_syntax import NeedsEager, convert


def f32(*values):
    return Tensor(np.array(values, np.float32))


def raw(tree):
    return jax.tree_util.tree_map(lambda t: t._data if isinstance(t, Tensor) else t, tree,
                                  is_leaf=lambda t: isinstance(t, Tensor))


def host(tree):
    """Nested Python/numpy values of an output (Tensors -> numpy), for comparisons."""
    return jax.tree_util.tree_map(np.asarray, raw(tree))


def assert_same(a, b):
    la, ta = jax.tree_util.tree_flatten(host(a))
    lb, tb = jax.tree_util.tree_flatten(host(b))
    assert ta == tb
    for x, y in zip(la, lb):
        np.testing.assert_allclose(x, y, rtol=1e-6)


class Jitted:
    """``jax.jit`` of the converted ``fn`` on raw arrays (Python scalars pass through as static), counting traces."""

    def __init__(self, fn, static=()):
        self.fn, self.traces = convert(fn), 0
        self.jitted = jax.jit(self._pure, static_argnums=static)

    def _pure(self, *args):
        self.traces += 1
        tensors = [Tensor._from_raw(a) if isinstance(a, jax.Array) else a for a in args]
        return raw(self.fn(*tensors))

    def __call__(self, *args):
        return self.jitted(*[a._data if isinstance(a, Tensor) else a for a in args])


def check(fn, inputs, static=()):
    """The converted fn equals fn eagerly and under jit for each input tuple, with one trace in all."""
    jitted = Jitted(fn, static)
    for args in inputs:
        expected = fn(*args)
        assert_same(convert(fn)(*args), expected)
        assert_same(jitted(*args), expected)
    assert jitted.traces == 1
    return jitted


X = f32(1.0, 2.0)


# --- if -------------------------------------------------------------------------------------------------------------

def branches(x):
    if x.sum() > 10:
        y = x * 3
    elif x.sum() > 0:
        y = x + 1
        z = 5  # assigned in one branch only, not used after: fine
    else:
        y = -x
    return y * 2


def test_if_elif_else_every_outcome_one_trace():
    check(branches, [(X,), (X * 10,), (-X,)])


def early_return(x):
    if x.sum() > 0:
        return x * 2
    y = x - 1
    if y.max() < -5:
        return y
    return y * 10


def nested_returns(x, n):
    for i in range(n):
        if x.sum() > 100:
            return x, i
        x = x * 2
    return x, -1


def test_early_return_from_one_branch_and_from_a_loop():
    check(early_return, [(X,), (-X,), (-X * 10,)])
    check(nested_returns, [(X, 3), (X * 20, 3), (X * 40, 3)], static=(1,))


def test_python_conditions_stay_python():
    def f(x, flag):
        if flag:  # a Python bool: no join, the branches may differ in structure
            return x, 1
        return x

    jitted = check(f, [(X, True)], static=(1,))
    assert_same(jitted(X, False), X)


def scalars(x):
    if x.sum() > 0:
        k, s = 1, 0.5
    else:
        k, s = 2, 0.5
    return x * k, k, s


def test_python_numbers_joined_become_scalar_tensors():
    # MindSpore makes a number assigned differently in the branches a variable scalar: Int64 (Float32 for floats).
    jitted = Jitted(scalars)
    out, k, s = jitted(-X)
    assert k.dtype == np.int64 and int(k) == 2 and s == 0.5
    assert_same(out, -X * 2)
    assert_same(convert(scalars)(X), scalars(X))


def logic(x, y):
    if x.sum() > 0 and not y.sum() > 0 or x.max() > 5:
        r = x if y.min() > 0 else y
    else:
        r = x - y
    return r


def test_and_or_not_and_conditional_expressions():
    cases = [(X, -X), (X, X), (-X, X), (X * 10, X), (-X, -X)]
    check(logic, cases)


def test_and_or_keep_python_semantics_on_python_values():
    def f(a, b):
        return (a and b, a or b, not a)

    g = convert(f)
    for a, b in [(0, "x"), ([], [1]), ("s", None)]:
        assert g(a, b) == f(a, b)


def test_setitem_in_a_traced_branch_stays_in_the_branch():
    def f(x):
        y = x * 1
        if x.sum() > 0:
            y[0] = 100.0
        return y, x

    check(f, [(f32(1.0, 2.0),), (f32(-1.0, -2.0),)])


# --- while ----------------------------------------------------------------------------------------------------------

def converge(x):
    steps = 0
    while (x * x).sum() > 1e-4:
        x = x * 0.5
        steps = steps + 1
    return x, steps


def loop_jumps(x):
    i = 0
    total = x * 0
    while i < 20:
        i = i + 1
        if x.sum() * i > 40:
            break
        if i % 2 == 0:
            continue
        total = total + x * i
    else:
        total = total - 1000
    return total, i


def while_return(x):
    while x.sum() < 100:
        x = x * 2
        if x.max() > 30:
            return x - 1
    return x


def test_while_to_convergence_one_trace():
    jitted = check(converge, [(X,), (X * 1000,), (f32(0.0, 0.0),)])
    assert int(jitted(X * 1000)[1]) > int(jitted(X)[1])


def test_while_break_continue_else():
    check(loop_jumps, [(X,), (X * 0.01,), (X * 100,)])


def test_while_early_return():
    check(while_return, [(X,), (X * 15,), (X * 200,)])


def test_python_valued_while_is_unrolled():
    def f(x):
        n = 0
        while n < 3:
            x = x * 2
            n += 1
        return x, n

    out, n = Jitted(f)(X)
    assert n == 3  # stayed a Python int: the loop ran in Python
    assert_same(out, X * 8)


def test_parameter_mutated_in_loop_condition_and_body():
    counter = Parameter(Tensor(np.array(0, np.int32)), name="counter")

    def f(x):
        while counter < 5:
            ops.assign(counter, counter + 1)
            x = x + 1
        return x

    out = run_with_params(f, [counter], X)
    assert_same(out, X + 5)
    assert int(counter) == 5 and not isinstance(counter._value, jax.core.Tracer)


def test_loop_local_variable_used_after_a_traced_while_raises_mindspores_error():
    def f(x):
        while x.sum() < 10:
            y = x * 2
            x = y + 1
        return y

    with pytest.raises(UnboundLocalError, match="The local variable 'y' defined in the 'while' loop body cannot be "
                                                "used outside of the loop body"):
        Jitted(f)(X)
    assert_same(convert(f)(X), f(X))  # eagerly it is plain Python


def test_while_join_errors_match_mindspore():
    def f(x):
        s = 0
        while x.sum() < 10:
            s = s + x
            x = x * 2
        return s

    with pytest.raises(TypeError, match="Abstract type AbstractTensor cannot join with AbstractScalar"):
        Jitted(f)(X)


# --- for ------------------------------------------------------------------------------------------------------------

def for_loops(x, m):
    s = x * 0
    for i in range(3):
        s = s + x * i
    for row in m:
        s = s + row
    for i in range(4):
        if s.sum() > 30:
            break
        if (s * i).sum() < 0:
            continue
        s = s * 2
    else:
        s = s + 1
    return s


def test_for_over_range_and_tensor_with_break_continue_else():
    m = Tensor(np.arange(6, dtype=np.float32).reshape(3, 2))
    check(for_loops, [(X, m), (-X, m), (X * 0.01, m * 0), (X * 10, m)])


def test_for_range_of_a_traced_tensor_is_mindsporees_type_error():
    def f(x):
        n = x.sum().astype(ms.int32)
        for _ in range(n):
            x = x + 1
        return x

    with pytest.raises(TypeError, match=r"For 'make_range', the 0th input should be a int scalar but got "
                                        r"AbstractTensor\(shape: \(\), element: AbstractScalar\(Type: Int32"):
        Jitted(f)(X)
    assert_same(convert(f)(X), f(X))  # a concrete Tensor is an int


# --- gradients ------------------------------------------------------------------------------------------------------

def smooth(x):
    if x.sum() > 0:
        y = ops.sin(x) * x
    else:
        y = x * x * x
    for i in range(2):
        y = y + ops.cos(x * i)
    return y.sum()


def grown(x):
    while x.sum() < 10:
        x = x * 1.5 + 0.1
    return (x * x).sum()


def finite_difference(fn, x, eps=1e-3):
    x64 = np.asarray(x.asnumpy(), np.float64)
    grads = []
    for i in range(x64.size):
        d = np.zeros_like(x64)
        d[i] = eps
        up, down = (float(fn(Tensor(x64 + s * d))) for s in (1, -1))
        grads.append((up - down) / (2 * eps))
    return np.array(grads)


@pytest.mark.parametrize("x", [f32(0.5, 0.7), f32(-0.5, -0.7)])
def test_gradient_through_converted_if_and_for_under_jit(x):
    grad = jax.jit(lambda r: ms.grad(convert(smooth))(Tensor._from_raw(r))._data)
    np.testing.assert_allclose(np.asarray(grad(x._data)), finite_difference(smooth, x), rtol=1e-3)


def test_gradient_through_while_eagerly_and_needs_eager_under_jit():
    x = f32(0.5, 0.7)
    np.testing.assert_allclose(ms.grad(convert(grown))(x).asnumpy(), finite_difference(grown, x), rtol=1e-3)
    with pytest.raises(NeedsEager) as info:
        jax.jit(lambda r: ms.grad(convert(grown))(Tensor._from_raw(r))._data)(x._data)
    assert info.value.filename == __file__ and info.value.lineno == grown.__code__.co_firstlineno + 1


# --- Parameter writes -------------------------------------------------------------------------------------------------

def run_with_params(fn, params, *args):
    """A tiny compiled transform: the converted fn under jax.jit inside a Frame binding ``params``; the written
    values come back as outputs and are written back after the call."""
    record = {}

    @jax.jit
    def pure(values, arrays):
        with state.Frame(params, values) as frame:
            out = raw(convert(fn)(*[Tensor._from_raw(a) for a in arrays]))
        record["written"], written = frame.writes()
        return out, written

    out, written = pure([p._value for p in params], [a._data for a in args])
    state.write_back(record["written"], written)
    return out


class Gate(nn.Cell):
    def __init__(self):
        super().__init__()
        self.hits = Parameter(f32(0.0), name="hits", requires_grad=False)
        self.last = Parameter(f32(0.0, 0.0), name="last", requires_grad=False)

    def construct(self, x):
        if x.sum() > 0:
            ops.assign(self.hits, self.hits + 1)  # written in one branch only
            self.last = x * 1.0
        else:
            self.last = -x
        return x


def test_parameter_writes_in_branches_are_carried_and_written_back():
    net = Gate()
    params = [net.hits, net.last]
    for x, hits, last in [(X, 1, X), (-X, 1, X), (X * 3, 2, X * 3)]:
        run_with_params(net.construct, params, x)
        assert float(net.hits) == hits
        assert_same(net.last, last)
        assert not any(isinstance(p._value, jax.core.Tracer) for p in params)


def test_nested_branch_writes_and_print_inside_a_traced_while(capsys):
    acc = Parameter(f32(0.0), name="acc", requires_grad=False)

    def f(x):
        while x.sum() < 20:
            if x.max() > 3:
                ops.assign(acc, acc + 100)
            else:
                print("small", x)
            x = x * 2
        return x

    assert_same(run_with_params(f, [acc], X), f32(8.0, 16.0))
    jax.effects_barrier()
    assert float(acc) == 200.0
    assert capsys.readouterr().out.splitlines() == [
        "small", "Tensor(shape=[2], dtype=Float32, value=[ 1.00000000e+00  2.00000000e+00])"]


def test_parameter_written_inside_a_traced_while():
    acc = Parameter(f32(0.0), name="acc", requires_grad=False)

    def f(x):
        while x.sum() < 20:
            ops.assign(acc, acc + x.sum())
            x = x * 2
        return x

    assert_same(run_with_params(f, [acc], X), f32(8.0, 16.0))
    assert float(acc) == 3.0 + 6.0 + 12.0


# --- join errors ----------------------------------------------------------------------------------------------------

def one_sided(x):
    if x.sum() > 0:
        y = x * 2
    return y


def test_variable_defined_in_one_branch_raises_where_used():
    with pytest.raises(UnboundLocalError, match="The local variable 'y' is not defined in false branch, but defined "
                                                "in true branch."):
        Jitted(one_sided)(X)


def branch_temporaries(x):
    s = x
    for _ in range(3):
        if s.sum() > 5:
            t = s * 2  # one branch only, and read only after its own assignment: no join needed
            s = t - 1
    while s.sum() < 40:
        if s.max() > 3:
            u, label = s * 0.5, "halved"  # `label` differs from the other branch: fine while nobody reads it
        else:
            u, label = s, 3
        s = s + u + 1
    return s


def test_branch_temporaries_need_no_join():
    check(branch_temporaries, [(X,), (X * 4,), (X * 0.1,)])


def test_join_errors_name_the_line_and_variable():
    def dtypes(x):
        if x.sum() > 0:
            k = 1.5
        else:
            k = 2
        return x * k

    def structure(x):
        if x.sum() > 0:
            y = (x, x)
        else:
            y = x
        return y

    def shapes(x):
        if x.sum() > 0:
            y = x
        else:
            y = x.sum()
        return y

    line = dtypes.__code__.co_firstlineno + 1
    with pytest.raises(TypeError, match=rf"Type Join Failed: dtype1 = Float32, dtype2 = Int64.\nIn file "
                                        rf".*test_graph_syntax.py:{line}, variable 'k'"):
        Jitted(dtypes)(X)
    with pytest.raises(TypeError, match="Abstract type AbstractTuple cannot join with AbstractTensor"):
        Jitted(structure)(X)
    with pytest.raises(NeedsEager, match="variable 'y' has shape"):  # MindSpore joins shapes dynamically
        Jitted(shapes)(X)


def test_multi_element_condition_is_mindspores_value_error():
    def f(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(ValueError, match=r"Only tensor which shape is \(\) or \(1,\) can be converted to bool, "
                                         r"but got tensor shape is \(2\)"):
        Jitted(f)(X)


def test_raise_in_a_traced_branch_needs_eager():
    def f(x):
        if x.sum() < 0:
            raise ValueError("negative")
        return x

    with pytest.raises(NeedsEager, match="raise statement"):
        Jitted(f)(X)
    with pytest.raises(ValueError, match="negative"):
        convert(f)(-X)


# --- unsupported syntax ---------------------------------------------------------------------------------------------

def uses_try(x):
    try:
        x = x + 1
    except ValueError:
        pass
    return x


def uses_del(x):
    y = x
    del y
    return x


def uses_yield(x):
    yield x


def uses_nonlocal(x):
    def inner():
        nonlocal x
        x = x + 1
    inner()
    return x


def uses_class(x):
    class Local:
        pass
    return x


def uses_setcomp(x):
    return {i for i in range(3)}


def uses_walrus(x):
    if (y := x) is not None:
        return y
    return x


def uses_import(x):
    import math
    return x * math.pi


@pytest.mark.parametrize("fn, message, line", [
    (uses_try, "Unsupported statement 'Try'.", 1), (uses_del, "Unsupported statement 'Delete'.", 2),
    (uses_yield, "Unsupported expression 'Yield'.", 1), (uses_nonlocal, "Unsupported statement 'Nonlocal'.", 2),
    (uses_class, "Unsupported statement 'ClassDef'.", 1), (uses_setcomp, "Unsupported expression 'SetComp'.", 1),
    (uses_walrus, "Unsupported expression 'NamedExpr'.", 1), (uses_import, "Unsupported statement 'Import'.", 1)])
def test_unsupported_syntax_raises_mindspores_runtime_error_with_file_and_line(fn, message, line):
    for call in (gs.check_syntax, convert):
        with pytest.raises(RuntimeError) as info:
            call(fn)
        assert str(info.value).startswith(message)
        assert f"# In file {__file__}:{fn.__code__.co_firstlineno + line}\n" in str(info.value)


def test_unsupported_syntax_in_a_called_helper_is_reported_too():
    def caller(x):
        return uses_try(x)

    with pytest.raises(RuntimeError, match="Unsupported statement 'Try'"):
        convert(caller)(X)


# --- functions: closures, defaults, super, names, line numbers ------------------------------------------------------

def test_closures_share_cells_and_defaults_names_are_kept():
    scale = 2.0

    def f(x, *, shift=1.0, offset=0.0):
        """Doc."""
        def inner(v):
            return v * scale
        apply = lambda v: inner(v) + shift  # noqa: E731
        if x.sum() > 0:
            return apply(x) + offset
        return apply(-x) + offset

    g = convert(f)
    assert (g.__name__, g.__qualname__, g.__doc__, g.__kwdefaults__) == (f.__name__, f.__qualname__, "Doc.",
                                                                           {"shift": 1.0, "offset": 0.0})
    assert g.__closure__[[c for c in g.__code__.co_freevars].index("scale")] is \
        f.__closure__[f.__code__.co_freevars.index("scale")]
    check(f, [(X,), (-X,)])
    scale = 3.0  # the same cell: the converted function sees it
    assert_same(g(X), X * 3 + 1)


def test_higher_order_functions():
    def apply_twice(fn, x):
        return fn(fn(x))

    def f(x):
        def step(v):
            if v.sum() > 0:
                return v * 2
            return v - 1
        return apply_twice(step, x)

    check(f, [(X,), (-X,), (f32(-1.0, 1.5),)])


class Base(nn.Cell):
    def construct(self, x):
        return x + 1


class Derived(Base):
    def __init__(self):
        super().__init__()
        self.__bias = 10.0  # private: the converted method must mangle it as the compiler does

    def helper(self, x):
        if x.sum() > 0:
            return x * 2
        return x * 3

    def construct(self, x):
        if x.sum() > 0:
            y = super().construct(x)
        else:
            y = super().construct(-x)
        return self.helper(y) + self.__bias


def test_super_private_names_and_helper_methods_in_a_converted_construct():
    net = Derived()
    check(net.construct, [(X,), (-X,), (-X * 10,)])
    assert convert(net.construct).__self__ is net


def test_convert_is_cached_and_returns_sourceless_functions_as_is():
    assert convert(branches) is convert(branches)
    namespace = {}
    exec("def made(x):\n    return x\n", namespace)  # noqa: S102 (no source file)
    assert convert(namespace["made"]) is namespace["made"]
    assert convert(len) is len
    lam = lambda x: x  # noqa: E731
    assert convert(lam) is lam


def failing(x):
    if x.sum() > 0:
        y = x.no_such_method()
    else:
        y = x
    return y


def test_tracebacks_point_at_the_users_lines():
    with pytest.raises(AttributeError) as info:
        Jitted(failing)(X)
    frames = [f for f in traceback.extract_tb(info.value.__traceback__) if f.filename == __file__]
    assert frames[-1].lineno == failing.__code__.co_firstlineno + 2
    assert "no_such_method" in frames[-1].line
    assert any(f.lineno == failing.__code__.co_firstlineno + 1 and "if x.sum() > 0" in f.line for f in frames)


# --- print ----------------------------------------------------------------------------------------------------------

def printing(x):
    print("x:", x, 3, 2.5, True, None, (1, 2), x.sum())
    if x.sum() > 0:
        print("positive", x > 0)
    return x


def test_print_is_plain_python_eagerly(capsys):
    convert(printing)(X)
    assert capsys.readouterr().out.splitlines()[0] == "x: [1. 2.] 3 2.5 True None (1, 2) 3.0"


def test_print_under_jit_uses_the_graph_format_on_every_call(capsys):
    jitted = Jitted(printing)
    jitted(X)
    jitted(-X)
    jax.effects_barrier()
    expected = ["x:", "Tensor(shape=[2], dtype=Float32, value=[ 1.00000000e+00  2.00000000e+00])", "3", "2.5", "1",
                "None", "(1, 2)", "3", "positive", "Tensor(shape=[2], dtype=Bool, value=[ True  True])",
                "x:", "Tensor(shape=[2], dtype=Float32, value=[-1.00000000e+00 -2.00000000e+00])", "3", "2.5", "1",
                "None", "(1, 2)", "-3"]
    assert capsys.readouterr().out.splitlines() == expected
    assert jitted.traces == 1


def test_graph_print_formats_like_mindspores_print_op(capsys):
    gs.graph_print("s", 1e-8, -0.0, ((1, 2), 3), [X, 1], {"a": 1}, X.shape, ms.float32)
    assert capsys.readouterr().out.splitlines() == [
        "s", "1e-08", "-0", "1", "2", "3", "Tensor(shape=[2], dtype=Float32, value=[ 1.00000000e+00  2.00000000e+00])",
        "1", "(1)", "(2)", "Float32"]


def test_print_keywords_are_rejected_in_graph_mode():
    def f(x):
        print("a", "b", sep="-")
        return x

    with pytest.raises(RuntimeError, match="Got an unexpected keyword argument 'sep'"):
        Jitted(f)(X)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
