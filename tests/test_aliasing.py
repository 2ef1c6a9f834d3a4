"""`import mindspore...` resolves to msjax's own module objects."""
import importlib
import subprocess
import sys

import pytest

import msjax


def test_mindspore_modules_are_msjax_modules():
    import mindspore
    import mindspore.nn
    import mindspore.ops
    import mindspore.common.dtype
    assert mindspore is msjax
    assert sys.modules["mindspore.nn"] is msjax.nn
    assert mindspore.ops is msjax.ops
    assert mindspore.common.dtype is msjax.common.dtype
    assert mindspore.dtype is msjax.common.dtype


def test_tutorial_aliases():
    from mindspore.ops import operations as P, functional as F, composite as C
    from mindspore.common import dtype as mstype
    import mindspore.ops as ops
    assert P.Sin is ops.Sin
    assert F.sin is ops.sin
    assert C.GradOperation is ops.GradOperation
    assert mstype.float32 is msjax.float32
    assert msjax.__version__ == "2.10.0"


def test_one_tensor_class_and_one_registry_under_both_names():
    from mindspore import Tensor
    from mindspore.ops._grad_experimental.grad_base import bprop_getters as new_path
    from mindspore.ops._grad.grad_base import bprop_getters as old_path
    assert Tensor is msjax.Tensor
    assert new_path is old_path is msjax.ops._grad_experimental.grad_base.bprop_getters


def test_missing_path_names_the_mindspore_module():
    with pytest.raises(ImportError, match=r"mindspore\.does_not_exist"):
        importlib.import_module("mindspore.does_not_exist")
    with pytest.raises(ModuleNotFoundError, match=r"mindspore\.nn\.nope"):
        importlib.import_module("mindspore.nn.nope")


def test_install_in_a_fresh_interpreter():
    code = ("import msjax, sys; msjax.install(); import mindspore.nn as nn; "
            "print(nn is msjax.nn, sys.modules['mindspore'] is msjax)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]
