"""MindSpore's ``checkpoint.proto`` (proto2, no package), encoded and decoded by hand:

    message Checkpoint { repeated Value value = 1;
      message Value { required string tag = 1; oneof value { TensorProto tensor = 2; MapTensorProto maptensor = 3; } } }
    message TensorProto { repeated int64 dims = 1; required string tensor_type = 2; required bytes tensor_content = 3; }

Three small messages do not justify a ``protobuf`` dependency (and its generated-code version pinning); the wire
format needed is varints and length-delimited fields. MindSpore writes a ``.ckpt`` as one serialized single-entry
``Checkpoint`` per parameter chunk, concatenated (which protobuf reads as one message with all entries); `entry_prefix`
writes such a piece with protobuf's canonical field order and proto2's unpacked ``dims``, so files are byte-identical.
"""
from __future__ import annotations

from typing import NamedTuple


class DecodeError(ValueError):
    """The bytes are not a well-formed ``Checkpoint`` message."""


class Entry(NamedTuple):
    tag: str
    dims: list
    tensor_type: str
    content: bytes | memoryview
    is_tensor: bool = True  # False: the entry holds a MapTensorProto (or nothing), which msjax does not load


_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5  # wire types (3 and 4, groups, are obsolete)


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1  # int64 values are written as their two's complement (10 bytes when negative)
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _key_and_length(number: int, length: int) -> bytes:
    return _varint(number << 3 | _LEN) + _varint(length)


def entry_prefix(tag: str, dims, tensor_type: str, content_size: int) -> bytes:
    """One serialized ``Checkpoint`` holding one ``Value`` with a ``TensorProto``, up to its ``tensor_content``, which
    comes last: prefix + content is the whole entry (so big contents are written without being copied)."""
    tag_bytes, type_bytes = tag.encode(), tensor_type.encode()
    tensor_head = b"".join(_varint(1 << 3 | _VARINT) + _varint(d) for d in dims)  # proto2: unpacked dims
    tensor_head += _key_and_length(2, len(type_bytes)) + type_bytes + _key_and_length(3, content_size)
    tensor_size = len(tensor_head) + content_size
    value_head = _key_and_length(1, len(tag_bytes)) + tag_bytes + _key_and_length(2, tensor_size)
    return _key_and_length(1, len(value_head) + tensor_size) + value_head + tensor_head


# --- decoding --------------------------------------------------------------------------------------------------

def _read_varint(buf: memoryview, pos: int) -> tuple[int, int]:
    result = shift = 0
    for _ in range(10):
        if pos >= len(buf):
            raise DecodeError("truncated varint")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result & ((1 << 64) - 1), pos
        shift += 7
    raise DecodeError("varint longer than 10 bytes")


def _fields(buf: memoryview):
    """(field number, wire type, value) for each field of a message: ints for varints, memoryviews otherwise."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = _read_varint(buf, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise DecodeError("field number 0")
        if wire == _VARINT:
            value, pos = _read_varint(buf, pos)
        elif wire in (_I64, _I32):
            size = 8 if wire == _I64 else 4
            if pos + size > end:
                raise DecodeError("truncated fixed-width field")
            value, pos = buf[pos:pos + size], pos + size
        elif wire == _LEN:
            size, pos = _read_varint(buf, pos)
            if pos + size > end:
                raise DecodeError("length-delimited field runs past the end")
            value, pos = buf[pos:pos + size], pos + size
        else:  # groups: never written by MindSpore
            raise DecodeError(f"unsupported wire type {wire}")
        yield number, wire, value


def _text(view: memoryview) -> str:
    try:
        return bytes(view).decode("utf-8")
    except UnicodeDecodeError as e:
        raise DecodeError("invalid UTF-8 in a string field") from e


def _signed64(n: int) -> int:
    return n - (1 << 64) if n >= 1 << 63 else n


def _tensor_into(buf: memoryview, tensor: dict) -> None:
    """Merge one serialized TensorProto into ``tensor`` (protobuf merges a repeated occurrence of a message field)."""
    for number, wire, value in _fields(buf):
        if number == 1 and wire == _VARINT:
            tensor["dims"].append(_signed64(value))
        elif number == 1 and wire == _LEN:  # packed encoding, which parsers accept for any repeated scalar
            pos = 0
            while pos < len(value):
                dim, pos = _read_varint(value, pos)
                tensor["dims"].append(_signed64(dim))
        elif number == 2 and wire == _LEN:
            tensor["tensor_type"] = _text(value)
        elif number == 3 and wire == _LEN:
            tensor["content"] = value
        # anything else is an unknown field: skipped, as protobuf does


def _value(buf: memoryview) -> Entry:
    tag, tensor, kind = "", None, None
    for number, wire, value in _fields(buf):
        if number == 1 and wire == _LEN:
            tag = _text(value)
        elif number == 2 and wire == _LEN:
            if kind != "tensor":
                tensor, kind = {"dims": [], "tensor_type": "", "content": b""}, "tensor"
            _tensor_into(value, tensor)
        elif number == 3 and wire == _LEN:  # the oneof's other member replaces the tensor
            kind = "map"
    if kind != "tensor":
        return Entry(tag, [], "", b"", is_tensor=False)
    return Entry(tag, tensor["dims"], tensor["tensor_type"], tensor["content"])


def decode(data: bytes) -> list[Entry]:
    """The entries of a serialized ``Checkpoint``, in file order; `DecodeError` if the bytes are malformed."""
    buf = memoryview(data)
    return [_value(value) for number, wire, value in _fields(buf) if number == 1 and wire == _LEN]
