"""Parameter and ParameterTuple: MindSpore 2.10 construction rules, names, printing, data access, copies (the
behaviours recorded in compat_tests/programs/parameter_basics.py, plus the transform-frame write path)."""
import copy
import pickle

import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, ParameterTuple, Tensor, nn, ops
from msjax._src import state
from msjax.common.initializer import Normal, initializer


def f32(*values):
    return Tensor(np.array(values, np.float32))


# --- construction ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, shape, dtype", [
    (Tensor(np.ones((2, 3), np.float32)), (2, 3), ms.float32),
    (1.5, (), ms.float32),
    (3, (), ms.int32),                       # Parameter(int) is Int32 although Tensor(int) is Int64
    (np.float64(1.0), (), ms.float32),       # a numpy float64 *scalar* is a Python float
    (np.ones(2), (2,), ms.float64),          # a numpy float64 array stays Float64
    (np.array(3.0), (), ms.float64),
    (np.arange(3, dtype=np.int32), (3,), ms.int32),
    ([1.0, 2.0], (2,), ms.float32),
    ([1, 2], (2,), ms.int64),
    (Tensor(2), (), ms.int64),
    (Tensor([1, 2], ms.float16), (2,), ms.float16),
])
def test_construction_shape_and_dtype(data, shape, dtype):
    p = Parameter(data, name="p")
    assert p.shape == shape
    assert p.dtype == dtype
    assert isinstance(p, Parameter) and isinstance(p, Tensor)


def test_construction_values():
    assert Parameter(3, name="i").asnumpy() == 3
    assert Parameter(1.5, name="f").asnumpy() == np.float32(1.5)
    source = Tensor(np.array([1.0, 2.0], np.float32))
    p = Parameter(source, name="p")
    p[0] = 9.0
    assert source.asnumpy().tolist() == [1.0, 2.0]  # the Parameter does not write into its source Tensor


def test_construction_from_initializer():
    ones = Parameter(initializer("ones", [2, 2], ms.float32), name="ones")
    assert ones.shape == (2, 2) and ones.dtype == ms.float32
    assert ones.asnumpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]
    normal = Parameter(initializer(Normal(0.02), [3, 4], ms.float32), name="normal")
    assert normal.shape == (3, 4) and normal.dtype == ms.float32
    assert np.abs(normal.asnumpy()).max() < 0.2
    assert Parameter(initializer("zeros", 3, ms.int32), name="zi").shape == (3,)
    assert not ones.has_init


def test_construction_errors():
    with pytest.raises(ValueError, match="Parameter data can not be `bool`"):
        Parameter(True)
    with pytest.raises(TypeError, match="the type of 'input_data' should be one of.*'NoneType'"):
        Parameter(None)
    with pytest.raises(TypeError, match="but got type 'str'"):
        Parameter("abc")
    with pytest.raises(TypeError, match=r"'default_input' must be in \['Tensor', 'int', 'float', 'numpy.ndarray', "
                                        r"'list'\]. But got type <class 'tuple'>"):
        Parameter((1.0, 2.0))
    with pytest.raises(TypeError, match="numpy.int64"):
        Parameter(np.int64(2))
    with pytest.raises(ValueError, match=r"Only 'CPU' and 'Remote' is supported for device, but got \$GPU"):
        Parameter(f32(1.0), device="GPU")
    assert Parameter(f32(1.0), name="cpu", device="CPU").name == "cpu"


# --- names -----------------------------------------------------------------------------------------------------

def test_generated_names():
    a, b = Parameter(f32(1.0)), Parameter(f32(1.0))
    assert a.name.startswith("Parameter#") and a.name[len("Parameter#"):].isdigit()
    assert a.name != b.name


def test_name_setter_rules():
    p = Parameter(f32(1.0), name="w")
    assert p.name == "w"
    p.name = "a.b.c"
    assert p.name == "a.b.c"  # dots allowed
    p.name = "  padded  "
    assert p.name == "padded"  # stripped
    p.name = ""
    assert p.name.startswith("Parameter#")
    p.name = None
    assert p.name.startswith("Parameter#")
    assert Parameter(f32(1.0), name=" w2 ").name == "w2"


def test_name_errors():
    p = Parameter(f32(1.0), name="w")
    with pytest.raises(ValueError, match="The type of the Parameter's name should be 'string' or 'None', "
                                         "but got <class 'int'>"):
        p.name = 3
    with pytest.raises(ValueError, match="name should be 'string' or 'None'"):
        Parameter(f32(1.0), name=3)
    with pytest.raises(ValueError, match="name should be less than 1024"):
        Parameter(f32(1.0), name="x" * 1100)
    assert p.name == "w"


# --- printing and type -----------------------------------------------------------------------------------------

def test_repr_str_format():
    p = Parameter(Tensor(np.arange(6, dtype=np.float32).reshape(2, 3)), name="w")
    expected = "Parameter (name=w, shape=(2, 3), dtype=Float32, requires_grad=True)"
    assert repr(p) == str(p) == f"{p}" == "{}".format(p) == expected
    assert repr([p]) == f"[{expected}]"
    assert repr(Parameter(f32(1.0), name="fz", requires_grad=False)) == \
        "Parameter (name=fz, shape=(1,), dtype=Float32, requires_grad=False)"
    assert repr(Parameter(2.0, name="sc")) == "Parameter (name=sc, shape=(), dtype=Float32, requires_grad=True)"
    with pytest.raises(TypeError, match="unsupported format string passed to Parameter.__format__"):
        format(p, ">5")


def test_type():
    p = Parameter(f32(1.0), name="w")
    assert str(type(p)) == "<class 'abc.Parameter'>"
    assert type(p).__name__ == "Parameter" and type(p).__module__ == "abc"
    assert type(p) is not Parameter and isinstance(p, Parameter) and isinstance(p, Tensor)
    assert not isinstance(Tensor(1), Parameter)


# --- data / value ----------------------------------------------------------------------------------------------

def test_data_and_value_are_plain_tensors():
    p = Parameter(f32(1.0, 2.0), name="w")
    for t in (p.data, p.value()):
        assert type(t) is Tensor and t is not p and not isinstance(t, Parameter)
        assert t.asnumpy().tolist() == [1.0, 2.0]
    assert p.init_data() is p and p.has_init is False


def test_data_setter_takes_dtype_and_shape():
    p = Parameter(f32(1.0, 2.0), name="w")
    p.data = Tensor(np.array([3, 4, 5], np.int32))
    assert isinstance(p, Parameter) and p.name == "w"
    assert p.dtype == ms.int32 and p.shape == (3,) and p.asnumpy().tolist() == [3, 4, 5]
    with pytest.raises(RuntimeError):
        p.data = 2.5


def test_set_data():
    q = Parameter(Tensor(np.zeros(3, np.float32)), name="q")
    assert q.set_data(f32(1.0, 2.0, 3.0)) is q
    assert q.asnumpy().tolist() == [1.0, 2.0, 3.0]
    q.set_data(Tensor(np.ones((2, 2), np.float32)))
    assert q.shape == (2, 2)
    q.set_data(Tensor(np.array([7, 8], np.int32)))
    assert q.dtype == ms.float32 and q.asnumpy().tolist() == [7.0, 8.0]
    q.set_data(Tensor(np.array([1.5, 2.5], np.float64)))
    assert q.dtype == ms.float32 and q.asnumpy().tolist() == [1.5, 2.5]
    q.set_data(5.0)
    assert q.shape == () and q.asnumpy() == 5.0
    q.set_data(4)
    assert q.dtype == ms.float32 and q.asnumpy() == 4.0
    q.set_data(True)
    assert q.dtype == ms.float32 and q.asnumpy() == 1.0
    q.set_data(initializer("ones", [3], ms.float32))
    assert q.asnumpy().tolist() == [1.0, 1.0, 1.0]
    assert q.name == "q" and q.requires_grad


def test_set_data_errors_and_int_casts():
    q = Parameter(f32(0.0, 0.0), name="q")
    for bad in ([1.0, 2.0], np.ones(2, np.float32)):
        with pytest.raises(TypeError, match=r"Parameter data must be \[`Tensor`, `int`, `float`\].*But with type "
                                            f"{type(bad)}"):
            q.set_data(bad)
    qi = Parameter(Tensor(np.zeros(2, np.int32)), name="qi")
    with pytest.raises(TypeError, match="Current dtype is Int32, and incoming is Float. Use .set_dtype"):
        qi.set_data(1.5)
    qi.set_data(f32(1.7, -2.6))
    assert qi.dtype == ms.int32 and qi.asnumpy().tolist() == [1, -2]
    qu = Parameter(Tensor(np.array([1, 2], np.uint8)), name="qu")
    qu.set_data(1.5)  # uint types are not in int_type: the float is cast
    assert qu.dtype == ms.uint8 and qu.asnumpy() == 1


def test_writes_inside_a_frame_stay_in_the_frame():
    p = Parameter(f32(1.0, 2.0), name="w")
    with state.Frame() as frame:
        p.set_data(f32(5.0, 6.0))
        assert p.asnumpy().tolist() == [5.0, 6.0]
        assert p.data.asnumpy().tolist() == [5.0, 6.0]
        p[0] = 7.0
        ops.assign(p, f32(8.0, 9.0))
        p.assign_value(f32(3.0, 4.0))
    assert p._value.tolist() == [1.0, 2.0]  # the Parameter object was not written
    params, values = frame.writes()
    assert params == [p] and np.asarray(values[0]).tolist() == [3.0, 4.0]
    with state.Frame([p], [np.array([10.0, 20.0], np.float32)]):
        assert p.value().asnumpy().tolist() == [10.0, 20.0]
        assert p.clone().asnumpy().tolist() == [10.0, 20.0]


# --- clone / copy ----------------------------------------------------------------------------------------------

def test_clone():
    p = Parameter(Tensor(np.arange(6, dtype=np.float32).reshape(2, 3)), name="w")
    c = p.clone()
    assert c is not p and isinstance(c, Parameter) and c.name == "w" and c.requires_grad
    c.set_data(Tensor(np.zeros((2, 3), np.float32)))
    assert p.asnumpy()[1, 2] == 5.0
    cz = p.clone(init="zeros")
    assert cz.name == "w" and cz.shape == (2, 3) and cz.dtype == ms.float32 and not cz.asnumpy().any()
    assert (p.clone(init=1).asnumpy() == 1).all()
    frozen = Parameter(f32(1.0), name="fr", requires_grad=False, layerwise_parallel=True)
    fc = frozen.clone()
    assert fc.requires_grad is False and fc.layerwise_parallel is True
    pc = p.copy()
    assert pc is not p and pc.name == "w"


def test_deepcopy_copy_and_pickle():
    orig = Parameter(f32(1.0, 2.0), name="orig", requires_grad=False, layerwise_parallel=True)
    dc = copy.deepcopy(orig)
    assert isinstance(dc, Parameter) and dc is not orig
    assert dc.name == "orig" and dc.requires_grad is False and dc.layerwise_parallel is False  # as MindSpore
    dc.set_data(f32(0.0, 0.0))
    assert orig.asnumpy().tolist() == [1.0, 2.0]
    sc = copy.copy(orig)
    assert sc is not orig and sc.name == "orig"
    restored = pickle.loads(pickle.dumps(orig))
    assert isinstance(restored, Parameter) and restored.name == "orig" and restored.requires_grad is False
    assert restored.asnumpy().tolist() == [1.0, 2.0]


def test_deepcopy_keeps_sharing():
    p = Parameter(f32(1.0), name="shared")
    a, b = copy.deepcopy([p, p])
    assert a is b and a is not p


# --- flags -----------------------------------------------------------------------------------------------------

def test_flags():
    f = Parameter(f32(1.0), name="flags")
    assert (f.requires_grad, f.layerwise_parallel, f.parallel_optimizer) == (True, False, True)
    f.requires_grad = False
    f.layerwise_parallel = True
    assert repr(f).endswith("requires_grad=False)") and f.layerwise_parallel is True
    with pytest.raises(TypeError, match="The argument `requires_grad` must be bool type"):
        f.requires_grad = 1
    with pytest.raises(TypeError, match="The argument `layerwise_parallel` must be bool type."):
        f.layerwise_parallel = 1
    with pytest.raises(TypeError, match="The argument `parallel_optimizer` must be bool type."):
        Parameter(f32(1.0), parallel_optimizer=1)
    with pytest.raises(TypeError, match="The argument `requires_grad` must be bool type"):
        Parameter(f32(1.0), requires_grad=0)
    f.custom_attr = 3
    assert f.custom_attr == 3


# --- arithmetic and in-place updates ---------------------------------------------------------------------------

def test_arithmetic_returns_tensors():
    a = Parameter(f32(1.0, 2.0), name="a")
    for out, expected in [(a + 1, [2.0, 3.0]), (1 + a, [2.0, 3.0]), (a * a, [1.0, 4.0]), (-a, [-1.0, -2.0]),
                          (ops.mul(a, 2), [2.0, 4.0]), (f32(1.0, 1.0) - a, [0.0, -1.0]), (a.sum(), 3.0)]:
        assert type(out) is Tensor
        assert out.asnumpy().tolist() == expected
    assert type(a[0]) is Tensor and type(a > 1) is Tensor


def test_iadd_rebinds_to_a_tensor():
    a = Parameter(f32(1.0, 2.0), name="a")
    alias = a
    alias += 1
    assert type(alias) is Tensor and alias is not a
    assert a.asnumpy().tolist() == [1.0, 2.0]


def test_in_place_updates():
    b = Parameter(f32(1.0, 2.0), name="b")
    ops.assign(b, f32(5.0, 6.0))
    assert b.asnumpy().tolist() == [5.0, 6.0]
    ops.assign(b, Tensor(np.array([1, 2], np.int32)))
    assert b.dtype == ms.float32 and b.asnumpy().tolist() == [1.0, 2.0]
    assert b.assign_value(f32(9.0, 10.0)) is b and b.asnumpy().tolist() == [9.0, 10.0]
    b[0] = 3.0
    b[1:] = f32(4.0)
    assert isinstance(b, Parameter) and b.name == "b" and b.asnumpy().tolist() == [3.0, 4.0]
    assert len(b) == 2 and [x.asnumpy().item() for x in b] == [3.0, 4.0]
    assert float(Parameter(f32(2.5), name="s")) == 2.5


# --- ParameterTuple --------------------------------------------------------------------------------------------

def test_parameter_tuple_basics():
    x, y = Parameter(f32(1.0, 1.0), name="x"), Parameter(Tensor(np.zeros(3, np.float32)), name="y")
    pt = ParameterTuple([x, y])
    assert isinstance(pt, tuple) and type(pt) is ParameterTuple and len(pt) == 2 and pt[0] is x
    assert [p.name for p in ParameterTuple(p for p in [x, y])] == ["x", "y"]
    assert len(ParameterTuple([x, x])) == 2  # the same object twice is allowed
    assert type(ParameterTuple([])) is ParameterTuple
    assert type(pt + pt) is tuple and len(pt + pt) == 4
    assert type(pt[:1]) is tuple and type(pt * 2) is tuple
    assert x in pt
    assert repr(pt) == f"({x!r}, {y!r})"


def test_parameter_tuple_errors():
    x = Parameter(f32(1.0), name="x")
    with pytest.raises(TypeError, match="ParameterTuple input should be 'Parameter' collection, but got a "
                                        "<class 'list'>"):
        ParameterTuple([x, f32(1.0)])
    with pytest.raises(TypeError, match="but got a <class 'tuple'>"):
        ParameterTuple((x, 1))
    with pytest.raises(ValueError, match=r"The value Parameter \(name=x, .*\) , its name 'x' already exists. "
                                         "Please set a unique name for the parameter."):
        ParameterTuple([x, Parameter(f32(1.0), name="x")])


def test_parameter_tuple_clone():
    x, y = Parameter(f32(1.0, 1.0), name="x"), Parameter(Tensor(np.zeros(3, np.float32)), name="y")
    pt = ParameterTuple([x, y])
    ptc = pt.clone(prefix="moments", init="zeros")
    assert type(ptc) is ParameterTuple and [p.name for p in ptc] == ["moments.x", "moments.y"]
    assert [p.asnumpy().tolist() for p in ptc] == [[0.0, 0.0], [0.0, 0.0, 0.0]]
    assert ptc[0] is not x and x.name == "x" and x.asnumpy().tolist() == [1.0, 1.0]
    assert [p.asnumpy().tolist() for p in pt.clone("same_copy")] == [[1.0, 1.0], [0.0, 0.0, 0.0]]
    with pytest.raises(ValueError, match="The 'has space' is illegal, it must be match regular"):
        pt.clone(prefix="has space")
    with pytest.raises(TypeError, match="expected string or bytes-like object"):
        pt.clone(prefix=3)


# --- names inside Cells ----------------------------------------------------------------------------------------

def test_parameter_tuple_in_cell_gets_dollar_names():
    class PTAttr(nn.Cell):
        def __init__(self):
            super().__init__()
            self.pt = ParameterTuple([Parameter(f32(1.0)), Parameter(f32(1.0))])

    cell = PTAttr()
    assert [(n, p.name) for n, p in cell.parameters_and_names()] == [("Parameter$1", "Parameter$1"),
                                                                      ("Parameter$2", "Parameter$2")]


def test_duplicate_names_refreshed_at_first_call():
    class TwoSameName(nn.Cell):
        def __init__(self):
            super().__init__()
            self.a = Parameter(f32(1.0), name="same")
            self.b = Parameter(f32(1.0), name="same")

        def construct(self, x):
            return x * self.a * self.b

    cell = TwoSameName()
    assert [p.name for p in cell.get_parameters()] == ["same", "same"]
    cell(f32(1.0))
    assert [p.name for p in cell.get_parameters()] == ["a", "b"]


def test_generated_looking_explicit_name_is_renamed_by_a_cell():
    p = Parameter(f32(1.0), name="Parameter#77")
    cell = nn.Cell()
    cell.k = p
    assert p.name == "k"


def test_parameter_list_duplicate_names():
    class ListDup(nn.Cell):
        def __init__(self):
            super().__init__()
            self.l1 = [Parameter(f32(1.0), name="d")]
            self.l2 = [Parameter(f32(1.0), name="d")]

    with pytest.raises(ValueError, match=r"The value \[Parameter \(name=d, .*\)\] , its name 'd' already exists"):
        ListDup()


def test_deepcopy_cell():
    class Inner(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(f32(1.0, 2.0))

        def construct(self, x):
            return x * self.w

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.inner = Inner()
            self.b = Parameter(f32(0.5), name="bias")

        def construct(self, x):
            return self.inner(x) + self.b

    net = Net()
    net2 = copy.deepcopy(net)
    assert type(net2) is Net and net2 is not net and net2.inner is not net.inner
    assert [p.name for p in net2.get_parameters()] == ["bias", "inner.w"]
    assert [n for n, _ in net2.parameters_and_names()] == ["b", "inner.w"]
    assert net2.inner.w is not net.inner.w and isinstance(net2.inner.w, Parameter)
    assert net2.inner.__dict__["w"] is net2.inner._params["w"]  # the __dict__ mirror stays one object
    net2.inner.w.set_data(f32(10.0, 20.0))
    assert net(f32(1.0, 1.0)).asnumpy().tolist() == [1.5, 2.5]
    assert net2(f32(1.0, 1.0)).asnumpy().tolist() == [10.5, 20.5]
    net2.set_train()
    assert net2.inner.training is True and net.inner.training is False
