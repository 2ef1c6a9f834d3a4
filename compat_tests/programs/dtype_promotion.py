"""Probe of MindSpore's result dtypes: Tensor (x) Tensor, Tensor (x) Python/numpy scalar, Tensor (x) 0-d Tensor,
division, reductions, float-valued unary ops, and the dtype `Tensor(...)` gives each kind of input.

Only the combinations MindSpore 2.10 supports are printed. It refuses implicit conversion between
UInt16/UInt32/UInt64 and any other dtype ("Type implicit conversion ... is not supported"), and its CPU kernels
lack some dtype combinations ("Select CPU operator ... fail"); msjax promotes those on JAX's lattice instead of
refusing, so they are left out here rather than recorded as errors.
"""
import numpy as np
import mindspore as ms
from mindspore import Tensor, Parameter, ops

ms.set_context(pynative_synchronize=True)

DTYPES = [ms.bool_, ms.int8, ms.int16, ms.int32, ms.int64, ms.uint8, ms.uint16, ms.uint32, ms.uint64, ms.float16,
          ms.float32, ms.float64, ms.bfloat16, ms.complex64, ms.complex128]
WIDE_UINT = (ms.uint16, ms.uint32, ms.uint64)
COMPLEX = (ms.complex64, ms.complex128)


def show(label, fn):
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001  (the exception type is the observation)
        value = type(e).__name__
    print(f"{label}: {value}")


def describe(r):
    if isinstance(r, Tensor):
        return f"{r.dtype} {r}"
    return f"{type(r).__name__} {getattr(r, 'dtype', '')} {r}"


def vector(d):
    return Tensor(np.array([True, False]), d) if d == ms.bool_ else Tensor(np.array([1, 2]), d)


def scalar_tensor(d):
    return Tensor(np.array(3), d)


def mixes_wide_uint(a, b):
    return a != b and (a in WIDE_UINT or b in WIDE_UINT)


def supported(op, a, b):
    """Whether MindSpore 2.10 (CPU) computes `vector(a) op vector(b)`."""
    if op in ("+", "-", "//"):
        return not (mixes_wide_uint(a, b) and ms.bool_ not in (a, b)) and not (op == "//" and (a in COMPLEX or b in COMPLEX))
    if op in ("*", "/"):
        return not mixes_wide_uint(a, b) and not ((a in COMPLEX or b in COMPLEX) and a != b)
    if op == "<":
        return not mixes_wide_uint(a, b) and not {a, b} & {ms.bfloat16, *COMPLEX}
    return not mixes_wide_uint(a, b) and ms.bfloat16 not in (a, b)  # ==


OPS = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "/": lambda x, y: x / y,
       "//": lambda x, y: x // y, "<": lambda x, y: x < y, "==": lambda x, y: x == y}

# --- Tensor (x) Tensor ----------------------------------------------------------------------------------------
for name, op in OPS.items():
    for a in DTYPES:
        for b in DTYPES:
            if supported(name, a, b):
                show(f"{a} {name} {b}", lambda: op(vector(a), vector(b)).dtype)

# --- Tensor (x) Python / numpy scalar ----------------------------------------------------------------------------
SCALARS = {"True": True, "2": 2, "1.5": 1.5, "1j": 1j, "np.bool_": np.bool_(True), "np.int8": np.int8(2),
           "np.int32": np.int32(2), "np.int64": np.int64(2), "np.uint8": np.uint8(2), "np.float16": np.float16(1.5),
           "np.float32": np.float32(1.5), "np.float64": np.float64(1.5), "np.complex64": np.complex64(1j)}
NUMPY_SCALARS = [k for k in SCALARS if k.startswith("np.")]
for name in ("+", "-", "*", "/", "//", "<"):
    op = OPS[name]
    for a in DTYPES:
        if a in WIDE_UINT or (name == "<" and (a == ms.bfloat16 or a in COMPLEX)) or (name == "//" and a in COMPLEX):
            continue
        for s, value in SCALARS.items():
            if s in ("1j", "np.complex64") and a not in (ms.int32, ms.float32, ms.complex64):
                continue  # complex scalars are refused as operands whatever the Tensor's dtype
            show(f"{a} {name} {s}", lambda: describe(op(vector(a), value)))
            if s in NUMPY_SCALARS:
                continue  # numpy computes `np.int32(2) + t` itself, with its own (version-dependent) rules
            if a == ms.bfloat16 and name in ("-", "/", "<") or name == "//" and a == ms.bool_:
                continue  # no MindSpore CPU kernel; `2 // t` divides by the False element
            show(f"{s} {name} {a}", lambda: describe(op(value, vector(a))))
for a in WIDE_UINT:
    show(f"{a} + True", lambda: describe(vector(a) + True))
    show(f"{a} * 2", lambda: describe(vector(a) * 2))
show("Int32 == 2", lambda: describe(vector(ms.int32) == 2))
show("Float16 == 1.5", lambda: describe(vector(ms.float16) == 1.5))
show("Bool == True", lambda: describe(vector(ms.bool_) == True))  # noqa: E712
show("UInt8 + 300", lambda: describe(vector(ms.uint8) + 300))
show("Int8 * 200", lambda: describe(vector(ms.int8) * 200))
show("Float16 + 1e5", lambda: describe(vector(ms.float16) + 1e5))
show("Int32 + 2**40", lambda: describe(vector(ms.int32) + 2 ** 40))

# --- Tensor (x) 0-d Tensor ------------------------------------------------------------------------------------
# +, -, // treat a 0-d Tensor like any Tensor; * and / let the shaped operand's dtype win unless the 0-d one is
# of a higher kind (bool < int < float).
PAIRS = [(ms.int8, ms.int64), (ms.int16, ms.int32), (ms.int32, ms.int64), (ms.int64, ms.int32),
         (ms.uint8, ms.int64), (ms.uint8, ms.bool_), (ms.float16, ms.float32), (ms.float16, ms.float64),
         (ms.float32, ms.float64), (ms.float64, ms.float16), (ms.bool_, ms.int64), (ms.bool_, ms.float32),
         (ms.int32, ms.float16), (ms.int32, ms.float64), (ms.float16, ms.int64), (ms.bfloat16, ms.int32),
         (ms.bfloat16, ms.bfloat16), (ms.float32, ms.bfloat16), (ms.complex64, ms.complex64),
         (ms.float32, ms.float32), (ms.int8, ms.float16)]
for name in ("+", "-", "*", "/", "//"):
    op = OPS[name]
    for a, b in PAIRS:
        if name == "//" and a in COMPLEX:
            continue
        show(f"{a}[2] {name} {b}[]", lambda: op(vector(a), scalar_tensor(b)).dtype)
        show(f"{b}[] {name} {a}[2]", lambda: op(scalar_tensor(b), vector(a)).dtype)
    for a, b in ((ms.int32, ms.int64), (ms.float16, ms.float32), (ms.bool_, ms.int32), (ms.int64, ms.float16)):
        show(f"{a}[] {name} {b}[]", lambda: op(scalar_tensor(a), scalar_tensor(b)).dtype)

# --- division ---------------------------------------------------------------------------------------------------
i32 = Tensor([1, 2, 3, -7], ms.int32)
show("i32 / i32", lambda: describe(i32 / Tensor([2, 2, 2, 2], ms.int32)))
show("i64 / 2", lambda: describe(Tensor([1, 2, 3, -7]) / 2))
show("i32 / 2.0", lambda: describe(i32 / 2.0))
show("7 / i32", lambda: describe(7 / i32))
show("bool / bool", lambda: describe(Tensor([True, False]) / Tensor([True, True])))
show("i32 / 0", lambda: describe(i32 / 0))
show("i32 // 2", lambda: describe(i32 // 2))
show("i32 // -2", lambda: describe(i32 // -2))
show("i32 % 3", lambda: describe(i32 % 3))
show("f16 / 3", lambda: describe(Tensor([1, 2], ms.float16) / 3))
show("ops.div i32", lambda: describe(ops.div(i32, Tensor(2, ms.int32))))
show("ops.div trunc", lambda: describe(ops.div(i32, 2, rounding_mode="trunc")))

# --- reductions and float-valued unary ops ------------------------------------------------------------------------
for d in (ms.bool_, ms.int8, ms.int32, ms.int64, ms.uint8, ms.float16, ms.float32, ms.float64):
    t = Tensor(np.array([[1, 0], [1, 1]]), d)
    show(f"{d} sum", lambda: describe(t.sum()))
    show(f"{d} sum axis", lambda: describe(t.sum(axis=0)))
    show(f"{d} ops.sum", lambda: describe(ops.sum(t)))
    show(f"{d} ReduceSum", lambda: describe(ops.ReduceSum()(t)))
    if d != ms.bool_:
        show(f"{d} mean", lambda: describe(t.mean()))
        show(f"{d} ops.mean", lambda: describe(ops.mean(t)))
    show(f"{d} sqrt", lambda: describe(ops.sqrt(t)))
show("sum dtype=f32", lambda: describe(Tensor([1, 2], ms.int32).sum(dtype=ms.float32)))

# --- the x64 trap: Python floats never widen a float32 computation ------------------------------------------------
show("int32 + 1.5", lambda: describe(Tensor([1, 2], ms.int32) + 1.5))
show("float32 + np.float64(1.5)", lambda: describe(Tensor([1, 2], ms.float32) + np.float64(1.5)))
show("float32 * 2**40", lambda: describe(Tensor([1, 2], ms.float32) * 2 ** 40))
show("ops.zeros", lambda: describe(ops.zeros((2,))))
show("ops.ones", lambda: describe(ops.ones((2, 1))))
show("ops.zeros int", lambda: describe(ops.zeros((2,), ms.int32)))
show("ops.arange(3)", lambda: describe(ops.arange(3)))
show("ops.arange(0., 1., .25)", lambda: describe(ops.arange(0., 1., .25)))

# --- default dtypes of Tensor(...) --------------------------------------------------------------------------------
SOURCES = {
    "True": True, "1": 1, "1.5": 1.5, "1+2j": 1 + 2j, "2**40": 2 ** 40, "2**63": 2 ** 63, "-2**63": -2 ** 63,
    "[1, 2]": [1, 2], "[1., 2]": [1., 2], "[True, False]": [True, False], "[True, 2]": [True, 2],
    "[True, 2.5]": [True, 2.5], "[1, 2.5]": [1, 2.5], "[1, 2j]": [1, 2j], "[[1, 2], [3, 4]]": [[1, 2], [3, 4]],
    "[[1, 2.5], [3, 4]]": [[1, 2.5], [3, 4]], "(1, 2)": (1, 2), "((1,), (2.5,))": ((1,), (2.5,)), "[]": [],
    "[[]]": [[]], "()": (), "[2**63, -1]": [2 ** 63, -1],
    "np.float64(1.5)": np.float64(1.5), "np.float32(1.5)": np.float32(1.5), "np.float16(1.5)": np.float16(1.5),
    "np.int8(1)": np.int8(1), "np.int32(1)": np.int32(1), "np.uint8(1)": np.uint8(1),
    "np.bool_(True)": np.bool_(True), "np.complex64(1j)": np.complex64(1j),
    "[np.float64(1.5)]": [np.float64(1.5)], "[np.float32(1.5), 2]": [np.float32(1.5), 2],
    "[np.int32(1), np.int32(2)]": [np.int32(1), np.int32(2)], "[np.int8(1), np.int8(2)]": [np.int8(1), np.int8(2)],
    "[np.int8(1), 2]": [np.int8(1), 2], "[np.float16(1), np.float16(2)]": [np.float16(1), np.float16(2)],
    "[np.uint8(1)]": [np.uint8(1)], "[np.int16(1)]": [np.int16(1)], "[1.5, np.float64(2)]": [1.5, np.float64(2)],
    "np.array([1.5])": np.array([1.5]), "np.array([1])": np.array([1]),
    "np.array([1], np.int32)": np.array([1], np.int32), "np.array(1.5, np.float32)": np.array(1.5, np.float32),
    "np.array([True])": np.array([True]), "np.array([1], np.uint32)": np.array([1], np.uint32),
    "np.array([1j])": np.array([1j]), "np.array([1], np.float16)": np.array([1], np.float16),
    "[np.array([1, 2]), np.array([3, 4])]": [np.array([1, 2]), np.array([3, 4])],
    "[np.array([1, 2], np.int32)]": [np.array([1, 2], np.int32)], "[np.array([1.])]": [np.array([1.])],
    "[np.array([1.], np.float32)]": [np.array([1.], np.float32)], "[np.array([1], np.int8)]": [np.array([1], np.int8)],
    "[np.array([1., 2]), [3, 4]]": [np.array([1., 2]), [3, 4]],
    "[Tensor(1), Tensor(2)]": [Tensor(1), Tensor(2)], "[Tensor([1., 2])]": [Tensor([1., 2])],
    "[1, Tensor(2.5)]": [1, Tensor(2.5)], "[Tensor(1, int32), Tensor(2, int32)]": [Tensor(1, ms.int32), Tensor(2, ms.int32)],
    "[Tensor(1.5, float64)]": [Tensor(1.5, ms.float64)], "[Tensor([1, 2], int8)]": [Tensor([1, 2], ms.int8)],
    "[Tensor(1, float16), 2]": [Tensor(1, ms.float16), 2],
}
for name, source in SOURCES.items():
    show(f"Tensor({name})", lambda: f"{Tensor(source).dtype} {Tensor(source).shape}")
show("ms.tensor([1, 2])", lambda: ms.tensor([1, 2]).dtype)
show("ms.tensor(1.5)", lambda: ms.tensor(1.5).dtype)

# --- Tensor(x, dtype): casts truncate toward zero and wrap ------------------------------------------------------
for name in ("1.5", "[1, 2.5]", "[True, 2]", "1+2j", "np.array([1.5])", "True", "2**40"):
    for d in (ms.int32, ms.float16, ms.bool_, ms.uint8, ms.float64, ms.bfloat16, ms.complex64, ms.int8):
        show(f"Tensor({name}, {d})", lambda: describe(Tensor(SOURCES[name], d)))
show("Tensor([-1.5, 2.7, -0.2], int32)", lambda: describe(Tensor([-1.5, 2.7, -0.2], ms.int32)))
show("Tensor([300, -1], uint8)", lambda: describe(Tensor([300, -1], ms.uint8)))
show("Tensor([300], int8)", lambda: describe(Tensor([300], ms.int8)))
show("Tensor([1e10], float16)", lambda: describe(Tensor([1e10], ms.float16)))
show("Tensor(np.array([-1.7]), int32)", lambda: describe(Tensor(np.array([-1.7]), ms.int32)))
show("Tensor([2.5, 0.0], bool)", lambda: describe(Tensor([2.5, 0.0], ms.bool_)))
show("Tensor(Tensor([1.7, -1.7]), int32)", lambda: describe(Tensor(Tensor([1.7, -1.7]), ms.int32)))
show("astype int32", lambda: describe(Tensor([1.7, -1.7, 2.5]).astype(ms.int32)))

# --- Parameter defaults ---------------------------------------------------------------------------------------
show("Parameter(1)", lambda: Parameter(1).dtype)
show("Parameter(1.0)", lambda: Parameter(1.0).dtype)
show("Parameter([1, 2])", lambda: Parameter([1, 2]).dtype)
show("Parameter(Tensor(1))", lambda: Parameter(Tensor(1)).dtype)
show("Parameter(np.array([1.5]))", lambda: Parameter(np.array([1.5])).dtype)
