"""Probe of reductions (Reduce* classes, ops.sum/mean/max/min/amax/amin/prod/all/any, argmax/argmin families):
values, keep_dims, axes and result dtypes. Each case prints `label: <result>` or `label: error <Type>`."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, ops

ms.set_context(pynative_synchronize=True)

from _probe import case, fmt  # noqa: E402


x = Tensor(np.array([[1.5, -2.0, 3.0, 0.5], [4.0, 0.25, -1.0, 2.0], [-3.5, 5.0, 1.0, 1.0]], np.float32))
x3 = Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4) % 7 - 3)
xi = Tensor(np.array([[1, -2, 3], [4, 5, -6]], np.int32))
xi64 = Tensor(np.array([[1, -2, 3], [4, 5, -6]], np.int64))
xu8 = Tensor(np.array([[1, 2, 3], [4, 5, 6]], np.uint8))
xb = Tensor(np.array([[True, False, True], [True, True, True]]))
xf64 = Tensor(np.array([[1.5, 2.5], [3.5, -4.0]], np.float64))
xf16 = Tensor(np.array([[1.5, 2.5], [3.5, -4.0]], np.float16))
ties = Tensor(np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]], np.float32))
s0 = Tensor(np.float32(2.5))

INPUTS = {"f32": x, "3d": x3, "i32": xi, "i64": xi64, "u8": xu8, "bool": xb, "f64": xf64, "f16": xf16}

for cls in ("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceAll", "ReduceAny"):
    op = getattr(ops, cls)
    for key, t in INPUTS.items():
        if cls == "ReduceAny" and key != "bool":
            continue  # MindSpore's CPU ReduceAny reads non-Bool data as raw bytes; msjax tests values != 0
        case(f"{cls} {key} all", lambda: op()(t))
        case(f"{cls} {key} axis0", lambda: op()(t, 0))
        if key in ("f32", "3d"):  # axis forms once per op (each distinct dtype/shape compiles in msjax)
            case(f"{cls} {key} axis-1 keep", lambda: op(keep_dims=True)(t, -1))
            case(f"{cls} {key} axes(0,1)", lambda: op()(t, (0, 1)))
            case(f"{cls} {key} empty tuple keep", lambda: op(True)(t, ()))
    case(f"{cls} 3d axes(0,2) keep", lambda: op(keep_dims=True)(x3, (0, 2)))
    case(f"{cls} 3d list axes", lambda: op()(x3, [1, 2]))
    case(f"{cls} 0d", lambda: op()(s0))
    case(f"{cls} repr", lambda: repr(op(keep_dims=True)))
    case(f"{cls} name", lambda: op().name)

# functional reductions
for key, t in INPUTS.items():
    full = key in ("f32", "3d")  # keep_dims forms once (each distinct dtype/shape compiles in msjax)
    case(f"sum {key}", lambda: ops.sum(t))
    case(f"sum {key} dim1", lambda: ops.sum(t, 1))
    case(f"sum {key} dtype f64", lambda: ops.sum(t, dtype=ms.float64))
    case(f"mean {key} axis1", lambda: ops.mean(t, 1))
    case(f"prod {key}", lambda: ops.prod(t))
    case(f"amax {key} axis0", lambda: ops.amax(t, 0))
    if key != "bool":  # MindSpore's CPU Max kernel refuses Bool with RuntimeError, msjax with TypeError
        case(f"max {key}", lambda: ops.max(t))
    case(f"max {key} dim1", lambda: ops.max(t, 1))
    case(f"min {key} dim1", lambda: ops.min(t, 1))
    case(f"argmax {key}", lambda: ops.argmax(t))
    case(f"argmax {key} dim1", lambda: ops.argmax(t, 1))
    case(f"argmin {key} axis1", lambda: ops.argmin(t, 1))
    case(f"all {key}", lambda: ops.all(t))
    if full:
        case(f"sum {key} dim0 keep", lambda: ops.sum(t, 0, True))
        case(f"mean {key}", lambda: ops.mean(t))
        case(f"mean {key} axis0 keep", lambda: ops.mean(t, 0, True))
        case(f"prod {key} axis1", lambda: ops.prod(t, 1))
        case(f"amax {key}", lambda: ops.amax(t))
        case(f"amin {key} axis-1 keep", lambda: ops.amin(t, -1, True))
        case(f"max {key} dim0 keep", lambda: ops.max(t, 0, True))
        case(f"min {key}", lambda: ops.min(t))
        case(f"argmax {key} dim0 keep", lambda: ops.argmax(t, 0, True))
        case(f"argmin {key}", lambda: ops.argmin(t))
    if key == "bool":
        case(f"any {key} axis1", lambda: ops.any(t, 1))
        case(f"mean {key}", lambda: ops.mean(t))

case("sum tuple dims", lambda: ops.sum(x3, (0, 2)))
case("sum dim kw", lambda: ops.sum(x, dim=1, keepdim=True))
case("sum dtype i32", lambda: ops.sum(xi, dtype=ms.int32))
case("sum 0d", lambda: ops.sum(s0))
case("mean tuple", lambda: ops.mean(x3, (1, 2)))
case("mean kw", lambda: ops.mean(x, axis=0, keep_dims=True))
case("mean 0d", lambda: ops.mean(s0))
case("amax tuple", lambda: ops.amax(x3, (0, 2)))
case("amax keepdims", lambda: ops.amax(x, 1, keepdims=True))
case("amin tuple", lambda: ops.amin(x3, (1, 2), True))
case("max 3d dim", lambda: ops.max(x3, 2))
case("max kw", lambda: ops.max(x, dim=1, keepdim=True))
case("max ties", lambda: ops.max(ties, 1))
case("min ties", lambda: ops.min(ties, 0))
case("argmax ties", lambda: ops.argmax(ties, 1))
case("argmax ties flat", lambda: ops.argmax(ties))
case("argmin ties", lambda: ops.argmin(ties, 0))
case("argmax 3d", lambda: ops.argmax(x3, -1))
case("argmax 0d", lambda: ops.argmax(s0))
case("argmax kw", lambda: ops.argmax(x, dim=1, keepdim=True))
case("prod keep", lambda: ops.prod(x, 1, True))
case("all keep", lambda: ops.all(xb, 0, True))
case("any none", lambda: ops.any(xb))
case("all f32", lambda: ops.all(x, 1))
case("max initial", lambda: ops.max(x, 1, initial=2.0))
case("max where", lambda: ops.max(x, 1, initial=-10.0, where=Tensor(np.array([[True, False, True, False]] * 3))))
case("max initial no axis", lambda: ops.max(x, initial=100.0))
case("amax initial", lambda: ops.amax(x, 1, initial=2.0))
case("min initial", lambda: ops.min(x, 0, initial=0.0))
case("prod tuple axis i32", lambda: ops.prod(xi, (0, 1)))
case("prod dtype", lambda: ops.prod(xi, 1, dtype=ms.float32))

# Argmax / ArgMaxWithValue classes
case("Argmax", lambda: ops.Argmax()(x))
case("Argmax axis0", lambda: ops.Argmax(axis=0)(x))
case("Argmax i64 out", lambda: ops.Argmax(axis=1, output_type=ms.int64)(x))
case("Argmax ties", lambda: ops.Argmax()(ties))
case("Argmax i32 input", lambda: ops.Argmax()(xi))
case("Argmax 3d", lambda: ops.Argmax(axis=1)(x3))
case("Argmin", lambda: ops.Argmin()(x))
case("Argmin axis0", lambda: ops.Argmin(axis=0)(x))
case("ArgMaxWithValue", lambda: ops.ArgMaxWithValue()(x))
case("ArgMaxWithValue axis1", lambda: ops.ArgMaxWithValue(axis=1)(x))
case("ArgMaxWithValue keep", lambda: ops.ArgMaxWithValue(axis=1, keep_dims=True)(x))
case("ArgMaxWithValue i32", lambda: ops.ArgMaxWithValue(axis=1)(xi))
case("ArgMaxWithValue ties", lambda: ops.ArgMaxWithValue(axis=1)(ties))
case("ArgMaxWithValue 3d", lambda: ops.ArgMaxWithValue(axis=-1)(x3))
case("ArgMinWithValue", lambda: ops.ArgMinWithValue(axis=1)(x))
case("ArgMinWithValue keep", lambda: ops.ArgMinWithValue(axis=0, keep_dims=True)(x))
case("ArgMaxWithValue repr", lambda: repr(ops.ArgMaxWithValue(axis=1)))

# special values
nanx = Tensor(np.array([[1.0, np.nan, 3.0], [2.0, 0.5, -np.inf]], np.float32))
# Not printed: MindSpore's CPU ReduceMax skips NaN, and its mean over an empty axis is garbage; msjax gives NaN.
case("ReduceSum nan", lambda: ops.ReduceSum()(nanx, 1))
case("sum inf", lambda: ops.sum(nanx, 0))
case("ReduceSum empty", lambda: ops.ReduceSum()(Tensor(np.zeros((0, 3), np.float32)), 0))
case("mean i32 rounding", lambda: ops.mean(Tensor(np.array([1, 2, 2, 2], np.int32))))
case("mean i32 neg rounding", lambda: ops.mean(Tensor(np.array([-1, -2, -2, -2], np.int32))))
case("ReduceMean i32 trunc", lambda: ops.ReduceMean()(Tensor(np.array([[1, 2], [3, 5]], np.int32)), 1))
