"""`mindspore.dataset.config`: the pipeline seed and the few settings programs read back.

Shuffling draws from numpy generators seeded here when an iterator starts; bit equality with MindSpore's shuffle
order is not a goal, reproducibility of msjax runs is.
"""
from __future__ import annotations

import os

import numpy as np

from .. import random as _global_random

DEFAULT_SEED = 5489  # what MindSpore reports (and uses for sharded shuffles) before any seed is set
_UINT32_MAX = 2 ** 32 - 1
_seed: int | None = None
_global_seed_at_set = None  # mindspore.set_seed's seed when set_seed was last called
_num_parallel_workers = min(8, os.cpu_count() or 1)  # MindSpore's default, capped by the cores
_prefetch_size = 16


def set_seed(seed):
    global _seed, _global_seed_at_set
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError("seed isn't of type int.")
    if not 0 <= seed <= _UINT32_MAX:
        raise ValueError(f"seed given is not within the required range [0, UINT32_MAX({_UINT32_MAX})].")
    _seed, _global_seed_at_set = seed, _global_random.get_seed()


def _chosen_seed():
    """The seed of the latest `set_seed` or `mindspore.set_seed` (which sets the dataset seed too, in MindSpore);
    None when neither was called. A `mindspore.set_seed` is noticed by the global seed having changed since."""
    global_seed = _global_random.get_seed()
    if _seed is None or global_seed != _global_seed_at_set:
        return global_seed
    return _seed


def get_seed():
    chosen = _chosen_seed()
    return DEFAULT_SEED if chosen is None else chosen


def generator(sharded=False) -> np.random.Generator:
    """A fresh generator for one shuffling node of one iterator.

    Unseeded shuffles differ run to run, except sharded ones: every process must draw the same permutation so the
    shards stay disjoint, so they use the default seed (as MindSpore's distributed sampler does).
    """
    seed = _chosen_seed()
    if seed is None and sharded:
        seed = DEFAULT_SEED
    return np.random.default_rng(seed)


def _check_positive_int(value, name):
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} isn't of type int.")
    if value <= 0:
        raise ValueError(f"{name} should be a positive integer.")


def set_num_parallel_workers(num):
    """Accepted for compatibility: msjax's pipeline runs in one thread (plus a prefetch thread)."""
    global _num_parallel_workers
    _check_positive_int(num, "num_parallel_workers")
    _num_parallel_workers = num


def get_num_parallel_workers():
    return _num_parallel_workers


def set_prefetch_size(size):
    global _prefetch_size
    _check_positive_int(size, "size")
    _prefetch_size = size


def get_prefetch_size():
    return _prefetch_size
