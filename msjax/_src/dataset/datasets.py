"""`Dataset`: the pipeline tree and its operation nodes (map, batch, shuffle, repeat, project).

A pipeline is a tree built by method calls (``data.map(...)`` makes a MapDataset consuming ``data``). Running it
pulls *rows* -- tuples of numpy arrays, one per column -- from the root: ``node._rows(run)`` yields one pass over
the node's data, drawing what it needs from its child's pass. ``run`` is one iterator's state (each shuffling node's
generator), so a pass after the first reshuffles, as each MindSpore epoch does. Batches are assembled with numpy
(``np.stack`` per column); iterators turn them into Tensors once per batch (iterators.py).

Errors the MindSpore pipeline raises while running (a missing column, a failing transform, unbatchable rows) are
RuntimeErrors here too, raised when the data are first pulled or the column names asked for.
"""
from __future__ import annotations

import weakref

import numpy as np

from .transforms import TensorOperation, Compose, as_tuple, to_array
from .validators import INT32_MAX, check_range, check_type, column_list


class Run:
    """One iterator's state: each shuffling node's generator, kept across epochs so that each epoch reshuffles.

    ``shard_offset`` shifts a sharded source's ``shard_id``: a process driving several devices runs one Run per
    local rank (local_shards.py).
    """

    def __init__(self, shard_offset=0):
        self._generators = {}
        self.shard_offset = shard_offset

    def generator(self, node, sharded=False) -> np.random.Generator:
        from . import config
        if node not in self._generators:
            self._generators[node] = config.generator(sharded)
        return self._generators[node]


class Dataset:
    """Base of every pipeline node. Subclasses implement `_columns`, `_size` and `_rows`."""

    def __init__(self, children=()):
        self.children = list(children)
        # Weak references to the consumers built on this node. Like MindSpore, dead ones still count: a node feeds
        # exactly one consumer for the lifetime of the pipeline.
        self.parent = []
        for child in self.children:
            child.parent.append(weakref.ref(self))

    # --- the pipeline protocol ----------------------------------------------------------------------------------
    def _columns(self) -> list:
        return self.children[0]._columns()

    def _size(self) -> int:
        return self.children[0]._size()

    def _rows(self, run):
        raise NotImplementedError

    @property
    def _native(self) -> bool:
        """True when every stage is msjax's own numpy code, so a background thread may run it (prefetch)."""
        return all(child._native for child in self.children)

    def _check_tree(self):
        for child in self.children:
            if len(child.parent) > 1:
                raise ValueError("The data pipeline is not a tree (i.e., one node has 2 consumers)")
            child._check_tree()

    def _chain(self):
        node = self
        while node is not None:
            yield node
            node = node.children[0] if node.children else None

    # --- building pipelines -------------------------------------------------------------------------------------
    def map(self, operations, input_columns=None, output_columns=None, num_parallel_workers=None, **kwargs):
        """Apply ``operations`` (a transform, a Python function, or a list of them, in order) to columns."""
        return MapDataset(self, operations, input_columns, output_columns)

    def batch(self, batch_size, drop_remainder=False, num_parallel_workers=None, **kwargs):
        """Stack ``batch_size`` consecutive rows; a last partial batch is kept unless ``drop_remainder``."""
        unsupported = [k for k in ("per_batch_map", "pad_info") if kwargs.get(k) is not None]
        if unsupported:
            raise NotImplementedError(f"msjax's Dataset.batch does not support {unsupported} yet.")
        return BatchDataset(self, batch_size, drop_remainder)

    def shuffle(self, buffer_size):
        """Shuffle through a buffer of ``buffer_size`` rows (a full shuffle when it holds the whole data set)."""
        return ShuffleDataset(self, buffer_size)

    def repeat(self, count=None):
        """Pass over the data ``count`` times (forever for None or -1) within one epoch."""
        return RepeatDataset(self, count)

    def project(self, columns):
        """Keep ``columns``, in the given order."""
        return ProjectDataset(self, columns)

    # --- reading ------------------------------------------------------------------------------------------------
    def create_tuple_iterator(self, columns=None, num_epochs=-1, output_numpy=False, do_copy=False):
        from .iterators import TupleIterator
        return TupleIterator(self, columns, num_epochs, output_numpy)

    def create_dict_iterator(self, num_epochs=-1, output_numpy=False, do_copy=False):
        from .iterators import DictIterator
        return DictIterator(self, None, num_epochs, output_numpy)

    def __iter__(self):
        return iter(self.create_tuple_iterator())

    def get_dataset_size(self) -> int:
        """Rows per epoch (batches after `batch`); an endless `repeat` reports one pass, as MindSpore does."""
        self._check_tree()
        return self._size()

    def __len__(self):
        return self.get_dataset_size()

    def get_col_names(self) -> list:
        self._check_tree()
        return list(self._columns())

    def get_batch_size(self) -> int:
        return next((node.batch_size for node in self._chain() if isinstance(node, BatchDataset)), 1)

    def get_repeat_count(self) -> int:
        return next((node.count for node in self._chain() if isinstance(node, RepeatDataset)), 1)

    def output_shapes(self, estimate=False) -> list:
        return [list(array.shape) for array in self._first_row()]

    def output_types(self) -> list:
        return [array.dtype for array in self._first_row()]

    def _first_row(self):
        from .iterators import TupleIterator  # this rank's row, as in MindSpore, even when iterators merge ranks
        return next(TupleIterator(self, None, 1, True, merge_local_ranks=False))


def _operation_name(operation):
    return type(operation).__name__ if isinstance(operation, TensorOperation) else "PyFunc"


class MapDataset(Dataset):
    """Applies operations to input columns, giving output columns.

    Column layout (MindSpore's): as many outputs as inputs replace the inputs in place; otherwise the outputs come
    first, followed by the columns that were not inputs. An output named like another existing column replaces it.
    """

    def __init__(self, child, operations, input_columns, output_columns):
        super().__init__([child])
        operations = operations if isinstance(operations, list) else [operations]
        for operation in operations:
            if isinstance(operation, type) and issubclass(operation, TensorOperation):
                raise ValueError("Parameter operations's element of method map should be a dataset processing "
                                 f"operation instance, but got: {operation}. It may be missing parentheses for "
                                 "instantiation.")
            if not callable(operation):
                raise ValueError("Parameter operations's element of method map should be a python function or class "
                                 f"method which should be callable, but got: {operation}. It doesn't need "
                                 "parentheses for python function or class method.")
        self.operations = operations
        self.input_columns = column_list(input_columns, "input_columns")
        self.output_columns = column_list(output_columns, "output_columns")

    @property
    def _native(self):
        def native(op):
            if isinstance(op, Compose):
                return all(native(member) for member in op.transforms)
            return isinstance(op, TensorOperation)
        return all(native(op) for op in self.operations) and super()._native

    def _layout(self):
        """(input indices, outputs, plan, names): each output column is ('out', k) or ('in', child index)."""
        columns = self.children[0]._columns()
        inputs = self.input_columns or columns[:1]
        for name in inputs:
            if name not in columns:
                raise RuntimeError(f"Invalid parameter, input column name: {name} doesn't exist in the dataset "
                                   f"columns {columns}.")
        outputs = self.output_columns or inputs
        if len(inputs) == len(outputs):
            renamed = dict(zip(inputs, outputs))
            kept = [c for c in columns if c in renamed or c not in outputs]
            names = [renamed.get(c, c) for c in kept]
            plan = [("out", inputs.index(c)) if c in renamed else ("in", columns.index(c)) for c in kept]
        else:
            rest = [c for c in columns if c not in inputs and c not in outputs]
            names = outputs + rest
            plan = [("out", k) for k in range(len(outputs))] + [("in", columns.index(c)) for c in rest]
        return [columns.index(c) for c in inputs], len(outputs), plan, names

    def _columns(self):
        return self._layout()[3]

    def _apply(self, args):
        for operation in self.operations:
            try:
                args = tuple(to_array(value) for value in as_tuple(operation(*args)))
            except Exception as error:  # noqa: BLE001  (every failure of a map operation is a pipeline error)
                detail = str(error) if isinstance(operation, TensorOperation) else \
                    f"Error description: {type(error).__name__}: {error}"
                raise RuntimeError(f"map operation: [{_operation_name(operation)}] failed. {detail}") from error
        return args

    def _rows(self, run):
        if not self.operations:
            raise RuntimeError("Invalid parameter, 'operations' of map must contain at least one operation.")
        in_index, n_out, plan, _ = self._layout()
        for row in self.children[0]._rows(run):
            result = self._apply(tuple(row[i] for i in in_index))
            if len(result) != n_out:
                raise RuntimeError("Invalid columns, the number of columns returned in 'map' operations should match "
                                   f"the number of 'output_columns', but got the number of columns returned in 'map' "
                                   f"operations: {len(result)}, the number of 'output_columns': {n_out}.")
            yield tuple(result[k] if kind == "out" else row[k] for kind, k in plan)


def _shape_text(shape):
    return "<" + ",".join(str(d) for d in shape) + ">"


def _type_text(array):
    return "string" if array.dtype.kind in "US" else str(array.dtype)


def stack_rows(rows, names) -> tuple:
    """One batch: each column's values stacked along a new first axis (same shape and dtype required)."""
    batch = []
    for k, values in enumerate(zip(*rows)):
        first = values[0]
        for value in values[1:]:
            if value.shape != first.shape:
                raise RuntimeError(f"Cannot batch tensors with different shapes in column {k} ('{names[k]}'). First "
                                   f"element had shape {_shape_text(first.shape)} and this element had shape "
                                   f"{_shape_text(value.shape)}")
            if value.dtype != first.dtype and _type_text(value) != _type_text(first):
                raise RuntimeError(f"Cannot batch tensors with different types in column {k} ('{names[k]}'). First "
                                   f"element had type {_type_text(first)} and this element had type "
                                   f"{_type_text(value)}")
        batch.append(np.stack(values))
    return tuple(batch)


class BatchDataset(Dataset):
    def __init__(self, child, batch_size, drop_remainder):
        super().__init__([child])
        if not isinstance(batch_size, int):
            raise TypeError("batch_size should either be an int or a callable.")
        check_range(batch_size, 1, INT32_MAX, "batch_size")
        check_type(drop_remainder, (bool,), "drop_remainder")
        self.batch_size = int(batch_size)
        self.drop_remainder = drop_remainder

    def _size(self):
        rows = self.children[0]._size()
        return rows // self.batch_size if self.drop_remainder else -(-rows // self.batch_size)

    def _rows(self, run):
        names = self._columns()
        pending = []
        for row in self.children[0]._rows(run):
            pending.append(row)
            if len(pending) == self.batch_size:
                yield stack_rows(pending, names)
                pending = []
        if pending and not self.drop_remainder:
            yield stack_rows(pending, names)


class ShuffleDataset(Dataset):
    def __init__(self, child, buffer_size):
        super().__init__([child])
        check_type(buffer_size, (int,), "buffer_size")
        check_range(buffer_size, 2, INT32_MAX, "buffer_size")
        self.buffer_size = buffer_size

    def _rows(self, run):
        rng = run.generator(self)
        buffer = []
        for row in self.children[0]._rows(run):
            if len(buffer) < self.buffer_size:
                buffer.append(row)
                continue
            index = rng.integers(len(buffer))
            yield buffer[index]
            buffer[index] = row
        for index in rng.permutation(len(buffer)):
            yield buffer[index]


class RepeatDataset(Dataset):
    def __init__(self, child, count):
        super().__init__([child])
        count = -1 if count is None else count
        check_type(count, (int,), "count")
        if count != -1 and not 1 <= count <= INT32_MAX:
            raise ValueError("count should be either -1 or positive integer, range[1, INT32_MAX].")
        self.count = count

    def _size(self):
        return self.children[0]._size() * (1 if self.count == -1 else self.count)

    def _rows(self, run):
        done = 0
        while self.count == -1 or done < self.count:
            yield from self.children[0]._rows(run)
            done += 1


def select_columns(available, wanted) -> list:
    """Indices of ``wanted`` among ``available`` column names (RuntimeError naming a missing one)."""
    for name in wanted:
        if name not in available:
            raise RuntimeError(f"Invalid column, column name: {name} does not exist. The columns are {available}.")
    return [available.index(name) for name in wanted]


class ProjectDataset(Dataset):
    def __init__(self, child, columns):
        super().__init__([child])
        self.columns = column_list(columns, "columns")

    def _columns(self):
        select_columns(self.children[0]._columns(), self.columns)
        return list(self.columns)

    def _rows(self, run):
        index = select_columns(self.children[0]._columns(), self.columns)
        for row in self.children[0]._rows(run):
            yield tuple(row[i] for i in index)
