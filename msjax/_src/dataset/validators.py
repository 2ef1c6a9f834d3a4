"""Argument checks with MindSpore's dataset messages (raised at construction, as MindSpore's decorators do)."""
from __future__ import annotations

INT32_MAX = 2 ** 31 - 1
INT64_MAX = 2 ** 63 - 1


def check_type(value, types, name):
    """``types`` is a tuple of classes; bool never passes as int (MindSpore checks it by exact type)."""
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        raise TypeError(f"Argument {name} with value {value} is not of type {list(types)}, but got {type(value)}.")


def check_range(value, low, high, name, *, open_low=False):
    if not (low < value if open_low else low <= value) or value > high:
        interval = f"({low}, {high}]" if open_low else f"[{low}, {high}]"
        raise ValueError(f"Input {name} is not within the required interval of {interval}.")


def column_list(columns, name="column_names"):
    """A column argument (str or list of str) as a list, rejecting duplicates."""
    if columns is None:
        return None
    check_type(columns, (list, str), name)
    columns = [columns] if isinstance(columns, str) else list(columns)
    for column in columns:
        check_type(column, (str,), name)
    if len(set(columns)) != len(columns):
        raise ValueError("Every column name should not be same with others in column_names.")
    return columns


def check_sampling(num_samples, shuffle, num_shards, shard_id, sampler, *, shard_error=ValueError):
    """The sampling arguments shared by every source; MnistDataset reports a half-given shard pair as RuntimeError."""
    if num_samples is not None:
        check_type(num_samples, (int,), "num_samples")
        if not 0 <= num_samples <= INT64_MAX:
            raise ValueError(f"num_samples exceeds the boundary between 0 and {INT64_MAX}(INT64_MAX)!")
    if shuffle is not None:
        check_type(shuffle, (bool,), "shuffle")
    if sampler is not None:
        raise NotImplementedError("msjax's datasets do not support the 'sampler' argument yet; use shuffle, "
                                  "num_samples, num_shards and shard_id.")
    if (num_shards is None) != (shard_id is None):
        if shard_error is ValueError:
            raise ValueError("num_shards and shard_id need to be passed in together.")
        raise RuntimeError("num_shards is specified and currently requires shard_id as well." if shard_id is None
                           else "shard_id is specified but num_shards is not.")
    if num_shards is not None:
        check_type(num_shards, (int,), "num_shards")
        check_range(num_shards, 1, INT32_MAX, "num_shards")
        check_type(shard_id, (int,), "shard_id")
        check_range(shard_id, 0, num_shards - 1, "shard_id")
