"""``save_checkpoint`` / ``load_checkpoint`` / ``load_param_into_net``: MindSpore's ``.ckpt`` files, byte for byte.

A file is a sequence of serialized single-entry ``Checkpoint`` messages (`checkpoint_proto`), one per parameter
(a parameter over 512 MiB is split into several entries with the same tag), optionally followed by MindSpore's CRC
trailer ``b"crc_num"`` + the CRC-32 of everything before it as 10 big-endian bytes.

msjax writes atomically: the bytes go to a temporary file in the target directory, which is fsynced, made read-only
(0400, as MindSpore leaves its files) and renamed over the target, so a crash mid-save leaves the previous file (or
none) under the real name, never a truncated one. Loading parses the whole file before it creates anything, so a
corrupt file loads nothing.
"""
from __future__ import annotations

import math
import os
import tempfile
import zlib
from collections import OrderedDict
from io import BytesIO

import numpy as np

from . import checkpoint_proto as proto
from . import dtype as mstype
from . import safetensors
from .cell import Cell
from .parameter import Parameter
from .tensor import Tensor

_SLICE_BYTES = 512 * 1024 * 1024  # MindSpore writes a parameter's bytes in entries of at most this size
_CRC_MARK = b"crc_num"
_CRC_TRAILER = len(_CRC_MARK) + 10
# The tensor_type strings load_checkpoint accepts (MindSpore's table; it can save Complex64 but not load it).
_LOADABLE = {str(d): d for d in (mstype.int8, mstype.uint8, mstype.int16, mstype.uint16, mstype.int32, mstype.uint32,
                                 mstype.int64, mstype.uint64, mstype.float16, mstype.float32, mstype.float64,
                                 mstype.bool_, mstype.bfloat16)}
_CASTABLE = ({mstype.float16, mstype.float32, mstype.float64, mstype.bfloat16},
             {mstype.int8, mstype.int16, mstype.int32, mstype.int64, mstype.qint4x2})


# --- argument checks with MindSpore's messages ---------------------------------------------------------------------

def _check_bool(value):
    if not isinstance(value, bool):
        raise TypeError(f"The input value must be a bool, but got {type(value).__name__}.")
    return value


def _check_isinstance(name, value, classes):
    if not isinstance(value, classes):
        raise ValueError(f"The parameter '{name}' must be isinstance of {classes}, but got {value}.")
    return value


def _check_save_target(save_obj, ckpt_file_name, format):
    if format not in ("safetensors", "ckpt"):
        raise ValueError(f"For 'save_checkpoint', the format must be 'safetensors' or 'ckpt', but got {format}.")
    if not isinstance(save_obj, (Cell, list, dict)):
        raise TypeError("For 'save_checkpoint', the parameter 'save_obj' must be nn.Cell, list or dict, "
                        f"but got {type(save_obj)}.")
    if not isinstance(ckpt_file_name, str):
        raise TypeError(f"For 'save_checkpoint', the parameter {ckpt_file_name} for checkpoint file name is invalid,"
                        f"'ckpt_file_name' must be string, but got {type(ckpt_file_name)}.")
    path = os.path.realpath(ckpt_file_name)
    if os.path.isdir(path):
        raise IsADirectoryError(f"For 'save_checkpoint', the parameter `ckpt_file_name`: {path} is a directory, "
                                "it must be a file name.")
    return path if path.endswith(format) else f"{path}.{format}"  # MindSpore: "xckpt" keeps its name


def _check_async_save(async_save):
    if not isinstance(async_save, (bool, str)):
        raise TypeError(f"For 'save_checkpoint', the parameter 'async_save' must be bool or str, "
                        f"but got {type(async_save)}.")
    if isinstance(async_save, str) and async_save not in ("process", "thread"):
        raise ValueError("For 'save_checkpoint', the argument 'async_save' can only be 'process' or 'thread',"
                         f"but got {async_save}.")


def _check_append_dict(append_dict):
    if append_dict is None:
        return {}
    if not isinstance(append_dict, dict):
        raise TypeError(f"For 'save_checkpoint', the argument 'append_dict' must be dict, but got {type(append_dict)}.")
    for key, value in append_dict.items():
        if not isinstance(key, str) or not isinstance(value, (int, float, bool, str, Tensor)):
            raise TypeError("For 'save_checkpoint', the type of dict 'append_info' must be key: string, value: int, "
                            f"float, bool or Generator, but got key: {type(key)}, value: {type(value)}")
    return append_dict


def _check_prefix(prefix):
    if prefix is None:
        return None
    if not isinstance(prefix, (str, list, tuple)):
        raise TypeError("For 'load_checkpoint', the type of 'specify_prefix' or 'filter_prefix' must be string, "
                        f"list[string] or tuple[string], but got {type(prefix)}.")
    prefix = (prefix,) if isinstance(prefix, str) else prefix
    if not prefix:
        raise ValueError("For 'load_checkpoint', the argument 'specify_prefix' or 'filter_prefix' can't be empty when"
                         " 'specify_prefix' or 'filter_prefix' is list or tuple.")
    for index, pre in enumerate(prefix):
        if not isinstance(pre, str):
            raise TypeError("For 'load_checkpoint', when 'specify_prefix' or 'filter_prefix' is list or tuple, "
                            f"the element in it must be string, but got {type(pre)} at index {index}.")
        if pre == "":
            raise ValueError("For 'load_checkpoint', the value of 'specify_prefix' or 'filter_prefix' "
                             "can't include ''.")
    return tuple(prefix)


def _check_load_file(file, format):
    if format not in ("ckpt", "safetensors"):
        raise ValueError("For 'load_checkpoint', the checkpoint file should end with '.ckpt' or '.safetensors', please "
                         "input the correct 'format'.")
    if isinstance(file, BytesIO) and format == "ckpt":
        raise TypeError("ckpt don't support BytesIO as input type, please change to safetensors.")
    if not isinstance(file, (str, BytesIO)):
        raise TypeError(f"For 'load_checkpoint', the argument 'ckpt_file_name' must be string, but got {type(file)}.")
    if isinstance(file, str):
        if not file.endswith(format):
            raise ValueError("For 'load_checkpoint', the checkpoint file format must same with 'format', but got "
                             f"file_name:'{file}', format:'{format}'")
        file = os.path.realpath(file)
        if not os.path.exists(file):
            raise ValueError(f"For 'load_checkpoint', the checkpoint file: {file} does not exist, please check "
                             "whether the 'ckpt_file_name' is correct.")
    return file


def _check_safetensors_defaults(func, **given):
    """MindSpore's refusal of the encryption arguments for safetensors files."""
    defaults = {"enc_key": None, "dec_key": None, "enc_mode": "AES-GCM", "dec_mode": "AES-GCM"}
    for name, value in given.items():
        if value != defaults[name]:
            raise ValueError(f"For '{func}', when format is 'safetensors', the parameter '{name}' must be set to "
                             f"default value '{defaults[name]}', but got '{value}'.")


def _not_implemented(what):
    return NotImplementedError(f"msjax does not support {what} yet.")


# --- saving ----------------------------------------------------------------------------------------------------

def _named_values(save_obj, choice_func):
    """(name, Tensor or str) pairs to save, in MindSpore's order, with its type checks."""
    chosen = (lambda name: True) if choice_func is None else choice_func
    if isinstance(save_obj, Cell):
        return [(p.name, p) for _, p in save_obj.parameters_and_names() if chosen(p.name)]
    if isinstance(save_obj, dict):
        pairs = []
        for key, value in save_obj.items():
            if isinstance(value, np.ndarray):
                value = Parameter(Tensor(value))
            if not isinstance(key, str) or not isinstance(value, (Parameter, str)):
                raise TypeError("For save_checkpoint, when save_obj is made up by dict, the key should be str and"
                                "value should be Parameter, but got the type of key is "
                                f"{type(key)} andthe type of value is {type(value)}")
            if chosen(key):
                pairs.append((key, value))
        return pairs
    if save_obj and isinstance(save_obj[0], dict):
        pairs = []
        for item in save_obj:
            if not (isinstance(item, dict) and "name" in item and "data" in item):
                raise TypeError("For save_checkpoint, save_obj should be a list of dict items, and the dict should "
                                f"have key values 'name' and 'value', but got {type(item)} and {item}.")
            if not isinstance(item["name"], str):
                raise TypeError("For save_checkpoint, when save_obj is a list of dict items, the name in dict "
                                f"should be string, but got {type(item['name'])}.")
            if not isinstance(item["data"], Tensor):
                raise TypeError("For save_checkpoint, when save_obj is a list of dict items, the data in dict "
                                f"should be parameter, but got {type(item['data'])}.")
            if chosen(item["name"]):
                pairs.append((item["name"], item["data"]))
        return pairs
    for item in save_obj:
        if not isinstance(item, Parameter):
            raise TypeError("For save_checkpoint, when save_obj is made up by list of Parameter,"
                            f"the param should be parameter, but got {type(item)}")
    return [(p.name, p) for p in save_obj if chosen(p.name)]


def _pieces(name, value):
    """The byte pieces of one value's entries: MindSpore writes no entry for an empty tensor, and splits big ones."""
    if isinstance(value, str):
        content = np.array(value).tobytes()  # numpy's UTF-32 'U' encoding, which load_checkpoint decodes
        yield proto.entry_prefix(name, [0], "str", len(content))
        yield content
        return
    array = np.asarray(value.asnumpy(), order="C")
    content = memoryview(array.reshape(-1).view(np.uint8))
    for start in range(0, len(content), _SLICE_BYTES):
        chunk = content[start:start + _SLICE_BYTES]
        yield proto.entry_prefix(name, list(array.shape), str(value.dtype), len(chunk))
        yield chunk


def _write_atomically(path, pieces):
    """Write ``pieces`` to a temporary file next to ``path``, fsync it, make it read-only and rename it to ``path``."""
    directory, base = os.path.split(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in pieces:
                f.write(piece)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o400)
        os.replace(tmp, path)  # atomic, and allowed over a read-only file
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _with_crc(pieces):
    crc = 0
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
        yield piece
    yield _CRC_MARK + crc.to_bytes(10, "big")


def save_checkpoint(save_obj, ckpt_file_name, integrated_save=True, async_save=False, append_dict=None, enc_key=None,
                    enc_mode="AES-GCM", choice_func=None, crc_check=False, format="ckpt", **kwargs):
    """``mindspore.save_checkpoint``: ``save_obj`` is a Cell (every Parameter, by ``Parameter.name``), a list of
    Parameters, a list of ``{'name', 'data'}`` dicts, or a dict name -> Parameter/str/ndarray. ``async_save`` is
    accepted and the save done synchronously (the file is complete when the call returns)."""
    path = _check_save_target(save_obj, ckpt_file_name, format)
    _check_bool(integrated_save)
    _check_async_save(async_save)
    append_dict = _check_append_dict(append_dict)
    _check_isinstance("enc_key", enc_key, (type(None), bytes))
    _check_isinstance("enc_mode", enc_mode, str)
    _check_isinstance("crc_check", crc_check, bool)
    _check_isinstance("remove_redundancy", kwargs.get("remove_redundancy"), (type(None), bool))
    if format == "safetensors":
        _check_safetensors_defaults("save_checkpoint", enc_key=enc_key, enc_mode=enc_mode)
    elif enc_key is not None:
        raise _not_implemented("encrypted checkpoints (enc_key)")
    entries = OrderedDict()  # a repeated name keeps its first position and its last value, as in MindSpore
    for name, value in _named_values(save_obj, choice_func):
        entries[name] = value
    for name, value in append_dict.items():  # ints -> Int64, floats -> Float32, bools -> Bool, all 0-d
        entries[name] = value if isinstance(value, str) else Tensor(value)
    if format == "safetensors":
        _write_atomically(path, safetensors.encode(entries, crc_check, kwargs.get("remove_redundancy")))
        return
    pieces = (piece for name, value in entries.items() for piece in _pieces(name, value))
    _write_atomically(path, _with_crc(pieces) if crc_check else pieces)


# --- loading ---------------------------------------------------------------------------------------------------

def _read_entries(path, crc_check):
    try:
        with open(path, "rb") as f:
            data = f.read()
        if data[-_CRC_TRAILER:-10] == _CRC_MARK:
            data, stored = data[:-_CRC_TRAILER], int.from_bytes(data[-10:], "big")
            if crc_check and zlib.crc32(data) != stored:
                raise ValueError("For 'load_checkpoint', the crc check is failed, please check whether the ckpt file "
                                 "is damaged.")
    except (OSError, ValueError) as e:
        raise ValueError(f"Failed to read the checkpoint file {path}. May not have permission to read it, please "
                         "check the correct of the file.") from e
    try:
        return proto.decode(data)
    except proto.DecodeError as e:
        raise ValueError(f"Failed to read the checkpoint file {path}. The file may be corrupted, and the content "
                         "cannot be parsed.") from e


def _chosen(tag, specify_prefix, filter_prefix, choice_func):
    if specify_prefix is None and filter_prefix is None:
        return choice_func is None or choice_func(tag)
    if specify_prefix and not tag.startswith(specify_prefix):
        return False
    return not (filter_prefix and tag.startswith(filter_prefix))


def _value_of(tag, dims, tensor_type, content, last_chunk_size):
    """A loaded entry: Python str for "str" entries, else a Parameter named ``tag``."""
    if tensor_type == "str":
        return str(np.frombuffer(content, f"U{last_chunk_size // 4}")[0])
    if tensor_type == "Int4":
        raise _not_implemented("loading Int4 (qint4x2) checkpoint entries")
    if tensor_type not in _LOADABLE:
        raise ValueError(repr(tensor_type))
    np_dtype = mstype.to_numpy_dtype(_LOADABLE[tensor_type])
    shape = () if dims == [0] else tuple(dims)
    expected = math.prod(shape) * np_dtype.itemsize
    if len(content) != expected or min(shape, default=0) < 0:
        raise ValueError(f"the entry '{tag}' holds {len(content)} bytes, but a {tensor_type} tensor of shape "
                         f"{shape} needs {expected}.")
    return Parameter(Tensor(np.frombuffer(content, np_dtype).reshape(shape)), name=tag)


def load_checkpoint(ckpt_file_name, net=None, strict_load=False, filter_prefix=None, dec_key=None,
                    dec_mode="AES-GCM", specify_prefix=None, choice_func=None, crc_check=False,
                    remove_redundancy=False, format="ckpt"):
    """``mindspore.load_checkpoint``: a dict name -> Parameter (str for string entries) in file order; loads it
    into ``net`` too when given."""
    specify_prefix = _check_prefix(specify_prefix)
    filter_prefix = _check_prefix(filter_prefix)
    _check_isinstance("dec_key", dec_key, (type(None), bytes))
    _check_isinstance("dec_mode", dec_mode, str)
    _check_isinstance("crc_check", crc_check, bool)
    _check_isinstance("remove_redundancy", remove_redundancy, bool)
    if format == "safetensors":
        _check_safetensors_defaults("load_checkpoint", dec_key=dec_key, dec_mode=dec_mode)
    path = _check_load_file(ckpt_file_name, format)
    if format == "safetensors":  # MindSpore ignores specify_prefix/filter_prefix here
        parameter_dict = safetensors.load(path, choice_func, crc_check)
    else:
        parameter_dict = _load_ckpt_entries(path, specify_prefix, filter_prefix, choice_func, dec_key, crc_check)
    if not parameter_dict:
        raise ValueError("The loaded parameter dict is empty after filter or specify, please check whether "
                         "'filter_prefix' or 'specify_prefix' are set correctly.")
    if net is not None:
        load_param_into_net(net, parameter_dict, strict_load, remove_redundancy)
    return parameter_dict


def _load_ckpt_entries(path, specify_prefix, filter_prefix, choice_func, dec_key, crc_check):
    if dec_key is not None:
        raise _not_implemented("encrypted checkpoints (dec_key)")
    entries = _read_entries(path, crc_check)
    parameter_dict = {}
    try:
        chunks = []
        for index, item in enumerate(entries):
            if not _chosen(item.tag, specify_prefix, filter_prefix, choice_func):
                continue
            if not item.is_tensor:
                raise _not_implemented(f"loading map parameters (checkpoint entry '{item.tag}')")
            chunks.append(item.content)
            if index + 1 == len(entries) or entries[index + 1].tag != item.tag:  # a parameter's last chunk
                content = chunks[0] if len(chunks) == 1 else b"".join(chunks)  # no copy for the usual case
                chunks.clear()
                parameter_dict[item.tag] = _value_of(item.tag, item.dims, item.tensor_type, content, len(item.content))
    except NotImplementedError:
        raise
    except Exception as e:  # noqa: BLE001  (MindSpore reports any failure while converting entries this way)
        raise ValueError(f"{e}\nFor 'load_checkpoint', failed to load the checkpoint file {path}.") from e
    return parameter_dict


# --- loading into a network ------------------------------------------------------------------------------------

def _update_param(param, new_param, strict_load):
    """Set ``param`` from ``new_param`` with MindSpore's checks (an extra trailing 1-dim in the checkpoint is
    accepted, and the Parameter then takes the checkpoint's shape, as in MindSpore)."""
    shape, new_shape = param.shape, new_param.shape
    if shape != new_shape:
        extra = new_shape[len(shape):]
        if len(new_shape) <= len(shape) or any(d != 1 for d in extra):
            raise RuntimeError(
                f"For 'load_param_into_net', {param.name} in the argument 'net' should have the same shape as "
                f"{param.name} in the argument 'parameter_dict'. But got its shape {shape} in the argument 'net' and "
                f"shape {new_shape} in the argument 'parameter_dict'.May you need to check whether the checkpoint "
                "you loaded is correct or the batch size and so on in the 'net' and 'parameter_dict' are same.")
        if math.prod(shape) != math.prod(new_shape):
            raise ValueError(f"cannot reshape array of size {math.prod(new_shape)} into shape {shape}")
    dtype, new_dtype = param.dtype, new_param.dtype
    if dtype == new_dtype:
        param.set_data(new_param.data)
    elif not strict_load and any({dtype, new_dtype} <= group for group in _CASTABLE):
        param.set_data(Tensor(new_param.asnumpy().astype(mstype.to_numpy_dtype(dtype))))
    else:
        raise RuntimeError(
            f"For 'load_param_into_net', {param.name} in the argument 'net' should have the same type as "
            f"{param.name} in the argument 'parameter_dict'. but got its type {dtype} in the argument 'net' and "
            f"type {new_dtype} in the argument 'parameter_dict'.May you need to check whether the checkpoint you "
            "loaded is correct.")


def _load_by_suffix(net, parameter_dict, param_not_load, strict_load):
    """MindSpore's retry for names it could not find: the first checkpoint name that ends with a missing name gives
    a prefix; every missing Parameter whose prefixed name is in the dict is loaded from it; repeat while that helps."""
    while param_not_load:
        prefix = next((key[:-len(name)] for name in param_not_load for key in parameter_dict if key.endswith(name)),
                      None)
        if prefix is None:
            return
        for _, param in net.parameters_and_names():
            if param.name in param_not_load and prefix + param.name in parameter_dict:
                _update_param(param, parameter_dict[prefix + param.name], strict_load)
                param_not_load.remove(param.name)


def load_param_into_net(net, parameter_dict, strict_load=False, remove_redundancy=False):
    """``mindspore.load_param_into_net`` -> (param_not_load, ckpt_not_load): the net's Parameter names that got no
    value, and the dict's names that were not used."""
    if not isinstance(net, Cell):
        raise TypeError(f"For 'load_param_into_net', the argument 'net' should be a Cell, but got {type(net)}.")
    if not isinstance(parameter_dict, dict):
        raise TypeError("For 'load_param_into_net', the argument 'parameter_dict' should be a dict, "
                        f"but got {type(parameter_dict)}.")
    for key, value in parameter_dict.items():
        if not isinstance(key, str) or not isinstance(value, (Parameter, str, list)):
            raise TypeError("For 'parameter_dict', the element in the argument 'parameter_dict' should be a "
                            f"'str' and 'Parameter' , but got {type(key)} and {type(value)}.")
    _check_bool(strict_load)
    _check_isinstance("remove_redundancy", remove_redundancy, bool)
    param_not_load, ckpt_not_load = [], list(parameter_dict)
    for _, param in net.parameters_and_names():
        if param.name in parameter_dict:
            new_param = parameter_dict[param.name]
            if not isinstance(new_param, Parameter):  # a string entry (or a map parameter's lists) is skipped
                continue
            _update_param(param, new_param, strict_load)
            if param.name in ckpt_not_load:
                ckpt_not_load.remove(param.name)
        elif not param.name.startswith("accu_grads"):
            param_not_load.append(param.name)
    if param_not_load and not strict_load:
        _load_by_suffix(net, parameter_dict, param_not_load, strict_load)
    if remove_redundancy:
        raise TypeError("The deduplication feature for loading checkpoint can only be used in parallel scenarios, "
                        "but got stand_alone.")
    return param_not_load, ckpt_not_load
