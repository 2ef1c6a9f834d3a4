"""A small synthetic MNIST in the standard idx format, written with numpy only (no downloads).

Examples and tests run under real MindSpore and under msjax, so this helper depends on nothing but numpy:

    import sys, os
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
    from make_mnist import make_mnist
    data_dir = make_mnist("/tmp/mnist", train=600, test=100)   # then mindspore.dataset.MnistDataset(data_dir)

Each class is a fixed random 28x28 pattern; samples are that pattern plus noise, so a small network learns them in a
few steps. ``numpy.random.RandomState`` keeps the data identical across numpy versions.

Run as a script (``python make_mnist.py [DIR]``) it writes the data set (into a temporary folder when no DIR is given)
and prints what it wrote.
"""
import os
import struct
import sys
import tempfile

import numpy as np

_UBYTE = 0x08  # the idx element-type code for unsigned bytes


def write_idx(path, array):
    """Write a uint8 array as an idx file: magic (0, 0, type, ndim), big-endian int32 dims, then the bytes."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    with open(path, "wb") as f:
        f.write(struct.pack(">BBBB", 0, 0, _UBYTE, array.ndim))
        f.write(struct.pack(f">{array.ndim}i", *array.shape))
        f.write(array.tobytes())


def read_idx(path):
    """Read a uint8 idx file back into a numpy array."""
    with open(path, "rb") as f:
        data = f.read()
    zero, zero2, kind, ndim = struct.unpack(">BBBB", data[:4])
    if zero or zero2 or kind != _UBYTE:
        raise ValueError(f"{path} is not a uint8 idx file")
    shape = struct.unpack(f">{ndim}i", data[4:4 + 4 * ndim])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def synthetic_digits(count, seed=0, num_classes=10):
    """``count`` 28x28 uint8 images and their labels: per-class patterns plus noise."""
    prototypes = np.random.RandomState(1234).rand(num_classes, 28, 28) > 0.7
    rng = np.random.RandomState(seed)
    labels = (np.arange(count) % num_classes).astype(np.uint8)
    rng.shuffle(labels)
    noise = rng.randint(0, 96, size=(count, 28, 28))
    images = np.where(prototypes[labels], 160, 0) + noise
    return images.astype(np.uint8), labels


def write_mnist(directory, images, labels, kind="train"):
    """Write ``images`` (N, 28, 28) and ``labels`` (N,) as ``{train|t10k}-{images-idx3|labels-idx1}-ubyte``."""
    os.makedirs(directory, exist_ok=True)
    write_idx(os.path.join(directory, f"{kind}-images-idx3-ubyte"), images)
    write_idx(os.path.join(directory, f"{kind}-labels-idx1-ubyte"), labels)


def make_mnist(directory, train=600, test=100, seed=0):
    """Write a synthetic train and test split into ``directory`` (created if needed) and return its path."""
    for kind, count, offset in (("train", train, 0), ("t10k", test, 1)):
        if count:
            write_mnist(directory, *synthetic_digits(count, seed + offset), kind=kind)
    return directory


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="mnist_")
    make_mnist(target)
    for name in sorted(os.listdir(target)):
        array = read_idx(os.path.join(target, name))
        print(f"{name}: shape {array.shape}, sum {int(array.sum(dtype=np.int64))}")
