"""set_context / get_context and the JAX settings msjax relies on."""
import jax
import numpy as np
import pytest

import msjax as ms
from msjax import Tensor, ops


@pytest.fixture(autouse=True)
def restore_mode():
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


def test_defaults_and_mode_constants():
    assert (ms.GRAPH_MODE, ms.PYNATIVE_MODE) == (0, 1)
    assert ms.get_context("mode") == ms.PYNATIVE_MODE
    assert ms.get_context("device_target") == "CPU"  # this test machine has only JAX's CPU backend
    ms.set_context(mode=ms.GRAPH_MODE)
    assert ms.get_context("mode") == 0
    assert ms.context.set_context is ms.set_context


def test_mode_errors_match_mindspore():
    with pytest.raises(ValueError, match="should be context.GRAPH_MODE \\(0\\) or context.PYNATIVE_MODE \\(1\\), but got 5"):
        ms.set_context(mode=5)
    with pytest.raises(TypeError, match="'mode' must be <class 'int'>"):
        ms.set_context(mode="graph")
    with pytest.raises(ValueError, match="keyword argument foo is not recognized"):
        ms.set_context(foo=1)
    with pytest.raises(ValueError, match="argument foo is not recognized"):
        ms.get_context("foo")


def test_device_target_picks_a_jax_backend_or_raises_mindspores_error():
    ms.set_context(device_target="CPU")
    assert ms.get_context("device_target") == "CPU"
    assert Tensor(np.ones(2, np.float32))._data.devices() == {jax.devices("cpu")[0]}
    if not any(d.platform == "gpu" for d in jax.devices()):
        with pytest.raises(RuntimeError, match="Unsupported device target GPU"):
            ms.set_context(device_target="GPU")
    with pytest.raises(ValueError, match="must be one of \\['CPU', 'GPU', 'Ascend', 'Davinci'\\], but got cpu"):
        ms.set_context(device_target="cpu")


def test_passive_keys_are_stored():
    ms.set_context(pynative_synchronize=True, max_call_depth=2000)
    assert ms.get_context("pynative_synchronize") is True
    assert ms.get_context("max_call_depth") == 2000
    ms.set_context(pynative_synchronize=False, max_call_depth=1000)


def test_jax_runs_in_x64_with_full_float32_matmuls():
    assert jax.config.jax_enable_x64
    assert jax.config.jax_default_matmul_precision == "float32"
    a = Tensor(np.full((4, 4), 1.0 + 2 ** -20, np.float32))
    # TF32 would round 1 + 2**-20 to 1; float32 keeps it.
    assert ops.matmul(a, a).asnumpy()[0, 0] == np.float32(4 * (1.0 + 2 ** -20) ** 2)
