"""Every example and compat program, run unchanged under `python -m msjax`, prints what real MindSpore printed."""
import sys

import pytest

from harness import compare_output, programs, reference_result, run_program


@pytest.mark.parametrize("program", programs())
def test_program_matches_mindspore(program):
    expected = reference_result(program)
    actual = run_program(program, sys.executable, via_msjax=True)
    assert actual["exception"] == expected["exception"], (
        f"{program}: MindSpore ended with {expected['exception']}, msjax with {actual['exception']}\n"
        f"msjax stderr:\n{actual['stderr'][-3000:]}")
    difference = compare_output(actual["stdout"], expected["stdout"])
    assert difference is None, f"{program}: {difference}\nmsjax stderr:\n{actual['stderr'][-2000:]}"
