"""Every example and compat program, run unchanged under `python -m msjax`, prints what real MindSpore printed --
in PyNative mode and in GRAPH_MODE."""
import sys

import pytest

from harness import RTOL, TRAINING_RTOL, cases, compare_output, reference_result, run_program


@pytest.mark.parametrize("program, mode", cases())
def test_program_matches_mindspore(program, mode):
    expected = reference_result(program, mode)
    actual = run_program(program, sys.executable, via_msjax=True, mode=mode)
    assert actual["exception"] == expected["exception"], (
        f"{program} [{mode}]: MindSpore ended with {expected['exception']}, msjax with {actual['exception']}\n"
        f"msjax stderr:\n{actual['stderr'][-3000:]}")
    difference = compare_output(actual["stdout"], expected["stdout"], TRAINING_RTOL.get(program, RTOL))
    assert difference is None, f"{program} [{mode}]: {difference}\nmsjax stderr:\n{actual['stderr'][-2000:]}"
