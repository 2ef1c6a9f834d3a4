"""ops.Custom with func_type="pyfunc": what the function and the out_shape / out_dtype functions receive, output
shapes and dtypes (single, tuple, infer functions or values), Python-scalar inputs, the bprop (arguments, scaled
dout, tuple dout, placeholders, integer inputs, Parameters) under GradOperation / grad / value_and_grad and in GRAPH
mode, and the errors. Each case prints `label: <result>` or `label: error <Type>`."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter

ms.set_context(pynative_synchronize=True)

from _probe import case, fmt  # noqa: E402

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([4.0, 5.0, 6.0], np.float32))
ga = ops.GradOperation(get_all=True)


def add(a, b):
    print("add got:", type(a).__name__, a.dtype, a.shape, type(b).__name__)
    return a + b


def plain_add(a, b):
    return a + b


def infer_shape(a, b):
    print("infer_shape got:", a, b)
    return a


def infer_dtype(a, b):
    print("infer_dtype got:", a, b)
    return a


def same(*args):
    return args[0]


traced = ops.Custom(add, out_shape=infer_shape, out_dtype=infer_dtype, func_type="pyfunc")
case("infer functions", lambda: traced(x, y))
case("python float input", lambda: traced(x, 2.0))
case("python int input", lambda: traced(x, 2))
case("fixed shape and dtype", lambda: ops.Custom(plain_add, out_shape=(3,), out_dtype=ms.float32,
                                                  func_type="pyfunc")(x, y))
case("list spec gives a tuple", lambda: ops.Custom(plain_add, out_shape=[[3]], out_dtype=[ms.float32],
                                                    func_type="pyfunc")(x, y))


def reshaped(a, b):
    return (a + b).reshape(3, 1)


case("result reshaped to out_shape", lambda: ops.Custom(reshaped, out_shape=(3,), out_dtype=ms.float32,
                                                         func_type="pyfunc")(x, y))


def total(a):
    return float(a.sum())


case("python float result, shape ()", lambda: ops.Custom(total, out_shape=(), out_dtype=ms.float32,
                                                          func_type="pyfunc")(x))


def double_and_increment(a):
    return a * 2, a + 1


def as_list(a):
    return [a * 2]


case("two outputs", lambda: ops.Custom(double_and_increment, out_shape=((3,), (3,)),
                                       out_dtype=(ms.float32, ms.float32), func_type="pyfunc")(x))
case("two outputs by functions", lambda: ops.Custom(double_and_increment, out_shape=lambda a: (a, a),
                                                    out_dtype=lambda a: (a, a), func_type="pyfunc")(x))
case("list result", lambda: ops.Custom(as_list, out_shape=same, out_dtype=same, func_type="pyfunc")(x))


def modify_input(a):
    a[0] = 100
    return a


case("function modifies its input", lambda: (ops.Custom(modify_input, out_shape=same, out_dtype=same,
                                                        func_type="pyfunc")(x), x))
op = ops.Custom(plain_add, out_shape=same, out_dtype=same, func_type="pyfunc")
case("attributes", lambda: (op.func_type, op.bprop, op.name, op.func is plain_add, op.reg_info))


# --- errors ------------------------------------------------------------------------------------------------------

def to_float64(a, b):
    return (a + b).astype(np.float64)


def raises(a, b):
    raise ValueError("boom")


case("numpy input", lambda: op(x, np.ones(3, np.float32)))
case("keyword input", lambda: op(x, b=y))
case("one result for two outputs", lambda: ops.Custom(plain_add, out_shape=((3,), (3,)),
                                                      out_dtype=(ms.float32, ms.float32), func_type="pyfunc")(x, y))
case("float64 result for float32", lambda: ops.Custom(to_float64, out_shape=(3,), out_dtype=ms.float32,
                                                      func_type="pyfunc")(x, y))
case("no out_shape", lambda: ops.Custom(total, out_dtype=ms.float32, func_type="pyfunc")(x))
case("out_shape an int", lambda: ops.Custom(plain_add, out_shape=3, out_dtype=ms.float32, func_type="pyfunc")(x, y))
case("out_dtype a string", lambda: ops.Custom(plain_add, out_shape=(3,), out_dtype="float32",
                                              func_type="pyfunc")(x, y))
case("function raises", lambda: ops.Custom(raises, out_shape=(3,), out_dtype=ms.float32, func_type="pyfunc")(x, y))
case("unknown func_type", lambda: ops.Custom(plain_add, out_shape=(3,), out_dtype=ms.float32, func_type="julia"))


def without_bprop(a, b):
    return op(a, b) * 2


def output_unused(a):
    op(a, y)
    return a * 2


case("grad without bprop", lambda: ga(without_bprop)(x, y))
case("ms.grad without bprop", lambda: ms.grad(without_bprop)(x, y))
case("output unused without bprop", lambda: ga(output_unused)(x))


# --- bprop -------------------------------------------------------------------------------------------------------

def bprop(a, b, out, dout):
    print("bprop got:", fmt(a), fmt(b), fmt(out), fmt(dout))
    return dout * 2, dout * b


with_bprop = ops.Custom(plain_add, out_shape=same, out_dtype=same, func_type="pyfunc", bprop=bprop)


def scaled(a, b):
    return with_bprop(a * 3, b) * 2


case("bprop GradOperation", lambda: ga(scaled)(x, y))
case("bprop ms.grad", lambda: ms.grad(scaled, grad_position=(0, 1))(x, y))
case("bprop value_and_grad", lambda: ms.value_and_grad(scaled, grad_position=(0, 1))(x, y))


def square(a):
    return a * a


def bare_bprop(a, out, dout):
    return dout * 2 * a


def none_bprop(a, b, out, dout):
    return None, dout


def scalar_bprop(a, k, out, dout):
    print("scalar k:", fmt(k))
    return dout * 5, 0


def pair_bprop(a, out, dout):
    print("pair dout:", fmt(dout))
    return (dout[0] * 2 + dout[1],)


def int_bprop(a, out, dout):
    print("int dout:", fmt(dout))
    return (dout,)


def numpy_bprop(a, b, out, dout):
    return dout.asnumpy() * 2, dout * 3


def one_of_two(a, b, out, dout):
    return dout * 2


bare_op = ops.Custom(square, out_shape=same, out_dtype=same, func_type="pyfunc", bprop=bare_bprop)
none_op = ops.Custom(plain_add, out_shape=same, out_dtype=same, func_type="pyfunc", bprop=none_bprop)
scalar_op = ops.Custom(plain_add, out_shape=same, out_dtype=same, func_type="pyfunc", bprop=scalar_bprop)
pair_op = ops.Custom(double_and_increment, out_shape=lambda a: (a, a), out_dtype=lambda a: (a, a),
                     func_type="pyfunc", bprop=pair_bprop)
int_op = ops.Custom(square, out_shape=same, out_dtype=same, func_type="pyfunc", bprop=int_bprop)
numpy_op = ops.Custom(plain_add, out_shape=same, out_dtype=same, func_type="pyfunc", bprop=numpy_bprop)
short_op = ops.Custom(plain_add, out_shape=same, out_dtype=same, func_type="pyfunc", bprop=one_of_two)


def call_bare(a):
    return bare_op(a)


def call_none(a, b):
    return none_op(a, b)


def call_numpy(a, b):
    return numpy_op(a, b)


def call_short(a, b):
    return short_op(a, b)


def first_of_pair(a):
    p, q = pair_op(a)
    return p * 3


def int_net(a):
    return int_op(a).astype(ms.float32) * 2.5


def with_scalar(a):
    return scalar_op(a, 2.0)


def used_twice(a):
    return with_bprop(a, a) * with_bprop(a, y)


case("bprop returns a bare Tensor", lambda: ga(call_bare)(x))
case("bprop returns None", lambda: ga(call_none)(x, y))
case("bprop scalar input placeholder", lambda: ga(with_scalar)(x))
case("bprop tuple dout", lambda: ga(first_of_pair)(x))
case("bprop integer input", lambda: ga(int_net)(Tensor(np.array([1, 2], np.int32))))
case("bprop op used twice", lambda: ms.grad(used_twice)(x))
case("bprop returns numpy", lambda: ga(call_numpy)(x, y))
case("bprop returns too few", lambda: ga(call_short)(x, y))


def param_bprop(a, b, out, dout):
    return dout * 3, dout * 4


class WithParameter(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0, 2.0, 2.0], np.float32)), name="w")
        self.op = ops.Custom(plain_add, out_shape=same, out_dtype=same, func_type="pyfunc", bprop=param_bprop)

    def construct(self, a):
        return self.op(a, self.w) * 2


net = WithParameter()
case("Parameter input gets the bprop's gradient", lambda: ms.grad(net, grad_position=0,
                                                                  weights=net.trainable_params())(x))

ms.set_context(mode=ms.GRAPH_MODE)


def graph_bprop(a, b, out, dout):
    return dout * 2, dout * 3


graph_op = ops.Custom(plain_add, out_shape=same, out_dtype=same, func_type="pyfunc", bprop=graph_bprop)


class GraphNet(nn.Cell):
    def construct(self, a, b):
        return graph_op(a, b) * 2


class GraphNoBprop(nn.Cell):
    def construct(self, a, b):
        return op(a, b) * 2


case("graph forward", lambda: GraphNet()(x, y))
case("graph bprop", lambda: ga(GraphNet())(x, y))
case("graph without bprop", lambda: ga(GraphNoBprop())(x, y))
