"""ops.GradOperation in PyNative mode: return structures, argument kinds, outputs, Parameters, sens, higher order."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple

ms.set_context(pynative_synchronize=True)


class Net(nn.Cell):
    """The reference net: x*y*w + b."""
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0], np.float32)), name="w")
        self.b = Parameter(Tensor(np.array([3.0], np.float32)), name="b")

    def construct(self, x, y):
        return x * y * self.w + self.b


net = Net()
params = ParameterTuple(net.trainable_params())
x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
sens = Tensor(np.array([1.0, 10.0], np.float32))


def fn(x, y):
    return x * y * net.w + net.b


# --- the 8 flag combinations, on a Cell and on a plain function ---
for target_name, target in (("cell", net), ("function", fn)):
    for get_all in (False, True):
        for get_by_list in (False, True):
            for sens_param in (False, True):
                op = ops.GradOperation(get_all=get_all, get_by_list=get_by_list, sens_param=sens_param)
                g = op(target, params) if get_by_list else op(target)
                args = (x, y, sens) if sens_param else (x, y)
                print(target_name, int(get_all), int(get_by_list), int(sens_param), g(*args))

# params ignored without get_by_list; weights as list / single Parameter / empty tuple / default
print("ignored weights", ops.GradOperation()(net, params)(x, y))
print("list", ops.GradOperation(get_by_list=True)(net, [net.b, net.w])(x, y))
print("single", ops.GradOperation(get_by_list=True)(net, net.w)(x, y))
print("single+all", ops.GradOperation(get_all=True, get_by_list=True)(net, net.b)(x, y))
print("empty", ops.GradOperation(get_by_list=True)(net, ParameterTuple([]))(x, y))
print("default weights", ops.GradOperation(get_by_list=True)(net)(x, y))
print("single input get_all", ops.GradOperation(get_all=True)(lambda a: a * a)(x))
print("single input", ops.GradOperation()(lambda a: a * a)(x))

# --- outputs: tuples, lists, dicts, nesting, non-Tensor leaves ---
ga = ops.GradOperation(get_all=True)
print("tuple out", ga(lambda a, b: (a * b, a + b))(x, y))
print("list out", ga(lambda a, b: [a * b, [a - b, b]])(x, y))
print("dict out", ga(lambda a, b: {"p": a * b, "q": a * a})(x, y))
print("int in out", ga(lambda a, b: (a * b, 3))(x, y))
print("float out", ga(lambda a, b: 2.5)(x, y))
print("argmax out", ga(lambda a, b: ops.argmax(a * b))(x, y))
print("argmax in tuple", ga(lambda a, b: (ops.argmax(a), a * b))(x, y))

# --- argument kinds: non-Tensors are skipped and the positions collapse ---
print("python numbers", ga(lambda a, n, b, f: a * n + b * f)(x, 3, y, 0.5))
print("none and numpy", ga(lambda a, n, b, arr: a * b if n is None else a)(x, None, y, np.ones(2, np.float32)))
z = Tensor(np.array([5.0, 6.0], np.float32))
print("tuple of tensors", ga(lambda t, b: t[0] * t[1] * b)((x, y), z))
print("first arg number", ops.GradOperation()(lambda n, a: a * n)(3.0, x))
print("first arg number all", ga(lambda n, a: a * n)(3.0, x))
print("nothing left", ga(lambda n, m: n * m)(2.0, 3.0))
print("kwargs", ga(lambda a, b=None: a * b * b)(x, b=y))
print("kwargs only", ga(lambda a=None, b=None: a * b)(a=x, b=y))
print("unused input", ga(lambda a, b: a * 2)(x, y))
print("independent", ga(lambda a, b: ops.ones((2,), ms.float32))(x, y))
x16 = Tensor(np.array([1.0, 2.0], np.float16))
x64 = Tensor(np.array([1.0, 2.0], np.float64))
print("fp16 fp64", ga(lambda a, b: (a * a, b * b * b))(x16, x64))
print("parameter positional", ga(lambda a, b: a * b)(net.w, x))


# --- Parameters: unused, requires_grad=False, global Cell, closure ---
class Frozen(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0, 3.0], np.float32)), name="fw")
        self.frozen = Parameter(Tensor(np.array([5.0, 7.0], np.float32)), name="frozen", requires_grad=False)
        self.unused = Parameter(Tensor(np.array([1.0], np.float32)), name="unused")

    def construct(self, a):
        return a * self.w * self.frozen


frozen = Frozen()
print("trainable", ops.GradOperation(get_by_list=True)(frozen, ParameterTuple(frozen.trainable_params()))(x))
print("all params", ops.GradOperation(get_by_list=True)(frozen, ParameterTuple(frozen.get_parameters()))(x))
print("default excludes frozen", ops.GradOperation(get_by_list=True)(frozen)(x))
g1 = Parameter(Tensor(np.array([2.0], np.float32)), name="g1")
g2 = Parameter(Tensor(np.array([5.0], np.float32)), name="g2", requires_grad=False)


class UsesGlobals(nn.Cell):
    def __init__(self):
        super().__init__()
        self.a = Parameter(Tensor(np.array([3.0], np.float32)), name="a")
        self.b = Parameter(Tensor(np.array([7.0], np.float32)), name="b")
        self.c = Parameter(Tensor(np.array([11.0], np.float32)), name="c")

    def construct(self, v):
        return v * self.b * g1 * g2 + v * self.a


uses_globals = UsesGlobals()
# PyNative's default weights: the trainable Parameters the call reads, in the order it first reads them
print("default order", ops.GradOperation(get_by_list=True)(uses_globals)(x))
print("default through function", ops.GradOperation(get_by_list=True)(lambda v: uses_globals(v) * 2)(x))
print("default none read", ops.GradOperation(get_all=True, get_by_list=True)(lambda v: v * v)(x))
print("plain tensor weight", ops.GradOperation(get_by_list=True)(frozen, [Tensor(np.array([1.0], np.float32))])(x))

class Linear(nn.Cell):
    def __init__(self):
        super().__init__()
        self.weight = Parameter(Tensor(np.ones((1, 2), np.float32)), name="weight")
        self.bias = Parameter(Tensor(np.zeros((1,), np.float32)), name="bias")

    def construct(self, a):
        return ops.matmul(a, self.weight.T) + self.bias


model = Linear()


def loss_fn(logits, label):
    return ((logits - label) ** 2).mean()


def forward_fn(data, label):
    logits = model(data)
    return loss_fn(logits, label), logits


data = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
label = Tensor(np.array([[1.0], [2.0]], np.float32))
print("global cell", ops.GradOperation(get_by_list=True)(forward_fn, model.trainable_params())(data, label))


def make_closure():
    scale = Parameter(Tensor(np.array([4.0], np.float32)), name="scale")

    def inner(a):
        return (a * scale).sum()
    return inner, scale


inner, scale = make_closure()
print("closure", ops.GradOperation(get_all=True, get_by_list=True)(inner, ParameterTuple([scale]))(x))


# --- sens for single and tuple outputs ---
gs = ops.GradOperation(get_all=True, sens_param=True)
print("sens single", gs(lambda a, b: a * b)(x, y, sens))
print("sens tuple", gs(lambda a, b: (a * b, a + b))(x, y, (sens, Tensor(np.array([2.0, 3.0], np.float32)))))
print("sens list", gs(lambda a, b: [a * b, a + b])(x, y, [sens, sens]))


# --- higher order ---
def sin(a):
    return ops.sin(a)


d1 = ops.GradOperation()(sin)
d2 = ops.GradOperation()(d1)
d3 = ops.GradOperation()(d2)
print("d1", d1(x))
print("d2", d2(x))
print("d3", d3(x))


class SinNet(nn.Cell):
    def construct(self, a):
        return ops.sin(a)


class GradNet(nn.Cell):
    def __init__(self, network):
        super().__init__()
        self.network = network
        self.grad_op = ops.GradOperation()

    def construct(self, a):
        return self.grad_op(self.network)(a)


print("GN1", GradNet(SinNet())(x))
print("GN3", GradNet(GradNet(GradNet(SinNet())))(x))


class GradAllInConstruct(nn.Cell):
    def __init__(self, network):
        super().__init__()
        self.network = network
        self.params = ParameterTuple(network.trainable_params())
        self.grad_op = ops.GradOperation(get_all=True, get_by_list=True)

    def construct(self, a, b):
        return self.grad_op(self.network, self.params)(a, b)


print("in construct", GradAllInConstruct(net)(x, y))
second = ops.GradOperation(get_all=True)(lambda a, b: ops.GradOperation(get_all=True)(lambda c, d: c * c * d)(a, b))
print("second order two inputs", second(x, y))


# --- a Parameter written inside the differentiated call ---
class Counter(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0, 2.0], np.float32)), name="cw")
        self.steps = Parameter(Tensor(np.array([0.0], np.float32)), name="steps", requires_grad=False)

    def construct(self, a):
        out = a * self.w
        ops.assign(self.steps, self.steps + 1)
        return out


counter = Counter()
print("assign grads", ops.GradOperation(get_all=True, get_by_list=True)(counter, ParameterTuple([counter.w]))(x))
print("after one call", counter.steps.value())
ops.GradOperation()(counter)(x)
print("after two calls", counter.steps.value())


# --- Python control flow on tensor values (PyNative) ---
def branchy(a, b):
    if (a * b).sum() > 10:
        return a * a * b
    return a + b


print("if true", ga(branchy)(x, y))
print("if false", ga(branchy)(x, y * 0.1))


# --- GRAPH mode, where it differs from PyNative ---
ms.set_context(mode=ms.GRAPH_MODE)


def twice(a, b):
    return a * b


def uses_g1(a, b):
    return a * b * g1


print("graph all params", ops.GradOperation(get_by_list=True)(frozen, ParameterTuple(frozen.get_parameters()))(x))
print("graph default weights", ops.GradOperation(get_by_list=True)(frozen)(x))
print("graph default weights all", ops.GradOperation(get_all=True, get_by_list=True)(frozen)(x))
print("graph default weights function", ops.GradOperation(get_by_list=True)(uses_g1)(x, y))
print("graph same tensor twice", ops.GradOperation(get_all=True)(twice)(x, x))
