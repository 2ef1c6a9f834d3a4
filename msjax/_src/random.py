"""Global seed (`mindspore.set_seed`) and the random streams derived from it.

Two streams: a numpy generator for initializers (values made eagerly, at construction), and a JAX PRNG key for ops
that draw at run time (Dropout, ``ops.randn``, ...). The key lives in a Parameter that no Cell owns: drawing reads
it and writes back its successor, so under grad or jit the key is lifted and advanced by the one state mechanism
(`state.py`) -- a compiled training step gets a fresh Dropout mask on every call, never a constant one.

Bit equality with MindSpore's streams is not a goal; reproducibility of msjax runs is.
"""
from __future__ import annotations

import jax
import numpy as np

_seed: int | None = None
_generator = np.random.default_rng()
_key_state = None  # the Parameter holding the JAX key (created on first use)


def _fresh_key(seed):
    return jax.random.PRNGKey(seed)  # raw uint32[2] key data: an ordinary array a Parameter can hold


def set_seed(seed: int):
    global _seed, _generator
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"For 'set_seed', the argument 'seed' should be a non-negative int, but got {seed!r}.")
    _seed = seed
    _generator = np.random.default_rng(seed)
    if _key_state is not None:
        _key_state._value = _fresh_key(seed)


def get_seed():
    return _seed


def numpy_generator() -> np.random.Generator:
    return _generator


def key_state():
    """The Parameter holding the global JAX PRNG key (compiled functions always lift it)."""
    global _key_state
    if _key_state is None:
        from .parameter import Parameter
        from .tensor import Tensor
        seed = _seed if _seed is not None else int(np.random.default_rng().integers(2 ** 31))
        _key_state = Parameter(Tensor._from_raw(_fresh_key(seed)), name="msjax.rng_key", requires_grad=False)
    return _key_state


def next_key():
    """A fresh JAX PRNG key for one random op; the global key advances."""
    state = key_state()
    key, subkey = jax.random.split(state._data)
    state._data = key
    return subkey
