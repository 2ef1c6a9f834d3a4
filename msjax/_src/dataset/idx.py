"""The MNIST idx format: reading (with MindSpore's checks, each error naming the file) and writing.

An idx file is a big-endian header -- magic number (0x00000803 for uint8 images of rank 3, 0x00000801 for uint8
labels of rank 1), then one int32 per dimension -- followed by the raw bytes.
"""
from __future__ import annotations

import struct

import numpy as np

IMAGE_MAGIC, LABEL_MAGIC = 2051, 2049
IMAGE_SIZE = 28


def _invalid(message):
    return RuntimeError(f"Invalid mnist file, {message}")


def read_images(path) -> np.ndarray:
    """(N, 28, 28, 1) uint8 images of an idx3 file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 16:
        raise _invalid(f"the first data length of {path} should be 16 bytes(contains type, number, row and column), "
                       f"but got {len(data)}.")
    magic, count, rows, cols = struct.unpack(">iiii", data[:16])
    if magic != IMAGE_MAGIC:
        raise _invalid(f"the magic number of {path} should be {IMAGE_MAGIC}, but got {magic}.")
    if (rows, cols) != (IMAGE_SIZE, IMAGE_SIZE):
        raise _invalid(f"shape of image in {path} should be ({IMAGE_SIZE}, {IMAGE_SIZE}), but got ({rows}, {cols}).")
    expected = count * rows * cols
    if count < 0 or len(data) - 16 != expected:
        raise _invalid(f"the data length of {path} should be {expected} bytes for {count} images, "
                       f"but got {len(data) - 16}.")
    return np.frombuffer(data, np.uint8, offset=16).reshape(count, rows, cols, 1)


def read_labels(path) -> np.ndarray:
    """(N,) uint32 labels of an idx1 file (MindSpore widens the stored bytes to UInt32)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise _invalid(f"the first data length of {path} should be 8 bytes(contains type and number), "
                       f"but got {len(data)}.")
    magic, count = struct.unpack(">ii", data[:8])
    if magic != LABEL_MAGIC:
        raise _invalid(f"the magic number of {path} should be {LABEL_MAGIC}, but got {magic}.")
    if count < 0 or len(data) - 8 != count:
        raise _invalid(f"the data length of labels in {path} should be {count}, but got {len(data) - 8}.")
    return np.frombuffer(data, np.uint8, offset=8).astype(np.uint32)


def write(path, array):
    """Write a uint8 array as an idx file (msjax's tests and tools; examples use examples/common/make_mnist.py)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    with open(path, "wb") as f:
        f.write(struct.pack(">BBBB", 0, 0, 0x08, array.ndim))
        f.write(struct.pack(f">{array.ndim}i", *array.shape))
        f.write(array.tobytes())
