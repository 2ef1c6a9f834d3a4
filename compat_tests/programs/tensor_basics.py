"""Probe of Tensor construction, metadata, conversions to Python/numpy, and their errors.

Each line is `label: value`; errors print the exception type only.
"""
import numpy as np
import mindspore as ms
from mindspore import Tensor, Parameter
from mindspore.common.initializer import One, Normal

ms.set_context(pynative_synchronize=True)


def show(label, fn):
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001  (the exception type is the observation)
        value = type(e).__name__
    print(f"{label}: {value}")


def describe(t):
    return f"{type(t).__name__} {t.dtype} {t.shape} {t}"


# --- construction ---------------------------------------------------------------------------------------------
SOURCES = {
    "True": True, "1": 1, "1.5": 1.5, "1+2j": 1 + 2j, "2**40": 2 ** 40, "2**63": 2 ** 63, "-2**63": -2 ** 63,
    "2**64": 2 ** 64, "[1, 2]": [1, 2], "[1., 2]": [1., 2], "[True, False]": [True, False], "[True, 2]": [True, 2],
    "[True, 2.5]": [True, 2.5], "[1, 2.5]": [1, 2.5], "[1, 2j]": [1, 2j], "[[1, 2], [3, 4]]": [[1, 2], [3, 4]],
    "[[1, 2.5], [3, 4]]": [[1, 2.5], [3, 4]], "(1, 2)": (1, 2), "((1,), (2.5,))": ((1,), (2.5,)), "[]": [],
    "[[]]": [[]], "()": (), "[[1], [2.5]]": [[1], [2.5]], "[2**63, -1]": [2 ** 63, -1],
    "np.float64(1.5)": np.float64(1.5), "np.float32(1.5)": np.float32(1.5), "np.float16(1.5)": np.float16(1.5),
    "np.int8(1)": np.int8(1), "np.int32(1)": np.int32(1), "np.uint8(1)": np.uint8(1), "np.bool_(True)": np.bool_(True),
    "np.complex64(1j)": np.complex64(1j), "[np.float64(1.5)]": [np.float64(1.5)],
    "[np.float32(1.5), 2]": [np.float32(1.5), 2], "[np.int32(1), np.int32(2)]": [np.int32(1), np.int32(2)],
    "[np.int8(1), np.int8(2)]": [np.int8(1), np.int8(2)], "[np.int8(1), 2]": [np.int8(1), 2],
    "[np.float16(1), np.float16(2)]": [np.float16(1), np.float16(2)], "[np.uint8(1)]": [np.uint8(1)],
    "[np.int16(1)]": [np.int16(1)], "[1.5, np.float64(2)]": [1.5, np.float64(2)],
    "np.array([1.5])": np.array([1.5]), "np.array([1])": np.array([1]), "np.array([1], np.int32)": np.array([1], np.int32),
    "np.array(1.5, np.float32)": np.array(1.5, np.float32), "np.array([True])": np.array([True]),
    "np.array([1], np.uint32)": np.array([1], np.uint32), "np.array([1j])": np.array([1j]),
    "np.array([1], np.float16)": np.array([1], np.float16),
    "[np.array([1, 2]), np.array([3, 4])]": [np.array([1, 2]), np.array([3, 4])],
    "[np.array([1, 2], np.int32)]": [np.array([1, 2], np.int32)], "[np.array([1.])]": [np.array([1.])],
    "[np.array([1.], np.float32)]": [np.array([1.], np.float32)], "[np.array([1], np.int8)]": [np.array([1], np.int8)],
    "[np.array([1., 2]), [3, 4]]": [np.array([1., 2]), [3, 4]],
    "[Tensor(1), Tensor(2)]": [Tensor(1), Tensor(2)], "[Tensor([1., 2])]": [Tensor([1., 2])],
    "[1, Tensor(2.5)]": [1, Tensor(2.5)], "[Tensor(1, ms.int32), Tensor(2, ms.int32)]": [Tensor(1, ms.int32), Tensor(2, ms.int32)],
    "[Tensor(1.5, ms.float64)]": [Tensor(1.5, ms.float64)], "[Tensor([1, 2], ms.int8)]": [Tensor([1, 2], ms.int8)],
    "[Tensor(1, ms.float16), 2]": [Tensor(1, ms.float16), 2],
    "[[1], [1, 2]]": [[1], [1, 2]], "[1, [2]]": [1, [2]], "None": None, "'abc'": "abc", "['a']": ["a"],
    "object()": object(), "{1: 2}": {1: 2}, "{1}": {1}, "[None]": [None], "[1, None]": [1, None],
    "np.array([1.0], np.longdouble)": np.array([1.0], np.longdouble),
}
for name, source in SOURCES.items():
    show(f"Tensor({name})", lambda: describe(Tensor(source)))

DTYPES = [ms.int32, ms.float16, ms.bool_, ms.uint8, ms.float64, ms.bfloat16, ms.complex64, ms.int8]
for name in ("1", "1.5", "[1, 2.5]", "[True, 2]", "1+2j", "np.array([1.5])", "True", "2**40"):
    for d in DTYPES:
        show(f"Tensor({name}, {d})", lambda: describe(Tensor(SOURCES[name], d)))
show("Tensor([-1.5, 2.7, -0.2], int32)", lambda: describe(Tensor([-1.5, 2.7, -0.2], ms.int32)))
show("Tensor([300, -1], uint8)", lambda: describe(Tensor([300, -1], ms.uint8)))
show("Tensor([300], int8)", lambda: describe(Tensor([300], ms.int8)))
show("Tensor([1e10], float16)", lambda: describe(Tensor([1e10], ms.float16)))
show("Tensor(np.array([-1.7]), int32)", lambda: describe(Tensor(np.array([-1.7]), ms.int32)))
show("Tensor([2.5, 0.0], bool)", lambda: describe(Tensor([2.5, 0.0], ms.bool_)))
show("Tensor(Tensor(1, int32), float32)", lambda: describe(Tensor(Tensor(1, ms.int32), ms.float32)))
show("Tensor(Tensor([1.7, -1.7]), int32)", lambda: describe(Tensor(Tensor([1.7, -1.7]), ms.int32)))
src = Tensor([1.0, 2.0])
show("Tensor(t) shares value", lambda: describe(Tensor(src)))
show("Tensor(t) is new object", lambda: Tensor(src) is not src)
show("Tensor(np f64, dtype=None)", lambda: describe(Tensor(np.array([1.5]), None)))
show("Tensor(shape=(2,), dtype=f32)", lambda: describe(Tensor(shape=(2,), dtype=ms.float32)))
show("Tensor(shape=(2, 3), dtype=f32, init=One())", lambda: describe(Tensor(shape=(2, 3), dtype=ms.float32, init=One())))
show("Tensor(shape=2, dtype=f32, init=One())", lambda: describe(Tensor(shape=2, dtype=ms.float32, init=One())))
show("Tensor(shape=[2], dtype=int32, init='ones')", lambda: describe(Tensor(shape=[2], dtype=ms.int32, init="ones")))
show("Tensor(shape=(2,), dtype=f32, init='zeros')", lambda: describe(Tensor(shape=(2,), dtype=ms.float32, init="zeros")))
show("Tensor(shape=(2,), dtype=f32, init=Normal()) shape",
     lambda: Tensor(shape=(2,), dtype=ms.float32, init=Normal()).shape)
show("Tensor(shape=(2,), init=One())", lambda: Tensor(shape=(2,), init=One()))
show("Tensor(dtype=f32, init=One())", lambda: Tensor(dtype=ms.float32, init=One()))
show("Tensor(1, shape=(2,))", lambda: Tensor(1, shape=(2,)))
show("Tensor()", lambda: Tensor())
show("ms.tensor([1, 2])", lambda: describe(ms.tensor([1, 2])))
show("ms.tensor(1.5, ms.float16)", lambda: describe(ms.tensor(1.5, ms.float16)))
show("ms.tensor(np.array([1.5]))", lambda: describe(ms.tensor(np.array([1.5]))))
show("ms.from_numpy(f64)", lambda: describe(ms.from_numpy(np.array([1.5, 2.5]))))
show("ms.from_numpy(i32)", lambda: describe(ms.from_numpy(np.array([1, 2], np.int32))))
show("ms.from_numpy(list)", lambda: ms.from_numpy([1, 2]))
show("ms.is_tensor", lambda: (ms.is_tensor(Tensor(1)), ms.is_tensor(np.array(1)), ms.is_tensor(1),
                              ms.is_tensor(Parameter(Tensor(1.0)))))
show("Parameter(1)", lambda: Parameter(1).dtype)
show("Parameter(1.0)", lambda: Parameter(1.0).dtype)
show("Parameter(True)", lambda: Parameter(True).dtype)
show("Parameter([1, 2])", lambda: Parameter([1, 2]).dtype)
show("Parameter(np.int64(1))", lambda: Parameter(np.int64(1)).dtype)
show("Parameter(Tensor(1))", lambda: Parameter(Tensor(1)).dtype)
show("isinstance(Parameter, Tensor)", lambda: isinstance(Parameter(Tensor(1.0)), Tensor))

# --- metadata -------------------------------------------------------------------------------------------------
for t in (Tensor(np.arange(6, dtype=np.float32).reshape(2, 3)), Tensor(np.zeros((2, 0, 3), np.int16)),
          Tensor(2.5), Tensor([1, 2, 3], ms.bfloat16), Tensor([[1j]]), Tensor(np.ones((4, 1, 2), np.float64))):
    print(f"meta {t.dtype} {t.shape}: ndim={t.ndim} size={t.size} itemsize={t.itemsize} nbytes={t.nbytes} "
          f"strides={t.strides} dim={t.dim()} numel={t.numel()} nelement={t.nelement()} "
          f"shape_type={type(t.shape).__name__} size_type={type(t.size).__name__}")
    show(f"len {t.shape}", lambda: len(t))
show("dtype type", lambda: type(Tensor(1.0).dtype).__name__)

# --- conversions to numpy ------------------------------------------------------------------------------------
t = Tensor([1.0, 2.0, 3.0])
a = t.asnumpy()
print("asnumpy:", type(a).__name__, a.dtype, a.flags.writeable, a)
print("numpy():", type(t.numpy()).__name__, t.numpy().dtype)
print("np.array(t):", np.array(t).dtype, np.asarray(t).dtype, np.array(t, dtype=np.float64).dtype)
for d in (ms.bool_, ms.int8, ms.uint16, ms.float16, ms.bfloat16, ms.complex64, ms.float64):
    arr = Tensor([1, 0], d).asnumpy()
    print(f"asnumpy {d}: {arr.dtype} {arr.tolist()}")
print("bf16 round trip:", Tensor(Tensor([1.5, -2.25, 3e5], ms.bfloat16).asnumpy()).dtype,
      Tensor([1.5, -2.25, 3e5], ms.bfloat16).astype(ms.float32))
print("bf16 rounding:", Tensor([1.00390625, 257.0, 0.1], ms.bfloat16).astype(ms.float32))
print("f16 round trip:", Tensor(Tensor([1.5, 65504.0, 1e-8], ms.float16).asnumpy()).dtype,
      Tensor([1.5, 65504.0, 1e-8], ms.float16).astype(ms.float32))
print("f16 overflow:", Tensor([70000.0], ms.float16))
show("bf16 numpy array in", lambda: describe(Tensor(Tensor([1, 2], ms.bfloat16).asnumpy())))
show("bf16 numpy array in a list", lambda: describe(Tensor([Tensor(1, ms.bfloat16).asnumpy()])))

# --- conversions to Python ------------------------------------------------------------------------------------
CASES = {"f32 0-d": Tensor(2.5), "i64 0-d": Tensor(-3), "bool 0-d": Tensor(True), "f32 [1]": Tensor([1.5]),
         "i32 [[7]]": Tensor([[7]], ms.int32), "f32 [2]": Tensor([1.0, 2.0]), "c64 0-d": Tensor(1 + 2j, ms.complex64),
         "f16 0-d": Tensor(0.1, ms.float16), "bf16 0-d": Tensor(1.5, ms.bfloat16), "empty": Tensor(np.zeros((0,)))}
for name, t in CASES.items():
    show(f"{name} item", lambda: repr(t.item()))
    show(f"{name} item type", lambda: type(t.item()).__name__)
    show(f"{name} tolist", lambda: repr(t.tolist()))
    show(f"{name} float", lambda: repr(float(t)))
    show(f"{name} int", lambda: repr(int(t)))
    show(f"{name} bool", lambda: repr(bool(t)))
    show(f"{name} complex", lambda: repr(complex(t)))
    show(f"{name} index", lambda: [10, 20, 30, 40, 50, 60, 70, 80][t])
show("int(Tensor(-2.7))", lambda: int(Tensor(-2.7)))
show("int(Tensor(2**40))", lambda: int(Tensor(2 ** 40)))
show("float(Tensor(2**40))", lambda: float(Tensor(2 ** 40)))
show("item(1)", lambda: Tensor([[1, 2], [3, 4]]).item(1))
show("item((1, 0))", lambda: Tensor([[1, 2], [3, 4]]).item((1, 0)))
show("tolist 2-d", lambda: Tensor([[1, 2], [3, 4]], ms.int8).tolist())
show("tolist bool", lambda: Tensor([True, False]).tolist())
show("tolist f16", lambda: Tensor([0.1, 2], ms.float16).tolist())
show("if Tensor([1, 2])", lambda: "yes" if Tensor([1, 2]) else "no")
show("if Tensor([0])", lambda: "yes" if Tensor([0]) else "no")

# --- formatting, iteration, hashing ---------------------------------------------------------------------------
show("format ''", lambda: f"{Tensor(2.5)}")
show("format .2f", lambda: f"{Tensor(2.5):.2f}")
show("format >8", lambda: f"{Tensor(2.5):>8}")
show("format list", lambda: f"{Tensor([1, 2])}")
show("str.format", lambda: "{:d}".format(Tensor(2)))
show("iterate 2-d", lambda: [describe(row) for row in Tensor([[1, 2], [3, 4]])])
show("iterate 1-d", lambda: [describe(x) for x in Tensor([1.5, 2.5])])
show("iterate 0-d", lambda: list(Tensor(1.0)))
show("list()", lambda: len(list(Tensor(np.zeros((3, 2))))))
show("unpack", lambda: [str(v) for v in (lambda a, b: (a, b))(*Tensor([1, 2]))])
show("zip", lambda: [(int(x), y) for x, y in zip(Tensor([1, 2]), "ab")])
t1, t2 = Tensor([1.0]), Tensor([1.0])
show("hashable", lambda: hash(t1) == hash(t1))
show("hash identity", lambda: hash(t1) == hash(t2))
show("dict key", lambda: {t1: "a", t2: "b"}[t1])
show("set size", lambda: len({t1, t2, t1}))
show("in list", lambda: t1 in [t1])

# --- mixing with Python lists and numpy arrays ----------------------------------------------------------------
i32 = Tensor([1, 2], ms.int32)
show("Tensor + list", lambda: describe(i32 + [1, 2]))
show("Tensor + tuple", lambda: describe(i32 + (1, 2)))
show("Tensor + float list", lambda: describe(i32 + [1.5, 2.5]))
show("f16 Tensor + float list", lambda: describe(Tensor([1, 2], ms.float16) + [1.5, 2.5]))
show("Tensor * list", lambda: describe(i32 * [1, 2]))
show("list + Tensor", lambda: describe([1, 2] + i32))
show("Tensor + numpy array", lambda: describe(i32 + np.array([1, 2])))
show("Tensor * numpy array", lambda: describe(i32 * np.array([1, 2])))
show("numpy array + Tensor", lambda: (lambda r: f"{type(r).__name__} {r.dtype} {r}")(np.array([1, 2]) + i32))
show("numpy f32 array + Tensor", lambda: (lambda r: f"{type(r).__name__} {r.dtype} {r}")(
    np.array([1, 2], np.float32) * i32))
show("numpy scalar + Tensor", lambda: (lambda r: f"{type(r).__name__} {r.dtype} {r}")(np.float32(1.5) + i32))
show("Tensor + None", lambda: i32 + None)
show("Tensor + 'a'", lambda: i32 + "a")
show("Tensor + 1j", lambda: i32 + 1j)
show("1j * Tensor", lambda: 1j * i32)
show("Tensor == None", lambda: i32 == None)  # noqa: E711
show("Tensor != None", lambda: i32 != None)  # noqa: E711
show("Tensor == 'a'", lambda: i32 == "a")
show("Tensor < None", lambda: i32 < None)
