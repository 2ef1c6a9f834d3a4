"""Probe of the exception types MindSpore raises for common op misuse: broadcast mismatches, matmul shapes and
dtypes, bad reshapes, joins, axes out of range, unsupported dtypes, bad argument kinds and indices.
Each case prints `label: error <Type>` (or the result when MindSpore accepts the call)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, ops

ms.set_context(pynative_synchronize=True)

from _probe import case, fmt  # noqa: E402


a23 = Tensor(np.ones((2, 3), np.float32))
a4 = Tensor(np.ones((4,), np.float32))
a32 = Tensor(np.ones((3, 2), np.float32))
a22 = Tensor(np.ones((2, 2), np.float32))
i23 = Tensor(np.ones((2, 3), np.int32))
f16_23 = Tensor(np.ones((2, 3), np.float16))
f64_32 = Tensor(np.ones((3, 2), np.float64))
v3 = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
b3 = Tensor(np.array([True, False, True]))
i3 = Tensor(np.array([1, 2, 3], np.int32))
np_arr = np.array([1.0, 2.0, 3.0], np.float32)

# --- broadcast mismatch: every binary functional op and operator ---
for name in ("add", "sub", "mul", "div", "floor_divide", "remainder", "pow", "maximum", "minimum", "equal", "ne",
             "gt", "ge", "lt", "le", "logical_and", "logical_or", "atan2"):
    fn = getattr(ops, name)
    if name in ("logical_and", "logical_or"):
        case(f"bcast {name}", lambda: fn(Tensor(np.ones((2, 3), np.bool_)), Tensor(np.ones((4,), np.bool_))))
    else:
        case(f"bcast {name}", lambda: fn(a23, a4))
for name in ("Add", "Sub", "Mul", "Div", "RealDiv", "FloorDiv", "FloorMod", "Pow", "Maximum", "Minimum", "Equal",
             "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual"):
    case(f"bcast class {name}", lambda: getattr(ops, name)()(a23, a4))
OPERATORS = {
    "+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "/": lambda x, y: x / y,
    "//": lambda x, y: x // y, "%": lambda x, y: x % y, "**": lambda x, y: x ** y, "==": lambda x, y: x == y,
    "!=": lambda x, y: x != y, "<": lambda x, y: x < y, "<=": lambda x, y: x <= y, ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}
for sym, op in OPERATORS.items():
    case(f"bcast op{sym}", lambda: op(a23, a4))
    case(f"bcast op{sym} 3d", lambda: op(Tensor(np.ones((2, 3, 4), np.float32)), Tensor(np.ones((3, 1, 5), np.float32))))
case("bcast op&", lambda: Tensor(np.ones((2, 3), np.bool_)) & Tensor(np.ones((4,), np.bool_)))
case("bcast where", lambda: ops.where(Tensor(np.ones((2, 3), np.bool_)), a23, a4))
case("bcast where cond", lambda: ops.where(Tensor(np.ones((4,), np.bool_)), a23, a23))

# --- matmul family ---
case("matmul shape", lambda: ops.matmul(a23, a23))
case("matmul shape 1d", lambda: ops.matmul(a23, a4))
case("matmul batch bcast", lambda: ops.matmul(Tensor(np.ones((2, 2, 3), np.float32)), Tensor(np.ones((3, 3, 2), np.float32))))
case("matmul dtype", lambda: ops.matmul(a23, f64_32))
case("matmul int f32", lambda: ops.matmul(i23, a32))
case("matmul 0d", lambda: ops.matmul(Tensor(2.0), a23))
case("MatMul shape", lambda: ops.MatMul()(a23, a23))
case("MatMul shape tb", lambda: ops.MatMul(transpose_b=True)(a23, a32))
case("MatMul dtype", lambda: ops.MatMul()(a23, f64_32))
case("MatMul f16 f32", lambda: ops.MatMul()(f16_23, a32))
case("MatMul 3d", lambda: ops.MatMul()(Tensor(np.ones((2, 2, 3), np.float32)), a32))
case("MatMul 1d", lambda: ops.MatMul()(v3, a32))
case("op@ shape", lambda: a23 @ a23)
case("op@ dtype", lambda: a23 @ f64_32)
case("op@ numpy", lambda: a23 @ np.ones((3, 2), np.float32))
case("BatchMatMul shape", lambda: ops.BatchMatMul()(Tensor(np.ones((2, 2, 3), np.float32)), Tensor(np.ones((2, 2, 3), np.float32))))
case("BatchMatMul dtype", lambda: ops.BatchMatMul()(Tensor(np.ones((2, 2, 3), np.float32)), Tensor(np.ones((2, 3, 2), np.float64))))
case("BatchMatMul batch", lambda: ops.BatchMatMul()(Tensor(np.ones((2, 2, 3), np.float32)), Tensor(np.ones((3, 3, 2), np.float32))))
# Not printed: BatchMatMul with broadcast batch dimensions ((2,2,3) x (1,3,4) or x (3,2)); MindSpore refuses it
# "on CPU/GPU", msjax broadcasts as MindSpore does on Ascend.
case("BatchMatMul 1d", lambda: ops.BatchMatMul()(v3, a32))
case("bmm shape", lambda: ops.bmm(Tensor(np.ones((2, 2, 3), np.float32)), Tensor(np.ones((2, 2, 3), np.float32))))
case("bmm 2d", lambda: ops.bmm(a23, a32))

# --- reshape / shapes ---
case("reshape bad", lambda: ops.reshape(a23, (4, 2)))
case("reshape two -1", lambda: ops.reshape(a23, (-1, -1)))
case("reshape -1 bad", lambda: ops.reshape(a23, (-1, 4)))
case("reshape neg", lambda: ops.reshape(a23, (-2, 3)))
case("Reshape class bad", lambda: ops.Reshape()(a23, (5,)))
case("method reshape bad", lambda: a23.reshape(4, 2))
case("view bad", lambda: a23.view(7))
case("transpose bad perm len", lambda: ops.transpose(a23, (0,)))
case("transpose repeated", lambda: ops.transpose(a23, (0, 0)))
case("transpose out of range", lambda: ops.transpose(a23, (0, 2)))
case("broadcast_to bad", lambda: ops.broadcast_to(v3, (2, 4)))
case("broadcast_to fewer dims", lambda: ops.broadcast_to(a23, (3,)))
case("tile bad", lambda: ops.tile(a23, (2, -1)))
case("squeeze non-1", lambda: ops.squeeze(a23, 0))
case("Squeeze class non-1", lambda: ops.Squeeze(1)(a23))

# --- joins and splits ---
case("concat mismatch", lambda: ops.concat((a23, a22)))
case("concat rank", lambda: ops.concat((a23, v3)))
# Not printed: concat of Float32 and Int32 (MindSpore's CPU kernel fails with RuntimeError; msjax promotes).
case("concat empty", lambda: ops.concat(()))
case("concat tensor", lambda: ops.concat(a23))
case("Concat class mismatch", lambda: ops.Concat(1)((a23, a32)))
case("stack mismatch", lambda: ops.stack((a23, a32)))
case("stack dtype", lambda: ops.stack((a23, i23)))
case("Stack class mismatch", lambda: ops.Stack()((v3, a4)))
case("split sections sum", lambda: ops.split(v3, [1, 1]))
case("split zero", lambda: ops.split(v3, 0))
case("Split class indivisible", lambda: ops.Split(0, 2)(v3))
case("chunk zero", lambda: ops.chunk(v3, 0))

# --- axis out of range ---
case("sum axis", lambda: ops.sum(a23, 2))
case("sum axis neg", lambda: ops.sum(a23, -3))
case("mean axis", lambda: ops.mean(a23, 5))
case("ReduceSum axis", lambda: ops.ReduceSum()(a23, 2))
case("ReduceMean axis", lambda: ops.ReduceMean()(a23, (0, 3)))
case("ReduceMax axis", lambda: ops.ReduceMax()(a23, -3))
case("ReduceSum dup axes", lambda: ops.ReduceSum()(a23, (0, 0)))
case("amax axis", lambda: ops.amax(a23, 2))
case("max axis", lambda: ops.max(a23, 2))
case("argmax axis", lambda: ops.argmax(a23, 2))
case("Argmax axis", lambda: ops.Argmax(axis=2)(a23))
case("ArgMaxWithValue axis", lambda: ops.ArgMaxWithValue(axis=3)(a23))
case("softmax axis", lambda: ops.softmax(a23, 2))
case("Softmax class axis", lambda: ops.Softmax(axis=-3)(a23))
case("log_softmax axis", lambda: ops.log_softmax(a23, 4))
case("expand_dims axis", lambda: ops.expand_dims(a23, 3))
case("expand_dims neg", lambda: ops.expand_dims(a23, -4))
case("unsqueeze axis", lambda: ops.unsqueeze(a23, 5))
case("squeeze axis", lambda: ops.squeeze(a23, 2))
case("concat axis", lambda: ops.concat((a23, a23), 2))
case("stack axis", lambda: ops.stack((a23, a23), 3))
case("split axis", lambda: ops.split(a23, 1, 2))
case("gather axis", lambda: ops.gather(a23, Tensor(np.array([0], np.int32)), 2))
case("flatten dims", lambda: ops.flatten(a23, start_dim=3))
case("one_hot axis", lambda: ops.one_hot(i3, 3, Tensor(1.0), Tensor(0.0), 2))

# --- unsupported dtypes ---
for name in ("sin", "cos", "exp", "log", "sigmoid", "tanh", "softmax", "log_softmax", "erf", "floor", "rsqrt"):
    fn = getattr(ops, name)
    case(f"{name} int32", lambda: fn(i3))
    case(f"{name} bool", lambda: fn(b3))
case("Sin class int", lambda: ops.Sin()(i3))
case("Softmax class int", lambda: ops.Softmax()(i3))
case("exp int64", lambda: ops.exp(Tensor(np.array([1, 2], np.int64))))
case("neg bool", lambda: -b3)
case("ops.neg bool", lambda: ops.neg(b3))
case("invert float", lambda: ~v3)
case("ops.add bool", lambda: ops.add(b3, b3))
case("ops.sub bool", lambda: ops.sub(b3, b3))
case("op- bool", lambda: b3 - b3)
case("op% bool", lambda: b3 % b3)
case("op** bool", lambda: b3 ** b3)
case("op& float", lambda: v3 & v3)
case("bitwise op float scalar", lambda: i3 & 1.5)
# Not printed: UInt8 Tensor * 0-d Int8 Tensor (MindSpore's CPU Mul kernel refuses the pair; msjax gives UInt8).
case("square bool", lambda: ops.square(b3))
case("sign bool", lambda: ops.sign(b3))
case("ReduceMax bool", lambda: ops.ReduceMax()(b3))
case("amax bool", lambda: ops.amax(b3))
case("argmin bool", lambda: ops.argmin(b3))
case("mean bool", lambda: ops.mean(b3))
case("ReduceMean bool", lambda: ops.ReduceMean()(b3))

# --- one_hot ---
case("one_hot float indices", lambda: ops.one_hot(Tensor(np.array([0.0, 1.0], np.float32)), 3))
case("OneHot class float indices", lambda: ops.OneHot()(Tensor(np.array([0.0, 1.0], np.float32)), 3, Tensor(1.0), Tensor(0.0)))
case("one_hot bool indices", lambda: ops.one_hot(b3, 3))
case("one_hot on off dtypes", lambda: ops.one_hot(i3, 4, Tensor(1.0), Tensor(0, ms.int32)))
case("one_hot negative depth", lambda: ops.one_hot(i3, -1))
case("one_hot float depth", lambda: ops.one_hot(i3, 3.0))

# --- argument kinds ---
case("Tensor + numpy", lambda: v3 + np_arr)
case("Tensor * numpy", lambda: v3 * np_arr)
case("Tensor < numpy", lambda: v3 < np_arr)
case("Tensor + None", lambda: v3 + None)
case("Tensor + str", lambda: v3 + "a")
case("Tensor * list", lambda: v3 * [1.0, 2.0, 3.0])
case("Tensor / list", lambda: v3 / [1.0, 2.0, 3.0])
case("Tensor ** list", lambda: v3 ** [1.0, 2.0, 3.0])
case("Tensor < list", lambda: v3 < [1.0, 2.0, 3.0])
case("Tensor == list", lambda: v3 == [1.0, 2.0, 3.0])
case("Tensor != None", lambda: v3 != None)  # noqa: E711
case("Tensor + list", lambda: v3 + [1.0, 2.0, 3.0])
case("list + Tensor", lambda: [1.0, 2.0, 3.0] + v3)
case("Tensor - tuple", lambda: v3 - (1.0, 2.0, 3.0))
case("Tensor // list", lambda: v3 // [1.0, 2.0, 3.0])
for name in ("sin", "exp", "sqrt", "abs", "relu", "sigmoid", "tanh", "neg", "square", "softmax", "log"):
    fn = getattr(ops, name)
    case(f"{name}(float)", lambda: fn(1.0))
    case(f"{name}(numpy)", lambda: fn(np_arr))
    case(f"{name}(list)", lambda: fn([1.0, 2.0]))
case("add(numpy)", lambda: ops.add(v3, np_arr))
case("add(list)", lambda: ops.add(v3, [1.0, 2.0, 3.0]))
case("add(None)", lambda: ops.add(v3, None))
case("add(floats)", lambda: ops.add(1.0, 2.0))
case("mul(numpy first)", lambda: ops.mul(np_arr, v3))
case("equal(int first)", lambda: ops.equal(1, v3))
case("lt(int first)", lambda: ops.lt(1, v3))
case("logical_and(T, int)", lambda: ops.logical_and(b3, 1))
case("matmul(numpy)", lambda: ops.matmul(a23, np.ones((3, 2), np.float32)))
case("matmul(list)", lambda: ops.matmul([1.0, 2.0], a23))
case("MatMul(numpy)", lambda: ops.MatMul()(a23, np.ones((3, 2), np.float32)))
case("sum(numpy)", lambda: ops.sum(np_arr))
case("sum(list)", lambda: ops.sum([1, 2]))
case("mean(numpy)", lambda: ops.mean(np_arr))
case("ReduceSum(numpy)", lambda: ops.ReduceSum()(np_arr))
case("reshape(numpy)", lambda: ops.reshape(np_arr, (3, 1)))
case("transpose(numpy)", lambda: ops.transpose(np.ones((2, 3)), (1, 0)))
case("concat(numpy)", lambda: ops.concat((v3, np_arr)))
case("cast(numpy)", lambda: ops.cast(np_arr, ms.int32))
case("cast(float)", lambda: ops.cast(1.5, ms.int32))
case("argmax(numpy)", lambda: ops.argmax(np_arr))
case("where(numpy cond)", lambda: ops.where(np.array([True, False, True]), v3, v3))
case("Shape(numpy)", lambda: ops.Shape()(np_arr))
case("softmax(float)", lambda: ops.softmax(1.0))
case("sum dim float", lambda: ops.sum(a23, 1.0))
case("reshape float shape", lambda: ops.reshape(a23, (2.0, 3)))
case("expand_dims float axis", lambda: ops.expand_dims(a23, 1.0))

# --- cast to non-MindSpore dtypes ---
case("cast numpy dtype", lambda: ops.cast(v3, np.float32))
case("cast str", lambda: ops.cast(v3, "float32"))
case("cast python type", lambda: ops.cast(v3, float))
case("Cast class numpy dtype", lambda: ops.Cast()(v3, np.int32))
case("astype bad str", lambda: v3.astype("float128"))
case("astype python float", lambda: v3.astype(float))
case("to numpy dtype", lambda: v3.to(np.float16))
case("ones numpy dtype", lambda: ops.ones((2,), np.float32))
case("full int size", lambda: ops.full(3, 1.0))
case("Tensor dtype numpy", lambda: Tensor([1.0], dtype=np.float32))

# --- indexing ---
m = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
case("index out of range", lambda: m[5])
case("index neg out of range", lambda: m[-3])
case("index second dim", lambda: m[0, 3])
case("too many indices", lambda: m[0, 0, 0])
case("index list out of range", lambda: m[[0, 2]])
case("index tensor out of range", lambda: m[Tensor(np.array([0, 4], np.int32))])
case("index float", lambda: m[1.5])
case("index str", lambda: m["a"])
case("index float tensor", lambda: m[Tensor(np.array([0.0], np.float32))])
case("setitem out of range", lambda: m.__setitem__(3, 1.0))
case("setitem bad shape", lambda: m.__setitem__(0, Tensor(np.ones(4, np.float32))))
case("gather out of range", lambda: ops.gather(v3, Tensor(np.array([5], np.int32)), 0))
case("gather float idx", lambda: ops.gather(v3, Tensor(np.array([0.0], np.float32)), 0))

# --- conversions ---
case("item multi", lambda: m.item())
case("float multi", lambda: float(m))
case("int multi", lambda: int(m))
case("bool multi", lambda: bool(m))
case("len 0d", lambda: len(Tensor(1.0)))
case("iter 0d", lambda: list(Tensor(1.0)))
case("format spec", lambda: f"{Tensor(1.0):.3f}")
