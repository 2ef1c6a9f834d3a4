"""``format='safetensors'`` checkpoints and ``ckpt_to_safetensors`` / ``safetensors_to_ckpt``, byte for byte.

A safetensors file is an 8-byte little-endian header length, a compact JSON header padded with spaces to a multiple
of 8 bytes, then the tensors' raw little-endian bytes back to back. MindSpore writes through the `safetensors`
package, whose layout msjax reproduces: ``__metadata__`` first (``{"format": "ms"}``; absent when nothing is saved),
then the tensors ordered by dtype (widest first, in that package's dtype order) and by name within a dtype, each
``{"dtype", "shape", "data_offsets"}`` in data order. MindSpore loads the keys in sorted order as unnamed Parameters.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
import zlib
from io import BytesIO

import numpy as np

from . import dtype as mstype
from .parameter import Parameter
from .tensor import Tensor

# safetensors' dtype codes, in the order its writer places tensors (its dtype enum, descending).
_CODES = (("U64", mstype.uint64), ("I64", mstype.int64), ("F64", mstype.float64), ("C64", mstype.complex64),
          ("F32", mstype.float32), ("U32", mstype.uint32), ("I32", mstype.int32), ("BF16", mstype.bfloat16),
          ("F16", mstype.float16), ("U16", mstype.uint16), ("I16", mstype.int16), ("I8", mstype.int8),
          ("U8", mstype.uint8), ("BOOL", mstype.bool_))
_CODE_OF = {dtype: code for code, dtype in _CODES}
_RANK = {code: rank for rank, (code, _) in enumerate(_CODES)}
_DTYPE_OF = {code: dtype for code, dtype in _CODES}
_SUPPORTED = ("bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float16, float32, float64, bfloat16, "
              "float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz, float8_e8m0fnu, float4_e2m1fn_x2, "
              "complex64")


class SafetensorError(Exception):
    """The error the `safetensors` package raises for a value it cannot store (MindSpore lets it through)."""


def _array(value):
    if isinstance(value, str):  # MindSpore hands numpy's 'U' array of the string to safetensors, which refuses it
        raise SafetensorError(f'Unknown dtype "str{np.array(value).itemsize * 8}". Supported dtypes: {_SUPPORTED}')
    if value.dtype not in _CODE_OF:
        raise SafetensorError(f'Unknown dtype "{value.dtype}". Supported dtypes: {_SUPPORTED}')
    return _CODE_OF[value.dtype], np.asarray(value.asnumpy(), order="C")


def _crc(name, array, crc):
    """MindSpore's checksum step: the name, then ``bytes(array)`` (for a 0-d integer array that is Python's
    ``bytes(n)``, n zero bytes, which MindSpore's files carry, so it is kept)."""
    return zlib.crc32(bytes(array), zlib.crc32(name.encode(), crc))


def encode(entries, crc_check=False, remove_redundancy=None):
    """The file's byte pieces for ``entries`` (name -> Tensor or str), as MindSpore's save_checkpoint writes them."""
    arrays = {name: _array(value) for name, value in sorted(entries.items())}
    header = {}
    if arrays:
        metadata = {"format": "ms"}
        if remove_redundancy is not None:
            metadata["remove_redundancy"] = str(remove_redundancy)
        if crc_check:
            crc = 0
            for name, (_, array) in arrays.items():
                crc = _crc(name, array, crc)
            metadata["crc_num"] = str(crc)
        header["__metadata__"] = dict(sorted(metadata.items()))
    order = sorted(arrays, key=lambda name: (_RANK[arrays[name][0]], name))
    offset = 0
    for name in order:
        code, array = arrays[name]
        header[name] = {"dtype": code, "shape": list(array.shape), "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    yield len(text).to_bytes(8, "little") + text
    for name in order:
        yield memoryview(arrays[name][1].reshape(-1).view(np.uint8))


def _parse(data, source):
    """(metadata or None, {name: numpy array}) of a safetensors file's bytes."""
    try:
        size = int.from_bytes(data[:8], "little")
        if len(data) < 8 or 8 + size > len(data):
            raise ValueError("truncated header")
        header = json.loads(bytes(data[8:8 + size]).decode())
        metadata = header.pop("__metadata__", None)
        base, arrays = 8 + size, {}
        for name, info in header.items():
            np_dtype = mstype.to_numpy_dtype(_DTYPE_OF[info["dtype"]])
            start, end = info["data_offsets"]
            count = int(np.prod(info["shape"], dtype=np.int64))
            if end - start != count * np_dtype.itemsize or base + end > len(data):
                raise ValueError(f"tensor '{name}' has wrong data offsets")
            arrays[name] = np.frombuffer(data, np_dtype, count, base + start).reshape(info["shape"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
        raise ValueError(f"Fail to parse the input safetensors: '{source}'. Please check the correctness of the "
                         "file.") from e
    return metadata, arrays


def load(file, choice_func, crc_check):
    """name -> Parameter for ``load_checkpoint(format='safetensors')`` (the file already checked)."""
    if isinstance(file, BytesIO):
        data, source = file.getvalue(), str(type(file))
    else:
        with open(file, "rb") as f:
            data, source = f.read(), file
    metadata, arrays = _parse(data, source)
    parameter_dict, crc = {}, 0
    for name in sorted(arrays):
        if crc_check:
            crc = _crc(name, arrays[name], crc)
        if choice_func is not None and not choice_func(name):
            continue
        if metadata and metadata.get(name) == "Int4":
            raise NotImplementedError("msjax does not support loading Int4 (qint4x2) safetensors entries yet.")
        parameter_dict[name] = Parameter(Tensor(arrays[name].copy()))
    if crc_check and metadata and metadata.get("crc_num") is not None and int(metadata["crc_num"]) != crc:
        raise ValueError("For 'load_checkpoint', the crc check has failed. Please check whether the ckpt file is "
                         "damaged.")
    return parameter_dict


# --- format conversion -----------------------------------------------------------------------------------------

def _progress_bar(items):
    """MindSpore's progress line for directory conversions."""
    start, total = time.time(), len(items)
    for index, item in enumerate(items, start=1):
        yield item
        elapsed = time.time() - start
        remaining = elapsed / index * total - elapsed
        filled = 40 * index // total
        bar = "█" * filled + "-" * (40 - filled)
        print(f"\r{100 * index / total:.1f}%|{bar}|[{time.strftime('%H:%M:%S', time.gmtime(elapsed))}<"
              f"{time.strftime('%H:%M:%S', time.gmtime(remaining))}]", end="\n" if index == total else "")


def _convert_one(path, save_dir, name, name_map, src, dst):
    from .checkpoint import load_checkpoint, save_checkpoint
    params = load_checkpoint(path, format=src)
    if name_map is not None:
        params = {name_map.get(key, key): value for key, value in params.items()}
    suffix = {"ckpt": ".ckpt", "safetensors": ".safetensors"}
    save_checkpoint(params, os.path.join(save_dir, name.replace(suffix[src], suffix[dst])), format=dst)


def convert(file_path, save_path, name_map, file_name_regex, dst, func_name):
    """``ckpt_to_safetensors`` / ``safetensors_to_ckpt``: one file, or every matching file in ``rank*`` folders of
    a directory (converted one after the other; ``processes_num`` only changes MindSpore's pool size)."""
    src = "ckpt" if dst == "safetensors" else "safetensors"
    src_suffix = f".{src}"
    is_dir, is_file = os.path.isdir(file_path), os.path.isfile(file_path)
    if not is_dir and not is_file:
        raise ValueError(f"For {func_name}, the input path must be a valid path or file, but got {file_path}")
    if save_path and os.path.splitext(save_path)[1]:
        raise ValueError(f"For {func_name}, the save_path must be a directory, but got '{save_path}'")
    if name_map is not None and not isinstance(name_map, dict):
        raise ValueError(f"For {func_name}, the type of 'name_map' must be a directory, but got '{type(name_map)}'")
    if is_file:
        if not file_path.endswith(src_suffix):
            raise ValueError(f"For {func_name}, the input file must be a {src_suffix} file, but got {file_path}")
        if file_name_regex is not None and not re.findall(file_name_regex, file_path):
            raise ValueError(f"For {func_name}, the input file does not match the regular expression.")
        if save_path:
            os.makedirs(save_path, exist_ok=True)
        _convert_one(file_path, save_path or os.path.dirname(file_path), os.path.basename(file_path), name_map,
                     src, dst)
        return
    rank_dirs = [d for d in next(os.walk(file_path))[1] if d.startswith("rank")]
    if not rank_dirs:
        raise ValueError(f"For '{func_name}', no directories starting with 'rank' found in {file_path}.")
    tasks = []
    for rank_dir in rank_dirs:
        source_dir = os.path.join(file_path, rank_dir)
        target_dir = os.path.join(save_path, rank_dir) if save_path is not None else source_dir
        os.makedirs(target_dir, exist_ok=True)
        tasks += [(os.path.join(source_dir, name), target_dir, name) for name in os.listdir(source_dir)
                  if name.endswith(src_suffix) and (file_name_regex is None or re.search(file_name_regex, name))]
    for path, target_dir, name in _progress_bar(tasks):
        _convert_one(path, target_dir, name, name_map, src, dst)
    sys.stdout.flush()


def ckpt_to_safetensors(file_path, save_path=None, name_map=None, file_name_regex=None, processes_num=1):
    """``mindspore.ckpt_to_safetensors``: ``x.ckpt`` -> ``x.safetensors`` in ``save_path`` (default: beside it)."""
    convert(file_path, save_path, name_map, file_name_regex, "safetensors", "ckpt_to_safetensors")


def safetensors_to_ckpt(file_path, save_path=None, name_map=None, file_name_regex=None, processes_num=1):
    """``mindspore.safetensors_to_ckpt``: ``x.safetensors`` -> ``x.ckpt`` in ``save_path`` (default: beside it)."""
    convert(file_path, save_path, name_map, file_name_regex, "ckpt", "safetensors_to_ckpt")
