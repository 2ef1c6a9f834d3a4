"""Iterators over a pipeline: TupleIterator (a list of columns per row) and DictIterator.

Each epoch is one pass of the pipeline; `next` after an epoch's last row raises StopIteration and the following call
starts the next epoch (MindSpore's semantics), until ``num_epochs`` are done. Values are converted once per row --
per batch after `batch` -- to msjax Tensors (numpy arrays with ``output_numpy=True``; string columns stay numpy).

When every stage of the pipeline is msjax's own numpy code, a background thread assembles the next rows while the
consumer (a training step) runs. Pipelines with user Python code run in the consumer's thread: msjax's op state
(frames, the random key) is process-global, and a user function calling ops must not run inside another thread's
trace.

In data-parallel mode, a process driving several devices iterates a dataset sharded by ``get_group_size()`` /
``get_rank()`` once per local rank and yields the ranks' batches as one global Array (local_shards.py).
"""
from __future__ import annotations

import queue
import threading

import jax.numpy as jnp
import numpy as np

from ..tensor import Tensor
from .datasets import Run, select_columns
from .local_shards import local_ranks
from .validators import INT32_MAX, check_range, check_type, column_list

_PREFETCH_DEPTH = 2  # rows (batches) assembled ahead of the consumer


def _produce(rows, slots, stop):
    """Thread body: push (True, row) ..., then (False, None) at the end or (False, error). Holds no reference to
    the consumer's objects, so an abandoned iterator is collected and its `stop` ends this thread."""
    def put(item):
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False
    try:
        for row in rows:
            if not put((True, row)):
                return
        put((False, None))
    except BaseException as error:  # noqa: BLE001  (re-raised in the consumer's thread)
        put((False, error))


class _Prefetch:
    def __init__(self, rows):
        self._slots = queue.Queue(_PREFETCH_DEPTH)
        self._stop = threading.Event()
        threading.Thread(target=_produce, args=(rows, self._slots, self._stop), daemon=True,
                         name="msjax-dataset-prefetch").start()

    def __next__(self):
        if self._stop.is_set():
            raise StopIteration
        ok, item = self._slots.get()
        if ok:
            return item
        self._stop.set()
        if item is None:
            raise StopIteration
        raise item

    def __del__(self):
        self._stop.set()


def _output(array, output_numpy):
    if output_numpy or array.dtype.kind in "USO":
        return array
    return Tensor._from_raw(jnp.asarray(array))


def _merged(parts, name, ranks, output_numpy):
    """The local ranks' values of one column as one step's value: a global Array, or numpy rows."""
    if output_numpy or parts[0].dtype.kind in "USO":
        return ranks.concatenate(parts, name)
    return Tensor._from_raw(ranks.global_array(parts, name))


class _Iterator:
    def __init__(self, dataset, columns, num_epochs, output_numpy, merge_local_ranks=True):
        columns = column_list(columns)
        check_type(num_epochs, (int,), "num_epochs")
        check_range(num_epochs, -1, INT32_MAX, "num_epochs")
        if num_epochs == 0:
            raise RuntimeError("num_epochs should be either -1 or positive integer, num_epochs: 0")
        check_type(output_numpy, (bool,), "output_numpy")
        dataset._check_tree()
        names = dataset._columns()
        self._names = list(columns) if columns is not None else list(names)
        self._select = select_columns(names, self._names)
        self._dataset, self._num_epochs, self._output_numpy = dataset, num_epochs, output_numpy
        self._ranks = local_ranks(dataset) if merge_local_ranks else None
        self._runs = self._ranks.runs() if self._ranks else [Run()]
        self._epochs_done = 0
        self._epoch = None

    def __iter__(self):
        return self

    def _start_epoch(self):
        select, output_numpy, ranks = self._select, self._output_numpy, self._ranks
        if ranks is None:
            rows = ([_output(row[i], output_numpy) for i in select] for row in self._dataset._rows(self._runs[0]))
        else:
            columns = list(zip(select, self._names))
            rows = ([_merged([row[i] for row in step], name, ranks, output_numpy) for i, name in columns]
                    for step in ranks.rows(self._dataset, self._runs))
        return _Prefetch(rows) if self._dataset._native else rows

    def _next_values(self) -> list:
        if self._epoch is None:
            if self._num_epochs != -1 and self._epochs_done >= self._num_epochs:
                raise RuntimeError("EOF buffer encountered. User tries to fetch data beyond the specified number of "
                                   f"epochs ({self._num_epochs}).")
            self._epoch = self._start_epoch()
        try:
            return next(self._epoch)
        except StopIteration:
            self._epoch = None
            self._epochs_done += 1
            raise

    def get_col_names(self):
        return list(self._names)


class TupleIterator(_Iterator):
    """Yields a list of the selected columns' values per row."""

    def __next__(self):
        return self._next_values()


class DictIterator(_Iterator):
    """Yields ``{column name: value}`` per row."""

    def __next__(self):
        return dict(zip(self._names, self._next_values()))
