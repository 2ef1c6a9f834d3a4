"""Run a MindSpore program in GRAPH_MODE, unchanged: ``python compat_tests/graph_mode.py PROGRAM.py [ARGS...]``.

The compat harness runs every program this way too (under real MindSpore, and under ``python -m msjax``), so the
same program is checked in both execution modes.
"""
import os
import runpy
import sys

import mindspore

mindspore.set_context(mode=mindspore.GRAPH_MODE)
program = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path[0] = os.path.dirname(os.path.abspath(program))
runpy.run_path(program, run_name="__main__")
