"""Probe of elementwise math, promotion with scalars / 0-d Tensors, comparisons, the matmul family, casts and
activations: each case prints `label: <result>` (Tensor repr: shape, dtype, values) or `label: error <Type>`."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, ops

ms.set_context(pynative_synchronize=True)

from _probe import case, fmt  # noqa: E402


def approx(label, fn):
    """dtype, shape and values to 4 decimals, for kernels whose MindSpore CPU implementation is approximate
    (its float32 tanh and log_softmax differ from the exact value by up to ~2e-5)."""
    try:
        r = fn()
        out = f"{r.dtype} {r.shape} {np.round(r.asnumpy().astype(np.float64), 4).tolist()}"
    except Exception as e:  # noqa: BLE001
        out = "error " + type(e).__name__
    print(f"{label}: {out}")


def meta(label, fn):
    """dtype and shape only (float16 transcendental values may differ in the last bit between libraries)."""
    try:
        r = fn()
        out = f"{r.dtype} {r.shape}"
    except Exception as e:  # noqa: BLE001
        out = "error " + type(e).__name__
    print(f"{label}: {out}")


f32 = Tensor(np.array([[-1.5, 0.0, 2.0], [0.5, -3.0, 4.25]], np.float32))
pos = Tensor(np.array([0.25, 1.0, 4.0], np.float32))
unit = Tensor(np.array([-0.5, 0.0, 0.75], np.float32))
f64 = Tensor(np.array([0.25, 1.0, 4.0], np.float64))
f16 = Tensor(np.array([0.25, 1.0, 4.0], np.float16))
bf16 = Tensor(np.array([0.25, 1.0, 4.0], np.float32), ms.bfloat16)  # only where MindSpore's CPU kernels have it
i32 = Tensor(np.array([[1, -2, 3], [4, 5, -6]], np.int32))
i64 = Tensor(np.array([3, -1, 2], np.int64))
i8 = Tensor(np.array([3, -1, 2], np.int8))
u8 = Tensor(np.array([1, 2, 250], np.uint8))
b = Tensor(np.array([True, False, True]))
pi32 = Tensor(np.array([1, 4, 9], np.int32))

# --- unary functional ops over dtypes ---
FLOAT_UNARY = ["sin", "cos", "tan", "exp", "log", "log1p", "expm1", "tanh", "sigmoid", "erf", "asin", "acos", "atan",
               "sinh", "cosh", "sqrt", "rsqrt", "reciprocal", "floor", "ceil", "round", "neg", "abs", "square",
               "sign", "relu", "isnan", "isinf", "isfinite", "logical_not"]
# Not printed: dtypes MindSpore's CPU kernels lack but msjax computes (isinf of integers gives False, round of
# UInt8/Int8 keeps them; MindSpore raises RuntimeError for round(bool), msjax TypeError).
CPU_KERNEL_GAPS = {("isinf", "i32"), ("isinf", "i64"), ("isinf", "bool"), ("isinf", "u8"), ("round", "bool"),
                   ("round", "u8")}
for name in FLOAT_UNARY:
    fn = getattr(ops, name)
    src = unit if name in ("asin", "acos") else pos
    show = approx if name == "tanh" else case
    show(f"{name} f32", lambda: fn(src))
    if name in ("sin", "exp", "log", "sigmoid", "sqrt", "reciprocal", "floor", "round", "neg", "abs", "relu",
                "isnan", "logical_not"):  # each distinct dtype compiles in msjax: other dtypes for a subset
        show(f"{name} f64", lambda: fn(Tensor(src.asnumpy().astype(np.float64))))
        meta(f"{name} f16", lambda: fn(Tensor(src.asnumpy().astype(np.float16))))
    for key, t in (("i32", pi32), ("i64", i64), ("bool", b), ("u8", u8)):
        if (name, key) not in CPU_KERNEL_GAPS:
            case(f"{name} {key}", lambda: fn(t))

case("sin 2d", lambda: ops.sin(f32))
case("neg 2d", lambda: ops.neg(f32))
case("abs i32", lambda: ops.abs(i32))
case("round halves", lambda: ops.round(Tensor(np.array([0.5, 1.5, 2.5, -0.5, -1.7], np.float32))))
case("sign zero", lambda: ops.sign(Tensor(np.array([-2.0, 0.0, 3.0], np.float32))))
case("floor neg", lambda: ops.floor(f32))
case("ceil neg", lambda: ops.ceil(f32))
case("relu f32", lambda: ops.relu(f32))
case("relu i32", lambda: ops.relu(i32))
case("relu6 f32", lambda: ops.relu6(Tensor(np.array([-1.0, 3.0, 7.5], np.float32))))
case("sigmoid 2d", lambda: ops.sigmoid(f32))
approx("tanh 2d", lambda: ops.tanh(f32))
case("isnan nan", lambda: ops.isnan(Tensor(np.array([np.nan, 1.0, np.inf], np.float32))))
case("isinf inf", lambda: ops.isinf(Tensor(np.array([np.nan, 1.0, -np.inf], np.float32))))
case("isfinite", lambda: ops.isfinite(Tensor(np.array([np.nan, 1.0, -np.inf], np.float32))))
case("neg bf16", lambda: ops.neg(bf16))

# primitive classes
case("Sin class", lambda: ops.Sin()(pos))
case("Cos class", lambda: ops.Cos()(pos))
case("Exp class", lambda: ops.Exp()(pos))
case("Sqrt class i32", lambda: ops.Sqrt()(pi32))
case("Neg class", lambda: ops.Neg()(i32))
case("ReLU class", lambda: ops.ReLU()(f32))
case("Square class", lambda: ops.Square()(i32))
case("Abs class", lambda: ops.Abs()(f32))

# --- binary ops and promotion ---
OPERANDS = {
    "f32,f32": (lambda: f32, lambda: f32 * 0.5 + 1.0),
    "i32,f32": (lambda: i32, lambda: f32),
    "i32,i32": (lambda: i32, lambda: Tensor(np.array([[2, 3, -4], [1, -2, 5]], np.int32))),
    "i32,i64": (lambda: i32, lambda: Tensor(np.array([2, 3, -4], np.int64))),
    "i64,f16": (lambda: i64, lambda: f16),
    "f16,f32": (lambda: f16, lambda: pos),
    "f32,f64": (lambda: pos, lambda: f64),
    "u8,i8": (lambda: u8, lambda: i8),
    "bool,bool": (lambda: b, lambda: Tensor(np.array([True, True, False]))),
    "bool,i32": (lambda: b, lambda: pi32),
    "bool,f16": (lambda: b, lambda: f16),
    "i32,int": (lambda: i32, lambda: 2),
    "i32,float": (lambda: i32, lambda: 1.5),
    "i32,bool": (lambda: i32, lambda: True),
    "i64,int": (lambda: i64, lambda: 2),
    "f16,float": (lambda: f16, lambda: 1.5),
    "f16,t0f": (lambda: f16, lambda: Tensor(1.5)),
    "i32,t0i": (lambda: i32, lambda: Tensor(2)),
    "f32,t0i": (lambda: f32, lambda: Tensor(2)),
    "bool,int": (lambda: b, lambda: 1),
    "bool,float": (lambda: b, lambda: 1.0),
    "u8,int": (lambda: u8, lambda: 3),
    "i32,np.f64": (lambda: i32, lambda: np.float64(1.5)),
    "f16,np.f32": (lambda: f16, lambda: np.float32(0.5)),
    "int,i32": (lambda: 3, lambda: i32),
    "float,i32": (lambda: 1.5, lambda: i32),
    "t0f,t0i": (lambda: Tensor(1.5), lambda: Tensor(2)),
}
BINARY = ["add", "sub", "mul", "div", "floor_divide", "remainder", "pow", "maximum", "minimum", "equal", "ne", "gt",
          "ge", "lt", "le", "logical_and", "logical_or"]
# Every operand pairing for the ops whose promotion differs (Add: 0-d Tensors strong; Mul/Div: weak; Div: Float32
# from integers); the characteristic pairings for the others (each distinct dtype/shape compiles in msjax).
SHORT = ("f32,f32", "i32,i32", "i32,f32", "i32,float", "i64,f16", "bool,bool", "bool,int", "int,i32", "float,i32",
         "i32,t0i", "f16,t0f")
for name in BINARY:
    fn = getattr(ops, name)
    for key, (a, c) in OPERANDS.items():
        if name not in ("add", "mul", "div") and key not in SHORT:
            continue
        if (name, key) == ("minimum", "bool,bool"):
            continue  # MindSpore's CPU Minimum kernel lacks Bool (Maximum has it); msjax gives logical and
        if key.startswith("f16") or key.endswith("f16"):
            meta(f"{name} {key}", lambda: fn(a(), c()))
        else:
            case(f"{name} {key}", lambda: fn(a(), c()))

for name in ("add", "mul", "div", "floor_divide"):
    meta(f"{name} bf16,f16", lambda: getattr(ops, name)(bf16, f16))
    meta(f"{name} bf16,f32", lambda: getattr(ops, name)(bf16, pos))

OPERATORS = {
    "+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "/": lambda x, y: x / y,
    "//": lambda x, y: x // y, "%": lambda x, y: x % y, "**": lambda x, y: x ** y, "==": lambda x, y: x == y,
    "!=": lambda x, y: x != y, "<": lambda x, y: x < y, "<=": lambda x, y: x <= y, ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}
for sym, op in OPERATORS.items():
    for key in ("i32,f32", "i32,int", "f16,float", "f16,t0f", "i32,t0i", "float,i32"):
        a, c = OPERANDS[key]
        if "f16" in key:
            meta(f"op{sym} {key}", lambda: op(a(), c()))
        else:
            case(f"op{sym} {key}", lambda: op(a(), c()))
    case(f"op{sym} list", lambda: op(pos, [1.0, 2.0, 3.0]))

for sym, op in {"&": lambda x, y: x & y, "|": lambda x, y: x | y, "^": lambda x, y: x ^ y}.items():
    case(f"op{sym} bool", lambda: op(b, Tensor(np.array([True, True, False]))))
    case(f"op{sym} i32", lambda: op(pi32, Tensor(np.array([3, 5, 8], np.int32))))
case("unary -", lambda: -f32)
case("unary - i32", lambda: -i32)
case("unary +", lambda: +f32)
case("abs()", lambda: abs(i32))
case("~bool", lambda: ~b)

case("div int by zero-free", lambda: ops.div(Tensor(np.array([7, -7, 6], np.int32)), Tensor(np.array([2, 2, -4], np.int32))))
case("floordiv negs", lambda: Tensor(np.array([7, -7, 6], np.int32)) // Tensor(np.array([2, 2, -4], np.int32)))
case("mod negs", lambda: Tensor(np.array([7, -7, 6], np.int32)) % Tensor(np.array([2, 2, -4], np.int32)))
case("mod float negs", lambda: Tensor(np.array([7.5, -7.5, 6.0], np.float32)) % 2.0)
case("pow f32 int", lambda: pos ** 2)
case("pow i32 int", lambda: pi32 ** 2)
case("pow i32 half", lambda: pi32 ** 0.5)
case("rpow", lambda: 2 ** pi32)
case("rpow float", lambda: 2.0 ** pi32)
case("div trunc", lambda: ops.div(f32, 2.0, rounding_mode="trunc"))
case("div floor", lambda: ops.div(f32, 2.0, rounding_mode="floor"))
case("div i32 trunc", lambda: ops.div(i32, Tensor(np.array([[2, 2, 2], [3, 3, 4]], np.int32)), rounding_mode="trunc"))
case("add alpha", lambda: ops.add(pos, pos, alpha=2))
case("sub alpha", lambda: ops.sub(pos, pos, alpha=0.5))
case("add broadcast", lambda: ops.add(f32, Tensor(np.array([1.0, 2.0, 3.0], np.float32))))
case("add broadcast col", lambda: ops.add(f32, Tensor(np.array([[10.0], [20.0]], np.float32))))
case("mul broadcast 3d", lambda: ops.mul(Tensor(np.ones((2, 1, 3), np.float32)), Tensor(np.arange(4, dtype=np.float32).reshape(4, 1))))
case("Add class", lambda: ops.Add()(i32, 2))
case("Mul class", lambda: ops.Mul()(f32, pos))
case("Sub class", lambda: ops.Sub()(pos, 1))
case("Div class", lambda: ops.Div()(pi32, pi32))
case("RealDiv class", lambda: ops.RealDiv()(pos, pos))
case("Maximum class", lambda: ops.Maximum()(f32, 0.0))
case("Pow class", lambda: ops.Pow()(pos, 2.0))
case("Equal class", lambda: ops.Equal()(pi32, 4))
case("Greater class", lambda: ops.Greater()(f32, 0))

# --- matmul family ---
A = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
B = Tensor(np.arange(12, dtype=np.float32).reshape(3, 4) - 5)
C = Tensor(np.arange(8, dtype=np.float32).reshape(4, 2))
case("MatMul", lambda: ops.MatMul()(A, B))
case("MatMul ta", lambda: ops.MatMul(transpose_a=True)(Tensor(A.asnumpy().T.copy()), B))
case("MatMul tb", lambda: ops.MatMul(transpose_b=True)(A, Tensor(B.asnumpy().T.copy())))
case("MatMul ta tb", lambda: ops.MatMul(True, True)(Tensor(A.asnumpy().T.copy()), Tensor(B.asnumpy().T.copy())))
case("MatMul f64", lambda: ops.MatMul()(Tensor(A.asnumpy().astype(np.float64)), Tensor(B.asnumpy().astype(np.float64))))
case("MatMul f16", lambda: ops.MatMul()(Tensor(A.asnumpy().astype(np.float16)), Tensor(B.asnumpy().astype(np.float16))))
case("matmul 2d", lambda: ops.matmul(A, B))
case("matmul 1d 1d", lambda: ops.matmul(Tensor(np.array([1.0, 2.0, 3.0], np.float32)), Tensor(np.array([4.0, 5.0, 6.0], np.float32))))
case("matmul 1d 2d", lambda: ops.matmul(Tensor(np.array([1.0, 2.0, 3.0], np.float32)), B))
case("matmul 2d 1d", lambda: ops.matmul(B.T if hasattr(B, "T") else B, Tensor(np.array([1.0, 2.0, 3.0], np.float32))))
case("matmul 3d 2d", lambda: ops.matmul(Tensor(np.arange(12, dtype=np.float32).reshape(2, 2, 3)), B))
case("matmul 2d 3d", lambda: ops.matmul(A, Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4))))
case("matmul bcast", lambda: ops.matmul(Tensor(np.arange(12, dtype=np.float32).reshape(2, 1, 2, 3)), Tensor(np.arange(36, dtype=np.float32).reshape(3, 3, 4))))
case("matmul 3d 1d", lambda: ops.matmul(Tensor(np.arange(12, dtype=np.float32).reshape(2, 2, 3)), Tensor(np.array([1.0, 0.0, -1.0], np.float32))))
case("matmul 1d 3d", lambda: ops.matmul(Tensor(np.array([1.0, -1.0], np.float32)), Tensor(np.arange(12, dtype=np.float32).reshape(2, 2, 3))))
case("matmul f64", lambda: ops.matmul(Tensor(A.asnumpy().astype(np.float64)), Tensor(B.asnumpy().astype(np.float64))))
case("op@", lambda: A @ B)
case("op@ chain", lambda: A @ B @ C)
case("op@ 1d", lambda: Tensor(np.array([1.0, 2.0], np.float32)) @ A)
case("BatchMatMul", lambda: ops.BatchMatMul()(Tensor(np.arange(12, dtype=np.float32).reshape(2, 2, 3)), Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4))))
case("BatchMatMul ta", lambda: ops.BatchMatMul(transpose_a=True)(Tensor(np.arange(12, dtype=np.float32).reshape(2, 3, 2)), Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4))))
case("BatchMatMul tb", lambda: ops.BatchMatMul(transpose_b=True)(Tensor(np.arange(12, dtype=np.float32).reshape(2, 2, 3)), Tensor(np.arange(24, dtype=np.float32).reshape(2, 4, 3))))
case("MatMul int", lambda: ops.MatMul()(Tensor(np.ones((2, 3), np.int32)), Tensor(np.arange(6, dtype=np.int32).reshape(3, 2))))
case("matmul int", lambda: ops.matmul(Tensor(np.ones((2, 3), np.int32)), Tensor(np.arange(6, dtype=np.int32).reshape(3, 2))))
case("BatchMatMul int", lambda: ops.BatchMatMul()(Tensor(np.ones((1, 2, 3), np.int32)), Tensor(np.ones((1, 3, 2), np.int32))))
case("bmm 2d", lambda: ops.bmm(A, B))
case("bmm", lambda: ops.bmm(Tensor(np.arange(12, dtype=np.float32).reshape(2, 2, 3)), Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4))))

# --- cast ---
case("cast f32->i32", lambda: ops.cast(f32, ms.int32))
case("cast f32->bool", lambda: ops.cast(f32, ms.bool_))
case("cast bool->f32", lambda: ops.cast(b, ms.float32))
case("cast i32->f16", lambda: ops.cast(i32, ms.float16))
case("cast i32->u8", lambda: ops.cast(Tensor(np.array([1, 200, 255], np.int32)), ms.uint8))
case("cast f32->f64", lambda: ops.cast(pos, ms.float64))
case("cast f32->bf16", lambda: ops.cast(pos, ms.bfloat16))
case("cast same", lambda: ops.cast(pos, ms.float32))
case("Cast class", lambda: ops.Cast()(f32, ms.int64))
case("Cast class scalar", lambda: ops.Cast()(2.5, ms.int32))
case("astype str", lambda: f32.astype("int32"))
case("astype np", lambda: f32.astype(np.float16))

# --- activations ---
S = Tensor(np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]], np.float32))
case("softmax", lambda: ops.softmax(S))
case("softmax axis0", lambda: ops.softmax(S, axis=0))
case("softmax f64", lambda: ops.softmax(Tensor(S.asnumpy().astype(np.float64))))
case("softmax dtype", lambda: ops.softmax(S, dtype=ms.float64))
case("Softmax class", lambda: ops.Softmax()(S))
case("Softmax class axis0", lambda: ops.Softmax(axis=0)(S))
approx("log_softmax", lambda: ops.log_softmax(S))
approx("log_softmax axis0", lambda: ops.log_softmax(S, axis=0))
approx("LogSoftmax class", lambda: ops.LogSoftmax(axis=0)(S))
case("softmax 1d", lambda: ops.softmax(Tensor(np.array([0.0, 1.0, 2.0], np.float32))))
case("softmax 3d", lambda: ops.softmax(Tensor(np.arange(8, dtype=np.float32).reshape(2, 2, 2) / 4), axis=1))
case("Sigmoid class", lambda: ops.Sigmoid()(S))
approx("Tanh class", lambda: ops.Tanh()(S))
case("invert i32", lambda: ~pi32)
case("invert f32", lambda: ~Tensor(np.array([0.0, 2.0], np.float32)))
case("bool ops", lambda: (b + Tensor(np.array([True, True, False])), b - Tensor(np.array([True, True, False])),
                          b * Tensor(np.array([True, True, False])), b // Tensor(np.array([True, True, False])),
                          b + True, b - True, b * True))
case("remainder bool", lambda: ops.remainder(b, Tensor(np.array([True, True, False]))))
case("pow int negative exponents", lambda: ops.pow(Tensor(np.array([2, 1, -1, -2, -1, 3, 0], np.int32)),
                                                   Tensor(np.array([-1, -2, -3, -2, -2, 0, 2], np.int32))))
case("RealDiv int", lambda: ops.RealDiv()(Tensor(np.array([7, -7], np.int32)), Tensor(np.array([2, 2], np.int32))))
# Mul and Div treat a 0-d Tensor beside a higher-rank Tensor like a Python scalar; Add does not.
T0 = {"t0f32": Tensor(np.float32(2.0)), "t0i64": Tensor(np.int64(2)), "t0f64": Tensor(np.float64(2.0)),
      "t0f16": Tensor(np.float16(2.0)), "t0bool": Tensor(True), "t0i8": Tensor(np.int8(2))}
for name in ("Mul", "Div", "RealDiv", "Add", "Maximum"):
    for vkey, vec in (("f16", f16), ("i32", pi32), ("bool", b)):
        for skey, sca in T0.items():
            meta(f"{name} {vkey}|{skey}", lambda: getattr(ops, name)()(vec, sca))
    meta(f"{name} t0f32|f16", lambda: getattr(ops, name)()(T0["t0f32"], f16))
    meta(f"{name} t0i64|i32", lambda: getattr(ops, name)()(T0["t0i64"], pi32))
for sym, op in (("*", lambda x, y: x * y), ("/", lambda x, y: x / y), ("+", lambda x, y: x + y)):
    meta(f"op{sym} f16|t0f32", lambda: op(f16, T0["t0f32"]))
    meta(f"op{sym} t0i64|i32", lambda: op(T0["t0i64"], pi32))
meta("mul t0|t0", lambda: ops.mul(Tensor(np.float16(1.5)), Tensor(np.int64(2))))
meta("mul 1-elem f64|f32", lambda: ops.mul(Tensor(np.array([[1.0, 2.0]], np.float32)), Tensor(np.array([2.0]))))


# ReLU at 0 and NaN, and its gradient there
relu_x = Tensor(np.array([-1.0, 0.0, 1.0, np.nan], np.float32))


def relu_sum(t):
    return ops.relu(t).sum()


case("relu at 0 and nan", lambda: ops.relu(relu_x))
case("relu grad at 0 and nan", lambda: ms.grad(relu_sum)(relu_x))
