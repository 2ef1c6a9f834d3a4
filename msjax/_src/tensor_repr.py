"""Text formats of MindSpore 2.10 Tensors, reproduced character for character.

MindSpore has three unrelated printers:
  * repr(Tensor) is C++ (TensorStringifier, use_comma=True) built on iostreams;
  * str(Tensor) is numpy's str of asnumpy();
  * print inside GRAPH mode / @jit is the C++ printer again, without commas.
The C++ printer is emulated here with printf-style formatting, which is what
iostreams reduce to (default float output is %g, std::scientific is %e).
"""
import numpy as np

# TensorStringifier constants.
_EDGE = 3            # items kept at each end of a summarised dimension
_MAX_ROW = 6         # a non-1-D bottom dimension longer than this is summarised
_MAX_1D = 1000       # ... but a 1-D tensor only beyond this
_FLOATS = {"Float16", "Float32", "Float64"}  # bf16 is *not* a float to the printer
_COMPLEX = {"Complex64", "Complex128"}


def _c_num(x, spec, width=0, plus=False):
    """printf(spec) of one float as glibc renders it.

    Python drops the sign of NaN ('%g' % -nan == 'nan'); glibc keeps it, and
    MindSpore tensors coming out of arithmetic often hold negative NaNs."""
    x = float(x)
    if x != x:
        text = ("-" if np.signbit(x) else "+" if plus else "") + "nan"
    else:
        text = (("%+" if plus else "%") + spec) % x
    return text.rjust(width)


def _element_formatter(dtype_name, scalar):
    """format(x) -> str for one element, before any column padding."""
    if dtype_name == "Bool":
        # Non-scalar bools are right-aligned to len("False") with setw.
        return (lambda x: "True" if x else "False") if scalar else \
            (lambda x: ("True" if x else "False").rjust(5))
    if dtype_name in _FLOATS and not scalar:
        # Fixed setw/setprecision per element: f16 gets a narrower field than f32/f64.
        width, prec = (11, 4) if dtype_name == "Float16" else (15, 8)
        return lambda x: _c_num(x, ".%de" % prec, width)
    if dtype_name in _COMPLEX:
        # ComplexStorage's operator<<: real with noshowpos, imag with showpos, both %g.
        return lambda x: _c_num(x.real, "g") + _c_num(x.imag, "g", plus=True) + "j"
    if dtype_name in _FLOATS or dtype_name == "BFloat16":
        # Scalars and every bf16 go through a default-formatted stream, i.e. %g.
        return lambda x: _c_num(x, "g")
    # Integers: int8/uint8 are widened before streaming, so they print as numbers.
    return lambda x: str(int(x))


def _data_string(value, dtype_name, use_comma):
    """TensorStringifier::ToString."""
    if value.size == 0:
        return ""
    ndim = value.ndim
    if ndim == 0:
        return _element_formatter(dtype_name, scalar=True)(value[()])
    fmt = _element_formatter(dtype_name, scalar=False)
    # Only the generic (integer and bf16) path right-aligns all items to the widest one.
    pad = dtype_name not in _FLOATS and dtype_name not in _COMPLEX and dtype_name != "Bool"
    sep = ", " if use_comma else " "
    # Floats and bools break 1-D output every 12 items, every other type every 24.
    per_line = 12 if dtype_name in _FLOATS or dtype_name == "Bool" else 24
    cells = []  # every printed element, so integer padding can use the global max width

    def segment(row, start, stop):
        out = []
        for i in range(start, stop):
            cells.append(fmt(row[i]))
            out.append("\0%d\0" % (len(cells) - 1))  # placeholder, filled in after padding
            if i != stop - 1:
                out.append(sep)
            # Only unsummarised 1-D rows wrap (a summarised segment has exactly _EDGE items);
            # the break is emitted even after the last item, giving '\n ]'.
            if ndim == 1 and stop - start > _EDGE and (i + 1) % per_line == 0:
                out.append("\n ")
        return "".join(out)

    def block(arr, depth):
        n = arr.shape[0]
        if arr.ndim == 1:
            if n > (_MAX_1D if ndim == 1 else _MAX_ROW):
                return "[" + segment(arr, 0, _EDGE) + " ... " + segment(arr, n - _EDGE, n) + "]"
            return "[" + segment(arr, 0, n) + "]"
        indent = "\n" + " " * (depth + 1)
        joint = ("," if use_comma else "") + indent
        if n > _MAX_ROW:
            head = joint.join(block(arr[i], depth + 1) for i in range(_EDGE))
            tail = joint.join(block(arr[i], depth + 1) for i in range(n - _EDGE, n))
            # No comma after the '...' line: the C++ loop skips it for the first tail row.
            return "[" + head + joint + "..." + indent + tail + "]"
        return "[" + joint.join(block(arr[i], depth + 1) for i in range(n)) + "]"

    text = block(value, 0)
    width = max(map(len, cells)) if pad else 0
    parts = text.split("\0")
    parts[1::2] = [cells[int(k)].rjust(width) for k in parts[1::2]]
    return "".join(parts)


def _header(value, dtype_name):
    return "Tensor(shape=[%s], dtype=%s, value=" % (", ".join(map(str, value.shape)), dtype_name)


def format_repr(value: np.ndarray, dtype_name: str) -> str:
    """repr(Tensor): Tensor::ToStringRepr."""
    value = np.asarray(value)
    return (_header(value, dtype_name) + ("\n" if value.ndim > 1 else " ")
            + _data_string(value, dtype_name, use_comma=True) + ")")


def _np1_float_scalar(x, trim_pos="0", trim_sci="-", sign=False):
    """str() of a numpy float scalar as numpy 1.26 writes it.

    numpy 2 switches f16/f32 scalars to scientific notation at far smaller magnitudes
    (np.float32(1e7) -> '1e+07'), while MindSpore runs numpy 1.26, whose only cut-offs
    are 1e-4 and 1e16 for every float width."""
    mag = abs(float(x))
    if mag == 0 or 1e-4 <= mag < 1e16:
        return np.format_float_positional(x, trim=trim_pos, sign=sign)
    return np.format_float_scientific(x, trim=trim_sci, sign=sign)


def _np1_complex_scalar(z):
    """str() of a numpy complex scalar as numpy 1.26 writes it (same cut-offs as floats)."""
    re, im = z.real, z.imag
    if re == 0 and not np.signbit(re):
        return _np1_float_scalar(im, "-") + "j"
    re_s = _np1_float_scalar(re, "-") if np.isfinite(re) else ("nan" if np.isnan(re) else "%g" % re)
    im_s = _np1_float_scalar(im, "-", sign=True) if np.isfinite(im) else ("+nan" if np.isnan(im) else "%+g" % im)
    return "(%s%sj)" % (re_s, im_s)


def format_str(value: np.ndarray, dtype_name: str) -> str:
    """str(Tensor): numpy 1.26's str of asnumpy()."""
    value = np.asarray(value)
    if dtype_name == "BFloat16":
        # MindSpore's own numpy bfloat16 is not an np.floating: numpy prints its elements
        # with their repr, which is '%f' (std::to_string), unpadded. ml_dtypes' bf16 prints
        # differently, so feed float32 values through an explicit formatter instead.
        as_f32 = value.astype(np.float32)
        if value.ndim == 0:
            return "%f" % float(as_f32)
        return np.array2string(as_f32, separator=" ", prefix="", formatter={"all": lambda x: "%f" % float(x)})
    if value.ndim == 0 and dtype_name in _FLOATS:
        return _np1_float_scalar(value[()])
    if value.ndim == 0 and dtype_name in _COMPLEX:
        return _np1_complex_scalar(value[()])
    # Array (ndim >= 1) printing is identical in numpy 1.26 and 2.x.
    return str(value)


def format_graph_print(value: np.ndarray, dtype_name: str) -> str:
    """print(Tensor) inside GRAPH mode / @jit: the CPU Print kernel's output (no trailing newline)."""
    value = np.asarray(value)
    if value.ndim == 0:
        # The kernel streams a 0-d tensor as a bare C++ scalar: bool as 1/0, int8/uint8 as a
        # char, std::complex as (re,im).
        x = value[()]
        if dtype_name == "Bool":
            return "1" if x else "0"
        if dtype_name in ("Int8", "UInt8"):
            return chr(int(x) & 0xFF)
        if dtype_name in _COMPLEX:
            return "(%s,%s)" % (_c_num(x.real, "g"), _c_num(x.imag, "g"))
        return _data_string(value, dtype_name, use_comma=False)
    # An empty tensor makes the real kernel dereference a zero-length buffer and print
    # garbage; the Tensor::ToStringNoLimit form below is used for it (and for BFloat16,
    # which the kernel rejects) as the nearest well-defined output.
    return (_header(value, dtype_name) + ("\n" if value.ndim > 1 else "")
            + _data_string(value, dtype_name, use_comma=False) + ")")
