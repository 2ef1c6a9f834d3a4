"""Probe of Tensor methods, properties, conversions and dunders (tier 1). Each case prints `label: <result>` or
`label: error <Type>`."""
import numpy as np
import mindspore as ms
from mindspore import Tensor

ms.set_context(pynative_synchronize=True)


def fmt(v):
    if isinstance(v, Tensor):
        return repr(v)
    if isinstance(v, (tuple, list)):
        return f"{type(v).__name__}(" + ", ".join(fmt(i) for i in v) + ")"
    if isinstance(v, np.ndarray):
        return f"ndarray {v.dtype} {v.shape} {v.tolist()}"
    return f"{type(v).__name__} {v!r}"


def case(label, fn):
    try:
        out = fmt(fn())
    except Exception as e:  # noqa: BLE001
        out = "error " + type(e).__name__
    print(f"{label}: {out}")


x = Tensor(np.array([[1.5, -2.0, 3.0], [4.0, 0.5, -1.0]], np.float32))
xi = Tensor(np.array([[1, -2, 3], [4, 5, -6]], np.int32))
x3 = Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
b = Tensor(np.array([[True, False, True], [True, True, True]]))
s = Tensor(np.float32(2.5))
si = Tensor(7)
col = Tensor(np.ones((3, 1), np.float32))

# properties
for name, t in {"x": x, "xi": xi, "x3": x3, "b": b, "s": s, "si": si}.items():
    case(f"{name} shape", lambda: t.shape)
    case(f"{name} dtype", lambda: t.dtype)
    case(f"{name} ndim", lambda: t.ndim)
    case(f"{name} size", lambda: t.size)
    case(f"{name} numel", lambda: t.numel())
    case(f"{name} dim", lambda: t.dim())
    case(f"{name} itemsize", lambda: t.itemsize)
    case(f"{name} nbytes", lambda: t.nbytes)

# reductions
case("sum", lambda: x.sum())
case("sum axis", lambda: x.sum(axis=1))
case("sum positional", lambda: x.sum(0))
case("sum keepdims", lambda: x.sum(axis=1, keepdims=True))
case("sum tuple", lambda: x3.sum(axis=(0, 2)))
case("sum int", lambda: xi.sum())
case("sum int axis", lambda: xi.sum(1))
case("sum bool", lambda: b.sum())
case("sum dtype", lambda: xi.sum(dtype=ms.float32))
case("sum initial", lambda: x.sum(initial=10.0))
case("sum dim kw", lambda: x.sum(dim=1))
case("sum dim keepdim", lambda: x.sum(dim=0, keepdim=True))
case("mean", lambda: x.mean())
case("mean axis", lambda: x.mean(axis=0))
case("mean positional", lambda: x.mean(1))
case("mean keep", lambda: x.mean(1, keep_dims=True))
case("mean int", lambda: xi.mean())
case("mean int axis", lambda: xi.mean(0))
case("max", lambda: x.max())
case("max axis", lambda: x.max(axis=1))
case("max axis keepdims", lambda: x.max(axis=0, keepdims=True))
case("max positional", lambda: x.max(1))
case("max positional keep", lambda: x.max(1, True))
case("max dim kw", lambda: x.max(dim=1))
case("max int", lambda: xi.max())
case("max tuple axis", lambda: x3.max(axis=(0, 2)))
case("min", lambda: x.min())
case("min axis", lambda: x.min(axis=1))
case("min positional", lambda: x.min(0))
case("argmax", lambda: x.argmax())
case("argmax axis", lambda: x.argmax(1))
case("argmax axis kw", lambda: x.argmax(axis=0))
case("argmax dim kw", lambda: x.argmax(dim=0))
case("argmax keepdims", lambda: x.argmax(1, True))
case("argmin", lambda: x.argmin())
case("argmin axis", lambda: x.argmin(1))
case("prod", lambda: x.prod())
case("prod axis", lambda: xi.prod(1))
case("all", lambda: b.all())
case("all axis", lambda: b.all(1))
case("all keep", lambda: b.all(axis=0, keep_dims=True))
case("any", lambda: b.any())
case("any axis", lambda: b.any(axis=0))
case("all float", lambda: x.all())

# shape methods
case("reshape tuple", lambda: x.reshape((3, 2)))
case("reshape varargs", lambda: x.reshape(3, 2))
case("reshape -1", lambda: x3.reshape(-1, 4).shape)
case("reshape list", lambda: x.reshape([6]))
case("view varargs", lambda: x.view(3, 2))
case("view tuple", lambda: x.view((6,)))
case("view -1", lambda: x3.view(2, -1).shape)
case("transpose noarg", lambda: x.transpose())
case("transpose 3d noarg", lambda: x3.transpose().shape)
case("transpose varargs", lambda: x3.transpose(1, 0, 2).shape)
case("transpose tuple", lambda: x3.transpose((2, 0, 1)).shape)
case("T", lambda: x.T)
case("T 3d", lambda: x3.T.shape)
case("T 1d", lambda: Tensor(np.array([1.0, 2.0], np.float32)).T)
case("permute", lambda: x3.permute(2, 0, 1).shape)
case("flatten", lambda: x.flatten())
case("flatten 3d", lambda: x3.flatten().shape)
case("flatten 0d", lambda: s.flatten())
case("flatten start_dim", lambda: x3.flatten(start_dim=1).shape)
case("squeeze", lambda: col.squeeze())
case("squeeze axis", lambda: col.squeeze(1))
case("squeeze 4d", lambda: Tensor(np.ones((1, 2, 1, 3), np.float32)).squeeze().shape)
case("expand_dims", lambda: x.expand_dims(0).shape)
case("expand_dims neg", lambda: x.expand_dims(-1).shape)
case("unsqueeze", lambda: x.unsqueeze(1).shape)
case("ravel", lambda: x.ravel())
case("swapaxes", lambda: x3.swapaxes(0, 2).shape)
case("tile", lambda: Tensor(np.array([1, 2], np.int32)).tile((2, 2)))
case("broadcast_to", lambda: Tensor(np.array([1, 2], np.int32)).broadcast_to((3, 2)))
case("expand_as", lambda: col.expand_as(Tensor(np.zeros((3, 4), np.float32))).shape)
case("view_as", lambda: x.view_as(Tensor(np.zeros((3, 2), np.float32))).shape)
case("split", lambda: x3.split(2, 2))
case("chunk", lambda: x.chunk(2, 0))

# copies and casts
case("copy", lambda: x.copy())
case("copy independent", lambda: (lambda c: (c.__setitem__(0, 0.0), x)[1])(x.copy()))
case("float", lambda: xi.float())
case("int", lambda: x.int())
case("half", lambda: xi.half())
case("double", lambda: x.double())
case("long", lambda: x.long())
case("bool", lambda: x.bool())
case("to", lambda: x.to(ms.int32))
case("to f64", lambda: xi.to(ms.float64))
case("astype", lambda: x.astype(ms.int32))
case("astype str", lambda: x.astype("float16"))
case("astype np", lambda: xi.astype(np.float64))
case("astype bool", lambda: xi.astype(ms.bool_))
case("astype same", lambda: x.astype(ms.float32))
case("type", lambda: x.type())
case("type int", lambda: xi.type())
case("type cast", lambda: x.type(ms.int64))

# conversions to Python and numpy
case("item", lambda: s.item())
case("item int", lambda: si.item())
case("item bool", lambda: Tensor(True).item())
case("item 1-element", lambda: Tensor(np.array([[3.0]], np.float32)).item())
case("tolist", lambda: x.tolist())
case("tolist int", lambda: xi.tolist())
case("tolist 0d", lambda: s.tolist())
case("tolist bool", lambda: b.tolist())
case("asnumpy", lambda: x.asnumpy())
case("numpy", lambda: xi.numpy())
case("np.asarray", lambda: np.asarray(x))
case("np.array f64", lambda: np.array(x, dtype=np.float64))
case("float()", lambda: float(s))
case("int()", lambda: int(Tensor(3.7)))
case("int() neg", lambda: int(Tensor(-3.7)))
case("bool()", lambda: bool(Tensor(0.0)))
case("bool() true", lambda: bool(si))
case("len", lambda: len(x))
case("len 3d", lambda: len(x3))
case("iter", lambda: list(x))
case("iter 1d", lambda: [t for t in Tensor(np.array([1, 2], np.int32))])
case("iter count", lambda: len(list(x3)))
case("str", lambda: str(x))
case("str 0d", lambda: str(s))
case("format", lambda: f"{s}")
case("in list", lambda: isinstance(x.tolist()[0], list))
case("index", lambda: [10, 20, 30][Tensor(1)])

# elementwise methods
for name in ("abs", "exp", "sqrt", "neg", "square", "sin", "cos", "sigmoid", "floor", "ceil", "log", "relu",
             "reciprocal", "rsqrt", "sign", "isnan", "logical_not", "round"):
    case(f"{name}()", lambda: getattr(Tensor(np.array([0.25, 1.0, 2.0], np.float32)), name)())
case("abs int", lambda: xi.abs())
case("sqrt int", lambda: Tensor(np.array([1, 4, 9], np.int32)).sqrt())
case("exp 2d", lambda: x.exp())
case("pow", lambda: x.pow(2))
case("add", lambda: x.add(1))
case("sub", lambda: x.sub(x))
case("mul", lambda: xi.mul(2))
case("div", lambda: xi.div(2))
case("maximum", lambda: x.maximum(Tensor(np.zeros(3, np.float32))))
case("minimum", lambda: x.minimum(0.0))
case("matmul", lambda: x.matmul(x.T))
case("equal", lambda: xi.equal(xi))
case("softmax", lambda: Tensor(np.array([0.0, 1.0], np.float32)).softmax(0))
case("where", lambda: x.where(x > 0, 0.0))
case("argmin dim", lambda: x.argmin(dim=1, keepdim=True))
case("all dim", lambda: b.all(dim=1))
case("any keepdim", lambda: b.any(dim=0, keepdim=True))
case("mean dim", lambda: x.mean(dim=1))
case("prod dim", lambda: xi.prod(dim=0))
case("min tuple axis", lambda: x3.min(axis=(1, 2)))
case("max return_indices", lambda: x.max(axis=1, return_indices=True))
case("max keepdim kw", lambda: x.max(1, keepdim=True))

# dunders
case("neg", lambda: -x)
case("pos", lambda: +x)
case("abs()", lambda: abs(x))
case("invert", lambda: ~b)
case("eq scalar", lambda: xi == 3)
case("ne tensor", lambda: xi != xi)
case("lt", lambda: x < 1)
case("ge", lambda: x >= 0.5)
case("add list", lambda: x + [1.0, 2.0, 3.0])
case("add list to int", lambda: xi + [1.5, 2.5, -1.5])
case("rsub list", lambda: [1, 2, 3] - xi)
case("floordiv tuple", lambda: xi // (2, 2, 2))
case("rpow list", lambda: [1.0, 2.0, 3.0] ** x)
case("eq None", lambda: x == None)  # noqa: E711
case("ne str", lambda: x != "a")
case("eq list", lambda: x == [1.5, -2.0, 3.0])
case("radd", lambda: 1 + xi)
case("rsub", lambda: 10 - xi)
case("rmul", lambda: 2.5 * xi)
case("rtruediv", lambda: 1 / Tensor(np.array([1.0, 2.0, 4.0], np.float32)))
case("rfloordiv", lambda: 7 // Tensor(np.array([2, 3], np.int32)))
case("rmod", lambda: 7 % Tensor(np.array([2, 3], np.int32)))
case("rpow", lambda: 2 ** Tensor(np.array([1, 3], np.int32)))
case("matmul op", lambda: x @ x.T)
case("and", lambda: b & Tensor(np.array([True, False, False])))
case("or", lambda: b | Tensor(np.array([False, False, True])))
case("xor", lambda: b ^ b)


def inplace_ops():
    t = Tensor(np.array([1.0, 2.0], np.float32))
    alias = t
    t += 1
    t *= 2
    t -= 0.5
    t /= 2
    return t, alias, t is alias


case("inplace", inplace_ops)
case("hash", lambda: hash(x) == hash(x))
case("in set", lambda: len({x, x, xi}))
case("bool multi", lambda: bool(x))
case("float multi", lambda: float(x))
case("item multi", lambda: x.item())
case("len 0d", lambda: len(s))
case("iter 0d", lambda: list(s))
case("format spec", lambda: f"{s:.2f}")
