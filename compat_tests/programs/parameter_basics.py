"""Parameter and ParameterTuple: construction, names, printing, data access and in-place updates (MindSpore 2.10)."""
import copy

import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple
from mindspore.common.initializer import initializer, Normal, Zero


def show(label, p):
    print(label, type(p).__name__, p.name if isinstance(p, Parameter) else "-", p.shape, p.dtype)


def attempt(label, fn):
    try:
        result = fn()
        print(label, "ok", result)
    except Exception as e:  # noqa: BLE001
        print(label, type(e).__name__, e)


# --- construction ---------------------------------------------------------------------------------------------
show("from tensor", Parameter(Tensor(np.ones((2, 3), np.float32)), name="t"))
show("from float", Parameter(1.5, name="f"))
show("from int", Parameter(3, name="i"))
show("from np float64", Parameter(np.ones(2), name="np64"))
show("from np int32", Parameter(np.arange(3, dtype=np.int32), name="npi"))
show("from list", Parameter([1.0, 2.0], name="l"))
show("from int list", Parameter([1, 2], name="il"))
show("from tensor int", Parameter(Tensor(2), name="ti"))
show("from tensor f16", Parameter(Tensor([1, 2], ms.float16), name="tf16"))
ones = Parameter(initializer("ones", [2, 2], ms.float32), name="ones")
show("from initializer ones", ones)
print("ones values", ones.asnumpy().tolist())
normal = Parameter(initializer(Normal(0.02), [3, 4], ms.float32), name="normal")
show("from initializer normal", normal)
print("normal std small", float(np.abs(normal.asnumpy()).max()) < 0.2)
show("from initializer zero f16", Parameter(initializer(Zero(), (2,), ms.float16), name="z16"))
show("from initializer int shape", Parameter(initializer("zeros", 3, ms.int32), name="zi"))
print("from int value", Parameter(3, name="iv").asnumpy(), Parameter(1.5, name="fv").asnumpy())
attempt("from bool", lambda: Parameter(True, name="b"))
attempt("from None", lambda: Parameter(None, name="n"))
attempt("from str", lambda: Parameter("abc", name="s"))
attempt("from tuple", lambda: Parameter((1.0, 2.0), name="tu"))

# --- names ----------------------------------------------------------------------------------------------------
auto = Parameter(Tensor(np.ones(1, np.float32)))
print("auto name", auto.name.startswith("Parameter#"), auto.name[len("Parameter#"):].isdigit())
auto2 = Parameter(Tensor(np.ones(1, np.float32)))
print("auto names differ", auto.name != auto2.name)
named = Parameter(Tensor(np.ones(1, np.float32)), name="w")
print("explicit name", named.name)
named.name = "a.b.c"
print("renamed", named.name)
named.name = "  padded  "
print("stripped", repr(named.name))
named.name = ""
print("empty name auto", named.name.startswith("Parameter#"))
named.name = None
print("None name auto", named.name.startswith("Parameter#"))
attempt("int name set", lambda: setattr(named, "name", 3))
attempt("int name ctor", lambda: Parameter(Tensor(np.ones(1, np.float32)), name=3))
attempt("long name", lambda: Parameter(Tensor(np.ones(1, np.float32)), name="x" * 1100).name)
print("whitespace ctor name", repr(Parameter(Tensor(np.ones(1, np.float32)), name=" w2 ").name))

# --- printing and type ----------------------------------------------------------------------------------------
p = Parameter(Tensor(np.arange(6, dtype=np.float32).reshape(2, 3)), name="w")
print("repr", repr(p))
print("str", str(p))
print(p)
print(f"fstring {p}")
print("format", "{}".format(p))
print("in list", [p])
print("frozen repr", repr(Parameter(Tensor(np.ones(1, np.float32)), name="fz", requires_grad=False)))
print("scalar repr", repr(Parameter(2.0, name="sc")))
print("type", type(p))
print("type name", type(p).__name__, type(p).__module__)
print("isinstance", isinstance(p, Tensor), isinstance(p, Parameter), isinstance(Tensor(1), Parameter))
print("type is", type(p) is Parameter)
print("asnumpy", p.asnumpy().tolist())
print("shape dtype", p.shape, p.dtype, p.ndim, p.size)

# --- data / value ---------------------------------------------------------------------------------------------
d = p.data
print("data", type(d).__name__, d is p, isinstance(d, Parameter), d.name if isinstance(d, Parameter) else "-")
v = p.value()
print("value", type(v).__name__, v is p, isinstance(v, Parameter), v.asnumpy().tolist())
print("value repr", repr(v))
print("init_data", p.init_data() is p, p.has_init)
print("has_init initializer", Parameter(initializer("ones", [2], ms.float32), name="hi").has_init)

# --- set_data -------------------------------------------------------------------------------------------------
q = Parameter(Tensor(np.zeros(3, np.float32)), name="q")
r = q.set_data(Tensor(np.array([1.0, 2.0, 3.0], np.float32)))
print("set_data returns self", r is q, q.asnumpy().tolist())
q.set_data(Tensor(np.ones((2, 2), np.float32)))
print("set_data new shape", q.shape, q.asnumpy().tolist())
q.set_data(Tensor(np.array([7, 8], np.int32)))
print("set_data cast", q.dtype, q.shape, q.asnumpy().tolist())
q.set_data(Tensor(np.array([1.5, 2.5], np.float64)))
print("set_data f64", q.dtype, q.asnumpy().tolist())
q.set_data(5.0)
print("set_data float", q.dtype, q.shape, q.asnumpy().tolist())
q.set_data(4)
print("set_data int", q.dtype, q.shape, q.asnumpy().tolist())
attempt("set_data list", lambda: q.set_data([1.0, 2.0]))
attempt("set_data numpy", lambda: q.set_data(np.ones(2, np.float32)))
qi = Parameter(Tensor(np.zeros(2, np.int32)), name="qi")
attempt("set_data float into int", lambda: qi.set_data(1.5))
qi.set_data(Tensor(np.array([1.7, -2.6], np.float32)))
print("set_data tensor float into int", qi.dtype, qi.asnumpy().tolist())
print("set_data name kept", q.name, q.requires_grad)
qo = Parameter(Tensor(np.zeros(2, np.float32)), name="qo")
qo.set_data(initializer("ones", [3], ms.float32))
print("set_data initializer", qo.shape, qo.asnumpy().tolist())

# --- clone ----------------------------------------------------------------------------------------------------
c = p.clone()
print("clone", c is p, type(c).__name__, c.name, c.requires_grad, c.asnumpy().tolist())
c.set_data(Tensor(np.zeros((2, 3), np.float32)))
print("clone independent", p.asnumpy().tolist(), c.asnumpy().tolist())
cz = p.clone(init="zeros")
print("clone zeros", cz.name, cz.shape, cz.dtype, cz.asnumpy().tolist())
cone = p.clone(init=1)
print("clone number", cone.asnumpy().tolist())
frozen = Parameter(Tensor(np.ones(2, np.float32)), name="fr", requires_grad=False, layerwise_parallel=True)
fc = frozen.clone()
print("clone flags", fc.requires_grad, fc.layerwise_parallel)
pc = p.copy()
print("copy", pc is p, type(pc).__name__, pc.name)

# --- flags ----------------------------------------------------------------------------------------------------
f = Parameter(Tensor(np.ones(2, np.float32)), name="flags")
print("defaults", f.requires_grad, f.layerwise_parallel, f.parallel_optimizer)
f.requires_grad = False
f.layerwise_parallel = True
print("set flags", f.requires_grad, f.layerwise_parallel, repr(f))
attempt("requires_grad int", lambda: setattr(f, "requires_grad", 1))
attempt("layerwise_parallel int", lambda: setattr(f, "layerwise_parallel", 1))
attempt("requires_grad ctor int", lambda: Parameter(Tensor(np.ones(1, np.float32)), name="rg", requires_grad=0))
f.custom_attr = 3
print("custom attr", f.custom_attr)

# --- arithmetic and in-place ----------------------------------------------------------------------------------
a = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="a")
for label, out in [("add", a + 1), ("radd", 1 + a), ("mul", a * a), ("neg", -a), ("matmul", a @ a),
                   ("op", ops.mul(a, 2)), ("tensor op", Tensor(np.ones(2, np.float32)) - a), ("getitem", a[0]),
                   ("method", a.sum()), ("astype", a.astype(ms.float16))]:
    print("arith", label, type(out).__name__, out.dtype, out.asnumpy().tolist())
print("compare", type(a > 1).__name__, (a > 1).asnumpy().tolist())
alias = a
alias += 1
print("iadd", type(alias).__name__, alias.asnumpy().tolist(), a.asnumpy().tolist(), alias is a)
b = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="b")
out = ops.assign(b, Tensor(np.array([5.0, 6.0], np.float32)))
print("ops.assign", b.asnumpy().tolist(), out.asnumpy().tolist())
ops.assign(b, Tensor(np.array([1, 2], np.int32)))
print("ops.assign int", b.dtype, b.asnumpy().tolist())
r = b.assign_value(Tensor(np.array([9.0, 10.0], np.float32)))
print("assign_value", b.asnumpy().tolist(), r is b)
b[0] = 3.0
print("setitem", type(b).__name__, b.name, b.asnumpy().tolist())
b[1:] = Tensor(np.array([4.0], np.float32))
print("setitem slice", b.asnumpy().tolist())
print("float int", float(Parameter(Tensor(np.array([2.5], np.float32)), name="s1")),
      int(Parameter(Tensor(np.array([3], np.int32)), name="s2")))
print("len iter", len(b), [x.asnumpy().tolist() for x in b])

# --- ParameterTuple -------------------------------------------------------------------------------------------
x = Parameter(Tensor(np.ones(2, np.float32)), name="x")
y = Parameter(Tensor(np.zeros(3, np.float32)), name="y")
pt = ParameterTuple([x, y])
print("pt", type(pt).__name__, isinstance(pt, tuple), len(pt), [q.name for q in pt], pt[0] is x)
print("pt from generator", [q.name for q in ParameterTuple(q for q in [x, y])])
print("pt from tuple", type(ParameterTuple((x,))).__name__)
print("pt same object twice", len(ParameterTuple([x, x])))
print("pt empty", len(ParameterTuple([])), type(ParameterTuple([])).__name__)
attempt("pt non-param", lambda: ParameterTuple([x, Tensor(np.ones(1, np.float32))]))
attempt("pt non-param tuple", lambda: ParameterTuple((x, 1)))
attempt("pt duplicate names", lambda: ParameterTuple([x, Parameter(Tensor(np.ones(1, np.float32)), name="x")]))
print("pt add", type(pt + pt).__name__, len(pt + pt))
print("pt add tuple", type(pt + (x,)).__name__)
print("pt slice", type(pt[:1]).__name__, len(pt[:1]))
print("pt index", type(pt[1]).__name__, pt[1].name)
print("pt repr", repr(pt))
ptc = pt.clone(prefix="moments", init="zeros")
print("pt clone", type(ptc).__name__, [q.name for q in ptc], [q.asnumpy().tolist() for q in ptc])
print("pt clone independent", ptc[0] is x, x.asnumpy().tolist(), x.name)
ptc2 = pt.clone("same_copy")
print("pt clone same", [q.name for q in ptc2], [q.asnumpy().tolist() for q in ptc2])
attempt("pt clone bad prefix", lambda: pt.clone(prefix="has space"))
attempt("pt clone int prefix", lambda: pt.clone(prefix=3))
print("pt mul", type(pt * 2).__name__, len(pt * 2))
print("pt contains", x in pt)

# --- name uniqueness inside Cells ----------------------------------------------------------------------------


class TwoSameName(nn.Cell):
    def __init__(self):
        super().__init__()
        self.a = Parameter(Tensor(np.ones(1, np.float32)), name="same")
        self.b = Parameter(Tensor(np.ones(1, np.float32)), name="same")

    def construct(self, x):
        return x * self.a * self.b


attempt("cell same names build", lambda: [q.name for q in TwoSameName().get_parameters()])
same = TwoSameName()
same(Tensor(np.ones(1, np.float32)))
print("cell same names after call", [q.name for q in same.get_parameters()])


class ListDup(nn.Cell):
    def __init__(self):
        super().__init__()
        self.l1 = [Parameter(Tensor(np.ones(1, np.float32)), name="d")]
        self.l2 = [Parameter(Tensor(np.ones(1, np.float32)), name="d")]


attempt("cell list dup names", lambda: ListDup() and "built")


class PTAttr(nn.Cell):
    def __init__(self):
        super().__init__()
        self.pt = ParameterTuple([Parameter(Tensor(np.ones(1, np.float32))),
                                  Parameter(Tensor(np.ones(1, np.float32)))])


pta = PTAttr()
print("pt auto names in cell", [(n, q.name) for n, q in pta.parameters_and_names()])

# --- deepcopy -------------------------------------------------------------------------------------------------
orig = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="orig", requires_grad=False)
dc = copy.deepcopy(orig)
print("deepcopy param", type(dc).__name__, dc is orig, dc.name, dc.requires_grad, dc.asnumpy().tolist())
dc.set_data(Tensor(np.array([0.0, 0.0], np.float32)))
print("deepcopy independent", orig.asnumpy().tolist(), dc.asnumpy().tolist())
sc = copy.copy(orig)
print("shallow copy", type(sc).__name__, sc is orig, sc.name)


class Inner(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([1.0, 2.0], np.float32)))

    def construct(self, x):
        return x * self.w


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = Inner()
        self.b = Parameter(Tensor(np.array([0.5], np.float32)), name="bias")

    def construct(self, x):
        return self.inner(x) + self.b


net = Net()
net2 = copy.deepcopy(net)
print("deepcopy cell", type(net2).__name__, net2 is net, net2.inner is net.inner)
print("deepcopy names", [q.name for q in net2.get_parameters()], [n for n, _ in net2.parameters_and_names()])
print("deepcopy distinct params", net2.inner.w is net.inner.w, type(net2.inner.w).__name__)
net2.inner.w.set_data(Tensor(np.array([10.0, 20.0], np.float32)))
print("deepcopy independence", net.inner.w.asnumpy().tolist(), net2.inner.w.asnumpy().tolist())
print("deepcopy call", net(Tensor(np.ones(2, np.float32))).asnumpy().tolist(),
      net2(Tensor(np.ones(2, np.float32))).asnumpy().tolist())
print("deepcopy training", net2.training, net2.set_train() is net2, net2.inner.training, net.inner.training)
