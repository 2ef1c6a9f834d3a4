"""Parameter naming, registration and enumeration order of nn.Cell (MindSpore 2.10 behaviour probe)."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor, Parameter, ParameterTuple


def names(cell):
    return [p.name for p in cell.trainable_params()]


def walk(cell):
    return [(n, p.name) for n, p in cell.parameters_and_names()]


class Leaf(nn.Cell):
    def __init__(self):
        super().__init__()
        self.weight = Parameter(Tensor(np.ones((2, 2), np.float32)))
        self.named = Parameter(Tensor(np.ones(1, np.float32)), name="my_name")


class Mid(nn.Cell):
    def __init__(self):
        super().__init__()
        self.scale = Parameter(Tensor(np.ones(1, np.float32)))
        self.leaf = Leaf()
        self.bias = Parameter(Tensor(np.zeros(1, np.float32)), name="explicit_bias")


class Top(nn.Cell):
    def __init__(self):
        super().__init__()
        self.body = Mid()
        self.extra = Parameter(Tensor(np.ones(3, np.float32)))
        self.frozen = Parameter(Tensor(np.ones(2, np.float32)), requires_grad=False)


leaf = Leaf()
print("leaf", names(leaf), walk(leaf))
mid = Mid()
print("mid", names(mid), walk(mid))
top = Top()
print("top", names(top), walk(top))
print("top all", [p.name for p in top.get_parameters()])
print("top untrainable", [p.name for p in top.untrainable_params()])
print("top dict", list(top.parameters_dict().keys()))
print("cells_and_names", [(n, type(c).__name__) for n, c in top.cells_and_names()])
print("cells", [type(c).__name__ for c in top.cells()], list(top.name_cells().keys()))


class Shared(nn.Cell):
    def __init__(self):
        super().__init__()
        inner = Leaf()
        self.a = inner
        self.b = inner


shared = Shared()
print("shared", names(shared), walk(shared))


class WithList(nn.Cell):
    def __init__(self):
        super().__init__()
        self.plain_list = [Parameter(Tensor(np.ones(1, np.float32)), name="in_list")]
        self.tuple_params = ParameterTuple([Parameter(Tensor(np.ones(1, np.float32)), name="pt_a"),
                                            Parameter(Tensor(np.ones(1, np.float32)), name="pt_b")])
        self.own = Parameter(Tensor(np.ones(1, np.float32)), name="own")


wl = WithList()
print("withlist", names(wl), walk(wl))


class Outer(nn.Cell):
    def __init__(self):
        super().__init__()
        self.wl = WithList()


print("outer withlist", names(Outer()), walk(Outer()))


class Inserted(nn.Cell):
    def __init__(self):
        super().__init__()
        self.insert_child_to_cell("child", Leaf())


ins = Inserted()
print("inserted", names(ins), walk(ins))
ins.update_parameters_name("pre.")
print("prefixed", names(ins))


class Reassign(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.ones(2, np.float32)), name="w")


r = Reassign()
r.w = Tensor(np.array([5.0, 6.0], np.float32))
print("reassign", type(r.w).__name__, r.w.name, r.w.asnumpy())
try:
    r.w = 3
except Exception as e:
    print("reassign int", type(e).__name__, e)
r.w.requires_grad = False
print("after requires_grad", names(r), [p.name for p in r.get_parameters()])


class Late(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = Leaf()

    def construct(self, x):
        return x


late = Late()
late.fc.weight.name = "renamed_by_hand"
print("late", names(late))
print("unnamed counter style", Parameter(Tensor(np.ones(1, np.float32))).name.startswith("Parameter#"))
try:
    Top().missing_attribute
except AttributeError as e:
    print("missing attr", type(e).__name__, e)


class NoSuper(nn.Cell):
    def __init__(self):
        self.x = 1


try:
    NoSuper()
    print("nosuper constructed")
except AttributeError as e:
    print("nosuper", type(e).__name__, e)


class NoConstruct(nn.Cell):
    def __init__(self):
        super().__init__()


try:
    NoConstruct()(Tensor(np.ones(1, np.float32)))
except AttributeError as e:
    print("noconstruct", type(e).__name__)  # in GRAPH mode the message carries MindSpore's compiler traceback
print("training", top.training, top.set_train() is top, top.training, top.body.leaf.training)
top.set_train(False)
print("training after", top.training, top.body.training)
print("set_grad", top.set_grad() is top, top.requires_grad)
print(repr(top))
print(repr(Leaf()))
