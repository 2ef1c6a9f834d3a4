"""Probe of Tensor repr() and str() formatting across dtypes, ranks and special values.

Each case prints a `case: <label>` line, then `repr:` and repr(t), then `str:` and str(t).
Data is arange-based (no randomness) so the output is deterministic.
"""
import numpy as np
import mindspore as ms
from mindspore import Tensor


def show(label, t):
    print(f"case: {label}")
    print("repr:")
    print(repr(t))
    print("str:")
    print(str(t))


SIGNED = {"int8": ms.int8, "int16": ms.int16, "int32": ms.int32, "int64": ms.int64}
UNSIGNED = {"uint8": ms.uint8, "uint16": ms.uint16, "uint32": ms.uint32, "uint64": ms.uint64}
FLOATS = {"f16": ms.float16, "bf16": ms.bfloat16, "f32": ms.float32, "f64": ms.float64}
COMPLEX = {"c64": ms.complex64, "c128": ms.complex128}


def centered(shape):
    n = int(np.prod(shape))
    return (np.arange(n) - (n // 2 if n > 1 else 3)).reshape(shape)  # a 0-d tensor gets -3


def data_for(kind, shape):
    if kind == "bool":
        return (np.arange(int(np.prod(shape))) % 3 == 0).reshape(shape)
    if kind in SIGNED or kind in UNSIGNED:
        raw = centered(shape) * 7 if kind in SIGNED else (np.arange(int(np.prod(shape))) + 1).reshape(shape) * 9
        # wrap 8-bit data into range here, so the probe never depends on an overflowing cast
        if kind == "int8":
            return (raw + 128) % 256 - 128
        return raw % 256 if kind == "uint8" else raw
    if kind in FLOATS:
        # multiples of 1.25 are exact in every float format, including bf16
        return centered(shape).astype(np.float32) * 1.25
    base = centered(shape).astype(np.float64)
    return base * 1.5 + 1j * (base[::-1] if base.ndim else -base) * 0.5


def ms_dtype(kind):
    if kind == "bool":
        return ms.bool_
    return {**SIGNED, **UNSIGNED, **FLOATS, **COMPLEX}[kind]


# Rank sweep for every dtype.
for kind in ["bool", *SIGNED, *UNSIGNED, *FLOATS, *COMPLEX]:
    for rank_label, shape in [("0d", ()), ("1d", (6,)), ("2d", (2, 3)), ("3d", (2, 3, 4)),
                              ("4d", (2, 1, 2, 3)), ("empty", (0, 3)), ("long1d", (50,)),
                              ("1x50", (1, 50)), ("large", (30, 40))]:
        show(f"{kind}_{rank_label}", Tensor(data_for(kind, shape), ms_dtype(kind)))

# 0-d float formatting: repr is %g-like; str follows numpy's positional/scientific cut-offs.
for label, v in [("two", 2.0), ("third", 1.0 / 3), ("tiny", 1e-8), ("big", 123456789.0),
                 ("negzero", -0.0), ("nan", float("nan")), ("negnan", -float("nan")),
                 ("inf", float("inf")), ("neginf", float("-inf")), ("half", -0.5), ("e16", 1e16),
                 ("e15", 1e15), ("e7", 1e7), ("e4", 1e4), ("k", 1000.0), ("f16max", 65504.0),
                 ("e-4", 1e-4), ("9e-5", 9e-5), ("e20", 1e20), ("pi", np.pi)]:
    show(f"f32_scalar_{label}", Tensor(np.array(v, np.float32), ms.float32))
    show(f"f64_scalar_{label}", Tensor(np.array(v, np.float64), ms.float64))
    if not abs(v) > 65504:  # keeps finite values (and nan) inside float16's range
        show(f"f16_scalar_{label}", Tensor(np.array(v, np.float16), ms.float16))
show("bool_scalar_true", Tensor(np.array(True), ms.bool_))
show("bool_scalar_false", Tensor(np.array(False), ms.bool_))
show("int8_scalar_min", Tensor(np.array(-128, np.int8), ms.int8))
show("uint8_scalar_max", Tensor(np.array(255, np.uint8), ms.uint8))
for label, z in [("plain", 1.5 - 2j), ("third", (1 + 1j) / 3), ("big", 1e10 + 1e-10j), ("imag", 2j),
                 ("negzero_real", complex(-0.0, 1)), ("e7", 1e7 - 1e7j), ("e20", 1e20 + 1e-20j),
                 ("nonfinite", complex(np.nan, -np.inf)), ("inf_nan", complex(np.inf, np.nan))]:
    show(f"c64_scalar_{label}", Tensor(np.array(z, np.complex64), ms.complex64))
    show(f"c128_scalar_{label}", Tensor(np.array(z, np.complex128), ms.complex128))
show("bf16_scalar_third", Tensor(np.array(1 / 3, np.float32), ms.bfloat16))
show("py_float", Tensor(2.5))
show("py_int", Tensor(3))
show("py_bool", Tensor(True))

# Special float values.
special = np.array([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0], np.float64)
for kind in FLOATS:
    show(f"{kind}_special", Tensor(special.astype(np.float32), FLOATS[kind]))
    show(f"{kind}_special_2d", Tensor(special.astype(np.float32).reshape(2, 4), FLOATS[kind]))
mixed = np.array([1e-10, 1e10, -1.5, 3.0, 1e-3, 12345.678], np.float64)
show("f32_mixed", Tensor(mixed.astype(np.float32), ms.float32))
show("f64_mixed", Tensor(mixed, ms.float64))
show("f64_third", Tensor(np.arange(1, 7, dtype=np.float64).reshape(2, 3) / 3, ms.float64))
show("f32_small", Tensor(np.array([1e-5, 2e-6, 3e-7], np.float32), ms.float32))
show("f32_intvalued", Tensor(np.array([1.0, 20.0, 300.0, -4000.0], np.float32), ms.float32))
show("f16_limits", Tensor(np.array([65504, 6.1e-5, -0.1, 1000], np.float16), ms.float16))
show("bf16_mixed", Tensor(np.array([1e-10, 1e10, -1.5, 3.0, 0.1], np.float32), ms.bfloat16))
show("c64_special", Tensor(np.array([complex(np.nan, 1), complex(1, np.inf), -1 - 1j, 0j], np.complex64),
                           ms.complex64))
show("c128_mixed", Tensor(np.array([1e-10 + 1e10j, 1 / 3 - 2j], np.complex128), ms.complex128))

# Integer extremes (padding width).
show("int64_extremes", Tensor(np.array([np.iinfo(np.int64).min, 0, np.iinfo(np.int64).max]), ms.int64))
show("uint64_max", Tensor(np.array([0, np.iinfo(np.uint64).max], np.uint64), ms.uint64))
show("int8_extremes", Tensor(np.array([[-128, 0], [5, 127]], np.int8), ms.int8))
show("int32_one", Tensor(np.array([-5], np.int32), ms.int32))

# Line-feed thresholds of 1-D repr: 12 floats / 12 bools / 24 ints per line.
for n in (3, 4, 11, 12, 13, 24, 25):
    show(f"f32_1d_{n}", Tensor(np.arange(n, dtype=np.float32), ms.float32))
    show(f"int32_1d_{n}", Tensor(np.arange(n, dtype=np.int32), ms.int32))
    show(f"bool_1d_{n}", Tensor(np.arange(n) % 2 == 0, ms.bool_))

# Summarisation thresholds.
for n in (1000, 1001, 2000):
    show(f"f32_1d_{n}", Tensor(np.arange(n, dtype=np.float32), ms.float32))
    show(f"int64_1d_{n}", Tensor(np.arange(n, dtype=np.int64), ms.int64))
show("bool_1d_2000", Tensor(np.arange(2000) % 3 == 0, ms.bool_))
show("c64_1d_2000", Tensor(np.arange(2000, dtype=np.complex64) * (1 + 1j), ms.complex64))
show("bf16_1d_2000", Tensor(np.arange(2000, dtype=np.float32), ms.bfloat16))
for shape in [(6, 6), (7, 6), (6, 7), (7, 7), (2, 7, 3), (10, 10, 12), (3, 4, 5, 6), (8, 2, 2, 2)]:
    label = "x".join(map(str, shape))
    show(f"f32_{label}", Tensor(np.arange(np.prod(shape), dtype=np.float32).reshape(shape), ms.float32))
    show(f"int16_{label}", Tensor(np.arange(np.prod(shape), dtype=np.int16).reshape(shape) - 100, ms.int16))

# Empty tensors.
for shape in [(0,), (2, 0), (2, 0, 3), (0, 0)]:
    label = "x".join(map(str, shape))
    show(f"f32_empty_{label}", Tensor(np.zeros(shape, np.float32), ms.float32))
    show(f"int64_empty_{label}", Tensor(np.zeros(shape, np.int64), ms.int64))
    show(f"bool_empty_{label}", Tensor(np.zeros(shape, np.bool_), ms.bool_))
