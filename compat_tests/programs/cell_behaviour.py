"""nn.Cell behaviour in PyNative mode: attribute registration, errors, enumeration, modes, hooks, call conventions
and repr (MindSpore 2.10)."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple


def ones(*shape):
    return Tensor(np.ones(shape, np.float32))


def attempt(label, fn):
    try:
        result = fn()
        print(label, "ok", result)
    except Exception as e:  # noqa: BLE001
        print(label, type(e).__name__, str(e).replace(str(Tensor), "<class Tensor>"))


class Lin(nn.Cell):
    """A small Dense-like layer (weight and bias Parameters, one-line repr)."""

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


class Seq(nn.Cell):
    def __init__(self, *cells):
        super().__init__()
        for i, cell in enumerate(cells):
            self.insert_child_to_cell(str(i), cell)


def pnames(cell, **kwargs):
    return [(n, p.name) for n, p in cell.parameters_and_names(**kwargs)]


# --- forgetting super().__init__() ----------------------------------------------------------------------------


class NoSuper(nn.Cell):
    def __init__(self):
        self.scale = 2.0

    def construct(self, x):
        return x * self.scale


ns = NoSuper()
print("nosuper built", ns.scale)
attempt("nosuper call", lambda: ns(ones(1)))
attempt("nosuper trainable_params", lambda: ns.trainable_params())
attempt("nosuper missing attr", lambda: ns.nothing)


class NoSuperParam(nn.Cell):
    def __init__(self):
        self.w = Parameter(ones(1), name="w")


attempt("nosuper param", lambda: NoSuperParam())


class NoSuperChild(nn.Cell):
    def __init__(self):
        self.child = nn.Cell()


attempt("nosuper child", lambda: NoSuperChild())


class NoSuperTensor(nn.Cell):
    def __init__(self):
        self.t = ones(1)


attempt("nosuper tensor", lambda: type(NoSuperTensor().t).__name__)

# --- missing construct, call arguments ------------------------------------------------------------------------


class NoConstruct(nn.Cell):
    pass


attempt("noconstruct call", lambda: NoConstruct()(ones(1)))
attempt("noconstruct call no args", lambda: NoConstruct()())
attempt("base cell call", lambda: nn.Cell()(ones(1)))


class Net(nn.Cell):
    def construct(self, a, b):
        return a + b


net = Net()
attempt("too few", lambda: net(ones(1)))
attempt("too many", lambda: net(ones(1), ones(1), ones(1)))
attempt("unknown kwarg", lambda: net(ones(1), ones(1), c=1))
attempt("kwargs call", lambda: net(a=ones(1), b=ones(1)).asnumpy().tolist())
attempt("mixed call", lambda: net(ones(1), b=ones(1)).asnumpy().tolist())
attempt("unknown attribute", lambda: net.nonexistent)
attempt("getattr default", lambda: getattr(net, "nonexistent", "fallback"))
attempt("hasattr", lambda: (hasattr(net, "nonexistent"), hasattr(net, "construct")))
attempt("numpy input", lambda: type(net(np.ones(1, np.float32), np.ones(1, np.float32))).__name__)


class Inner(nn.Cell):
    def construct(self, x):
        return self.missing + x


attempt("unknown attribute in construct", lambda: Inner()(ones(1)))

# --- attribute registration -----------------------------------------------------------------------------------


class Holder(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w")
        self.child = Lin(2, 2)
        self.plain = 3

    def construct(self, x):
        return self.child(x * self.w)


h = Holder()
print("holder", pnames(h), sorted(k for k in ["w", "child", "plain"] if k in h.__dict__) is not None)
h.w = Tensor(np.array([3, 4], np.int32))
print("tensor onto param", type(h.w).__name__, h.w.name, h.w.dtype, h.w.asnumpy().tolist())
h.w = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
print("tensor onto param new shape", h.w.shape)
attempt("int onto param", lambda: setattr(h, "w", 5))
attempt("float onto param", lambda: setattr(h, "w", 5.0))
attempt("numpy onto param", lambda: setattr(h, "w", np.ones(2, np.float32)))
attempt("int onto cell", lambda: setattr(h, "child", 5))
attempt("tensor onto cell", lambda: setattr(h, "child", ones(2)))
h.plain = ones(2)
print("tensor onto plain", type(h.plain).__name__, pnames(h))
h.new_param = Parameter(ones(1))
print("param after construction", pnames(h), h.new_param.name)
h.w = None
print("none onto param", h.w, pnames(h))
h.w = Parameter(Tensor(np.array([9.0], np.float32)), name="w_again")
print("param onto none", h.w.name, pnames(h))
h.child = None
print("none onto cell", h.child, list(h.name_cells().keys()), pnames(h))
h.child = Lin(2, 3)
print("cell onto none", list(h.name_cells().keys()), pnames(h))
h.child = Lin(3, 3)
print("replace child", pnames(h), repr(h))
attempt("param onto cell", lambda: setattr(h, "child", Parameter(ones(1), name="cp")))
print("after param onto cell", type(h.child).__name__, list(h.name_cells().keys()), pnames(h))
attempt("cell onto param", lambda: setattr(h, "new_param", Act()))
print("after cell onto param", type(h.new_param).__name__, list(h.name_cells().keys()), pnames(h))

# deleting attributes


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
print("del param", pnames(d))
attempt("del param access", lambda: d.w)
attempt("hasattr deleted param", lambda: hasattr(d, "w"))
del d.sub
print("del cell", pnames(d), list(d.name_cells().keys()), [n for n, _ in d.cells_and_names()])
attempt("del cell access", lambda: d.sub)
del d.plain
attempt("del plain access", lambda: d.plain)
attempt("del missing", lambda: d.__delattr__("never_set"))
d.w = Parameter(ones(2), name="w2")
print("re-add param after del", pnames(d))
d.other = None
print("none onto child", d.other, list(d.name_cells().keys()))
del d.other
print("del none child", list(d.name_cells().keys()), [n for n, _ in d.cells_and_names()])

# a Cell reachable twice; shared Parameters


class Twice(nn.Cell):
    def __init__(self):
        super().__init__()
        shared = Lin(2, 2)
        self.a = shared
        self.b = shared
        self.p = Parameter(ones(1), name="p")
        self.q = self.p


t = Twice()
print("twice", pnames(t), [n for n, _ in t.cells_and_names()], list(t.name_cells().keys()), len(list(t.cells())))
print("twice trainable", [p.name for p in t.trainable_params()])
print("twice repr", repr(t))

# --- insert_param_to_cell / insert_child_to_cell / update_parameters_name --------------------------------------
base = nn.Cell()
base.insert_param_to_cell("w", Parameter(ones(1)))
base.insert_param_to_cell("named_w", Parameter(ones(1), name="explicit"))
print("insert_param", pnames(base), type(base.w).__name__)
attempt("insert_param dot", lambda: base.insert_param_to_cell("a.b", Parameter(ones(1))))
attempt("insert_param dot unchecked", lambda: (base.insert_param_to_cell("a.b", Parameter(ones(1), name="ab"),
                                                                         check_name_contain_dot=False), pnames(base)))
attempt("insert_param empty", lambda: base.insert_param_to_cell("", Parameter(ones(1))))
attempt("insert_param not param", lambda: base.insert_param_to_cell("t", ones(1)))
attempt("insert_param over method", lambda: base.insert_param_to_cell("construct", Parameter(ones(1))))
attempt("insert_param none", lambda: (base.insert_param_to_cell("none_p", None), pnames(base)))
base.insert_child_to_cell("dense", Lin(1, 1))
print("insert_child", pnames(base), [n for n, _ in base.cells_and_names()], type(base.dense).__name__)
attempt("insert_child not cell", lambda: base.insert_child_to_cell("x", 3))
attempt("insert_child dot", lambda: base.insert_child_to_cell("a.b", Act()))
attempt("insert_child int name", lambda: base.insert_child_to_cell(1, Act()))
attempt("insert_child existing attr", lambda: base.insert_child_to_cell("construct", Act()))
base.update_parameters_name("top.")
print("update_parameters_name", [p.name for p in base.get_parameters()])
base.update_parameters_name("")
print("update_parameters_name empty", [p.name for p in base.get_parameters()])
base.update_parameters_name("x.", recurse=False)
print("update_parameters_name no recurse", [p.name for p in base.get_parameters()])
attempt("update_parameters_name bad", lambda: base.update_parameters_name("bad prefix"))

# --- enumeration ----------------------------------------------------------------------------------------------


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


root = Root()
print("cells", [type(c).__name__ for c in root.cells()])
print("name_cells", [(k, type(v).__name__) for k, v in root.name_cells().items()])
print("cells_and_names", [(n, type(c).__name__) for n, c in root.cells_and_names()])
print("cells_and_names prefix", [n for n, _ in root.cells_and_names(name_prefix="net")])
print("parameters_and_names", pnames(root))
print("parameters_and_names prefix", pnames(root, name_prefix="net"))
print("parameters_and_names no expand", pnames(root, expand=False))
print("parameters_and_names prefix no expand", pnames(root, name_prefix="net", expand=False))
print("get_parameters", [p.name for p in root.get_parameters()])
print("get_parameters no expand", [p.name for p in root.get_parameters(expand=False)])
print("get_parameters type", type(root.get_parameters()).__name__)
print("trainable_params", [p.name for p in root.trainable_params()])
print("trainable_params no recurse", [p.name for p in root.trainable_params(recurse=False)])
print("trainable_params type", type(root.trainable_params()).__name__)
print("untrainable_params", [p.name for p in root.untrainable_params()])
print("untrainable_params no recurse", [p.name for p in root.branch.left.untrainable_params(recurse=False)])
pd = root.parameters_dict()
print("parameters_dict", type(pd).__name__, list(pd.keys()), pd["top"] is root.top)
print("parameters_dict no recurse", list(root.parameters_dict(recurse=False).keys()))
root.branch.own.requires_grad = False
print("requires_grad toggled", [p.name for p in root.trainable_params()], [p.name for p in root.untrainable_params()])
root.branch.own.requires_grad = True
print("pt attr", type(root.pt).__name__, [p.name for p in root.pt], root.pt[0] is root.pt_a)
print("plist attr", type(root.plist).__name__, root.plist[0].name)
print("cell getattr child param", root.branch.left.weight.name)
print("sub cell enumerate", pnames(root.branch))
print("cells_and_names of leaf", [(n, type(c).__name__) for n, c in root.branch.left.cells_and_names()])

# --- modes and flags ------------------------------------------------------------------------------------------
print("defaults", root.training, root.phase, root.requires_grad, root.branch.training, root.branch.phase)
print("set_train", root.set_train() is root, root.training, root.phase, root.branch.training, root.branch.left.training,
      root.branch.phase)
print("set_train false", root.set_train(False) is root, root.training, root.phase, root.branch.left.training,
      root.branch.left.phase)
print("set_train 0", root.set_train(0) is root, root.training, root.branch.training)
root.set_train(True)
root.branch.set_train(False)
print("set_train sub", root.training, root.phase, root.branch.training, root.branch.phase, root.branch.left.training)
print("set_grad", root.set_grad() is root, root.requires_grad, root.branch.requires_grad)
print("set_grad false", root.set_grad(False) is root, root.requires_grad)
root.phase = "eval"
print("phase set", root.phase)
attempt("phase int", lambda: setattr(root, "phase", 3))
root.training = True
print("training set", root.training)
visited = []
print("apply returns", root.apply(lambda c: visited.append(type(c).__name__)) is root)
print("apply order", visited)
print("flags", root.add_flags(custom=1) is root, root.custom, root.get_flags())
print("flags recursive", root.add_flags_recursive(deep=2) is root, root.branch.left.deep)
print("cls_name", root.cls_name, root.branch.left.cls_name)
print("bool", bool(nn.Cell()))
print("to_float", root.to_float(ms.float16) is root)

# --- hooks ----------------------------------------------------------------------------------------------------


class Adder(nn.Cell):
    def construct(self, x, y):
        return x + y


adder = Adder()
log = []


def pre_hook(cell, args):
    log.append(("pre", type(cell).__name__, type(args).__name__, len(args)))


def pre_hook_change(cell, args):
    return (args[0] * 10, args[1])


def pre_hook_single(cell, args):
    return args[0]


def hook(cell, args, output):
    log.append(("post", type(cell).__name__, type(args).__name__, len(args), output.asnumpy().tolist()))


def hook_change(cell, args, output):
    return output * 2


x1, y1 = Tensor(np.array([1.0], np.float32)), Tensor(np.array([2.0], np.float32))
h1 = adder.register_forward_pre_hook(pre_hook)
h2 = adder.register_forward_hook(hook)
print("hook handles", type(h1).__name__, hasattr(h1, "remove"), h1.handle_id != h2.handle_id)
print("hooked", adder(x1, y1).asnumpy().tolist(), log)
log.clear()
h3 = adder.register_forward_pre_hook(pre_hook_change)
h4 = adder.register_forward_hook(hook_change)
print("modified", adder(x1, y1).asnumpy().tolist(), log)
log.clear()
h3.remove()
h4.remove()
print("removed", adder(x1, y1).asnumpy().tolist(), log)
log.clear()
h1.remove()
h2.remove()
h1.remove()
print("all removed", adder(x1, y1).asnumpy().tolist(), log)
attempt("non callable hook", lambda: adder.register_forward_pre_hook(3))
attempt("non callable post hook", lambda: adder.register_forward_hook("f"))


class One(nn.Cell):
    def construct(self, x):
        return x + 1


one = One()
hs = one.register_forward_pre_hook(pre_hook_single)
print("single return pre hook", one(x1).asnumpy().tolist())
hs.remove()
hk = one.register_forward_pre_hook(lambda c, a, k: (a, {"scale": 3}), with_kwargs=True)
attempt("with_kwargs pre hook", lambda: one(x1))
hk.remove()


class Kw(nn.Cell):
    def construct(self, x, scale=1):
        return x * scale


kw = Kw()
hk = kw.register_forward_pre_hook(lambda c, a, k: (a, {"scale": 3}), with_kwargs=True)
hp = kw.register_forward_hook(lambda c, a, k, o: log.append(("kw post", sorted(k.items()), o.asnumpy().tolist())),
                              with_kwargs=True)
print("with_kwargs hooks", kw(x1, scale=2).asnumpy().tolist(), log)
log.clear()
hk.remove()
hp.remove()
order = []
one.register_forward_pre_hook(lambda c, a: order.append("first"))
one.register_forward_pre_hook(lambda c, a: order.append("prepended"), prepend=True)
one(x1)
print("prepend order", order)


class Parent(nn.Cell):
    def __init__(self):
        super().__init__()
        self.child = One()

    def construct(self, x):
        return self.child(x) * 2


parent = Parent()
parent.child.register_forward_hook(lambda c, a, o: log.append(("child hook", o.asnumpy().tolist())))
print("child hook", parent(x1).asnumpy().tolist(), log)
log.clear()

# --- construct signatures and return values -------------------------------------------------------------------


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


fx = Flexible()
print("defaults", fx(x1).asnumpy().tolist())
print("optional", fx(x1, y1).asnumpy().tolist())
print("kwonly", fx(x1, scale=3).asnumpy().tolist())
print("bool arg", fx(x1, flag=True).asnumpy().tolist())
print("dict arg", fx(x1, opts={"bias": y1}).asnumpy().tolist())
print("list arg", fx(x1, items=[y1]).asnumpy().tolist())
attempt("kwonly positional", lambda: fx(x1, y1, 3))


class Varargs(nn.Cell):
    def construct(self, *args, **kwargs):
        return len(args), sorted(kwargs)


print("varargs", Varargs()(x1, y1, 3, k=1))


class Returns(nn.Cell):
    def construct(self, x, kind):
        if kind == "int":
            return 3
        if kind == "dict":
            return {"a": x, "n": 1}
        if kind == "list":
            return [x, x + 1]
        if kind == "none":
            return None
        if kind == "str":
            return "text"
        return x, (x, 2)


rt = Returns()
print("return int", rt(x1, "int"), type(rt(x1, "int")).__name__)
out = rt(x1, "dict")
print("return dict", type(out).__name__, sorted(out), out["n"], out["a"].asnumpy().tolist())
out = rt(x1, "list")
print("return list", type(out).__name__, [o.asnumpy().tolist() for o in out])
print("return none", rt(x1, "none"))
print("return str", rt(x1, "str"))
out = rt(x1, "tuple")
print("return nested", type(out).__name__, type(out[1]).__name__, out[1][1])
print("construct direct", type(rt.construct(x1, "int")).__name__)

# --- repr -----------------------------------------------------------------------------------------------------


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


class Tree(nn.Cell):
    def __init__(self):
        super().__init__()
        self.a = WithExtra(5)
        self.b = MultiExtra()
        self.seq = Seq(Lin(2, 3), Act())
        self.c = nn.Cell()


print(repr(WithExtra(3)))
print(repr(MultiExtra()))
print(repr(Tree()))
print(str(Tree()) == repr(Tree()))
print(Tree())


class ExtraWithChild(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = Act()

    def extend_repr(self):
        return "k=1"


print(repr(ExtraWithChild()))

# --- auto_prefix=False ----------------------------------------------------------------------------------------


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
print("auto_prefix False", pnames(npc), [p.name for p in npc.trainable_params()])
hnp = HasNoPrefixChild()
print("auto_prefix False child", pnames(hnp), [p.name for p in hnp.trainable_params()])
print("auto_prefix flag", npc._auto_prefix if hasattr(npc, "_auto_prefix") else None)

# --- Parameters in Python lists and tuples --------------------------------------------------------------------


class Lists(nn.Cell):
    def __init__(self):
        super().__init__()
        self.plist = [Parameter(ones(1)), Parameter(ones(1))]
        self.ptuple = (Parameter(ones(1), name="tp"),)
        self.mixed = [Parameter(ones(1), name="mixed"), 3]

    def construct(self, x):
        return x * self.plist[0] * self.ptuple[0]


lists = Lists()
print("lists", pnames(lists), type(lists.plist).__name__, [p.name.startswith("Parameter#") for p in lists.plist],
      lists.ptuple[0].name)
print("lists call", lists(ones(1)).asnumpy().tolist(), pnames(lists))
attempt("list dup name across attrs", lambda: setattr(lists, "plist", [Parameter(ones(1), name="tp")]))
lists.plist2 = [Parameter(ones(1), name="fresh")]
print("list fresh name", pnames(lists), lists.plist2[0].name)
lists.empty = []
print("empty list attr", lists.empty, pnames(lists))

# --- more registration corners --------------------------------------------------------------------------------
holder = nn.Cell()
holder.insert_child_to_cell("slot", None)
holder.insert_child_to_cell("real", Act())
print("none child repr", repr(holder), list(holder.name_cells().keys()))
holder.real = None
print("none child after", repr(holder), [n for n, _ in holder.cells_and_names()])
flagged = nn.Cell(flags={"fp": 1})
print("ctor flags", flagged.fp, flagged.get_flags(), nn.Cell().get_flags())
print("broadcast dict", list(root.parameters_broadcast_dict().keys())[:2], nn.Cell().parameters_broadcast_dict())
plain_then_param = nn.Cell()
plain_then_param.w = 3
plain_then_param.w = Parameter(ones(1))
print("plain then param", pnames(plain_then_param), type(plain_then_param.w).__name__)
plain_then_cell = nn.Cell()
plain_then_cell.c = "text"
plain_then_cell.c = Lin(1, 1)
print("plain then cell", pnames(plain_then_cell), list(plain_then_cell.name_cells()))
again = nn.Cell()
again.w = Parameter(ones(1), name="first")
again.v = Parameter(ones(1))
again.w = Parameter(ones(2))
print("param replaced keeps order", pnames(again), again.w.shape)


class WithBprop(nn.Cell):
    def construct(self, x):
        return x * 2

    def bprop(self, x, out, dout):
        return (dout,)


wb = WithBprop()
handle = wb.register_forward_hook(lambda c, a, o: log.append("bprop cell hook"))
print("bprop cell forward hook", type(handle).__name__, wb(x1).asnumpy().tolist(), log, wb.has_bprop)
handle.remove()


class Fails(nn.Cell):
    def construct(self, x):
        raise ValueError("inside construct")


fails = Fails()
fails.register_forward_hook(lambda c, a, o: log.append(("always", o)), always_call=True)
fails.register_forward_hook(lambda c, a, o: log.append("not always"))
attempt("always_call hook", lambda: fails(x1))
print("always_call log", log)
log.clear()
bad = One()
bad.register_forward_pre_hook(lambda c, a, k: 5, with_kwargs=True)
attempt("bad kwargs pre hook", lambda: bad(x1))

