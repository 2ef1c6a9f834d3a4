"""Global seed (`mindspore.set_seed`) and the random streams derived from it.

Bit equality with MindSpore's streams is not a goal; reproducibility of msjax runs is.
"""
from __future__ import annotations

import numpy as np

_seed: int | None = None
_generator = np.random.default_rng()


def set_seed(seed: int):
    global _seed, _generator
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"For 'set_seed', the argument 'seed' should be a non-negative int, but got {seed!r}.")
    _seed = seed
    _generator = np.random.default_rng(seed)


def get_seed():
    return _seed


def numpy_generator() -> np.random.Generator:
    return _generator
