"""Source datasets: GeneratorDataset, NumpySlicesDataset, MnistDataset, and MindSpore's sampling rule.

Sampling (MindSpore's choice of sampler from ``shuffle`` / ``num_samples`` / ``num_shards``):
- random-access sources shuffle by default (``shuffle=None``); with ``num_samples`` a shuffled source draws
  ``min(num_samples, n)`` rows *with replacement*;
- ``num_shards``/``shard_id``: each shard takes ``ceil(n / num_shards)`` rows, strided -- shard ``s`` reads positions
  ``s, s + num_shards, ...`` of the (shuffled or natural) order, wrapping around to pad the last stride -- then
  ``num_samples`` caps that. Every shard draws the same permutation, so shards are disjoint.
"""
from __future__ import annotations

import itertools
import os
import types

import numpy as np

from ..tensor import Tensor
from . import idx
from .datasets import Dataset
from .validators import check_sampling, check_type, column_list


def _pipeline_error(error):
    return RuntimeError(f"Exception thrown from user defined Python function in dataset: "
                        f"{type(error).__name__}: {error}")


class _Sampling:
    """Which positions of an n-row source one pass reads."""

    def __init__(self, num_samples, shuffle, num_shards, shard_id, default_shuffle=True):
        self.num_samples = num_samples or None  # 0 means all, as in MindSpore
        self.shuffle = default_shuffle if shuffle is None else shuffle
        self.num_shards, self.shard_id = num_shards, shard_id

    def count(self, n):
        count = -(-n // self.num_shards) if self.num_shards else n
        return count if self.num_samples is None else min(count, self.num_samples)

    def indices(self, n, run, node) -> np.ndarray:
        if self.num_shards:
            order = run.generator(node, sharded=True).permutation(n) if self.shuffle else np.arange(n)
            shard = self.shard_id + run.shard_offset
            strided = (shard + self.num_shards * np.arange(-(-n // self.num_shards))) % max(n, 1)
            return order[strided][:self.count(n)]
        if not self.shuffle:
            return np.arange(self.count(n))
        rng = run.generator(node)
        if self.num_samples is not None:
            return rng.integers(0, n, self.count(n))
        return rng.permutation(n)


def _convert_value(value, position):
    """One column value as a fresh numpy array (MindSpore copies what a source yields; Python int -> int64)."""
    if isinstance(value, Tensor):
        return value.asnumpy()
    array = np.array(value)
    if array.dtype == object:
        where = "the input" if position is None else f"{position}th item of the input"
        raise TypeError(f"Data type of {where} or its converted Numpy array is expected to be int or float or str, "
                        f"but got {array.dtype}.")
    return array


_SINGLE = (int, float, str, bytes, np.ndarray, Tensor, np.number, np.bool_)


def _convert_row(value) -> tuple:
    if isinstance(value, _SINGLE):
        return (_convert_value(value, None),)
    return tuple(_convert_value(item, position) for position, item in enumerate(value, 1))


class _Replay:
    """A generator object made re-iterable (each pass replays it from the start), as MindSpore allows."""

    def __init__(self, generator):
        self._generator = generator

    def __iter__(self):
        self._generator, replay = itertools.tee(self._generator)
        return replay


class GeneratorDataset(Dataset):
    """Rows from Python: a random-access source (``__getitem__`` + ``__len__``, shuffled by default), an iterable,
    or a generator function (both read in order)."""

    def __init__(self, source, column_names=None, column_types=None, schema=None, num_samples=None,
                 num_parallel_workers=1, shuffle=None, sampler=None, num_shards=None, shard_id=None,
                 python_multiprocessing=True, max_rowsize=None, batch_sampler=None, collate_fn=None):
        super().__init__()
        check_sampling(num_samples, shuffle, num_shards, shard_id, sampler)
        if schema is not None or column_types is not None or batch_sampler is not None:
            raise NotImplementedError("msjax's GeneratorDataset does not support schema, column_types or "
                                      "batch_sampler yet.")
        self.column_names = column_list(column_names)
        if not self.column_names:
            raise ValueError("Neither columns_names nor schema are provided.")
        self.source = list(source) if isinstance(source, zip) else source
        if isinstance(self.source, types.GeneratorType):
            self.source = _Replay(self.source)
        self._random_access = hasattr(self.source, "__getitem__")
        if num_shards is not None and not self._random_access:
            raise ValueError("num_shards is not supported if source does not have attribute '__getitem__'.")
        self._sampling = _Sampling(num_samples, shuffle, num_shards, shard_id, default_shuffle=self._random_access)
        self._counted = None

    @property
    def _native(self):
        return False  # user code: runs in the consumer's thread (msjax's op state is not thread-local)

    def _columns(self):
        return self.column_names

    def _length(self):
        if not hasattr(self.source, "__len__"):
            raise RuntimeError("Attempt to construct a random access dataset, '__len__' method is required!")
        return len(self.source)

    def _size(self):
        if self._random_access:
            return self._sampling.count(self._length())
        if self._counted is None:  # a generator's length is known only by running it, once
            self._counted = sum(1 for _ in self._source_values())
        return self._counted

    def _row(self, value):
        try:
            row = _convert_row(value)
        except Exception as error:  # noqa: BLE001
            raise _pipeline_error(error) from error
        if len(row) != len(self.column_names):
            raise RuntimeError("Invalid Python function, the 'source' of 'GeneratorDataset' should return same number "
                               f"of NumPy arrays as specified in column_names, the size of column_names is:"
                               f"{len(self.column_names)} and number of returned NumPy array is:{len(row)}")
        return row

    def _source_values(self):
        try:
            values = iter(self.source) if hasattr(self.source, "__iter__") else self.source()
            limit = self._sampling.num_samples
            for count, value in enumerate(values):
                if limit is not None and count >= limit:
                    return
                yield value
        except Exception as error:  # noqa: BLE001  (user code failing is a pipeline error)
            raise _pipeline_error(error) from error

    def _rows(self, run):
        if not self._random_access:
            for value in self._source_values():
                yield self._row(value)
            return
        for index in self._sampling.indices(self._length(), run, self):
            try:
                value = self.source[int(index)]
            except Exception as error:  # noqa: BLE001
                raise _pipeline_error(error) from error
            yield self._row(value)


class _Slices:
    """NumpySlicesDataset's random-access source: row i is every column's i-th element."""

    def __init__(self, columns):
        self.columns = columns

    def __getitem__(self, index):
        return tuple(column[index] for column in self.columns)

    def __len__(self):
        return len(self.columns[0])


class NumpySlicesDataset(GeneratorDataset):
    """Rows sliced from Python data along the first axis: a dict gives named columns, a tuple one column per
    element (``column_0``, ...), a list or array one column. Python numbers become Int64/Float64."""

    def __init__(self, data, column_names=None, num_samples=None, num_parallel_workers=1, shuffle=None, sampler=None,
                 num_shards=None, shard_id=None):
        check_type(data, (list, tuple, dict, np.ndarray), "data")
        names = None
        if isinstance(data, dict):
            names, data = list(data), tuple(data.values())
        columns = data if isinstance(data, tuple) else (data,)
        if len({len(column) for column in columns}) > 1:
            raise ValueError("Data length in each column is not equal.")
        if column_names is not None:
            names = column_list(column_names)
            if len(names) != len(columns):
                raise ValueError(f"Num of input column names is {len(names)}, but required is {len(columns)}.")
        names = names or [f"column_{i}" for i in range(len(columns))]
        super().__init__(_Slices(columns), names, num_samples=num_samples, shuffle=shuffle, sampler=sampler,
                         num_shards=num_shards, shard_id=shard_id)

    @property
    def _native(self):
        return True


_USAGE_FILES = {"train": ("train",), "test": ("t10k",), "all": ("t10k", "train")}


class MnistDataset(Dataset):
    """MNIST from the standard idx files in ``dataset_dir``: columns ``image`` (28, 28, 1) UInt8 and ``label`` ()
    UInt32. ``usage`` 'train' reads ``train-*-ubyte``, 'test' ``t10k-*-ubyte``, 'all' (the default) both, test
    first. Files are read (and checked) when the data set is first sized or iterated."""

    def __init__(self, dataset_dir, usage=None, num_samples=None, num_parallel_workers=None, shuffle=None,
                 sampler=None, num_shards=None, shard_id=None, cache=None):
        super().__init__()
        check_type(dataset_dir, (str,), "dataset_dir")
        if not os.path.isdir(dataset_dir):
            raise ValueError(f"The folder {dataset_dir} does not exist or is not a directory or permission denied!")
        if usage is not None:
            check_type(usage, (str,), "usage")
            if usage not in _USAGE_FILES:
                raise ValueError(f"Input usage is not within the valid set of {list(_USAGE_FILES)}.")
        check_sampling(num_samples, shuffle, num_shards, shard_id, sampler, shard_error=RuntimeError)
        self.dataset_dir, self.usage = dataset_dir, usage or "all"
        self._sampling = _Sampling(num_samples, shuffle, num_shards, shard_id)
        self._data = None

    @property
    def _native(self):
        return True

    def _columns(self):
        return ["image", "label"]

    def _load(self):
        if self._data is None:
            images, labels = [], []
            for prefix in _USAGE_FILES[self.usage]:
                image_file = os.path.join(self.dataset_dir, f"{prefix}-images-idx3-ubyte")
                label_file = os.path.join(self.dataset_dir, f"{prefix}-labels-idx1-ubyte")
                if not os.path.exists(image_file) and not os.path.exists(label_file):
                    continue
                for path in (image_file, label_file):
                    if not os.path.isfile(path):
                        raise RuntimeError(f"Invalid data, MnistDataset API can't read the data file: {path} is "
                                           "missing.")
                images.append(idx.read_images(image_file))
                labels.append(idx.read_labels(label_file))
                if len(images[-1]) != len(labels[-1]):
                    raise RuntimeError(f"Invalid mnist file, num of images should be equal to num of labels, but got "
                                       f"num of images: {len(images[-1])} ({image_file}), num of labels: "
                                       f"{len(labels[-1])} ({label_file}).")
            self._data = (np.concatenate(images) if images else np.zeros((0, 28, 28, 1), np.uint8),
                          np.concatenate(labels) if labels else np.zeros((0,), np.uint32))
        return self._data

    def _size(self):
        return self._sampling.count(len(self._load()[1]))

    def _rows(self, run):
        images, labels = self._load()
        if not len(labels):
            raise RuntimeError("Invalid data, MnistDataset API can't read the data file (interface mismatch or no data "
                               f"found). Check mnist file in directory: {self.dataset_dir}")
        for index in self._sampling.indices(len(labels), run, self):
            yield images[index].copy(), np.array(labels[index])
