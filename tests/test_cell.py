"""nn.Cell (PyNative): registration and naming, errors, enumeration, modes and flags, forward hooks, call conventions,
repr (the behaviours recorded in compat_tests/programs/cell_behaviour.py and cell_naming.py)."""
import numpy as np
import pytest

import msjax as ms
from msjax import Parameter, ParameterTuple, Tensor, nn, ops


def ones(*shape):
    return Tensor(np.ones(shape, np.float32))


def f32(*values):
    return Tensor(np.array(values, np.float32))


def pnames(cell, **kwargs):
    return [(n, p.name) for n, p in cell.parameters_and_names(**kwargs)]


def assert_mirrored(cell):
    """Registered Parameters and Cells are also plain instance attributes (cheap lookups), always the same objects."""
    for registry in (cell._params, cell._cells):
        for name, obj in registry.items():
            assert cell.__dict__[name] is obj, name


class Lin(nn.Cell):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.n_in, self.n_out = n_in, n_out
        self.weight = Parameter(Tensor(np.ones((n_out, n_in), np.float32)))
        self.bias = Parameter(Tensor(np.zeros(n_out, np.float32)))

    def construct(self, x):
        return ops.matmul(x, self.weight.T) + self.bias

    def extend_repr(self):
        return f"n_in={self.n_in}, n_out={self.n_out}"


class Act(nn.Cell):
    def construct(self, x):
        return ops.relu(x)


# --- forgetting super().__init__() -----------------------------------------------------------------------------

def test_no_super_init():
    class NoSuper(nn.Cell):
        def __init__(self):
            self.scale = 2.0

        def construct(self, x):
            return x * self.scale

    cell = NoSuper()
    assert cell.scale == 2.0  # plain attributes still work
    with pytest.raises(AttributeError, match="The 'NoSuper' object has no attribute '_init_flag'."):
        cell(ones(1))
    with pytest.raises(AttributeError, match="The 'NoSuper' object has no attribute '_params'."):
        cell.trainable_params()
    with pytest.raises(AttributeError, match="The 'NoSuper' object has no attribute 'nothing'."):
        cell.nothing


def test_no_super_init_registration_errors():
    class NoSuperParam(nn.Cell):
        def __init__(self):
            self.w = Parameter(ones(1), name="w")

    class NoSuperChild(nn.Cell):
        def __init__(self):
            self.child = nn.Cell()

    class NoSuperTensor(nn.Cell):
        def __init__(self):
            self.t = ones(1)

    with pytest.raises(AttributeError, match=r"For 'insert_param_to_cell', please call Cell.__init__\(\) firstly."):
        NoSuperParam()
    with pytest.raises(AttributeError, match="The 'NoSuperChild' object has no attribute '_auto_prefix'."):
        NoSuperChild()
    assert type(NoSuperTensor().t) is Tensor


# --- construct and call arguments ------------------------------------------------------------------------------

def test_missing_construct():
    class NoConstruct(nn.Cell):
        pass

    for cell, args in [(NoConstruct(), (ones(1),)), (NoConstruct(), ()), (nn.Cell(), (ones(1),))]:
        with pytest.raises(AttributeError, match="For 'Cell', the method 'construct' is not defined."):
            cell(*args)


class Net(nn.Cell):
    def construct(self, a, b):
        return a + b


def test_call_argument_errors_are_pythons_own():
    net = Net()
    with pytest.raises(TypeError, match=r"Net.construct\(\) missing 1 required positional argument: 'b'"):
        net(ones(1))
    with pytest.raises(TypeError, match=r"Net.construct\(\) takes 3 positional arguments but 4 were given"):
        net(ones(1), ones(1), ones(1))
    with pytest.raises(TypeError, match=r"Net.construct\(\) got an unexpected keyword argument 'c'"):
        net(ones(1), ones(1), c=1)
    assert net(a=ones(1), b=ones(1)).asnumpy().tolist() == [2.0]
    assert net(ones(1), b=ones(1)).asnumpy().tolist() == [2.0]


def test_unknown_attribute():
    net = Net()
    with pytest.raises(AttributeError, match="The 'Net' object has no attribute 'nonexistent'."):
        net.nonexistent
    assert getattr(net, "nonexistent", "fallback") == "fallback"
    assert not hasattr(net, "nonexistent") and hasattr(net, "construct")

    class Inner(nn.Cell):
        def construct(self, x):
            return self.missing + x

    with pytest.raises(AttributeError, match="The 'Inner' object has no attribute 'missing'."):
        Inner()(ones(1))


# --- attribute registration ------------------------------------------------------------------------------------

class Holder(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(f32(1.0, 2.0), name="w")
        self.child = Lin(2, 2)
        self.plain = 3

    def construct(self, x):
        return self.child(x * self.w)


def test_registration_and_mirror():
    h = Holder()
    assert pnames(h) == [("w", "w"), ("child.weight", "child.weight"), ("child.bias", "child.bias")]
    assert list(h._params) == ["w"] and list(h._cells) == ["child"] and h.plain == 3
    assert_mirrored(h)


def test_tensor_onto_parameter_calls_set_data():
    h = Holder()
    w = h.w
    h.w = Tensor(np.array([3, 4], np.int32))
    assert h.w is w and isinstance(h.w, Parameter) and h.w.name == "w"
    assert h.w.dtype == ms.float32 and h.w.asnumpy().tolist() == [3.0, 4.0]
    h.w = f32(1.0, 2.0, 3.0)
    assert h.w.shape == (3,)


@pytest.mark.parametrize("value", [5, 5.0, np.ones(2, np.float32)])
def test_non_tensor_onto_parameter(value):
    h = Holder()
    with pytest.raises(TypeError, match=f"Parameter 'w' already exists in network, can not assign this type: "
                                        f"'{type(value)}' as a parameter."):
        h.w = value
    assert isinstance(h.w, Parameter)


def test_non_cell_onto_cell():
    h = Holder()
    with pytest.raises(TypeError, match="Sub cell 'child' already exists in network, can not assign this type: "
                                        "'<class 'int'>' as a cell."):
        h.child = 5
    with pytest.raises(TypeError, match="Sub cell 'child' already exists in network"):
        h.child = ones(2)
    with pytest.raises(KeyError, match="the child parameter already exists in the network"):
        h.child = Parameter(ones(1), name="cp")
    assert type(h.child) is Lin and list(h.name_cells()) == ["child"]
    h.new_param = Parameter(ones(1))
    with pytest.raises(KeyError, match="the new_param child cell already exists in the network"):
        h.new_param = Act()
    assert isinstance(h.new_param, Parameter)
    assert_mirrored(h)


def test_none_and_replacement():
    h = Holder()
    h.plain = ones(2)
    assert type(h.plain) is Tensor and "plain" not in h._params
    h.new_param = Parameter(ones(1))
    assert h.new_param.name == "new_param"
    assert [n for n, _ in pnames(h)] == ["w", "new_param", "child.weight", "child.bias"]
    h.w = None
    assert h.w is None and h._params["w"] is None
    assert [n for n, _ in pnames(h)] == ["new_param", "child.weight", "child.bias"]
    h.w = Parameter(f32(9.0), name="w_again")
    assert pnames(h)[0] == ("w", "w_again")  # back in its old position
    h.child = None
    assert h.child is None and list(h.name_cells()) == [] and len(pnames(h)) == 2
    h.child = Lin(2, 3)
    assert list(h.name_cells()) == ["child"] and pnames(h)[-1] == ("child.bias", "child.bias")
    h.child = Lin(3, 3)
    assert h.child.n_in == 3
    assert repr(h) == "Holder(\n  (child): Lin(n_in=3, n_out=3)\n)"
    assert_mirrored(h)


def test_plain_attribute_replaced_by_parameter_or_cell():
    cell = nn.Cell()
    cell.w = 3
    cell.w = Parameter(ones(1))
    assert pnames(cell) == [("w", "w")] and isinstance(cell.w, Parameter)
    cell.c = "text"
    cell.c = Lin(1, 1)
    assert pnames(cell)[1:] == [("c.weight", "c.weight"), ("c.bias", "c.bias")] and list(cell.name_cells()) == ["c"]
    again = nn.Cell()
    again.w = Parameter(ones(1), name="first")
    again.v = Parameter(ones(1))
    again.w = Parameter(ones(2))
    assert pnames(again) == [("w", "w"), ("v", "v")] and again.w.shape == (2,)
    assert_mirrored(cell)
    assert_mirrored(again)


def test_delete_attributes():
    class Del(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(ones(1), name="w")
            self.v = Parameter(ones(1), name="v")
            self.sub = Lin(1, 1)
            self.other = Act()
            self.plain = 3

    d = Del()
    del d.w
    assert pnames(d) == [("v", "v"), ("sub.weight", "sub.weight"), ("sub.bias", "sub.bias")]
    with pytest.raises(AttributeError, match="The 'Del' object has no attribute 'w'."):
        d.w
    assert not hasattr(d, "w")
    del d.sub
    assert pnames(d) == [("v", "v")] and list(d.name_cells()) == ["other"]
    assert [n for n, _ in d.cells_and_names()] == ["", "other"]
    with pytest.raises(AttributeError, match="The 'Del' object has no attribute 'sub'."):
        d.sub
    del d.plain
    with pytest.raises(AttributeError, match="The 'Del' object has no attribute 'plain'."):
        d.plain
    with pytest.raises(AttributeError, match="'Del' object has no attribute 'never_set'"):
        del d.never_set
    d.w = Parameter(ones(2), name="w2")
    assert pnames(d) == [("v", "v"), ("w", "w2")]
    d.other = None
    assert d.other is None and list(d.name_cells()) == []
    del d.other
    assert "other" not in d._cells and [n for n, _ in d.cells_and_names()] == [""]
    assert_mirrored(d)


def test_cell_and_parameter_reachable_twice():
    class Twice(nn.Cell):
        def __init__(self):
            super().__init__()
            shared = Lin(2, 2)
            self.a = shared
            self.b = shared
            self.p = Parameter(ones(1), name="p")
            self.q = self.p

    t = Twice()
    # renamed by the last assignment, enumerated once under the first path
    assert pnames(t) == [("p", "p"), ("a.weight", "b.weight"), ("a.bias", "b.bias")]
    assert [n for n, _ in t.cells_and_names()] == ["", "a"]
    assert list(t.name_cells()) == ["a"] and len(list(t.cells())) == 1
    assert [p.name for p in t.trainable_params()] == ["p", "b.weight", "b.bias"]
    assert repr(t) == ("Twice(\n  (a): Lin(n_in=2, n_out=2)\n  (b): Lin(n_in=2, n_out=2)\n)")


# --- insert_param_to_cell / insert_child_to_cell / update_parameters_name --------------------------------------

def test_insert_param_to_cell():
    base = nn.Cell()
    base.insert_param_to_cell("w", Parameter(ones(1)))
    base.insert_param_to_cell("named_w", Parameter(ones(1), name="explicit"))
    assert pnames(base) == [("w", "w"), ("named_w", "explicit")] and isinstance(base.w, Parameter)
    with pytest.raises(KeyError, match="the argument 'param_name' should not contain'.'"):
        base.insert_param_to_cell("a.b", Parameter(ones(1)))
    base.insert_param_to_cell("a.b", Parameter(ones(1), name="ab"), check_name_contain_dot=False)
    assert pnames(base)[-1] == ("a.b", "ab")
    with pytest.raises(KeyError, match="the argument 'param_name' should not be None"):
        base.insert_param_to_cell("", Parameter(ones(1)))
    with pytest.raises(TypeError, match="the argument 'param' must be 'Parameter' if not None, but got"):
        base.insert_param_to_cell("t", ones(1))
    with pytest.raises(KeyError, match="the construct parameter already exists in the network"):
        base.insert_param_to_cell("construct", Parameter(ones(1)))
    base.insert_param_to_cell("none_p", None)
    assert base._params["none_p"] is None and len(pnames(base)) == 3
    assert_mirrored(base)


def test_insert_child_to_cell_and_update_parameters_name():
    base = nn.Cell()
    base.insert_param_to_cell("w", Parameter(ones(1)))
    base.insert_child_to_cell("dense", Lin(1, 1))
    assert pnames(base) == [("w", "w"), ("dense.weight", "weight"), ("dense.bias", "bias")]  # not renamed
    assert type(base.dense) is Lin
    with pytest.raises(TypeError, match="the argument 'child_cell' must be 'Cell' if not None, but got type "
                                        "<class 'int'>"):
        base.insert_child_to_cell("x", 3)
    with pytest.raises(KeyError, match="'child_name' can not be None and can not contain '.'"):
        base.insert_child_to_cell("a.b", Act())
    with pytest.raises(TypeError, match="the type of parameter 'child_name' must be str, but got <class 'int'>"):
        base.insert_child_to_cell(1, Act())
    with pytest.raises(KeyError, match="the construct child cell already exists in the network"):
        base.insert_child_to_cell("construct", Act())
    base.update_parameters_name("top.")
    assert [p.name for p in base.get_parameters()] == ["top.w", "top.dense.weight", "top.dense.bias"]
    base.update_parameters_name("")
    assert [p.name for p in base.get_parameters()] == ["w", "dense.weight", "dense.bias"]
    base.update_parameters_name("x.", recurse=False)
    assert [p.name for p in base.get_parameters()] == ["x.w", "dense.weight", "dense.bias"]
    with pytest.raises(ValueError, match="The 'bad prefix' is illegal, it must be match regular"):
        base.update_parameters_name("bad prefix")
    base.insert_child_to_cell("slot", None)
    assert "slot" in base._cells and list(base.name_cells()) == ["dense"]
    assert_mirrored(base)


# --- enumeration -----------------------------------------------------------------------------------------------

class Leaf(nn.Cell):
    def __init__(self):
        super().__init__()
        self.weight = Parameter(ones(2))
        self.frozen = Parameter(ones(1), requires_grad=False)


class Branch(nn.Cell):
    def __init__(self):
        super().__init__()
        self.left = Leaf()
        self.own = Parameter(ones(1))
        self.right = Leaf()


class Root(nn.Cell):
    def __init__(self):
        super().__init__()
        self.branch = Branch()
        self.top = Parameter(ones(1))
        self.pt = ParameterTuple([Parameter(ones(1), name="pt_a"), Parameter(ones(1), name="pt_b")])
        self.plist = [Parameter(ones(1), name="in_list")]


ALL = ["top", "pt_a", "pt_b", "branch.own", "branch.left.weight", "branch.left.frozen", "branch.right.weight",
       "branch.right.frozen"]


def test_cells_enumeration():
    root = Root()
    assert [type(c).__name__ for c in root.cells()] == ["Branch"]
    assert list(root.name_cells()) == ["branch"]
    assert [(n, type(c).__name__) for n, c in root.cells_and_names()] == [
        ("", "Root"), ("branch", "Branch"), ("branch.left", "Leaf"), ("branch.right", "Leaf")]
    assert [n for n, _ in root.cells_and_names(name_prefix="net")] == [
        "net", "net.branch", "net.branch.left", "net.branch.right"]
    assert [n for n, _ in root.branch.left.cells_and_names()] == [""]


def test_parameters_enumeration():
    root = Root()
    assert pnames(root) == [(n, n) for n in ALL]
    assert pnames(root, name_prefix="net") == [("net." + n, n) for n in ALL]
    assert pnames(root, expand=False) == [(n, n) for n in ALL[:3]]
    assert pnames(root, name_prefix="net", expand=False) == [("net." + n, n) for n in ALL[:3]]
    assert [p.name for p in root.get_parameters()] == ALL
    assert [p.name for p in root.get_parameters(expand=False)] == ALL[:3]
    assert type(root.get_parameters()).__name__ == "generator"
    trainable = [n for n in ALL if not n.endswith("frozen")]
    assert [p.name for p in root.trainable_params()] == trainable
    assert type(root.trainable_params()) is list
    assert [p.name for p in root.trainable_params(recurse=False)] == ALL[:3]
    assert [p.name for p in root.untrainable_params()] == ["branch.left.frozen", "branch.right.frozen"]
    assert [p.name for p in root.branch.left.untrainable_params(recurse=False)] == ["branch.left.frozen"]
    pd = root.parameters_dict()
    assert type(pd).__name__ == "OrderedDict" and list(pd) == ALL and pd["top"] is root.top
    assert list(root.parameters_dict(recurse=False)) == ALL[:3]
    assert list(root.parameters_broadcast_dict())[:2] == ["top", "pt_a"]
    assert nn.Cell().parameters_broadcast_dict() is None
    assert pnames(root.branch)[0] == ("own", "branch.own")


def test_requires_grad_toggled_after_creation():
    root = Root()
    root.branch.own.requires_grad = False
    assert "branch.own" not in [p.name for p in root.trainable_params()]
    assert [p.name for p in root.untrainable_params()][0] == "branch.own"
    root.branch.own.requires_grad = True
    assert "branch.own" in [p.name for p in root.trainable_params()]


def test_parameter_tuple_and_list_attributes():
    root = Root()
    assert type(root.pt) is ParameterTuple and root.pt[0] is root.pt_a  # each element registered by its name
    assert type(root.plist) is list and root.plist[0].name == "in_list"
    assert "in_list" not in [p.name for p in root.get_parameters()]


def test_parameter_lists_are_not_registered():
    class Lists(nn.Cell):
        def __init__(self):
            super().__init__()
            self.plist = [Parameter(ones(1)), Parameter(ones(1))]
            self.ptuple = (Parameter(ones(1), name="tp"),)
            self.mixed = [Parameter(ones(1), name="mixed"), 3]

        def construct(self, x):
            return x * self.plist[0] * self.ptuple[0]

    lists = Lists()
    assert pnames(lists) == []
    assert all(p.name.startswith("Parameter#") for p in lists.plist)  # generated names are kept
    assert lists(ones(1)).asnumpy().tolist() == [1.0] and pnames(lists) == []
    with pytest.raises(ValueError, match=r"The value \[Parameter \(name=tp, .*\)\] , its name 'tp' already exists"):
        lists.plist = [Parameter(ones(1), name="tp")]
    lists.empty = []
    assert lists.empty == []


def test_auto_prefix_false():
    class NoPrefix(nn.Cell):
        def __init__(self):
            super().__init__(auto_prefix=False)
            self.dense = Lin(2, 2)
            self.w = Parameter(ones(1))

    class HasNoPrefixChild(nn.Cell):
        def __init__(self):
            super().__init__()
            self.np_child = NoPrefix()

    npc = NoPrefix()
    assert pnames(npc) == [("w", "w"), ("dense.weight", "weight"), ("dense.bias", "bias")]
    hnp = HasNoPrefixChild()
    assert [p.name for p in hnp.trainable_params()] == ["np_child.w", "np_child.dense.weight", "np_child.dense.bias"]


# --- modes and flags -------------------------------------------------------------------------------------------

def test_set_train_and_phase():
    root = Root()
    assert (root.training, root.phase, root.requires_grad) == (False, "train", False)
    assert root.set_train() is root
    assert root.training and root.branch.training and root.branch.left.training
    assert root.set_train(False) is root
    assert (root.training, root.phase, root.branch.left.training) == (False, "predict", False)
    assert root.branch.left.phase == "train"  # phase is not recursive
    root.set_train(0)
    assert root.training == 0 and type(root.training) is int and root.branch.training == 0  # not coerced
    root.set_train(True)
    root.branch.set_train(False)
    assert (root.training, root.phase, root.branch.training, root.branch.phase) == (True, "train", False, "predict")
    root.phase = "eval"
    assert root.phase == "eval"
    with pytest.raises(TypeError, match="For 'Cell', the property 'phase' must be string type, but got type "
                                        "<class 'int'>."):
        root.phase = 3


def test_set_grad_apply_flags():
    root = Root()
    assert root.set_grad() is root and root.requires_grad is True and root.branch.requires_grad is False
    assert root.set_grad(False) is root and root.requires_grad is False
    visited = []
    assert root.apply(lambda c: visited.append(type(c).__name__)) is root
    assert visited == ["Leaf", "Leaf", "Branch", "Root"]
    root.set_train(True)
    assert root.add_flags(custom=1) is root and root.custom == 1
    assert root.get_flags() == {"training": True, "custom": 1}
    assert root.add_flags_recursive(deep=2) is root and root.branch.left.deep == 2
    assert nn.Cell(flags={"fp": 1}).fp == 1 and nn.Cell().get_flags() == {}
    assert root.cls_name == "Root" and bool(nn.Cell()) is True


# --- hooks -----------------------------------------------------------------------------------------------------

class Adder(nn.Cell):
    def construct(self, x, y):
        return x + y


class One(nn.Cell):
    def construct(self, x):
        return x + 1


def test_forward_hooks_arguments_and_removal():
    adder, log = Adder(), []
    h1 = adder.register_forward_pre_hook(lambda c, a: log.append(("pre", c, type(a), len(a))))
    h2 = adder.register_forward_hook(lambda c, a, o: log.append(("post", c, type(a), o.asnumpy().tolist())))
    assert type(h1).__name__ == "HookHandle" and h1.handle_id != h2.handle_id
    assert adder(f32(1.0), f32(2.0)).asnumpy().tolist() == [3.0]
    assert log == [("pre", adder, tuple, 2), ("post", adder, tuple, [3.0])]
    log.clear()
    h3 = adder.register_forward_pre_hook(lambda c, a: (a[0] * 10, a[1]))
    h4 = adder.register_forward_hook(lambda c, a, o: o * 2)
    assert adder(f32(1.0), f32(2.0)).asnumpy().tolist() == [24.0]
    assert log[1][3] == [12.0]  # the output hook saw the modified inputs' result
    h3.remove()
    h4.remove()
    log.clear()
    assert adder(f32(1.0), f32(2.0)).asnumpy().tolist() == [3.0] and len(log) == 2
    h1.remove()
    h2.remove()
    h1.remove()  # removing twice is harmless
    log.clear()
    assert adder(f32(1.0), f32(2.0)).asnumpy().tolist() == [3.0] and log == []


def test_hook_errors_and_variants():
    adder, one = Adder(), One()
    with pytest.raises(TypeError, match="Expected a callable hook function, but got int."):
        adder.register_forward_pre_hook(3)
    with pytest.raises(TypeError, match="Expected a callable hook function, but got str."):
        adder.register_forward_hook("f")
    hs = one.register_forward_pre_hook(lambda c, a: a[0])  # a single value is wrapped into a tuple
    assert one(f32(1.0)).asnumpy().tolist() == [2.0]
    hs.remove()
    hk = one.register_forward_pre_hook(lambda c, a, k: (a, {"scale": 3}), with_kwargs=True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'scale'"):
        one(f32(1.0))
    hk.remove()
    bad = one.register_forward_pre_hook(lambda c, a, k: 5, with_kwargs=True)
    with pytest.raises(RuntimeError, match=r"forward pre hook with kwargs must return None or a tuple of "
                                           r"\(new_args, new_kwargs\), but got 5"):
        one(f32(1.0))
    bad.remove()


def test_hooks_with_kwargs_prepend_and_children():
    class Kw(nn.Cell):
        def construct(self, x, scale=1):
            return x * scale

    kw, log = Kw(), []
    kw.register_forward_pre_hook(lambda c, a, k: (a, {"scale": 3}), with_kwargs=True)
    kw.register_forward_hook(lambda c, a, k, o: log.append((sorted(k.items()), o.asnumpy().tolist())),
                             with_kwargs=True)
    assert kw(f32(1.0), scale=2).asnumpy().tolist() == [3.0] and log == [([("scale", 3)], [3.0])]
    one, order = One(), []
    one.register_forward_pre_hook(lambda c, a: order.append("first"))
    one.register_forward_pre_hook(lambda c, a: order.append("prepended"), prepend=True)
    one(f32(1.0))
    assert order == ["prepended", "first"]

    class Parent(nn.Cell):
        def __init__(self):
            super().__init__()
            self.child = One()

        def construct(self, x):
            return self.child(x) * 2

    parent, seen = Parent(), []
    parent.child.register_forward_hook(lambda c, a, o: seen.append(o.asnumpy().tolist()))
    assert parent(f32(1.0)).asnumpy().tolist() == [4.0] and seen == [[2.0]]


def test_forward_hook_on_bprop_cell_is_ignored_and_always_call():
    class WithBprop(nn.Cell):
        def construct(self, x):
            return x * 2

        def bprop(self, x, out, dout):
            return (dout,)

    wb, log = WithBprop(), []
    handle = wb.register_forward_hook(lambda c, a, o: log.append("hook"))
    assert wb(f32(1.0)).asnumpy().tolist() == [2.0] and log == [] and wb.has_bprop is True
    handle.remove()

    class Fails(nn.Cell):
        def construct(self, x):
            raise ValueError("inside construct")

    fails = Fails()
    fails.register_forward_hook(lambda c, a, o: log.append(("always", o)), always_call=True)
    fails.register_forward_hook(lambda c, a, o: log.append("not always"))
    with pytest.raises(ValueError, match="inside construct"):
        fails(f32(1.0))
    assert log == [("always", None)]


# --- construct signatures and return values --------------------------------------------------------------------

def test_construct_signatures():
    class Flexible(nn.Cell):
        def construct(self, x, y=None, *, scale=2, flag=False, opts=None, items=None):
            out = x * scale
            if y is not None:
                out = out + y
            if flag:
                out = -out
            if opts:
                out = out + opts["bias"]
            if items:
                out = out + items[0]
            return out

    fx, x, y = Flexible(), f32(1.0), f32(2.0)
    assert fx(x).asnumpy().tolist() == [2.0]
    assert fx(x, y).asnumpy().tolist() == [4.0]
    assert fx(x, scale=3).asnumpy().tolist() == [3.0]
    assert fx(x, flag=True).asnumpy().tolist() == [-2.0]
    assert fx(x, opts={"bias": y}).asnumpy().tolist() == [4.0]
    assert fx(x, items=[y]).asnumpy().tolist() == [4.0]
    with pytest.raises(TypeError, match=r"Flexible.construct\(\) takes from 2 to 3 positional arguments but 4"):
        fx(x, y, 3)

    class Varargs(nn.Cell):
        def construct(self, *args, **kwargs):
            return len(args), sorted(kwargs)

    assert Varargs()(x, y, 3, k=1) == (3, ["k"])


def test_python_return_values():
    class Returns(nn.Cell):
        def construct(self, x, kind):
            return {"int": 3, "dict": {"a": x, "n": 1}, "list": [x, x + 1], "none": None, "str": "text"}.get(
                kind, (x, (x, 2)))

    rt, x = Returns(), f32(1.0)
    assert rt(x, "int") == 3 and type(rt(x, "int")) is int
    out = rt(x, "dict")
    assert type(out) is dict and out["n"] == 1 and out["a"] is x
    assert type(rt(x, "list")) is list and rt(x, "list")[1].asnumpy().tolist() == [2.0]
    assert rt(x, "none") is None and rt(x, "str") == "text"
    assert rt(x, "tuple")[1][1] == 2
    assert rt.construct(x, "int") == 3


# --- repr ------------------------------------------------------------------------------------------------------

class WithExtra(nn.Cell):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def extend_repr(self):
        return f"n={self.n}"


class MultiExtra(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = WithExtra(1)

    def extend_repr(self):
        return "line1\nline2"


def test_repr():
    assert repr(WithExtra(3)) == "WithExtra(n=3)"
    assert repr(nn.Cell()) == "Cell()"
    assert repr(MultiExtra()) == "MultiExtra(\n  line1\n  line2\n  (inner): WithExtra(n=1)\n)"

    class Tree(nn.Cell):
        def __init__(self):
            super().__init__()
            self.a = WithExtra(5)
            self.b = MultiExtra()
            self.c = nn.Cell()

    expected = ("Tree(\n  (a): WithExtra(n=5)\n  (b): MultiExtra(\n    line1\n    line2\n"
                "    (inner): WithExtra(n=1)\n  )\n  (c): Cell()\n)")
    assert repr(Tree()) == str(Tree()) == expected

    class ExtraWithChild(nn.Cell):
        def __init__(self):
            super().__init__()
            self.inner = Act()

        def extend_repr(self):
            return "k=1"

    assert repr(ExtraWithChild()) == "ExtraWithChild(\n  k=1\n  (inner): Act()\n)"
    holder = nn.Cell()
    holder.insert_child_to_cell("slot", None)
    holder.insert_child_to_cell("real", Act())
    assert repr(holder) == "Cell(\n  (slot): None\n  (real): Act()\n)"  # None children are printed
