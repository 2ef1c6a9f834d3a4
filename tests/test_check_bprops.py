"""msjax-only ``check_bprops``: every custom rule compared, on its actual inputs, with the derivative of its forward;
differences are reported as `BpropCheckWarning`, never raised."""
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import msjax as ms
from msjax import Tensor, nn, ops
from msjax._src import bprop as bprop_mod
from msjax._src import bprop_check


def f32(*values):
    return Tensor(np.array(values, np.float32))


X, Y = f32(1.0, 2.0), f32(3.0, 4.0)
GA = ops.GradOperation(get_all=True)


class Wrong(nn.Cell):
    def construct(self, a, b):
        return a * b

    def bprop(self, a, b, out, dout):
        return dout * 10, dout * a


class Right(nn.Cell):
    def construct(self, a, b):
        return a * b

    def bprop(self, a, b, out, dout):
        return dout * b, dout * a


def no_warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    assert [w for w in caught if issubclass(w.category, ms.BpropCheckWarning)] == []
    return result


def test_wrong_cell_bprop_is_reported_with_name_shapes_and_differences():
    with ms.check_bprops():
        with pytest.warns(ms.BpropCheckWarning, match=r"'Wrong\.bprop' differs from the derivative of its forward "
                                                      r"\(inputs: \[2\] Float32, \[2\] Float32\): largest absolute "
                                                      r"difference 7, largest relative difference 0\.7 \(gradient of "
                                                      r"input 0\)"):
            grads = GA(Wrong())(X, Y)
    # reported, never changed: the rule's gradients are what the user gets
    assert [g.asnumpy().tolist() for g in grads] == [[10.0, 10.0], [1.0, 2.0]]


def test_correct_rule_and_disabled_check_are_silent():
    with ms.check_bprops():
        no_warnings(lambda: GA(Right())(X, Y))
        no_warnings(lambda: GA(lambda a, b: Right()(a * 2, b).sum() * 3)(X, Y))  # scaled dout
    no_warnings(lambda: GA(Wrong())(X, Y))


def test_switch_and_context_manager_restore_the_setting(monkeypatch):
    monkeypatch.setattr(bprop_check, "enabled", False)
    ms.check_bprops()
    assert bprop_check.enabled
    with ms.check_bprops(False):
        assert not bprop_check.enabled
        with ms.check_bprops(True):
            assert bprop_check.enabled
        assert not bprop_check.enabled
    assert bprop_check.enabled
    ms.check_bprops(enable=False)
    assert not bprop_check.enabled


def test_off_costs_no_comparison(monkeypatch):
    def fail(*args):
        raise AssertionError("compare must not run while checking is off")

    monkeypatch.setattr(bprop_check, "compare", fail)
    GA(Wrong())(X, Y)


def test_registered_bprop_is_checked():
    @bprop_mod.bprop_getters.register(ops.Sin)
    def get_bprop_sin(prim):
        def rule(x, out, dout):
            return (dout,)  # straight-through: differs on purpose
        return rule

    try:
        with ms.check_bprops(), pytest.warns(ms.BpropCheckWarning, match="the bprop registered for 'Sin'"):
            grads = GA(ops.sin)(X)
    finally:
        bprop_mod.bprop_getters.unregister(ops.Sin)
    assert grads[0].asnumpy().tolist() == [1.0, 1.0]


def test_custom_op_bprop_is_checked_by_finite_differences():
    def grad(bprop, x, y):
        op = ops.Custom(lambda a, b: a * b, out_shape=lambda a, b: a, out_dtype=lambda a, b: a, func_type="pyfunc",
                        bprop=bprop)
        return GA(lambda a, b: op(a, b).sum())(x, y)

    right = (lambda a, b, out, dout: (dout * b, dout * a))
    wrong = (lambda a, b, out, dout: (dout, dout))
    big_x = Tensor(np.linspace(0.5, 2.0, 100).astype(np.float32))
    big_y = Tensor(np.linspace(-1.0, 1.0, 100).astype(np.float32))
    with ms.check_bprops():
        for x, y in ((X, Y), (big_x, big_y)):  # elementwise, then along random directions
            no_warnings(lambda: grad(right, x, y))
            with pytest.warns(ms.BpropCheckWarning, match="bprop of Custom op '<lambda>' differs.*finite differences"):
                grad(wrong, x, y)


def test_hooks_are_not_checked():
    hook = ops.HookBackward(lambda g: (g[0] * 10,))
    with ms.check_bprops():
        no_warnings(lambda: GA(lambda a: hook(a) * 2)(X))


def test_environment_variable_turns_it_on():
    code = ("import warnings, numpy as np, msjax as ms\n"
            "from msjax import nn, ops, Tensor\n"
            "class Wrong(nn.Cell):\n"
            "    def construct(self, a):\n"
            "        return a * a\n"
            "    def bprop(self, a, out, dout):\n"
            "        return (dout,)\n"
            "with warnings.catch_warnings(record=True) as caught:\n"
            "    warnings.simplefilter('always')\n"
            "    ops.GradOperation()(Wrong())(Tensor(np.array([3.0], np.float32)))\n"
            "print(sum(issubclass(w.category, ms.BpropCheckWarning) for w in caught))\n")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for value, expected in (("1", "1"), ("0", "0")):
        env = dict(os.environ, MSJAX_CHECK_BPROPS=value, PYTHONPATH=root)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert out.stdout.strip() == expected
