"""Errors of ops.GradOperation: their exception types in PyNative mode, then in GRAPH mode where they differ."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter

ms.set_context(pynative_synchronize=True)

x = Tensor(np.ones((2, 3), np.float32))
y = Tensor(np.full((2, 3), 2.0, np.float32))


def f(a):
    return a * 3.0


def g(a, b):
    return a * b, a + b


def nested(a, b):
    return a * b, (a, b)


def total(a):
    return (a * 2.0).sum()


def attempt(label, thunk):
    try:
        result = thunk()
        print(label, "ok", result)
    except Exception as e:  # noqa: BLE001
        print(label, type(e).__name__)


gs = ops.GradOperation(sens_param=True)
attempt("sens missing", lambda: gs(f)(x))
attempt("sens wrong shape", lambda: gs(f)(x, Tensor(np.ones((3, 2), np.float32))))
attempt("sens broadcastable shape", lambda: gs(f)(x, Tensor(np.ones((1, 3), np.float32))))
attempt("sens wrong dtype", lambda: gs(f)(x, Tensor(np.ones((2, 3), np.float16))))
attempt("sens python float", lambda: gs(f)(x, 2.0))
attempt("sens tensor for tuple", lambda: gs(g)(x, y, Tensor(np.ones((2, 3), np.float32))))
attempt("sens short tuple", lambda: gs(g)(x, y, (Tensor(np.ones((2, 3), np.float32)),)))
attempt("sens tuple for tensor", lambda: gs(f)(x, (Tensor(np.full((2, 3), 2.0, np.float32)),)))
attempt("sens long tuple", lambda: gs(g)(x, y, (y, y, y)))
attempt("sens int for float", lambda: gs(f)(x, Tensor(np.ones((2, 3), np.int32))))
attempt("sens for int output", lambda: gs(lambda a: a.astype(ms.int32))(x, Tensor(np.ones((2, 3), np.float32))))
attempt("sens None", lambda: gs(f)(x, None))
attempt("sens numpy", lambda: gs(f)(x, np.ones((2, 3), np.float32)))
attempt("sens nested flat", lambda: gs(nested)(x, y, (x, y, y)))
attempt("sens list for tuple", lambda: gs(g)(x, y, [x, y]))
attempt("sens scalar output float", lambda: gs(total)(x, 2.0))
attempt("grad of int", lambda: ops.GradOperation()(3)(x))
attempt("grad of None", lambda: ops.GradOperation()(None)(x))
attempt("get_all int", lambda: ops.GradOperation(get_all=1))
attempt("get_by_list str", lambda: ops.GradOperation(get_by_list="yes"))
attempt("sens_param None", lambda: ops.GradOperation(sens_param=None))
attempt("weights int", lambda: ops.GradOperation(get_by_list=True)(f, 3)(x))


def raises(a):
    raise ValueError("user error inside the differentiated function")


attempt("user error", lambda: ops.GradOperation()(raises)(x))
attempt("works after", lambda: ops.GradOperation()(f)(Tensor(np.ones((2,), np.float32))))

ms.set_context(mode=ms.GRAPH_MODE)
attempt("graph sens tensor for tuple", lambda: gs(g)(x, y, Tensor(np.ones((2, 3), np.float32))))
attempt("graph sens short tuple", lambda: gs(g)(x, y, (x,)))
attempt("graph sens long tuple", lambda: gs(g)(x, y, (x, y, y)))
attempt("graph sens list for tuple", lambda: gs(g)(x, y, [x, y]))
attempt("graph sens python float", lambda: gs(f)(x, 2.0))
attempt("graph sens None", lambda: gs(f)(x, None))
attempt("graph sens wrong dtype", lambda: gs(f)(x, Tensor(np.ones((2, 3), np.float16))))
attempt("graph grad of int", lambda: ops.GradOperation()(3)(x))
